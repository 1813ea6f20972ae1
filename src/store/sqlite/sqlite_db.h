#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.h"

namespace hookline::store::sqlite {

// A prepared statement. Binding is positional from 1; reading columns is from 0.
class Statement {
 public:
  Statement(sqlite3* db, std::string_view sql);  // throws on SQL that does not compile: a bug
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(int index, std::string_view text);
  Statement& bind(int index, int64_t value);
  Statement& bind_null(int index);

  // Steps once: true when a row is ready, false when done. Errors come back as kUnavailable
  // (busy, I/O) or kConflict (a constraint).
  Result<bool> step();
  // Steps until done; for statements that return no rows.
  Result<void> run();
  // run() for a statement that must change a row: `if_unchanged` when it changed none.
  Result<void> run_changing(Error if_unchanged);
  void reset();

  std::string text(int column) const;
  int64_t integer(int column) const;
  bool is_null(int column) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

// One connection to the database file, in WAL mode.
class Connection {
 public:
  explicit Connection(const std::string& path);  // throws when the file cannot be opened
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  sqlite3* handle() const { return db_; }
  // Runs SQL that may hold several statements and returns no rows.
  Result<void> exec(std::string_view sql);
  int64_t changes() const { return sqlite3_changes64(db_); }
  int64_t last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }

 private:
  sqlite3* db_ = nullptr;
};

// Commits on commit(); rolls back if destroyed first, so an early return never leaves a half
// change.
class Transaction {
 public:
  explicit Transaction(Connection& connection);
  ~Transaction();
  Result<void> begin();
  Result<void> commit();

 private:
  Connection& connection_;
  bool open_ = false;
};

Error sqlite_error(sqlite3* db, int code);

}  // namespace hookline::store::sqlite
