#include "store/postgres/pg_connection.h"

#include <poll.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <climits>
#include <cstring>
#include <stdexcept>
#include <system_error>

#include "core/logger.h"
#include "store/postgres/pg_error.h"

namespace hookline::store::postgres {

namespace {

// Type OIDs, fixed in PostgreSQL's catalog (pg_type.dat) for as long as it has existed. Text and
// NULL parameters go untyped (0): the server takes the type the statement needs there, as for a
// quoted literal, so text binds to a text, jsonb or bigint column alike.
constexpr Oid kBoolOid = 16;
constexpr Oid kByteaOid = 17;
constexpr Oid kInt8Oid = 20;

// The server's notices (a WARNING, "relation already exists, skipping") go to the store's log,
// not to stderr, where libpq would print them.
void log_notice(void* /*unused*/, const PGresult* notice) {
  const char* severity = PQresultErrorField(notice, PG_DIAG_SEVERITY_NONLOCALIZED);
  const char* message = PQresultErrorField(notice, PG_DIAG_MESSAGE_PRIMARY);
  const bool warning = severity != nullptr && std::string_view(severity) == "WARNING";
  module_logger("store")->log(warning ? spdlog::level::warn : spdlog::level::debug, "postgres: {}",
                              message != nullptr ? message : "");
}

// A finished command: its result, or its error when it failed.
Result<PgResult> finished(PGconn* connection, PGresult* raw) {
  PgResult result(raw);
  const ExecStatusType status = raw != nullptr ? PQresultStatus(raw) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY) {
    return result;
  }
  return std::unexpected(pg_error(connection, raw));
}

}  // namespace

Param Param::bytes(std::string_view bytes) {
  Param param;
  param.kind_ = Kind::kBytes;
  param.value_ = bytes;
  return param;
}

int64_t PgResult::rows_affected() const {
  const char* count = PQcmdTuples(result_.get());  // "" for commands that count no rows
  int64_t rows = 0;
  std::from_chars(count, count + std::strlen(count), rows);
  return rows;
}

std::string_view PgResult::command_tag() const { return PQcmdStatus(result_.get()); }

const char* PgResult::cell(int row, int column) const {
  if (row < 0 || row >= rows() || column < 0 || column >= columns()) {
    throw std::out_of_range("no cell (" + std::to_string(row) + ", " + std::to_string(column) +
                            ") in a result of " + std::to_string(rows()) + " rows and " +
                            std::to_string(columns()) + " columns");
  }
  return PQgetvalue(result_.get(), row, column);
}

std::string PgResult::text(int row, int column) const {
  const char* value = cell(row, column);
  return {value, static_cast<size_t>(PQgetlength(result_.get(), row, column))};
}

int64_t PgResult::integer(int row, int column) const {
  if (is_null(row, column)) return 0;
  const std::string value = text(row, column);
  int64_t number = 0;
  const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), number);
  if (error != std::errc() || end != value.data() + value.size()) {
    throw std::logic_error("column " + std::to_string(column) + " is not an integer: " + value);
  }
  return number;
}

bool PgResult::boolean(int row, int column) const {
  if (is_null(row, column)) return false;
  const std::string value = text(row, column);
  if (value == "t") return true;
  if (value == "f") return false;
  throw std::logic_error("column " + std::to_string(column) + " is not a boolean: " + value);
}

std::string PgResult::bytes(int row, int column) const {
  if (is_null(row, column)) return {};
  size_t size = 0;
  // Reads either text form of bytea (hex, or the old escape format), whichever the server sends.
  unsigned char* raw =
      PQunescapeBytea(reinterpret_cast<const unsigned char*>(cell(row, column)), &size);
  if (raw == nullptr) throw std::bad_alloc();  // libpq's only reason to return none
  std::string bytes(reinterpret_cast<const char*>(raw), size);
  PQfreemem(raw);
  return bytes;
}

bool PgResult::is_null(int row, int column) const {
  cell(row, column);  // for its bounds check
  return PQgetisnull(result_.get(), row, column) == 1;
}

PgConnection::PgConnection(const std::string& uri, const std::string& database) {
  // libpq keeps the last value of a keyword it is given twice, so the order is the precedence:
  // defaults, then what the URI says (`dbname` holding a whole URI is expanded in its place), then
  // `database`. Hookline's strings are UTF-8, whatever the URI asks for.
  std::vector<const char*> keywords = {"connect_timeout", "application_name", "dbname"};
  std::vector<const char*> values = {"10", "hookline", uri.c_str()};
  if (!database.empty()) {
    keywords.push_back("dbname");
    values.push_back(database.c_str());
  }
  keywords.push_back("client_encoding");
  values.push_back("UTF8");
  keywords.push_back(nullptr);
  values.push_back(nullptr);
  connection_ = PQconnectdbParams(keywords.data(), values.data(), /*expand_dbname=*/1);
  if (connection_ == nullptr) throw std::runtime_error("cannot connect to PostgreSQL: no memory");
  if (PQstatus(connection_) != CONNECTION_OK) {
    std::string reason = PQerrorMessage(connection_);
    PQfinish(connection_);
    while (!reason.empty() && (reason.back() == '\n' || reason.back() == ' ')) reason.pop_back();
    // libpq's reason names the server and what went wrong; a URI it cannot parse it quotes
    // whole, and a URI may hold a password.
    for (size_t at = reason.find(uri); !uri.empty() && at != std::string::npos;
         at = reason.find(uri, at)) {
      reason.replace(at, uri.size(), "<uri>");
    }
    throw std::runtime_error("cannot connect to PostgreSQL: " + reason);
  }
  PQsetNoticeReceiver(connection_, &log_notice, nullptr);
}

PgConnection::~PgConnection() { PQfinish(connection_); }

Result<void> PgConnection::exec(std::string_view sql) {
  // Several statements in one string cannot join a pipeline: what waits goes first.
  if (auto flushed = flush(); !flushed) return flushed;
  ++sends_;
  auto result = finished(connection_, PQexec(connection_, std::string(sql).c_str()));
  if (!result) return std::unexpected(result.error());
  return {};
}

Result<PgConnection::BoundParams> PgConnection::bind(std::span<const Param> params) {
  BoundParams bound;
  bound.types.reserve(params.size());
  bound.values.reserve(params.size());
  bound.lengths.reserve(params.size());
  bound.formats.reserve(params.size());
  for (size_t i = 0; i < params.size(); ++i) {
    const Param& param = params[i];
    using Kind = Param::Kind;
    if (param.kind_ == Kind::kText && param.value_.find('\0') != std::string::npos) {
      return std::unexpected(
          Error::validation("", "text parameter $" + std::to_string(i + 1) +
                                    " holds a NUL byte, which PostgreSQL text cannot store"));
    }
    bound.types.push_back(param.kind_ == Kind::kInteger   ? kInt8Oid
                          : param.kind_ == Kind::kBoolean ? kBoolOid
                          : param.kind_ == Kind::kBytes   ? kByteaOid
                                                          : Oid{0});
    bound.values.push_back(param.kind_ == Kind::kNull ? nullptr : param.value_.c_str());
    bound.lengths.push_back(static_cast<int>(param.value_.size()));
    // libpq reads text up to its NUL; bytes go binary.
    bound.formats.push_back(param.kind_ == Kind::kBytes ? 1 : 0);
  }
  return bound;
}

Result<PgResult> PgConnection::query(std::string_view sql, std::span<const Param> params) {
  if (!deferred_.empty()) return run_with_deferred(sql, params);
  forget_old_plans();
  auto bound = bind(params);
  if (!bound) return std::unexpected(bound.error());
  const std::string* prepared = statement_for(sql, bound->types);
  if (prepared == nullptr) {
    return finished(connection_,
                    PQexecParams(connection_, std::string(sql).c_str(), bound->count(),
                                 bound->types.data(), bound->values.data(), bound->lengths.data(),
                                 bound->formats.data(), /*resultFormat=text*/ 0));
  }
  return finished(connection_, PQexecPrepared(connection_, prepared->c_str(), bound->count(),
                                              bound->values.data(), bound->lengths.data(),
                                              bound->formats.data(), /*resultFormat=text*/ 0));
}

void PgConnection::defer(std::string_view sql, std::initializer_list<Param> params,
                         std::string if_no_row) {
  deferred_.push_back({std::string(sql), std::vector<Param>(params), std::move(if_no_row)});
}

Result<void> PgConnection::flush() {
  if (deferred_.empty()) return {};
  auto ran = run_with_deferred("", {});
  if (!ran) return std::unexpected(ran.error());
  return {};
}

Result<PgResult> PgConnection::run_with_deferred(std::string_view sql,
                                                 std::span<const Param> params) {
  struct Step {
    std::string_view sql;
    std::span<const Param> params;
    const std::string* if_no_row = nullptr;
    BoundParams bound;
    const std::string* prepared = nullptr;
  };
  std::vector<Deferred> deferred;
  deferred.swap(deferred_);  // run once, whatever happens
  std::vector<Step> steps;
  steps.reserve(deferred.size() + 1);
  for (const Deferred& d : deferred) steps.push_back({d.sql, d.params, &d.if_no_row, {}, {}});
  if (!sql.empty()) steps.push_back({sql, params, nullptr, {}, {}});
  bool all_prepared = true;
  // A statement that cannot be sent (a NUL byte in its text) fails where it stands, as if the
  // server had refused it: the ones before it still run (a job's savepoint among them, which its
  // rollback needs), the ones after it do not.
  std::optional<Error> unsendable;
  for (size_t i = 0; i < steps.size(); ++i) {
    Step& step = steps[i];
    auto bound = bind(step.params);
    if (!bound) {
      unsendable = std::move(bound.error());
      steps.resize(i);
      break;
    }
    step.bound = std::move(*bound);
    // Preparing is a round trip of its own, once per statement and connection, and is not
    // allowed inside the pipeline.
    step.prepared = statement_for(step.sql, step.bound.types);
    all_prepared = all_prepared && step.prepared != nullptr;
  }
  const auto check = [](const Step& step, Result<PgResult> result) -> Result<PgResult> {
    if (result && step.if_no_row != nullptr && !step.if_no_row->empty() &&
        result->rows_affected() == 0) {
      return std::unexpected(Error::unavailable(*step.if_no_row));
    }
    return result;
  };

  if (steps.empty()) return std::unexpected(std::move(*unsendable));
  ++sends_;
  if (!all_prepared) {  // past kMaxPrepared: one round trip each, as query() would
    Result<PgResult> last = std::unexpected(Error::unavailable("nothing ran"));
    for (const Step& step : steps) {
      last = check(step, finished(connection_,
                                  PQexecParams(connection_, std::string(step.sql).c_str(),
                                               step.bound.count(), step.bound.types.data(),
                                               step.bound.values.data(), step.bound.lengths.data(),
                                               step.bound.formats.data(), 0)));
      if (!last) return last;
    }
    if (unsendable) return std::unexpected(std::move(*unsendable));
    return last;
  }

  if (PQenterPipelineMode(connection_) != 1) {
    return std::unexpected(pg_error(connection_, nullptr));
  }
  bool sent = true;
  for (const Step& step : steps) {
    sent = sent && PQsendQueryPrepared(connection_, step.prepared->c_str(), step.bound.count(),
                                       step.bound.values.data(), step.bound.lengths.data(),
                                       step.bound.formats.data(), /*resultFormat=text*/ 0) == 1;
  }
  sent = sent && PQpipelineSync(connection_) == 1;
  // Each command's result comes followed by a null; after a failed one, the rest read "aborted";
  // the sync point ends the pipeline.
  std::optional<Error> first_error;
  std::optional<PgResult> last;
  size_t read = 0;
  for (; sent && read < steps.size(); ++read) {
    PGresult* raw = PQgetResult(connection_);
    if (raw == nullptr) break;  // the connection is gone
    Result<PgResult> result = check(steps[read], finished(connection_, raw));
    while (PGresult* more = PQgetResult(connection_)) PQclear(more);
    if (!result) {
      if (!first_error) first_error = std::move(result.error());
    } else {
      last = std::move(*result);
    }
  }
  bool synced = false;
  if (sent && read == steps.size()) {
    PGresult* sync = PQgetResult(connection_);
    synced = sync != nullptr && PQresultStatus(sync) == PGRES_PIPELINE_SYNC;
    PQclear(sync);
  }
  if (!synced || PQexitPipelineMode(connection_) != 1) {
    // The replies no longer match the commands: the owner opens another connection.
    lost_step_ = true;
    if (!first_error) {
      first_error = Error::unavailable("postgres: a pipeline lost its place (" +
                                       pg_error(connection_, nullptr).message + ")");
    }
  }
  if (first_error) return std::unexpected(std::move(*first_error));
  if (unsendable) return std::unexpected(std::move(*unsendable));
  return std::move(*last);
}

bool PgConnection::usable() const { return !lost_step_ && PQstatus(connection_) == CONNECTION_OK; }

void PgConnection::forget_old_plans() {
  const auto now = std::chrono::steady_clock::now();
  if (statements_run_ < replan_after_runs_ && now - plans_made_at_ < replan_every_) return;
  plans_made_at_ = now;
  replan_after_runs_ = statements_run_ + std::max(statements_run_, kMinRunsBetweenPlans);
  if (prepared_.empty()) return;
  // Kept when it fails (an aborted transaction): the names stay taken, and the next try is later.
  PgResult dropped(PQexec(connection_, "DEALLOCATE ALL"));
  if (PQresultStatus(dropped.raw()) == PGRES_COMMAND_OK) prepared_.clear();
}

const std::string* PgConnection::statement_for(std::string_view sql,
                                               const std::vector<Oid>& types) {
  // Keyed by the parameters' types too: a statement is planned for the types it was prepared
  // with, and a NULL (untyped) where an integer went before must not reuse that plan.
  ++statements_run_;
  std::string key(sql);
  key += '\0';
  for (Oid type : types) key += std::to_string(type) + ',';
  if (auto it = prepared_.find(key); it != prepared_.end()) return &it->second;
  if (prepared_.size() >= kMaxPrepared) return nullptr;
  std::string name = "hl_" + std::to_string(prepared_.size());
  PgResult made(PQprepare(connection_, name.c_str(), std::string(sql).c_str(),
                          static_cast<int>(types.size()), types.data()));
  // A statement that does not prepare (a syntax error, an aborted transaction) runs unprepared,
  // and its error comes from running it.
  if (PQresultStatus(made.raw()) != PGRES_COMMAND_OK) return nullptr;
  return &prepared_.emplace(std::move(key), std::move(name)).first->second;
}

Result<void> PgConnection::listen(std::string_view channel) {
  // LISTEN takes a name, not a parameter: it is quoted as an identifier.
  char* quoted = PQescapeIdentifier(connection_, channel.data(), channel.size());
  if (quoted == nullptr) return std::unexpected(pg_error(connection_, nullptr));
  const std::string sql = "LISTEN " + std::string(quoted);
  PQfreemem(quoted);
  return exec(sql);
}

Result<void> PgConnection::notify(std::string_view channel, std::string_view payload) {
  auto result = query("SELECT pg_notify($1, $2)", {channel, payload});
  if (!result) return std::unexpected(result.error());
  return {};
}

std::vector<Notification> PgConnection::take_notifications() {
  std::vector<Notification> received;
  while (PGnotify* notify = PQnotifies(connection_)) {
    received.push_back({notify->relname, notify->extra, notify->be_pid});
    PQfreemem(notify);
  }
  return received;
}

Result<std::vector<Notification>> PgConnection::notifications(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    // Notifications that came in beside earlier results wait in libpq already; this reads what
    // the socket holds without waiting (libpq's socket never blocks).
    if (PQconsumeInput(connection_) == 0) return std::unexpected(pg_error(connection_, nullptr));
    auto received = take_notifications();
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (!received.empty() || left.count() <= 0) return received;
    pollfd socket{PQsocket(connection_), POLLIN, 0};
    if (socket.fd < 0) return std::unexpected(pg_error(connection_, nullptr));
    // Other messages (a notice) wake the poll too: the loop waits on for the rest of the time.
    const int wait_ms = static_cast<int>(std::min<int64_t>(left.count() + 1, INT_MAX));
    if (::poll(&socket, 1, wait_ms) < 0 && errno != EINTR) {
      return std::unexpected(Error::unavailable(
          "postgres: poll: " + std::error_code(errno, std::generic_category()).message()));
    }
  }
}

PgTransaction::~PgTransaction() {
  if (open_) (void)connection_.exec("ROLLBACK");  // a broken connection has nothing to undo
}

Result<void> PgTransaction::begin() {
  auto result = connection_.exec("BEGIN");
  open_ = result.has_value();
  return result;
}

Result<void> PgTransaction::commit() {
  auto result = connection_.query("COMMIT");
  open_ = false;  // a COMMIT ends the transaction, whether or not it succeeds
  if (!result) return std::unexpected(result.error());
  // COMMIT of a transaction that a failed statement aborted succeeds and rolls back: only the
  // command's tag tells.
  if (result->command_tag() == "ROLLBACK") {
    return std::unexpected(Error{
        ErrorCode::kInternal, "postgres: the transaction had failed and was rolled back", {}});
  }
  return {};
}

}  // namespace hookline::store::postgres
