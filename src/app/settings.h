#pragma once

#include <CLI/CLI.hpp>
#include <cstddef>
#include <string>

namespace hookline::app {

// Where the build put the web UI (the web_ui target's output).
std::string default_web_root();

// Every setting of `hookline`, declared once in settings.cc with its flag, environment variable
// (HOOKLINE_<NAME>), default and help. Flags win over the environment, the environment over the
// --config file (TOML).
struct Settings {
  std::string listen = "127.0.0.1:8080";
  std::string data_dir = "./data";
  std::string store_url;  // empty: sqlite://<data_dir>/hookline.db
  // The key that seals webhook secrets at rest (app/secrets_key.h): a file, or the key itself in
  // base64 from HOOKLINE_SECRETS_KEY only (never a flag: a flag shows in `ps`). Neither: on SQLite
  // secrets.key beside the database, made on first start; PostgreSQL needs one.
  std::string secrets_key_file;
  std::string secrets_key;
  std::string api_key;
  std::string allow_targets;
  std::string retry_schedule = "0s,5s,30s,2m,10m,30m,1h,3h,6h,12h";
  size_t max_body = 1024 * 1024;
  // Requests a second each API key may make to the management API (not ingest); 0: no limit.
  int api_rate_limit = 100;
  std::string ca_file;
  int io_threads = 0;  // 0: one per core
  // How long events and ended deliveries (with their attempts) are kept.
  std::string retention = "30d";
  // A webhook failing for this long is disabled (DispatcherOptions::disable_failing_after_ms);
  // "off": never.
  std::string disable_failing_after = "5d";
  // The first self-healing probe of a webhook Hookline disabled (HealerOptions::first_probe).
  std::string heal_probe_after = "1m";
  // This node's name in the store's leases; empty: <host name>:<listen port>.
  std::string node_id;
  // How long a claim of a delivery or a due delay lasts (DispatcherOptions::lease_ms).
  std::string lease = "30s";
  // The built web UI, served at /.
  std::string web_root = default_web_root();

  std::string resolved_store_url() const;
};

// Declares the storage settings (every command needs them, the secrets key too) on a subcommand.
void add_store_settings(CLI::App& command, Settings& settings);
// Declares the settings of `serve`.
void add_serve_settings(CLI::App& command, Settings& settings);

}  // namespace hookline::app
