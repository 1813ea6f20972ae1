#pragma once

#include <memory>
#include <string>

#include "app/settings.h"
#include "core/secret_box.h"
#include "store/store.h"

namespace hookline::app {

// Opens the store the settings name (resolved_store_url: sqlite://PATH for one node, or a libpq
// URI postgresql://... or postgres://... for nodes sharing one database) with the secrets key
// (app/secrets_key.h), applies pending migrations, and seals what is still stored in plaintext
// after checking that the key opens every sealed secret. Throws with a message fit for the
// operator when it cannot: start-up stops there.
std::unique_ptr<store::Store> open_store(const Settings& settings);

// The store at `url`, migrated, sealing and opening with `secrets`; no pass over the secrets.
std::unique_ptr<store::Store> open_store(const std::string& url,
                                         std::shared_ptr<const SecretBox> secrets);

// Where secrets.key lives when no key is given: beside a SQLite database; none for PostgreSQL.
std::optional<std::filesystem::path> default_key_file(const std::string& url);

// The URL as logs and errors may show it: a password in it is replaced by ***.
std::string store_for_display(const std::string& url);

}  // namespace hookline::app
