#include "core/thread_name.h"

#include <pthread.h>

#include <algorithm>
#include <cstring>
#include <string>

namespace hookline {

void name_this_thread(const char* name) {
  // A longer name is refused (ERANGE), not cut: cut it here. Naming is best effort, and a thread
  // without a name works the same, so a failure is not an error to report.
  const std::string kept(name, std::min<size_t>(std::strlen(name), 15));
  pthread_setname_np(pthread_self(), kept.c_str());
}

}  // namespace hookline
