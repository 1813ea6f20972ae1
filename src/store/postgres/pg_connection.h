#pragma once

#include <libpq-fe.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/error.h"

namespace hookline::store::postgres {

// One value bound to a $n of a query: NULL, text, an integer, a boolean or bytes. Values travel
// apart from the SQL, so nothing is ever quoted by hand. Text, integers and booleans go in text
// format; bytes go as they are (binary format), since a bytea's text form would need escaping.
// Other types do not convert (a size_t, a double, a char): cast to what the column holds.
// Integers go as bigint, so arithmetic on them never overflows a 32-bit guess ($1 + 1000 with
// $1 a time in ms); a function that takes an integer wants $n::integer.
class Param {
 public:
  // Implicit on purpose: a query's parameters read as a list of values, query(sql, {id, 10}).
  Param(std::nullptr_t) {}
  Param(std::nullopt_t) {}
  Param(std::string_view text) : kind_(Kind::kText), value_(text) {}
  Param(const std::string& text) : Param(std::string_view(text)) {}
  Param(const char* text) : Param(text != nullptr ? Param(std::string_view(text)) : Param()) {}
  Param(int64_t value) : kind_(Kind::kInteger), value_(std::to_string(value)) {}
  Param(int value) : Param(int64_t{value}) {}
  Param(bool value) : kind_(Kind::kBoolean), value_(value ? "t" : "f") {}
  Param(char) = delete;  // would bind its character code
  template <typename T>
  Param(const std::optional<T>& value) : Param(value ? Param(*value) : Param()) {}

  // Bytes for a bytea column: any byte values, NUL included.
  static Param bytes(std::string_view bytes);

 private:
  friend class PgConnection;
  Param() = default;  // NULL
  enum class Kind { kNull, kText, kInteger, kBoolean, kBytes };
  Kind kind_ = Kind::kNull;
  std::string value_;
};

// The rows a query returned, in text format. Rows and columns count from 0; asking for a cell
// outside the result is a bug (std::out_of_range).
class PgResult {
 public:
  explicit PgResult(PGresult* result) : result_(result, &PQclear) {}
  const PGresult* raw() const { return result_.get(); }

  int rows() const { return PQntuples(result_.get()); }
  int columns() const { return PQnfields(result_.get()); }
  // Rows an INSERT, UPDATE, DELETE (...) changed; 0 for other commands.
  int64_t rows_affected() const;
  // What the command was, as the server names it: "INSERT 0 1", "COMMIT", "ROLLBACK".
  std::string_view command_tag() const;

  // NULL reads as "", 0, false or no bytes, as in the SQLite wrapper; is_null tells them apart.
  std::string text(int row, int column) const;
  // A column that is not an integer (or a boolean not 't'/'f') is a bug: std::logic_error.
  int64_t integer(int row, int column) const;
  bool boolean(int row, int column) const;
  // A bytea column's bytes.
  std::string bytes(int row, int column) const;
  bool is_null(int row, int column) const;

 private:
  const char* cell(int row, int column) const;

  std::unique_ptr<PGresult, decltype(&PQclear)> result_;
};

// A NOTIFY this connection received on a channel it listens to.
struct Notification {
  std::string channel;
  std::string payload;
  int sender_pid = 0;  // the notifying session's server process
};

// One connection to a PostgreSQL server. Like a SQLite connection it belongs to one thread at a
// time; a server that goes away leaves it broken (every call kUnavailable), and its owner opens a
// new one. Errors map by SQLSTATE (pg_error.h).
class PgConnection {
 public:
  // `uri` is a libpq URI or key=value string; `database`, when not empty, replaces its database
  // (tests make one database each on one server). Throws std::runtime_error, with libpq's
  // reason and never the URI (it may hold a password), when it cannot connect: connecting
  // happens at start-up.
  explicit PgConnection(const std::string& uri, const std::string& database = "");
  ~PgConnection();
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  PGconn* handle() const { return connection_; }
  // Connected, and in step with the server: a connection that is not is thrown away and opened
  // again by its owner.
  bool usable() const;

  // Runs SQL that may hold several statements and takes no parameters: scripts, BEGIN, COMMIT.
  // With several statements and no BEGIN of its own, they commit together or not at all.
  Result<void> exec(std::string_view sql);
  // Runs one statement with $1, $2, ... bound to `params` in order.
  // A text parameter holding a NUL byte is kValidation: PostgreSQL's text cannot hold one, and
  // libpq would silently cut the value there.
  Result<PgResult> query(std::string_view sql, std::span<const Param> params);
  Result<PgResult> query(std::string_view sql, std::initializer_list<Param> params = {}) {
    return query(sql, std::span<const Param>(params.begin(), params.size()));
  }

  // Holds a write back to travel with the next round trip, the next query()'s or flush()'s
  // (libpq's pipeline mode): a write whose only answer is whether it worked then costs no round
  // trip of its own. Its error is that call's: a deferred write that fails fails the call, and
  // what was sent after it did not run. `if_no_row`, when not empty, makes a write that changed
  // no row an error too: kUnavailable (try again), with that message. exec() flushes first.
  void defer(std::string_view sql, std::initializer_list<Param> params, std::string if_no_row = "");
  // Runs what defer() held back, in one round trip.
  Result<void> flush();
  // Drops what defer() held back but its first `keep`: the work it belonged to failed and is
  // undone.
  void discard_deferred(size_t keep = 0) { deferred_.resize(std::min(keep, deferred_.size())); }
  size_t deferred_count() const { return deferred_.size(); }
  // How many times this connection has sent statements to the server: unchanged since a defer(),
  // that write has not left yet (and never ran).
  uint64_t sends() const { return sends_; }

  // The longest a prepared statement's plan is kept before it is made again (kReplanEvery below
  // says why); tests shorten it.
  void set_replan_every(std::chrono::milliseconds every) { replan_every_ = every; }

  // LISTEN/NOTIFY, for nodes to wake each other. A notification sent inside a transaction is
  // delivered when it commits; listeners get each one once, in commit order.
  Result<void> listen(std::string_view channel);
  Result<void> notify(std::string_view channel, std::string_view payload);
  // The notifications received so far, waiting up to `timeout` for one when there are none yet.
  // An empty list means none came in time.
  Result<std::vector<Notification>> notifications(std::chrono::milliseconds timeout);

 private:
  // The statements this connection has prepared, by SQL text and parameter types: the store runs
  // the same few statements thousands of times a second, and a prepared one is parsed and
  // planned once instead of on every call. Bounded: SQL built with a varying number of
  // parameters past that runs unprepared.
  static constexpr size_t kMaxPrepared = 256;
  // The name of the prepared statement for `sql` with parameters of `types`, preparing it now if
  // need be; nullptr to run it unprepared.
  const std::string* statement_for(std::string_view sql, const std::vector<Oid>& types);
  // A prepared statement keeps the plan PostgreSQL made for the tables as they were (until an
  // ANALYZE), and tables that grow fast from empty, as after a fresh start, outgrow it within
  // seconds: a plan made for a table of ten rows reads all of its rows once it holds 100,000
  // (measured: 25 s of server CPU for 30,000 events instead of 11). So the plans are dropped and
  // made again each time the connection has run as many statements as it had when they were
  // made (as the tables may have doubled), and at least every kReplanEvery: a few plannings
  // now and then cost next to nothing.
  static constexpr std::chrono::seconds kReplanEvery{60};
  static constexpr int64_t kMinRunsBetweenPlans = 1000;
  void forget_old_plans();
  std::chrono::milliseconds replan_every_ = kReplanEvery;
  std::vector<Notification> take_notifications();
  // Runs what defer() held back and then `sql` (none when empty), all in one round trip; the
  // result is `sql`'s, or the first error.
  Result<PgResult> run_with_deferred(std::string_view sql, std::span<const Param> params);

  // The parameters of one statement as libpq takes them; the values point into the Params,
  // which must outlive it.
  struct BoundParams {
    std::vector<Oid> types;
    std::vector<const char*> values;
    std::vector<int> lengths;
    std::vector<int> formats;

    int count() const { return static_cast<int>(types.size()); }
  };
  // A text parameter holding a NUL byte is kValidation.
  static Result<BoundParams> bind(std::span<const Param> params);

  struct Deferred {
    std::string sql;
    std::vector<Param> params;
    std::string if_no_row;
  };

  PGconn* connection_ = nullptr;
  std::unordered_map<std::string, std::string> prepared_;
  std::chrono::steady_clock::time_point plans_made_at_ = std::chrono::steady_clock::now();
  int64_t statements_run_ = 0;
  int64_t replan_after_runs_ = kMinRunsBetweenPlans;
  std::vector<Deferred> deferred_;
  uint64_t sends_ = 0;
  // A pipeline that did not end where it should: the results no longer match the commands.
  bool lost_step_ = false;
};

// Commits on commit(); rolls back if destroyed first, so an early return never leaves a half
// change (nor, in PostgreSQL, a connection stuck in a failed transaction).
class PgTransaction {
 public:
  explicit PgTransaction(PgConnection& connection) : connection_(connection) {}
  ~PgTransaction();
  PgTransaction(const PgTransaction&) = delete;
  PgTransaction& operator=(const PgTransaction&) = delete;

  Result<void> begin();
  Result<void> commit();

 private:
  PgConnection& connection_;
  bool open_ = false;
};

}  // namespace hookline::store::postgres
