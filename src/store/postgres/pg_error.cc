#include "store/postgres/pg_error.h"

#include <string>

namespace hookline::store::postgres {

ErrorCode error_code_for_sqlstate(std::string_view sqlstate) {
  if (sqlstate == "23505") return ErrorCode::kConflict;            // unique_violation
  if (sqlstate == "53100") return ErrorCode::kStorageFull;         // disk_full
  if (sqlstate.starts_with("08")) return ErrorCode::kUnavailable;  // connection_exception
  // serialization_failure, deadlock_detected: the server undid the transaction so that another
  // could finish; running it again is how these are meant to be handled.
  if (sqlstate == "40001" || sqlstate == "40P01") return ErrorCode::kUnavailable;
  if (sqlstate == "55P03") return ErrorCode::kUnavailable;  // lock_not_available (lock_timeout)
  return ErrorCode::kInternal;
}

namespace {

// libpq's messages end in a newline and may run over several lines.
std::string trimmed(const char* message) {
  std::string text = message != nullptr ? message : "";
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text.empty() ? "unknown error" : text;
}

}  // namespace

bool lost_to_another_transaction(const Error& error) {
  return error.code == ErrorCode::kUnavailable &&
         (error.message.ends_with(" [40P01]") || error.message.ends_with(" [40001]"));
}

Error pg_error(PGconn* connection, const PGresult* result) {
  const char* sqlstate = result != nullptr ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  // The primary message only: the detail can quote the row's values (a clashing email).
  const char* primary =
      result != nullptr ? PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
  std::string message = "postgres: " + (primary != nullptr ? std::string(primary)
                                                           : trimmed(PQerrorMessage(connection)));
  if (sqlstate != nullptr) message += " [" + std::string(sqlstate) + "]";
  if (PQstatus(connection) == CONNECTION_BAD) return Error::unavailable(std::move(message));
  if (sqlstate == nullptr) {
    // No SQLSTATE: libpq itself failed (out of memory, a protocol error), not the statement.
    return {ErrorCode::kInternal, std::move(message), {}};
  }
  return {error_code_for_sqlstate(sqlstate), std::move(message), {}};
}

}  // namespace hookline::store::postgres
