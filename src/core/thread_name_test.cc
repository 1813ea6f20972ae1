#include "core/thread_name.h"

#include <gtest/gtest.h>
#include <pthread.h>

#include <string>
#include <thread>

namespace hookline {
namespace {

std::string name_in_thread(const char* name) {
  std::string seen;
  std::thread([&] {
    name_this_thread(name);
    char buffer[64] = {};
    pthread_getname_np(pthread_self(), buffer, sizeof buffer);
    seen = buffer;
  }).join();
  return seen;
}

TEST(ThreadNameTest, AThreadIsNamedAndALongNameIsCutToWhatLinuxKeeps) {
  EXPECT_EQ(name_in_thread("hl-writer"), "hl-writer");
  EXPECT_EQ(name_in_thread("hl-a-name-longer-than-fifteen"), "hl-a-name-longe");
}

}  // namespace
}  // namespace hookline
