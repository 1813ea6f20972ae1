#pragma once

#include <memory>
#include <string>

#include "core/secret_box.h"

namespace hookline::store {

// The secrets key store tests seal with: the same every time, so a test can open a store again.
inline std::string test_secrets_key() { return std::string(SecretBox::kKeyBytes, 'k'); }

inline std::shared_ptr<const SecretBox> test_secret_box() {
  return std::make_shared<const SecretBox>(*SecretBox::make(test_secrets_key()));
}

}  // namespace hookline::store
