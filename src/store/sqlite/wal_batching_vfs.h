#pragma once

namespace hookline::store::sqlite {

// The name of a SQLite VFS, registered on the first call (thread-safe), that hands a commit's
// WAL frames to the kernel in a few writes (128 KiB each) instead of two per page.
//
// SQLite writes each WAL frame with two pwrite calls (its 24-byte header, then the page), so a
// commit of N pages costs 2N system calls; on machines where a system call is dear that was
// much of the writer's kernel time. This VFS is the system's default one (unix) for every file
// but the WAL, whose frames it gathers in memory and writes when the commit frame (the
// one whose header carries the database size) is complete. The commit therefore reaches the
// kernel inside the write call SQLite makes for it, before the WAL index says it is there, so
// readers never see a frame that is not in the file, and a failed write (a full disk) fails
// the commit as it did before. Anything but a frame appended after the last one (the WAL's own
// header, a frame rewritten in place) first writes what is gathered, then goes straight
// through, as does every read, sync, truncation or size query.
const char* wal_batching_vfs();

}  // namespace hookline::store::sqlite
