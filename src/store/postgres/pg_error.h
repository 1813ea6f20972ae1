#pragma once

#include <libpq-fe.h>

#include <string_view>

#include "core/error.h"

namespace hookline::store::postgres {

// What a SQLSTATE means to the caller: kConflict for a unique key that clashes, kStorageFull for a
// full disk, kUnavailable for what may work when tried again (a lost connection, a transaction
// that lost a serialization conflict or a deadlock, a lock wait that ran out), else kInternal.
ErrorCode error_code_for_sqlstate(std::string_view sqlstate);

// Whether `error` is PostgreSQL undoing a transaction's statement because it lost to another
// transaction (a deadlock, or a serialization failure): the same work may be run again at once.
bool lost_to_another_transaction(const Error& error);

// The error a failed command left: from `result` when there is one (the server's message and
// SQLSTATE), else from the connection. Whatever the SQLSTATE, a connection that broke is
// kUnavailable: the caller gets a new one and tries again.
Error pg_error(PGconn* connection, const PGresult* result);

}  // namespace hookline::store::postgres
