// IDX files (MNIST, and what `digits drawn` writes): both parsers. Whatever parses must encode back
// to exactly the bytes it came from (encode ∘ parse = identity).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string>

#include "io/idx.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::span<const uint8_t> bytes(data, size);
  std::string error;
  digits::IdxImages images;
  if (digits::parse_idx_images(bytes, images, error)) {
    const auto again = digits::encode_idx_images(images);
    if (!std::equal(again.begin(), again.end(), bytes.begin(), bytes.end())) {
      std::fprintf(stderr, "fuzz_idx: images do not encode back to their bytes\n");
      std::abort();
    }
  } else if (error.empty()) {
    std::abort();
  }
  digits::IdxLabels labels;
  error.clear();
  if (digits::parse_idx_labels(bytes, labels, error)) {
    const auto again = digits::encode_idx_labels(labels);
    if (!std::equal(again.begin(), again.end(), bytes.begin(), bytes.end())) {
      std::fprintf(stderr, "fuzz_idx: labels do not encode back to their bytes\n");
      std::abort();
    }
  } else if (error.empty()) {
    std::abort();
  }
  return 0;
}
