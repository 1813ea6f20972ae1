#include "app/secrets_key.h"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "core/base64.h"
#include "core/ids.h"
#include "core/secret_box.h"

namespace hookline::app {

namespace {

namespace fs = std::filesystem;

constexpr std::string_view kMakeOne = "openssl rand -base64 32";

std::runtime_error system_error(const std::string& what, const fs::path& path) {
  return std::runtime_error(what + " " + path.string() + ": " + std::strerror(errno));
}

// The key in base64 text (a file's content or the variable's value), surrounding whitespace
// ignored; nullopt when it is not the base64 of kKeyBytes bytes.
std::optional<std::string> decode_key(std::string text) {
  const size_t first = text.find_first_not_of(" \t\r\n");
  const size_t last = text.find_last_not_of(" \t\r\n");
  auto key = first == std::string::npos
                 ? std::nullopt
                 : base64_decode(std::string_view(text).substr(first, last - first + 1));
  OPENSSL_cleanse(text.data(), text.size());
  if (!key || key->size() != SecretBox::kKeyBytes) return std::nullopt;
  return key;
}

// Writes all of `text` to `fd`.
bool write_all(int fd, std::string_view text) {
  while (!text.empty()) {
    const ssize_t n = ::write(fd, text.data(), text.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    text.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

}  // namespace

std::string read_key_file(const fs::path& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0)
    throw system_error("cannot read the secrets key file", path);
  if (!S_ISREG(info.st_mode)) {
    throw std::runtime_error("the secrets key file " + path.string() + " is not a regular file");
  }
  if ((info.st_mode & 077) != 0) {
    std::ostringstream mode;
    mode << std::oct << (info.st_mode & 0777);
    throw std::runtime_error("the secrets key file " + path.string() +
                             " may be read by group or others (mode 0" + mode.str() +
                             "): only its owner may (chmod 600 " + path.string() + ")");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw system_error("cannot read the secrets key file", path);
  std::ostringstream text;
  text << in.rdbuf();
  auto key = decode_key(text.str());
  if (!key) {
    throw std::runtime_error("the secrets key file " + path.string() +
                             " does not hold a key: it must be the base64 of 32 random bytes on "
                             "one line (" +
                             std::string(kMakeOne) + " > FILE; chmod 600 FILE)");
  }
  return std::move(*key);
}

bool create_key_file(const fs::path& path) {
  if (path.has_parent_path()) fs::create_directories(path.parent_path());
  if (fs::exists(path)) return false;
  std::string text = base64_encode(random_bytes(SecretBox::kKeyBytes)) + "\n";
  // Written aside and linked into place: link() never replaces a file, so a key made by another
  // process at the same moment, or already there, wins and is the one used.
  fs::path aside = path;
  aside += ".new-" + random_token(6);
  const int fd = ::open(aside.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) throw system_error("cannot make the secrets key file", aside);
  const bool written = ::fchmod(fd, 0600) == 0 && write_all(fd, text) && ::fsync(fd) == 0;
  OPENSSL_cleanse(text.data(), text.size());
  ::close(fd);
  if (!written) {
    const auto error = system_error("cannot write the secrets key file", aside);
    ::unlink(aside.c_str());
    throw error;
  }
  const bool linked = ::link(aside.c_str(), path.c_str()) == 0;
  const int link_errno = errno;
  ::unlink(aside.c_str());
  if (!linked) {
    if (link_errno == EEXIST) return false;
    errno = link_errno;
    throw system_error("cannot make the secrets key file", path);
  }
  // The new name is durable once its directory is.
  const fs::path directory = path.has_parent_path() ? path.parent_path() : fs::path(".");
  if (const int dir = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
  return true;
}

std::optional<SecretsKey> find_secrets_key(const Settings& settings,
                                           const std::optional<fs::path>& default_file,
                                           bool create) {
  if (!settings.secrets_key_file.empty() && !settings.secrets_key.empty()) {
    throw std::runtime_error(
        "--secrets-key-file and HOOKLINE_SECRETS_KEY both give a secrets key: give one");
  }
  if (!settings.secrets_key.empty()) {
    auto key = decode_key(settings.secrets_key);
    if (!key) {
      throw std::runtime_error(
          "HOOKLINE_SECRETS_KEY does not hold a key: it must be the base64 of 32 random bytes (" +
          std::string(kMakeOne) + ")");
    }
    return SecretsKey{std::move(*key), "HOOKLINE_SECRETS_KEY", {}};
  }
  if (!settings.secrets_key_file.empty()) {
    return SecretsKey{read_key_file(settings.secrets_key_file),
                      "--secrets-key-file " + settings.secrets_key_file,
                      {}};
  }
  if (!default_file) return std::nullopt;
  fs::path created;
  if (create && create_key_file(*default_file)) created = *default_file;
  if (!create && !fs::exists(*default_file)) return std::nullopt;
  return SecretsKey{read_key_file(*default_file), default_file->string(), created};
}

}  // namespace hookline::app
