#include "store/sqlite/wal_batching_vfs.h"

#include <sqlite3.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <new>
#include <stdexcept>
#include <vector>

namespace hookline::store::sqlite {
namespace {

// The WAL file format (sqlite.org/fileformat2.html#walformat): each frame is a 24-byte header
// then a page; bytes 4-7 of the header, the database size in pages, are non-zero only in the
// frame that commits a transaction.
constexpr int kFrameHeaderBytes = 24;
constexpr int kCommitSizeAt = 4;
// Past this, gathered frames are written even before their commit (a transaction larger than
// this spills in pieces of this size).
constexpr size_t kMaxGathered = size_t{4} << 20;
// The unix VFS writes at most 17 bits' worth of bytes per call (it masks the length: larger
// writes fail as a full disk), so gathered frames go to it in pieces of this size.
constexpr size_t kMaxWriteCall = (size_t{1} << 17) - 1;

// A WAL file as this VFS keeps it. SQLite allocates szOsFile bytes for it: this struct, then
// the base VFS's own file object at kRealAt.
struct WalFile {
  sqlite3_file file;  // first: what SQLite holds; file.pMethods is kWalMethods
  sqlite3_file* real = nullptr;
  std::vector<char> gathered;  // frames not yet written, from offset gathered_at on
  sqlite3_int64 gathered_at = 0;
  // The end of what this handle has written or gathered since the WAL last started over. A
  // frame header written below it rewrites a frame already there (SQLite fixing checksums at a
  // commit) and goes straight through: gathered, it could be the last write of the commit.
  sqlite3_int64 written_end = 0;
  bool page_comes_next = false;  // the last write gathered was a frame's header
  bool page_commits = false;     // ... and that frame commits
};

constexpr size_t kRealAt = (sizeof(WalFile) + alignof(std::max_align_t) - 1) /
                           alignof(std::max_align_t) * alignof(std::max_align_t);

WalFile* wal_of(sqlite3_file* file) { return reinterpret_cast<WalFile*>(file); }
sqlite3_vfs* base_of(sqlite3_vfs* vfs) { return static_cast<sqlite3_vfs*>(vfs->pAppData); }

// Writes what is gathered, in as few calls as the unix VFS takes. The gathered frames are dropped
// even when the write fails: SQLite then fails the transaction and writes its pages again on the
// next one, and a stale copy must never land later over newer frames.
int write_gathered(WalFile* wal) {
  int rc = SQLITE_OK;
  for (size_t done = 0; done < wal->gathered.size() && rc == SQLITE_OK; done += kMaxWriteCall) {
    const size_t size = std::min(kMaxWriteCall, wal->gathered.size() - done);
    rc = wal->real->pMethods->xWrite(wal->real, wal->gathered.data() + done, static_cast<int>(size),
                                     wal->gathered_at + static_cast<sqlite3_int64>(done));
  }
  wal->gathered.clear();
  wal->page_comes_next = false;
  wal->page_commits = false;
  return rc;
}

int wal_write(sqlite3_file* file, const void* data, int amount, sqlite3_int64 offset) {
  WalFile* wal = wal_of(file);
  const auto* bytes = static_cast<const char*>(data);
  const sqlite3_int64 gathered_end =
      wal->gathered_at + static_cast<sqlite3_int64>(wal->gathered.size());
  const bool appends = wal->gathered.empty() ? offset >= wal->written_end : offset == gathered_end;
  try {
    if (wal->page_comes_next && appends) {
      wal->gathered.insert(wal->gathered.end(), bytes, bytes + amount);
      wal->written_end = gathered_end + amount;
      wal->page_comes_next = false;
      if (wal->page_commits || wal->gathered.size() >= kMaxGathered) return write_gathered(wal);
      return SQLITE_OK;
    }
    if (!wal->page_comes_next && amount == kFrameHeaderBytes && appends) {
      if (wal->gathered.empty()) wal->gathered_at = offset;
      wal->gathered.insert(wal->gathered.end(), bytes, bytes + amount);
      wal->written_end = offset + amount;
      uint32_t database_pages = 0;
      std::memcpy(&database_pages, bytes + kCommitSizeAt, sizeof(database_pages));
      wal->page_comes_next = true;
      wal->page_commits = database_pages != 0;
      return SQLITE_OK;
    }
  } catch (const std::bad_alloc&) {
    (void)write_gathered(wal);  // the transaction fails with SQLITE_NOMEM either way
    return SQLITE_NOMEM;
  }
  // Anything else lands after what came before it.
  if (const int rc = write_gathered(wal); rc != SQLITE_OK) return rc;
  const int rc = wal->real->pMethods->xWrite(wal->real, data, amount, offset);
  // Offset 0 is the WAL's header: written when the WAL starts over, its frames from the top.
  const sqlite3_int64 end = offset + amount;
  wal->written_end = offset == 0 ? end : std::max(wal->written_end, end);
  return rc;
}

int wal_close(sqlite3_file* file) {
  WalFile* wal = wal_of(file);
  const int written = write_gathered(wal);
  sqlite3_file* real = wal->real;
  wal->~WalFile();
  const int closed = real->pMethods->xClose(real);
  return written != SQLITE_OK ? written : closed;
}

int wal_read(sqlite3_file* file, void* data, int amount, sqlite3_int64 offset) {
  WalFile* wal = wal_of(file);
  if (const int rc = write_gathered(wal); rc != SQLITE_OK) return rc;
  return wal->real->pMethods->xRead(wal->real, data, amount, offset);
}

int wal_truncate(sqlite3_file* file, sqlite3_int64 size) {
  WalFile* wal = wal_of(file);
  if (const int rc = write_gathered(wal); rc != SQLITE_OK) return rc;
  wal->written_end = std::min(wal->written_end, size);
  return wal->real->pMethods->xTruncate(wal->real, size);
}

int wal_sync(sqlite3_file* file, int flags) {
  WalFile* wal = wal_of(file);
  if (const int rc = write_gathered(wal); rc != SQLITE_OK) return rc;
  return wal->real->pMethods->xSync(wal->real, flags);
}

int wal_file_size(sqlite3_file* file, sqlite3_int64* size) {
  WalFile* wal = wal_of(file);
  if (const int rc = write_gathered(wal); rc != SQLITE_OK) return rc;
  return wal->real->pMethods->xFileSize(wal->real, size);
}

int wal_lock(sqlite3_file* file, int level) {
  sqlite3_file* real = wal_of(file)->real;
  return real->pMethods->xLock(real, level);
}

int wal_unlock(sqlite3_file* file, int level) {
  sqlite3_file* real = wal_of(file)->real;
  return real->pMethods->xUnlock(real, level);
}

int wal_check_reserved_lock(sqlite3_file* file, int* reserved) {
  sqlite3_file* real = wal_of(file)->real;
  return real->pMethods->xCheckReservedLock(real, reserved);
}

int wal_file_control(sqlite3_file* file, int op, void* arg) {
  WalFile* wal = wal_of(file);
  if (const int rc = write_gathered(wal); rc != SQLITE_OK) return rc;
  return wal->real->pMethods->xFileControl(wal->real, op, arg);
}

int wal_sector_size(sqlite3_file* file) {
  sqlite3_file* real = wal_of(file)->real;
  return real->pMethods->xSectorSize(real);
}

int wal_device_characteristics(sqlite3_file* file) {
  sqlite3_file* real = wal_of(file)->real;
  return real->pMethods->xDeviceCharacteristics(real);
}

// Version 1: SQLite maps shared memory and pages of the database file only, never of its WAL.
const sqlite3_io_methods kWalMethods = {
    .iVersion = 1,
    .xClose = &wal_close,
    .xRead = &wal_read,
    .xWrite = &wal_write,
    .xTruncate = &wal_truncate,
    .xSync = &wal_sync,
    .xFileSize = &wal_file_size,
    .xLock = &wal_lock,
    .xUnlock = &wal_unlock,
    .xCheckReservedLock = &wal_check_reserved_lock,
    .xFileControl = &wal_file_control,
    .xSectorSize = &wal_sector_size,
    .xDeviceCharacteristics = &wal_device_characteristics,
    .xShmMap = nullptr,
    .xShmLock = nullptr,
    .xShmBarrier = nullptr,
    .xShmUnmap = nullptr,
    .xFetch = nullptr,
    .xUnfetch = nullptr,
};

// Every file but a WAL is the base VFS's own, in the memory SQLite gave (szOsFile covers it):
// its calls never pass through here.
int open_file(sqlite3_vfs* vfs, const char* name, sqlite3_file* file, int flags, int* out_flags) {
  sqlite3_vfs* base = base_of(vfs);
  if ((flags & SQLITE_OPEN_WAL) == 0) return base->xOpen(base, name, file, flags, out_flags);
  auto* real = reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(file) + kRealAt);
  std::memset(real, 0, static_cast<size_t>(base->szOsFile));
  const int rc = base->xOpen(base, name, real, flags, out_flags);
  if (rc != SQLITE_OK) {
    // Whoever set pMethods is closed, even after a failed open (the VFS contract).
    if (real->pMethods != nullptr) real->pMethods->xClose(real);
    file->pMethods = nullptr;
    return rc;
  }
  auto* wal = new (file) WalFile{};
  wal->real = real;
  wal->file.pMethods = &kWalMethods;
  return SQLITE_OK;
}

// The rest is the base VFS's.
sqlite3_vfs make_vfs(sqlite3_vfs* base) {
  sqlite3_vfs vfs{};
  vfs.iVersion = base->iVersion < 3 ? base->iVersion : 3;
  vfs.szOsFile = static_cast<int>(kRealAt) + base->szOsFile;
  vfs.mxPathname = base->mxPathname;
  vfs.zName = "hookline-wal-batching";
  vfs.pAppData = base;
  vfs.xOpen = &open_file;
  vfs.xDelete = [](sqlite3_vfs* v, const char* name, int sync) {
    return base_of(v)->xDelete(base_of(v), name, sync);
  };
  vfs.xAccess = [](sqlite3_vfs* v, const char* name, int flags, int* result) {
    return base_of(v)->xAccess(base_of(v), name, flags, result);
  };
  vfs.xFullPathname = [](sqlite3_vfs* v, const char* name, int size, char* out) {
    return base_of(v)->xFullPathname(base_of(v), name, size, out);
  };
  vfs.xDlOpen = [](sqlite3_vfs* v, const char* name) {
    return base_of(v)->xDlOpen(base_of(v), name);
  };
  vfs.xDlError = [](sqlite3_vfs* v, int size, char* out) {
    base_of(v)->xDlError(base_of(v), size, out);
  };
  vfs.xDlSym = [](sqlite3_vfs* v, void* handle, const char* symbol) {
    return base_of(v)->xDlSym(base_of(v), handle, symbol);
  };
  vfs.xDlClose = [](sqlite3_vfs* v, void* handle) { base_of(v)->xDlClose(base_of(v), handle); };
  vfs.xRandomness = [](sqlite3_vfs* v, int size, char* out) {
    return base_of(v)->xRandomness(base_of(v), size, out);
  };
  vfs.xSleep = [](sqlite3_vfs* v, int microseconds) {
    return base_of(v)->xSleep(base_of(v), microseconds);
  };
  vfs.xCurrentTime = [](sqlite3_vfs* v, double* now) {
    return base_of(v)->xCurrentTime(base_of(v), now);
  };
  vfs.xGetLastError = [](sqlite3_vfs* v, int size, char* out) {
    return base_of(v)->xGetLastError(base_of(v), size, out);
  };
  if (vfs.iVersion >= 2 && base->xCurrentTimeInt64 != nullptr) {
    vfs.xCurrentTimeInt64 = [](sqlite3_vfs* v, sqlite3_int64* now) {
      return base_of(v)->xCurrentTimeInt64(base_of(v), now);
    };
  }
  if (vfs.iVersion >= 3) {
    vfs.xSetSystemCall = [](sqlite3_vfs* v, const char* name, sqlite3_syscall_ptr call) {
      return base_of(v)->xSetSystemCall(base_of(v), name, call);
    };
    vfs.xGetSystemCall = [](sqlite3_vfs* v, const char* name) {
      return base_of(v)->xGetSystemCall(base_of(v), name);
    };
    vfs.xNextSystemCall = [](sqlite3_vfs* v, const char* name) {
      return base_of(v)->xNextSystemCall(base_of(v), name);
    };
  }
  return vfs;
}

sqlite3_vfs& registered_vfs() {
  sqlite3_vfs* base = sqlite3_vfs_find(nullptr);
  if (base == nullptr) throw std::runtime_error("SQLite has no default VFS");
  // SQLite keeps a pointer to it (and links it into its list) for the life of the process.
  static sqlite3_vfs vfs = make_vfs(base);
  if (const int rc = sqlite3_vfs_register(&vfs, /*makeDflt=*/0); rc != SQLITE_OK) {
    throw std::runtime_error(std::string("cannot register a SQLite VFS: ") + sqlite3_errstr(rc));
  }
  return vfs;
}

}  // namespace

const char* wal_batching_vfs() {
  static sqlite3_vfs& vfs = registered_vfs();
  return vfs.zName;
}

}  // namespace hookline::store::sqlite
