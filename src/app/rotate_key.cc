#include "app/rotate_key.h"

#include <filesystem>
#include <iostream>
#include <stdexcept>

#include "app/open_store.h"
#include "app/secrets_key.h"
#include "core/secret_box.h"

namespace hookline::app {

namespace {

namespace fs = std::filesystem;

bool same_file(const fs::path& a, const fs::path& b) {
  return fs::weakly_canonical(a) == fs::weakly_canonical(b);
}

}  // namespace

int rotate_secrets_key(const Settings& settings, const std::string& new_key_file) {
  const std::string url = settings.resolved_store_url();
  const auto default_file = default_key_file(url);
  auto current = find_secrets_key(settings, default_file, /*create=*/false);
  if (!current) {
    throw std::runtime_error(
        "no current secrets key: give the key the secrets are sealed with now "
        "(--secrets-key-file FILE or HOOKLINE_SECRETS_KEY)" +
        (default_file ? ", or put its file at " + default_file->string() : std::string()));
  }
  // The current key's file, if it came from one.
  fs::path current_file;
  if (!settings.secrets_key_file.empty()) {
    current_file = settings.secrets_key_file;
  } else if (settings.secrets_key.empty() && default_file) {
    current_file = *default_file;
  }
  if (!current_file.empty() && same_file(current_file, new_key_file)) {
    throw std::runtime_error("--new-key-file " + new_key_file +
                             " is the current key's file: name a new file (it is made when "
                             "missing)");
  }
  const bool made = create_key_file(new_key_file);
  std::string new_key = read_key_file(new_key_file);
  const std::string old_id = SecretBox::key_id(current->bytes);
  const std::string new_id = SecretBox::key_id(new_key);
  if (old_id == new_id) {
    throw std::runtime_error("--new-key-file " + new_key_file + " holds the current key (id " +
                             old_id + "): name a file for a new key (it is made when missing)");
  }
  if (made)
    std::cout << "Made " << new_key_file << " with a new secrets key (id " << new_id << ").\n";

  // Sealing with the new key, opening with either: what an interrupted run left opens too.
  auto box = SecretBox::make(std::move(new_key), {std::move(current->bytes)});
  if (!box) throw std::runtime_error("the secrets key: " + box.error().message);
  auto store = open_store(url, std::make_shared<const SecretBox>(std::move(*box)));
  auto report = store->seal_secrets(store::SealMode::kRotate);
  if (!report) {
    throw std::runtime_error(report.error().message +
                             " (nothing was lost: run the same command again once it is fixed)");
  }
  store->stop_writer();

  const int64_t already = report->values - report->resealed - report->plaintext;
  std::cout << "Sealed the secrets of " << report->webhooks << " webhooks with key " << new_id
            << ": " << report->resealed << " re-sealed from key " << old_id << ", "
            << report->plaintext << " sealed from plaintext, " << already
            << " already sealed with the new key.\n"
            << "Next: start every node with --secrets-key-file " << new_key_file
            << " (or HOOKLINE_SECRETS_KEY set to its content)";
  if (default_file && same_file(current_file, *default_file)) {
    std::cout << ", or move it to " << default_file->string();
  }
  std::cout << ". Back it up apart from the database. The old key (id " << old_id
            << ") opens nothing stored now; keep it only while you keep backups made before "
               "this rotation."
            << std::endl;
  return 0;
}

}  // namespace hookline::app
