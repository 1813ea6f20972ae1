#include "app/secrets_key.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "core/base64.h"
#include "core/ids.h"
#include "core/secret_box.h"

namespace hookline::app {
namespace {

namespace fs = std::filesystem;

class SecretsKeyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("hookline-key-" + random_token(6));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path write(const std::string& name, const std::string& content, fs::perms mode) {
    const fs::path path = dir_ / name;
    std::ofstream(path) << content;
    fs::permissions(path, mode);
    return path;
  }

  // The message find_secrets_key or read_key_file throws, or "" when it does not.
  template <typename Call>
  static std::string failure(Call call) {
    try {
      call();
    } catch (const std::runtime_error& e) {
      return e.what();
    }
    return "";
  }

  fs::path dir_;
};

constexpr auto kOwnerOnly = fs::perms::owner_read | fs::perms::owner_write;

TEST_F(SecretsKeyTest, MakesAKeyFileOnlyItsOwnerMayReadAndNeverReplacesIt) {
  const fs::path path = dir_ / "nested" / "secrets.key";
  ASSERT_TRUE(create_key_file(path));
  struct stat info {};
  ASSERT_EQ(::stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  const std::string key = read_key_file(path);
  EXPECT_EQ(key.size(), SecretBox::kKeyBytes);
  EXPECT_FALSE(create_key_file(path));
  EXPECT_EQ(read_key_file(path), key);
  // Nothing is left beside it.
  EXPECT_EQ(std::distance(fs::directory_iterator(path.parent_path()), fs::directory_iterator()), 1);
}

TEST_F(SecretsKeyTest, ReadsWhatOpensslWrites) {
  const std::string key(SecretBox::kKeyBytes, 'z');
  EXPECT_EQ(read_key_file(write("k", base64_encode(key) + "\n", kOwnerOnly)), key);
  EXPECT_EQ(read_key_file(write("r", "  " + base64_encode(key) + "\r\n", fs::perms::owner_read)),
            key);
}

TEST_F(SecretsKeyTest, RefusesAFileGroupOrOthersMayRead) {
  const fs::path path =
      write("loose", base64_encode(std::string(32, 'z')), kOwnerOnly | fs::perms::group_read);
  const std::string message = failure([&] { read_key_file(path); });
  EXPECT_NE(message.find("mode 0640"), std::string::npos) << message;
  EXPECT_NE(message.find("chmod 600 " + path.string()), std::string::npos) << message;
}

TEST_F(SecretsKeyTest, RefusesAFileThatDoesNotHoldAKeyWithoutShowingItsContent) {
  for (const std::string& content : {std::string(), base64_encode(std::string(31, 'z')),
                                     std::string("not-base64-at-all!"), std::string(32, 'z')}) {
    const fs::path path = write("bad", content, kOwnerOnly);
    const std::string message = failure([&] { read_key_file(path); });
    EXPECT_NE(message.find("does not hold a key"), std::string::npos) << message;
    if (!content.empty()) {
      EXPECT_EQ(message.find(content), std::string::npos) << message;
    }
  }
  EXPECT_NE(failure([&] { read_key_file(dir_ / "missing"); }).find("cannot read"),
            std::string::npos);
}

TEST_F(SecretsKeyTest, TheKeyComesFromOneSettingOnly) {
  Settings settings;
  const std::string key(SecretBox::kKeyBytes, 'e');
  settings.secrets_key = base64_encode(key);
  auto from_env = find_secrets_key(settings, std::nullopt, true);
  ASSERT_TRUE(from_env);
  EXPECT_EQ(from_env->bytes, key);
  EXPECT_EQ(from_env->source, "HOOKLINE_SECRETS_KEY");

  settings.secrets_key_file = write("k", base64_encode(key), kOwnerOnly).string();
  EXPECT_NE(failure([&] { find_secrets_key(settings, std::nullopt, true); }).find("give one"),
            std::string::npos);

  settings.secrets_key = "c2hvcnQ=";
  settings.secrets_key_file.clear();
  EXPECT_NE(failure([&] {
              find_secrets_key(settings, std::nullopt, true);
            }).find("HOOKLINE_SECRETS_KEY does not hold a key"),
            std::string::npos);
}

TEST_F(SecretsKeyTest, WithoutASettingTheDefaultFileIsUsedAndMadeOnlyWhenAsked) {
  const Settings settings;
  EXPECT_FALSE(find_secrets_key(settings, std::nullopt, true));  // PostgreSQL: none
  const fs::path file = dir_ / "secrets.key";
  EXPECT_FALSE(find_secrets_key(settings, file, false));
  EXPECT_FALSE(fs::exists(file));
  auto made = find_secrets_key(settings, file, true);
  ASSERT_TRUE(made);
  EXPECT_EQ(made->created, file);
  auto again = find_secrets_key(settings, file, true);
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->created.empty());
  EXPECT_EQ(again->bytes, made->bytes);
}

}  // namespace
}  // namespace hookline::app
