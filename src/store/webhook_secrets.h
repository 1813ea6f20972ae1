#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/error.h"
#include "core/secret_box.h"
#include "core/webhook.h"

// Webhook secrets at rest: the one place where the store seals and opens them, for both backends.
// The signing secret, the previous signing secret, a Basic password, a token and the value of every
// credential header (core/header_rules.h) are sealed with the webhook's id as associated data;
// everything else of the row is stored as it is. Everything above the store sees plain values.
namespace hookline::store {

// The columns of a webhooks row that hold secrets, as stored.
struct SecretColumns {
  std::string auth;     // JSON (auth_to_json), password or token sealed
  std::string headers;  // JSON (headers_to_json), credential headers' values sealed
  std::string secret;
  std::string previous_secret;
};

// `webhook`'s secret-bearing columns, sealed: what an insert or an update writes. An empty value
// stays empty: it means "none" (no previous secret), and sealing it would hide nothing.
Result<SecretColumns> sealed_columns(const SecretBox& box, const Webhook& webhook);

// One secret of the row `webhook_id`, sealed: a rotated signing secret.
Result<std::string> sealed_value(const SecretBox& box, const std::string& webhook_id,
                                 const std::string& value);

// Opens, in place, the secrets of a webhook read from its row. A value that does not open is an
// error (kInternal, naming the webhook and the key ids), never an empty secret. A plaintext value
// (written before sealing, by a node not upgraded yet) is taken as it is: start-up seals those.
Result<void> open_secrets(const SecretBox& box, Webhook& webhook);

// A pass over every stored webhook (Store::seal_secrets).
enum class SealMode {
  // At start: plaintext values are sealed, and every sealed value must open, all in one
  // transaction (nothing changes when one does not open).
  kAtStart,
  // `hookline secrets rotate-key`: also values sealed with another of the box's keys are sealed
  // again with its current one, a few rows per transaction, so an interrupted run loses nothing
  // and running it again finishes the job.
  kRotate,
};

struct SealReport {
  int64_t webhooks = 0;   // rows looked at
  int64_t values = 0;     // secrets found, sealed or not (empty ones are none)
  int64_t plaintext = 0;  // of them, sealed now from plaintext
  int64_t resealed = 0;   // of them, sealed again with the current key
  bool changed() const { return plaintext + resealed > 0; }
};

// Rows a rotation re-seals in each transaction.
inline constexpr int kRotateRowsPerCommit = 100;

// One row's columns as the pass leaves them: nullopt when they stay as they are. Fails with the
// message an operator needs when a sealed value does not open with the box's keys.
Result<std::optional<SecretColumns>> resealed_columns(const SecretBox& box,
                                                      const std::string& webhook_id,
                                                      const SecretColumns& stored, SealMode mode,
                                                      SealReport& report);

}  // namespace hookline::store
