#include "store/sqlite/sqlite_db.h"

#include <stdexcept>

#include "store/sqlite/wal_batching_vfs.h"

namespace hookline::store::sqlite {

Error sqlite_error(sqlite3* db, int code) {
  const int primary = code & 0xff;
  std::string message = sqlite3_errmsg(db);
  if (primary == SQLITE_CONSTRAINT) return {ErrorCode::kConflict, std::move(message), {}};
  // SQLite reports a write that found no space (ENOSPC, on the WAL or the database file) as FULL.
  if (primary == SQLITE_FULL) return Error::storage_full("the disk is full: " + message);
  return Error::unavailable("database: " + message);
}

Statement::Statement(sqlite3* db, std::string_view sql) : db_(db) {
  const int rc = sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr);
  if (rc != SQLITE_OK) {
    throw std::logic_error("bad SQL: " + std::string(sqlite3_errmsg(db)) +
                           " in: " + std::string(sql));
  }
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement& Statement::bind(int index, std::string_view text) {
  sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  return *this;
}

Statement& Statement::bind(int index, int64_t value) {
  sqlite3_bind_int64(stmt_, index, value);
  return *this;
}

Statement& Statement::bind_null(int index) {
  sqlite3_bind_null(stmt_, index);
  return *this;
}

Result<bool> Statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return std::unexpected(sqlite_error(db_, rc));
}

Result<void> Statement::run() {
  while (true) {
    auto row = step();
    if (!row) return std::unexpected(row.error());
    if (!*row) return {};
  }
}

Result<void> Statement::run_changing(Error if_unchanged) {
  if (auto r = run(); !r) return r;
  if (sqlite3_changes64(db_) == 0) return std::unexpected(std::move(if_unchanged));
  return {};
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

std::string Statement::text(int column) const {
  const auto* p = sqlite3_column_text(stmt_, column);
  if (p == nullptr) return {};
  return {reinterpret_cast<const char*>(p),
          static_cast<size_t>(sqlite3_column_bytes(stmt_, column))};
}

int64_t Statement::integer(int column) const { return sqlite3_column_int64(stmt_, column); }

bool Statement::is_null(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

namespace {

// SQLite counts every allocation under a process-wide mutex unless told not to before its first
// use; nothing here reads those counts, and the writer allocates for every row it writes. A call
// after SQLite started (another library opened a database first) is refused and changes nothing:
// the counts then stay on, which costs speed, not correctness.
void configure_library_once() {
  [[maybe_unused]] static const int configured = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

}  // namespace

Connection::Connection(const std::string& path) {
  configure_library_once();
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  // A commit's WAL frames reach the kernel in a few writes, not two per page (wal_batching_vfs.h).
  if (sqlite3_open_v2(path.c_str(), &db_, flags, wal_batching_vfs()) != SQLITE_OK) {
    std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    throw std::runtime_error("cannot open database " + path + ": " + message);
  }
  // WAL lets readers run beside the writer; synchronous=FULL makes an answered write survive a
  // power cut, not only a process crash (SPEC 7). No connection checkpoints on its own commits:
  // the Checkpointer does, beside the writer. The WAL file is cut back to 16 MiB when it starts
  // over, so a burst that grew it does not keep the disk space. Savepoints (one per write job)
  // journal the pages they change in memory, not in a temporary file: a job's undo never needs
  // to survive the process, the WAL is what makes a commit durable.
  // 8 KiB pages (for a new file; an existing one keeps its own): an event's row with ~700 bytes of
  // details wastes a fifth of a 4 KiB page, and a commit writes half as many WAL frames; 16 KiB
  // pages cost more than they save, since each savepoint copies whole pages (bench/RESULTS.md).
  auto setup = exec(
      "PRAGMA page_size=8192; PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
      "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000; PRAGMA wal_autocheckpoint=0;"
      "PRAGMA journal_size_limit=16777216; PRAGMA temp_store=MEMORY;");
  if (!setup)
    throw std::runtime_error("cannot set up database " + path + ": " + setup.error().message);
}

Connection::~Connection() { sqlite3_close(db_); }

Result<void> Connection::exec(std::string_view sql) {
  char* message = nullptr;
  const int rc = sqlite3_exec(db_, std::string(sql).c_str(), nullptr, nullptr, &message);
  if (rc == SQLITE_OK) return {};
  Error error = sqlite_error(db_, rc);
  if (message != nullptr) {
    error.message = std::string("database: ") + message;
    sqlite3_free(message);
  }
  return std::unexpected(std::move(error));
}

Transaction::Transaction(Connection& connection) : connection_(connection) {}

Transaction::~Transaction() {
  if (open_) (void)connection_.exec("ROLLBACK");  // nothing more to do if rollback itself fails
}

Result<void> Transaction::begin() {
  auto result = connection_.exec("BEGIN IMMEDIATE");
  open_ = result.has_value();
  return result;
}

Result<void> Transaction::commit() {
  auto result = connection_.exec("COMMIT");
  if (result) open_ = false;
  return result;
}

}  // namespace hookline::store::sqlite
