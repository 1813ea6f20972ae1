#pragma once

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/error.h"
#include "store/postgres/pg_connection.h"

namespace hookline::store::postgres {

// Connections for the API's reads and its few writes, shared by the server's threads: up to
// `size` of them, opened as needed. A connection the server dropped is closed after use and a new
// one opened next time, so a restarted PostgreSQL costs the requests in flight, not the node.
class PgPool {
 public:
  // Connects once now, so a wrong URI or an unreachable server fails start-up (throws).
  PgPool(std::string uri, std::string database, size_t size);

  // Runs `work` on a connection of the pool, waiting for one when all are busy. kUnavailable when
  // no connection can be opened.
  template <typename T>
  Result<T> run(const std::function<Result<T>(PgConnection&)>& work) {
    auto taken = take();
    if (!taken) return std::unexpected(taken.error());
    std::unique_ptr<PgConnection> connection = std::move(*taken);
    Result<T> result = work(*connection);
    give_back(std::move(connection));
    return result;
  }

 private:
  Result<std::unique_ptr<PgConnection>> take();
  void give_back(std::unique_ptr<PgConnection> connection);

  const std::string uri_;
  const std::string database_;
  const size_t size_;
  std::mutex mutex_;
  std::condition_variable returned_;
  std::vector<std::unique_ptr<PgConnection>> idle_;  // GUARDED_BY(mutex_)
  size_t open_ = 0;                                  // GUARDED_BY(mutex_): idle and in use
};

}  // namespace hookline::store::postgres
