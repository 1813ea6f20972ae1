#include "app/settings.h"

#include <cstdlib>

namespace hookline::app {

std::string default_web_root() {
#ifdef HOOKLINE_DEFAULT_WEB_ROOT
  return HOOKLINE_DEFAULT_WEB_ROOT;
#else
  return "./web";
#endif
}

std::string Settings::resolved_store_url() const {
  return store_url.empty() ? "sqlite://" + data_dir + "/hookline.db" : store_url;
}

void add_store_settings(CLI::App& command, Settings& s) {
  command
      .add_option("--data-dir", s.data_dir,
                  "where the default SQLite store (hookline.db) lives; unused with --store")
      ->envname("HOOKLINE_DATA_DIR")
      ->capture_default_str();
  command
      .add_option("--store", s.store_url,
                  "where Hookline keeps its data: sqlite://PATH (default <data-dir>/hookline.db), "
                  "or postgresql://USER:PASSWORD@HOST:PORT/DATABASE (a libpq URI; postgres:// "
                  "too) for several nodes sharing one database")
      ->envname("HOOKLINE_STORE");
  command
      .add_option("--secrets-key-file", s.secrets_key_file,
                  "file holding the key that seals webhook secrets (signing secrets, passwords, "
                  "tokens, credential headers) in the store: the base64 of 32 random bytes "
                  "(openssl rand -base64 32), mode 0600. Or set HOOKLINE_SECRETS_KEY to the key "
                  "itself. Default on SQLite: secrets.key beside the database, made on first "
                  "start; PostgreSQL needs one, the same on every node. Back it up apart from the "
                  "database: without it the secrets are lost")
      ->envname("HOOKLINE_SECRETS_KEY_FILE");
  // The key itself only from the environment, never a flag: a flag shows in `ps`.
  if (const char* key = std::getenv("HOOKLINE_SECRETS_KEY")) s.secrets_key = key;
}

void add_serve_settings(CLI::App& command, Settings& s) {
  add_store_settings(command, s);
  command.add_option("--listen", s.listen, "HOST:PORT where the API and UI listen (port 0: any)")
      ->envname("HOOKLINE_LISTEN")
      ->capture_default_str();
  command.add_option("--api-key", s.api_key, "an admin API key to accept")
      ->envname("HOOKLINE_API_KEY");
  command
      .add_option("--allow-targets", s.allow_targets,
                  "CIDR ranges outbound calls may reach despite the guard, e.g. 127.0.0.0/8")
      ->envname("HOOKLINE_ALLOW_TARGETS");
  command.add_option("--retry-schedule", s.retry_schedule, "delay before each try")
      ->envname("HOOKLINE_RETRY_SCHEDULE")
      ->capture_default_str();
  command
      .add_option("--retention", s.retention,
                  "how long events and ended deliveries (with their attempts) are kept: a number "
                  "and s, m, h or d; unfinished deliveries (pending, retrying, queued) are kept "
                  "however old")
      ->envname("HOOKLINE_RETENTION")
      ->capture_default_str();
  command
      .add_option("--disable-failing-after", s.disable_failing_after,
                  "a webhook whose every try and probe has failed for this long (its breaker "
                  "open the whole time) is disabled, as if a user had, with the reason shown: a "
                  "number and s, m, h or d, or off")
      ->envname("HOOKLINE_DISABLE_FAILING_AFTER")
      ->capture_default_str();
  command
      .add_option("--heal-probe-after", s.heal_probe_after,
                  "a webhook Hookline disabled (receiver gone or failing) is probed with the Test "
                  "request this long after, then twice as long after each failed probe (up to "
                  "1h), and enabled again when it answers 200, unless its self_heal is off: a "
                  "number and s, m, h or d")
      ->envname("HOOKLINE_HEAL_PROBE_AFTER")
      ->capture_default_str();
  command
      .add_option("--node-id", s.node_id,
                  "this node's name, which owns the deliveries it is sending; it must stay the "
                  "same across restarts and differ between nodes sharing a store (default: host "
                  "name and listen port, e.g. web-1:8080)")
      ->envname("HOOKLINE_NODE_ID");
  command
      .add_option("--lease", s.lease,
                  "how long a node holds a delivery it is sending before another node sharing "
                  "the store may take it over (if this one died): a number and s or m, at least "
                  "5s. A webhook whose timeout is longer than the lease less 10s gets its "
                  "timeout plus 10s")
      ->envname("HOOKLINE_LEASE")
      ->capture_default_str();
  command.add_option("--max-body", s.max_body, "largest request body the API accepts, in bytes")
      ->envname("HOOKLINE_MAX_BODY")
      ->check(CLI::Range(size_t{1024}, size_t{64} * 1024 * 1024))
      ->capture_default_str();
  command
      .add_option("--api-rate-limit", s.api_rate_limit,
                  "requests a second each API key may make to the management API (everything but "
                  "POST /v1/events and /v1/events/batch), with bursts of one second's worth; "
                  "over it the answer is 429 with Retry-After. 0: no limit")
      ->envname("HOOKLINE_API_RATE_LIMIT")
      ->check(CLI::Range(0, 1'000'000))
      ->capture_default_str();
  command.add_option("--ca-file", s.ca_file, "extra PEM CA bundle to trust for https receivers")
      ->envname("HOOKLINE_CA_FILE");
  command.add_option("--io-threads", s.io_threads, "HTTP server threads (0: one per core)")
      ->envname("HOOKLINE_IO_THREADS")
      ->check(CLI::Range(0, 64));
  command.add_option("--web-root", s.web_root, "directory of the built web UI, served at /")
      ->envname("HOOKLINE_WEB_ROOT")
      ->capture_default_str();
}

}  // namespace hookline::app
