#include "store/postgres/pg_pool.h"

#include <stdexcept>

namespace hookline::store::postgres {

PgPool::PgPool(std::string uri, std::string database, size_t size)
    : uri_(std::move(uri)), database_(std::move(database)), size_(size < 1 ? 1 : size) {
  idle_.push_back(std::make_unique<PgConnection>(uri_, database_));
  open_ = 1;
}

Result<std::unique_ptr<PgConnection>> PgPool::take() {
  {
    std::unique_lock lock(mutex_);
    returned_.wait(lock, [this] { return !idle_.empty() || open_ < size_; });
    if (!idle_.empty()) {
      auto connection = std::move(idle_.back());
      idle_.pop_back();
      return connection;
    }
    ++open_;  // this caller opens one, outside the lock
  }
  try {
    return std::make_unique<PgConnection>(uri_, database_);
  } catch (const std::runtime_error& e) {
    {
      std::lock_guard lock(mutex_);
      --open_;
    }
    returned_.notify_one();
    return std::unexpected(Error::unavailable(e.what()));
  }
}

void PgPool::give_back(std::unique_ptr<PgConnection> connection) {
  {
    std::lock_guard lock(mutex_);
    if (connection->usable() && PQtransactionStatus(connection->handle()) == PQTRANS_IDLE) {
      idle_.push_back(std::move(connection));
    } else {
      --open_;  // broken, or left inside a transaction: closed below, a fresh one next time
    }
  }
  returned_.notify_one();
}

}  // namespace hookline::store::postgres
