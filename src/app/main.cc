// hookline: the command line (SPEC 10). Each command's work lives in its own file.
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <csignal>
#include <iostream>

#include "app/config_file.h"
#include "app/logging.h"
#include "app/open_store.h"
#include "app/rotate_key.h"
#include "app/serve.h"
#include "app/settings.h"
#include "core/api_key.h"
#include "core/clock.h"
#include "core/ids.h"

namespace {

using hookline::app::Settings;

// What `api-key create` is asked for.
struct KeyRequest {
  std::string name;
  std::string scope = "admin";
  std::string workspace_id;  // empty: the default workspace
  bool instance = false;
};

int create_api_key(const Settings& settings, const KeyRequest& request) {
  const auto scope = hookline::parse_key_scope(request.scope);
  if (!scope) throw std::runtime_error("--scope must be one of admin, write, ingest, read");
  if (request.instance && (*scope != hookline::KeyScope::kAdmin || !request.workspace_id.empty())) {
    throw std::runtime_error("an --instance key is an admin key of the default workspace");
  }
  hookline::SystemClock clock;
  auto store = hookline::app::open_store(settings);
  // The workspace named (it must exist), or the default one.
  hookline::Result<std::string> workspace = store->default_workspace_id(clock.now_ms());
  if (!request.workspace_id.empty()) {
    auto named = store->get_workspace(request.workspace_id);
    if (!named) throw std::runtime_error(named.error().message);
    workspace = named->id;
  }
  if (!workspace) throw std::runtime_error(workspace.error().message);
  const std::string text = hookline::new_api_key_text();
  const hookline::ApiKey key = hookline::new_api_key(text, *workspace, request.name, *scope,
                                                     request.instance, clock.now_ms());
  auto added = store->add_api_key(key, hookline::sha256_hex(text));
  if (!added) throw std::runtime_error(added.error().message);
  std::cout << text << std::endl;
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Hookline: webhooks and journeys for marketing and e-commerce apps", "hookline"};
  app.require_subcommand(1);
  app.set_config("--config", "", "read settings from a TOML or JSON file")
      ->envname("HOOKLINE_CONFIG");
  app.config_formatter(std::make_shared<hookline::app::ConfigFile>());
  // One Settings per command: CLI11 reads the environment into every command's options, used or
  // not, and a shared object would let an unused command's environment value beat a flag.
  Settings serve_settings;
  Settings migrate_settings;
  Settings key_settings;
  Settings rotate_settings;

  CLI::App* serve = app.add_subcommand("serve", "run the API, the UI and delivery");
  hookline::app::add_serve_settings(*serve, serve_settings);

  CLI::App* migrate = app.add_subcommand("migrate", "apply schema migrations and exit");
  hookline::app::add_store_settings(*migrate, migrate_settings);

  CLI::App* api_key = app.add_subcommand("api-key", "manage API keys");
  api_key->require_subcommand(1);
  CLI::App* create = api_key->add_subcommand("create", "print a new API key for a workspace");
  KeyRequest key_request;
  create->add_option("--name", key_request.name, "what the key is for")->required();
  create->add_option("--scope", key_request.scope, "admin, write, ingest or read")
      ->capture_default_str();
  create->add_option("--workspace", key_request.workspace_id,
                     "the workspace's id (default: the install's first workspace)");
  create->add_flag("--instance", key_request.instance,
                   "an admin key that also manages workspaces (POST /v1/workspaces)");
  hookline::app::add_store_settings(*create, key_settings);

  CLI::App* secrets = app.add_subcommand("secrets", "manage the key that seals webhook secrets");
  secrets->require_subcommand(1);
  CLI::App* rotate = secrets->add_subcommand(
      "rotate-key",
      "seal every webhook secret again with a new key (made in --new-key-file when missing); "
      "stop the nodes first. Safe to run again after an interruption: it finishes the job");
  std::string new_key_file;
  rotate
      ->add_option(
          "--new-key-file", new_key_file,
          "the new key's file, made with a fresh key (mode 0600) when missing; the current "
          "key is given as for serve")
      ->required();
  hookline::app::add_store_settings(*rotate, rotate_settings);

  CLI11_PARSE(app, argc, argv);
  // A receiver or client that hangs up mid-write is an I/O error to handle, not a reason to die.
  std::signal(SIGPIPE, SIG_IGN);
  hookline::app::set_up_logging();
  try {
    if (*serve) return hookline::app::serve(serve_settings);
    if (*migrate) {
      hookline::app::open_store(migrate_settings);
      return 0;
    }
    if (*create) return create_api_key(key_settings, key_request);
    if (*rotate) return hookline::app::rotate_secrets_key(rotate_settings, new_key_file);
  } catch (const std::exception& e) {
    spdlog::get("app")->critical("{}", e.what());
    std::cerr << "hookline: " << e.what() << std::endl;
    return 1;
  }
  return 0;
}
