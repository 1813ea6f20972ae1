#include "store/postgres/pg_connection.h"

#include <gtest/gtest.h>

#include <chrono>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>

#include "store/postgres/pg_test_database.h"

namespace hookline::store::postgres {
namespace {

using std::chrono_literals::operator""ms;
using PgConnectionTest = PgTest;

// Every byte PostgreSQL's text can hold on its own: 1 to 127 (NUL it cannot hold at all; bytes
// from 128 up are only text as parts of UTF-8 sequences).
std::string ascii_bytes() {
  std::string bytes;
  for (int b = 1; b < 128; ++b) bytes += static_cast<char>(b);
  return bytes;
}

std::string all_bytes() {
  std::string bytes;
  for (int b = 0; b < 256; ++b) bytes += static_cast<char>(b);
  return bytes;
}

TEST_F(PgConnectionTest, ParametersComeBackAsTheyWent) {
  auto db = connect();
  ASSERT_TRUE(
      db->exec("CREATE TABLE t (k integer PRIMARY KEY, s text, n bigint, b boolean, "
               "raw bytea)"));
  const std::string quotes = R"(it's "quoted" \ back\slash $1 ?; DROP TABLE t; --)";
  const std::string unicode = "Ação ✓ 日本語 🎉";
  const int64_t min = std::numeric_limits<int64_t>::min();
  const int64_t max = std::numeric_limits<int64_t>::max();
  const char* insert = "INSERT INTO t VALUES ($1, $2, $3, $4, $5)";
  ASSERT_TRUE(db->query(insert, {1, quotes, min, true, Param::bytes(all_bytes())}));
  ASSERT_TRUE(db->query(insert, {2, unicode, max, false, Param::bytes("")}));
  ASSERT_TRUE(db->query(insert, {3, ascii_bytes(), int64_t{0}, nullptr, nullptr}));
  ASSERT_TRUE(db->query(insert, {4, "", int64_t{-1}, std::optional<bool>(), std::nullopt}));
  ASSERT_TRUE(db->query(insert, {5, nullptr, std::optional<int64_t>(), true, nullptr}));

  auto rows = db->query("SELECT s, n, b, raw FROM t ORDER BY k");
  ASSERT_TRUE(rows) << rows.error().message;
  ASSERT_EQ(rows->rows(), 5);
  ASSERT_EQ(rows->columns(), 4);
  EXPECT_EQ(rows->text(0, 0), quotes);
  EXPECT_EQ(rows->integer(0, 1), min);
  EXPECT_TRUE(rows->boolean(0, 2));
  EXPECT_EQ(rows->bytes(0, 3), all_bytes());
  EXPECT_EQ(rows->text(1, 0), unicode);
  EXPECT_EQ(rows->integer(1, 1), max);
  EXPECT_FALSE(rows->boolean(1, 2));
  EXPECT_FALSE(rows->is_null(1, 3));
  EXPECT_EQ(rows->bytes(1, 3), "");
  EXPECT_EQ(rows->text(2, 0), ascii_bytes());
  EXPECT_EQ(rows->integer(2, 1), 0);
  EXPECT_FALSE(rows->is_null(2, 1));
  EXPECT_TRUE(rows->is_null(2, 2));
  EXPECT_TRUE(rows->is_null(2, 3));
  // An empty text is not NULL.
  EXPECT_FALSE(rows->is_null(3, 0));
  EXPECT_EQ(rows->text(3, 0), "");
  EXPECT_EQ(rows->integer(3, 1), -1);
  EXPECT_TRUE(rows->is_null(3, 2));
  EXPECT_TRUE(rows->is_null(4, 0));
  EXPECT_EQ(rows->text(4, 0), "");
  EXPECT_TRUE(rows->is_null(4, 1));
  EXPECT_EQ(rows->integer(4, 1), 0);

  // The SQL-looking text was a value: the table is still there, and a value matches itself.
  auto found = db->query("SELECT k FROM t WHERE s = $1", {quotes});
  ASSERT_TRUE(found);
  ASSERT_EQ(found->rows(), 1);
  EXPECT_EQ(found->integer(0, 0), 1);
}

TEST_F(PgConnectionTest, IntegersAreSixtyFourBitsWhereverTheyGo) {
  auto db = connect();
  // Untyped, $1 + 1 would make $1 an int4 and refuse the value.
  auto sum = db->query("SELECT $1 + 1", {std::numeric_limits<int64_t>::max() - 1});
  ASSERT_TRUE(sum) << sum.error().message;
  EXPECT_EQ(sum->integer(0, 0), std::numeric_limits<int64_t>::max());
}

TEST_F(PgConnectionTest, TextHoldingANulByteIsRefusedNotCut) {
  auto db = connect();
  auto result = db->query("SELECT $1, $2", {"fine", std::string("a\0b", 3)});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::kValidation);
  EXPECT_NE(result.error().message.find("$2"), std::string::npos) << result.error().message;
}

TEST_F(PgConnectionTest, RowsAffectedCountsTheRowsAChangeTouched) {
  auto db = connect();
  ASSERT_TRUE(db->exec("CREATE TABLE t (k integer PRIMARY KEY, v text)"));
  auto inserted = db->query("INSERT INTO t VALUES (1, 'a'), (2, 'b'), (3, 'c')");
  ASSERT_TRUE(inserted);
  EXPECT_EQ(inserted->rows_affected(), 3);
  auto updated = db->query("UPDATE t SET v = 'z' WHERE k >= $1", {2});
  ASSERT_TRUE(updated);
  EXPECT_EQ(updated->rows_affected(), 2);
  auto none = db->query("DELETE FROM t WHERE k > $1", {10});
  ASSERT_TRUE(none);
  EXPECT_EQ(none->rows_affected(), 0);
  auto selected = db->query("SELECT k FROM t");
  ASSERT_TRUE(selected);
  EXPECT_EQ(selected->rows(), 3);
}

TEST_F(PgConnectionTest, ACellOutsideTheResultIsABug) {
  auto db = connect();
  auto one = db->query("SELECT 1");
  ASSERT_TRUE(one);
  EXPECT_THROW(one->text(1, 0), std::out_of_range);
  EXPECT_THROW(one->integer(0, 1), std::out_of_range);
  auto word = db->query("SELECT 'one'");
  ASSERT_TRUE(word);
  EXPECT_THROW(word->integer(0, 0), std::logic_error);
}

TEST_F(PgConnectionTest, AUniqueViolationIsAConflict) {
  auto db = connect();
  ASSERT_TRUE(db->exec("CREATE TABLE t (k integer PRIMARY KEY)"));
  ASSERT_TRUE(db->query("INSERT INTO t VALUES ($1)", {7}));
  auto again = db->query("INSERT INTO t VALUES ($1)", {7});
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
  EXPECT_NE(again.error().message.find("duplicate key"), std::string::npos)
      << again.error().message;
  // Outside a transaction, a failed statement leaves the connection usable.
  EXPECT_TRUE(db->query("INSERT INTO t VALUES ($1)", {8}));
}

TEST_F(PgConnectionTest, ASyntaxErrorIsInternalWithTheServersMessage) {
  auto db = connect();
  auto result = db->query("SELEC 1");
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::kInternal);
  EXPECT_NE(result.error().message.find("syntax error"), std::string::npos)
      << result.error().message;
  EXPECT_NE(result.error().message.find("42601"), std::string::npos) << result.error().message;
  auto script = db->exec("CREATE TABLE t (k integer); CREATE TABLE t (k integer)");
  ASSERT_FALSE(script);
  EXPECT_NE(script.error().message.find("already exists"), std::string::npos);
  // A script's statements commit together: the first table went with the second's failure.
  auto table = db->query("SELECT to_regclass('t') IS NULL");
  ASSERT_TRUE(table);
  EXPECT_TRUE(table->boolean(0, 0));
}

TEST_F(PgConnectionTest, ASerializationFailureMayBeTriedAgain) {
  auto first = connect();
  auto second = connect();
  ASSERT_TRUE(
      first->exec("CREATE TABLE t (k integer PRIMARY KEY, v integer);"
                  "INSERT INTO t VALUES (1, 0)"));
  ASSERT_TRUE(first->exec("BEGIN ISOLATION LEVEL REPEATABLE READ"));
  ASSERT_TRUE(first->query("SELECT v FROM t"));  // the snapshot is taken here
  ASSERT_TRUE(second->query("UPDATE t SET v = 1 WHERE k = 1"));
  auto lost = first->query("UPDATE t SET v = 2 WHERE k = 1");
  ASSERT_FALSE(lost);
  EXPECT_EQ(lost.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(lost.error().message.find("40001"), std::string::npos) << lost.error().message;
  EXPECT_TRUE(first->exec("ROLLBACK"));
}

TEST_F(PgConnectionTest, AConnectionTheServerEndedIsUnavailable) {
  auto db = connect();
  auto ended = database_.maintenance().query("SELECT pg_terminate_backend($1::integer)",
                                             {PQbackendPID(db->handle())});
  ASSERT_TRUE(ended);
  ASSERT_TRUE(ended->boolean(0, 0));
  auto result = db->query("SELECT 1");
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::kUnavailable) << result.error().message;
  auto later = db->exec("SELECT 1");
  ASSERT_FALSE(later);
  EXPECT_EQ(later.error().code, ErrorCode::kUnavailable) << later.error().message;
}

// Needs no server: what matters is the message.
TEST(PgConnectionOpenTest, AServerThatIsNotThereFailsWithAClearMessage) {
  try {
    PgConnection db("postgresql:///postgres?host=/nonexistent-hookline-dir&user=postgres");
    FAIL() << "connected to nothing";
  } catch (const std::runtime_error& e) {
    const std::string message = e.what();
    EXPECT_TRUE(message.starts_with("cannot connect to PostgreSQL: ")) << message;
    EXPECT_NE(message.find("/nonexistent-hookline-dir"), std::string::npos) << message;
  }
}

TEST(PgConnectionOpenTest, AMalformedUriFailsWithAClearMessage) {
  try {
    PgConnection db("postgresql://[::1/postgres");
    FAIL() << "took a malformed URI";
  } catch (const std::runtime_error& e) {
    const std::string message = e.what();
    EXPECT_TRUE(message.starts_with("cannot connect to PostgreSQL: ")) << message;
    EXPECT_NE(message.find("IPv6 host address in URI"), std::string::npos) << message;
  }
}

TEST(PgConnectionOpenTest, TheUrisPasswordIsNotInTheMessage) {
  for (const char* uri : {"postgresql://hookline:s3cret-pw@/postgres?host=/nonexistent-hookline",
                          "postgresql://hookline:s3cret-pw@[::1/postgres"}) {
    try {
      PgConnection db(uri);
      FAIL() << "connected with " << uri;
    } catch (const std::runtime_error& e) {
      EXPECT_EQ(std::string(e.what()).find("s3cret-pw"), std::string::npos) << e.what();
    }
  }
}

TEST_F(PgConnectionTest, ATransactionDestroyedBeforeCommitLeavesNothing) {
  auto db = connect();
  ASSERT_TRUE(db->exec("CREATE TABLE t (k integer PRIMARY KEY)"));
  {
    PgTransaction transaction(*db);
    ASSERT_TRUE(transaction.begin());
    ASSERT_TRUE(db->query("INSERT INTO t VALUES (1)"));
  }
  {
    PgTransaction transaction(*db);
    ASSERT_TRUE(transaction.begin());
    ASSERT_TRUE(db->query("INSERT INTO t VALUES (2)"));
    ASSERT_TRUE(transaction.commit());
  }
  auto rows = db->query("SELECT k FROM t");
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->rows(), 1);
  EXPECT_EQ(rows->integer(0, 0), 2);
}

TEST_F(PgConnectionTest, CommittingATransactionAFailedStatementEndedIsAnError) {
  auto db = connect();
  ASSERT_TRUE(db->exec("CREATE TABLE t (k integer PRIMARY KEY)"));
  PgTransaction transaction(*db);
  ASSERT_TRUE(transaction.begin());
  ASSERT_TRUE(db->query("INSERT INTO t VALUES (1)"));
  ASSERT_FALSE(db->query("INSERT INTO t VALUES (1)"));  // ignored by a careless caller
  auto committed = transaction.commit();
  ASSERT_FALSE(committed);
  EXPECT_NE(committed.error().message.find("rolled back"), std::string::npos);
  auto rows = db->query("SELECT count(*) FROM t");
  ASSERT_TRUE(rows);
  EXPECT_EQ(rows->integer(0, 0), 0);
}

// Writes held back travel with the next statement, in one round trip, before it.
TEST_F(PgConnectionTest, DeferredWritesRunBeforeTheNextQueryInItsRoundTrip) {
  auto db = connect();
  ASSERT_TRUE(db->exec("CREATE TABLE t (k integer PRIMARY KEY, v text)"));
  db->defer("INSERT INTO t VALUES ($1, $2)", {1, "one"});
  db->defer("INSERT INTO t VALUES ($1, $2)", {2, std::string_view("two")}, "not inserted");
  auto read = db->query("SELECT string_agg(v, ',' ORDER BY k) FROM t WHERE k <= $1", {2});
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(read->text(0, 0), "one,two");
  // Nothing waits any more; flush() and exec() with nothing held back are plain.
  ASSERT_TRUE(db->flush());
  db->defer("INSERT INTO t VALUES ($1, $2)", {3, "three"});
  ASSERT_TRUE(db->exec("SELECT 1"));  // runs what waits first
  auto count = db->query("SELECT count(*) FROM t");
  EXPECT_EQ(count->integer(0, 0), 3);
  EXPECT_TRUE(db->usable());
}

TEST_F(PgConnectionTest, AFailedDeferredWriteFailsTheNextCallAndWhatCameAfterItDoesNotRun) {
  auto db = connect();
  ASSERT_TRUE(db->exec("CREATE TABLE t (k integer PRIMARY KEY)"));
  ASSERT_TRUE(db->query("INSERT INTO t VALUES (1)"));
  db->defer("INSERT INTO t VALUES ($1)", {1});  // a clash
  auto next = db->query("INSERT INTO t VALUES ($1) RETURNING k", {2});
  ASSERT_FALSE(next);
  EXPECT_EQ(next.error().code, ErrorCode::kConflict);
  auto count = db->query("SELECT count(*) FROM t");
  ASSERT_TRUE(count) << "the connection is still usable: " << count.error().message;
  EXPECT_EQ(count->integer(0, 0), 1);

  // A write that had to change a row and changed none is an error too: try again.
  db->defer("INSERT INTO t VALUES ($1) ON CONFLICT DO NOTHING", {1}, "k 1 was there already");
  auto flushed = db->flush();
  ASSERT_FALSE(flushed);
  EXPECT_EQ(flushed.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(flushed.error().message, "k 1 was there already");

  // Held back for work that failed, it never runs.
  db->defer("INSERT INTO t VALUES ($1)", {5});
  db->discard_deferred();
  ASSERT_TRUE(db->flush());
  EXPECT_EQ(db->query("SELECT count(*) FROM t")->integer(0, 0), 1);
  EXPECT_TRUE(db->usable());
}

// A statement that cannot be sent fails where it stands in the round trip, as a refused one
// would: a job's savepoint held back before it has still been made, to roll back to.
TEST_F(PgConnectionTest, AStatementThatCannotBeSentFailsAfterWhatWasHeldBackBeforeIt) {
  auto db = connect();
  ASSERT_TRUE(db->exec("CREATE TABLE t (k integer PRIMARY KEY, v text)"));
  ASSERT_TRUE(db->exec("BEGIN"));
  const uint64_t sends = db->sends();
  db->defer("SAVEPOINT job", {});
  db->defer("INSERT INTO t VALUES ($1, $2)", {1, "one"});
  EXPECT_EQ(db->sends(), sends) << "held back, nothing has left yet";
  EXPECT_EQ(db->deferred_count(), 2u);
  auto refused = db->query("INSERT INTO t VALUES ($1, $2)", {2, std::string("t\0wo", 4)});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kValidation);
  EXPECT_NE(db->sends(), sends);
  EXPECT_EQ(db->deferred_count(), 0u);
  EXPECT_EQ(db->query("SELECT count(*) FROM t")->integer(0, 0), 1);
  ASSERT_TRUE(db->exec("ROLLBACK TO SAVEPOINT job; RELEASE SAVEPOINT job"));
  EXPECT_EQ(db->query("SELECT count(*) FROM t")->integer(0, 0), 0);

  // The same where the one that cannot be sent is held back itself: what came after it does
  // not run.
  db->defer("INSERT INTO t VALUES ($1, $2)", {3, "three"});
  db->defer("INSERT INTO t VALUES ($1, $2)", {4, std::string("f\0ur", 4)});
  db->defer("INSERT INTO t VALUES ($1, $2)", {5, "five"});
  auto flushed = db->flush();
  ASSERT_FALSE(flushed);
  EXPECT_EQ(flushed.error().code, ErrorCode::kValidation);
  EXPECT_EQ(db->query("SELECT string_agg(k::text, ',' ORDER BY k) FROM t")->text(0, 0), "3");
  ASSERT_TRUE(db->exec("COMMIT"));

  // Dropping all but the first: what a failed part held back after what came before it.
  db->defer("INSERT INTO t VALUES ($1, $2)", {6, "six"});
  db->defer("INSERT INTO t VALUES ($1, $2)", {7, "seven"});
  db->discard_deferred(1);
  ASSERT_TRUE(db->flush());
  EXPECT_EQ(db->query("SELECT string_agg(k::text, ',' ORDER BY k) FROM t")->text(0, 0), "3,6");
  EXPECT_TRUE(db->usable());
}

// The SQL text the session has prepared `sql` as, with when: pg_prepared_statements.
std::optional<std::string> prepared_at(PgConnection& db, const std::string& sql) {
  auto found =
      db.query("SELECT prepare_time::text FROM pg_prepared_statements WHERE statement = $1", {sql});
  if (!found || found->rows() == 0) return std::nullopt;
  return found->text(0, 0);
}

TEST_F(PgConnectionTest, PlansAreMadeAgainOnceTheyAreOldAndStatementsStillRun) {
  auto db = connect();
  db->set_replan_every(std::chrono::milliseconds(400));
  ASSERT_TRUE(db->exec("CREATE TABLE t (k bigint PRIMARY KEY, v text)"));
  const std::string insert = "INSERT INTO t (k, v) VALUES ($1, $2)";
  const std::string read = "SELECT v FROM t WHERE k = $1";
  ASSERT_TRUE(db->query(insert, {1, "one"}));
  const std::optional<std::string> first = prepared_at(*db, insert);
  ASSERT_TRUE(first.has_value());

  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  ASSERT_TRUE(db->query(insert, {2, "two"}));  // drops every plan first, then prepares anew
  const std::optional<std::string> second = prepared_at(*db, insert);
  ASSERT_TRUE(second.has_value());
  EXPECT_NE(*first, *second);

  // Inside a transaction that failed, the plans cannot be dropped: they are kept, the statement
  // fails as the transaction does, and everything runs again once it ended.
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  ASSERT_TRUE(db->exec("BEGIN"));
  EXPECT_FALSE(db->query(insert, {1, "again"}));  // a duplicate key aborts the transaction
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  EXPECT_FALSE(db->query(read, {1}));
  ASSERT_TRUE(db->exec("ROLLBACK"));
  auto value = db->query(read, {2});
  ASSERT_TRUE(value) << value.error().message;
  ASSERT_EQ(value->rows(), 1);
  EXPECT_EQ(value->text(0, 0), "two");
  auto inserted = db->query(insert, {3, "three"});
  ASSERT_TRUE(inserted) << inserted.error().message;
}

TEST_F(PgConnectionTest, PlansAreMadeAgainAsTheStatementsRunDouble) {
  auto db = connect();
  ASSERT_TRUE(db->exec("CREATE TABLE t (k bigint PRIMARY KEY)"));
  const std::string insert = "INSERT INTO t (k) VALUES ($1)";
  ASSERT_TRUE(db->query(insert, {0}));
  const std::optional<std::string> first = prepared_at(*db, insert);
  ASSERT_TRUE(first.has_value());
  // The first plans are made again after 1,000 statements (the reads above count too).
  for (int k = 1; k < 1000; ++k) ASSERT_TRUE(db->query(insert, {k}));
  const std::optional<std::string> second = prepared_at(*db, insert);
  ASSERT_TRUE(second.has_value());
  EXPECT_NE(*first, *second);
  // The next ones after as many again: not before.
  for (int k = 1000; k < 1500; ++k) ASSERT_TRUE(db->query(insert, {k}));
  EXPECT_EQ(prepared_at(*db, insert), second);
  for (int k = 1500; k < 2100; ++k) ASSERT_TRUE(db->query(insert, {k}));
  EXPECT_NE(prepared_at(*db, insert), second);
  auto count = db->query("SELECT count(*) FROM t");
  ASSERT_TRUE(count);
  EXPECT_EQ(count->integer(0, 0), 2100);
}

TEST_F(PgConnectionTest, AListenerGetsWhatAnotherConnectionNotifies) {
  auto listener = connect();
  auto notifier = connect();
  const std::string channel = "deliveries due";  // not a plain identifier: LISTEN quotes it
  ASSERT_TRUE(listener->listen(channel));
  ASSERT_TRUE(notifier->notify(channel, "seq 42 ✓"));
  ASSERT_TRUE(notifier->notify("another channel", "not for this listener"));
  auto received = listener->notifications(5000ms);
  ASSERT_TRUE(received) << received.error().message;
  ASSERT_EQ(received->size(), 1u);
  EXPECT_EQ(received->at(0).channel, channel);
  EXPECT_EQ(received->at(0).payload, "seq 42 ✓");
  EXPECT_EQ(received->at(0).sender_pid, PQbackendPID(notifier->handle()));
}

TEST_F(PgConnectionTest, ANotificationSentInATransactionArrivesWhenItCommits) {
  auto listener = connect();
  auto notifier = connect();
  ASSERT_TRUE(listener->listen("wake"));
  ASSERT_TRUE(notifier->exec("BEGIN"));
  ASSERT_TRUE(notifier->notify("wake", "1"));
  auto early = listener->notifications(50ms);
  ASSERT_TRUE(early);
  EXPECT_TRUE(early->empty());
  ASSERT_TRUE(notifier->exec("COMMIT"));
  auto later = listener->notifications(5000ms);
  ASSERT_TRUE(later);
  ASSERT_EQ(later->size(), 1u);
  EXPECT_EQ(later->at(0).payload, "1");
}

}  // namespace
}  // namespace hookline::store::postgres
