#include "store/postgres/pg_error.h"

#include <gtest/gtest.h>

namespace hookline::store::postgres {
namespace {

TEST(PgErrorTest, SqlstatesMapToWhatTheCallerCanDo) {
  const struct {
    const char* sqlstate;
    ErrorCode code;
  } cases[] = {
      {"23505", ErrorCode::kConflict},     // unique_violation
      {"53100", ErrorCode::kStorageFull},  // disk_full
      {"08000", ErrorCode::kUnavailable},  // connection_exception
      {"08006", ErrorCode::kUnavailable},  // connection_failure
      {"08P01", ErrorCode::kUnavailable},  // protocol_violation
      {"40001", ErrorCode::kUnavailable},  // serialization_failure: run it again
      {"40P01", ErrorCode::kUnavailable},  // deadlock_detected: run it again
      {"55P03", ErrorCode::kUnavailable},  // lock_not_available: lock_timeout ran out
      {"23503", ErrorCode::kInternal},     // foreign_key_violation: a bug, not a clash
      {"23502", ErrorCode::kInternal},     // not_null_violation
      {"42601", ErrorCode::kInternal},     // syntax_error
      {"42P01", ErrorCode::kInternal},     // undefined_table
      {"22021", ErrorCode::kInternal},     // character_not_in_repertoire (bad UTF-8)
      {"53200", ErrorCode::kInternal},     // out_of_memory
      {"", ErrorCode::kInternal},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(error_code_for_sqlstate(c.sqlstate), c.code) << c.sqlstate;
  }
}

// The writer runs a job again only when PostgreSQL undid it for losing to another transaction.
TEST(PgErrorTest, OnlyADeadlockOrASerializationFailureIsLostToAnotherTransaction) {
  EXPECT_TRUE(lost_to_another_transaction(
      Error{ErrorCode::kUnavailable, "postgres: deadlock detected [40P01]", {}}));
  EXPECT_TRUE(lost_to_another_transaction(
      Error{ErrorCode::kUnavailable, "postgres: could not serialize access [40001]", {}}));
  EXPECT_FALSE(lost_to_another_transaction(Error{
      ErrorCode::kUnavailable, "postgres: canceling statement due to lock timeout [55P03]", {}}));
  EXPECT_FALSE(lost_to_another_transaction(
      Error{ErrorCode::kUnavailable, "the connection to PostgreSQL was lost", {}}));
  EXPECT_FALSE(
      lost_to_another_transaction(Error{ErrorCode::kInternal, "syntax error [40P01]", {}}));
}

}  // namespace
}  // namespace hookline::store::postgres
