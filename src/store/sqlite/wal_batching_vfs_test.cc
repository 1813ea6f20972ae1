#include "store/sqlite/wal_batching_vfs.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <string>

#include "store/sqlite/sqlite_db.h"

namespace hookline::store::sqlite {
namespace {

namespace fs = std::filesystem;

// The unix VFS lets a test replace the system calls it makes: these count its writes, and can
// make them fail as a full disk does. Test-only, and put back by each test.
struct WriteCalls {
  sqlite3_vfs* unix_vfs = sqlite3_vfs_find("unix");
  sqlite3_syscall_ptr real_pwrite64 = unix_vfs->xGetSystemCall(unix_vfs, "pwrite64");
  sqlite3_syscall_ptr real_pwrite = unix_vfs->xGetSystemCall(unix_vfs, "pwrite");
  sqlite3_syscall_ptr real_write = unix_vfs->xGetSystemCall(unix_vfs, "write");

  WriteCalls() {
    unix_vfs->xSetSystemCall(unix_vfs, "pwrite64",
                             reinterpret_cast<sqlite3_syscall_ptr>(&pwrite64_));
    unix_vfs->xSetSystemCall(unix_vfs, "pwrite", reinterpret_cast<sqlite3_syscall_ptr>(&pwrite_));
    unix_vfs->xSetSystemCall(unix_vfs, "write", reinterpret_cast<sqlite3_syscall_ptr>(&write_));
    self() = this;
  }
  ~WriteCalls() {
    unix_vfs->xSetSystemCall(unix_vfs, "pwrite64", real_pwrite64);
    unix_vfs->xSetSystemCall(unix_vfs, "pwrite", real_pwrite);
    unix_vfs->xSetSystemCall(unix_vfs, "write", real_write);
    self() = nullptr;
  }
  WriteCalls(const WriteCalls&) = delete;
  WriteCalls& operator=(const WriteCalls&) = delete;

  int count = 0;
  bool disk_full = false;

 private:
  // The system calls have no context argument: the one live counter is found here.
  static WriteCalls*& self() {
    static WriteCalls* current = nullptr;
    return current;
  }
  static ssize_t pwrite64_(int fd, const void* data, size_t size, off_t offset) {
    if (self()->refuse()) return -1;
    return reinterpret_cast<ssize_t (*)(int, const void*, size_t, off_t)>(self()->real_pwrite64)(
        fd, data, size, offset);
  }
  static ssize_t pwrite_(int fd, const void* data, size_t size, off_t offset) {
    if (self()->refuse()) return -1;
    return reinterpret_cast<ssize_t (*)(int, const void*, size_t, off_t)>(self()->real_pwrite)(
        fd, data, size, offset);
  }
  static ssize_t write_(int fd, const void* data, size_t size) {
    if (self()->refuse()) return -1;
    return reinterpret_cast<ssize_t (*)(int, const void*, size_t)>(self()->real_write)(fd, data,
                                                                                       size);
  }
  bool refuse() {
    ++count;
    if (!disk_full) return false;
    errno = ENOSPC;
    return true;
  }
};

class WalBatchingVfsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("hookline-wal-vfs-" + std::to_string(getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    path_ = (dir_ / "test.db").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  // A connection on SQLite's own VFS: what another process would see.
  struct Plain {
    sqlite3* db = nullptr;
    explicit Plain(const std::string& path) {
      EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr), SQLITE_OK);
    }
    ~Plain() { sqlite3_close(db); }
    int64_t count(const char* sql) const {
      sqlite3_stmt* stmt = nullptr;
      EXPECT_EQ(sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr), SQLITE_OK);
      EXPECT_EQ(sqlite3_step(stmt), SQLITE_ROW);
      const int64_t value = sqlite3_column_int64(stmt, 0);
      sqlite3_finalize(stmt);
      return value;
    }
  };

  fs::path dir_;
  std::string path_;
};

::testing::AssertionResult runs(Connection& connection, const std::string& sql) {
  const Result<void> result = connection.exec(sql);
  if (result) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << result.error().message;
}

// generate_series is an extension not every build has: a recursive CTE instead.
std::string rows(int from, int to) {
  return "WITH RECURSIVE n(v) AS (SELECT " + std::to_string(from) + " UNION ALL SELECT v + 1 " +
         "FROM n WHERE v < " + std::to_string(to) + ") INSERT INTO t SELECT v, randomblob(1000) " +
         "FROM n";
}

TEST_F(WalBatchingVfsTest, ACommitOfManyPagesIsAFewWritesAndOthersSeeItAtOnce) {
  Connection connection(path_);
  ASSERT_TRUE(
      connection.exec("PRAGMA synchronous=NORMAL; CREATE TABLE t(id INTEGER PRIMARY KEY, "
                      "data BLOB)"));
  Plain other(path_);
  ASSERT_EQ(other.count("SELECT count(*) FROM t"), 0);
  int writes = 0;
  {
    WriteCalls calls;
    // About 200 KB: some 25 pages of 8 KiB, 50 writes by SQLite's own VFS; here 128 KiB each.
    ASSERT_TRUE(runs(connection, "BEGIN; " + rows(1, 200) + "; COMMIT;"));
    writes = calls.count;
  }
  EXPECT_EQ(writes, 2);
  EXPECT_EQ(other.count("SELECT count(*) FROM t"), 200);
  EXPECT_EQ(other.count("SELECT sum(length(data)) FROM t"), 200 * 1000);
}

TEST_F(WalBatchingVfsTest, SqlitesOwnVfsWritesEachFrameTwiceForComparison) {
  Connection setup(path_);
  ASSERT_TRUE(runs(setup, "CREATE TABLE t(id INTEGER PRIMARY KEY, data BLOB)"));
  Plain plain(path_);
  ASSERT_EQ(sqlite3_exec(plain.db, "PRAGMA synchronous=NORMAL", nullptr, nullptr, nullptr),
            SQLITE_OK);
  WriteCalls calls;
  ASSERT_EQ(sqlite3_exec(plain.db, ("BEGIN; " + rows(1, 200) + "; COMMIT;").c_str(), nullptr,
                         nullptr, nullptr),
            SQLITE_OK);
  EXPECT_GE(calls.count, 40);
}

// A transaction larger than the page cache spills frames before its commit, rewrites some in
// place and, at the commit, rewrites their headers' checksums (SQLite's iReCksum path). What is
// in the files once COMMIT returns must be the whole transaction: a copy of them, opened as a
// crash would leave them (no shared memory, so SQLite recovers from the WAL and checks every
// frame's checksum), has every row.
TEST_F(WalBatchingVfsTest, ATransactionLargerThanTheCacheIsWholeInTheFilesOnceCommitted) {
  Connection connection(path_);
  ASSERT_TRUE(runs(connection,
                   "PRAGMA synchronous=NORMAL; PRAGMA cache_size=100; "
                   "CREATE TABLE t(id INTEGER PRIMARY KEY, data BLOB)"));
  ASSERT_TRUE(runs(connection, "BEGIN; " + rows(1, 12000) +
                                   "; UPDATE t SET data = randomblob(900) WHERE id % 7 = 0; "
                                   "UPDATE t SET data = randomblob(800) WHERE id <= 50; COMMIT;"));
  const fs::path copy = dir_ / "copy";
  fs::create_directories(copy);
  fs::copy_file(path_, copy / "test.db");
  fs::copy_file(path_ + "-wal", copy / "test.db-wal");

  Plain recovered((copy / "test.db").string());
  const int64_t updated = 12000 / 7 - 50 / 7;
  EXPECT_EQ(recovered.count("SELECT count(*) FROM t"), 12000);
  EXPECT_EQ(recovered.count("SELECT sum(length(data)) FROM t"),
            (12000 - updated - 50) * 1000 + updated * 900 + 50 * 800);
  EXPECT_EQ(recovered.count("SELECT count(*) FROM pragma_integrity_check WHERE integrity_check "
                            "= 'ok'"),
            1);
}

TEST_F(WalBatchingVfsTest, ARolledBackSpillLeavesNothingAndTheNextCommitLands) {
  Connection connection(path_);
  ASSERT_TRUE(
      connection.exec("PRAGMA cache_size=100; CREATE TABLE t(id INTEGER PRIMARY KEY, "
                      "data BLOB)"));
  ASSERT_TRUE(runs(connection, "BEGIN; " + rows(1, 3000) + "; ROLLBACK;"));
  ASSERT_TRUE(runs(connection, "BEGIN; " + rows(1, 10) + "; COMMIT;"));
  Plain other(path_);
  EXPECT_EQ(other.count("SELECT count(*) FROM t"), 10);
}

TEST_F(WalBatchingVfsTest, AFullDiskFailsTheCommitAndChangesNothing) {
  Connection connection(path_);
  ASSERT_TRUE(
      connection.exec("PRAGMA synchronous=NORMAL; CREATE TABLE t(id INTEGER PRIMARY KEY, "
                      "data BLOB)"));
  ASSERT_TRUE(runs(connection, rows(1, 5)));
  {
    WriteCalls calls;
    calls.disk_full = true;
    const Result<void> committed = connection.exec("BEGIN; " + rows(6, 100) + "; COMMIT;");
    ASSERT_FALSE(committed);
    (void)connection.exec("ROLLBACK");  // if SQLite left the transaction open
  }
  Plain other(path_);
  EXPECT_EQ(other.count("SELECT count(*) FROM t"), 5);
  // Space is back: the same write goes through.
  ASSERT_TRUE(runs(connection, "BEGIN; " + rows(6, 100) + "; COMMIT;"));
  EXPECT_EQ(other.count("SELECT count(*) FROM t"), 100);
}

TEST_F(WalBatchingVfsTest, CommitsSurviveReopeningAndACheckpoint) {
  {
    Connection connection(path_);
    ASSERT_TRUE(runs(connection, "CREATE TABLE t(id INTEGER PRIMARY KEY, data BLOB)"));
    for (int i = 0; i < 20; ++i) {
      ASSERT_TRUE(runs(connection, "BEGIN; " + rows(i * 50 + 1, i * 50 + 50) + "; COMMIT;"));
    }
  }
  Connection again(path_);
  ASSERT_TRUE(runs(again, "PRAGMA wal_checkpoint(TRUNCATE)"));
  Plain other(path_);
  EXPECT_EQ(other.count("SELECT count(*) FROM t"), 1000);
}

}  // namespace
}  // namespace hookline::store::sqlite
