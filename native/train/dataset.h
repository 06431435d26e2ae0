// Training and evaluation sets: raw IDX images run through the core's preprocessing.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/preprocess.h"
#include "io/idx.h"

namespace digits {

struct Dataset {
  int count = 0;
  std::vector<float> x;    // count * kPixels, row-major 28x28 per image, 0 = background, 1 = ink
  std::vector<uint8_t> y;  // count labels, 0..9
  std::vector<uint8_t> empty;  // 1 where preprocessing found no ink (x is then all zero)
  const float* image(int i) const { return x.data() + static_cast<size_t>(i) * kPixels; }
};

// Preprocesses every image (in parallel natively). `labels` may be empty (then y is empty).
Dataset make_dataset(const IdxImages& images, const IdxLabels& labels, PreprocessMode mode,
                     int threads = 0);

// The MNIST files under `dir` (train-images-idx3-ubyte, ...). Returns false with a message that
// says which file is missing and how to get it (scripts/setup.sh).
struct MnistFiles {
  IdxImages train_images, test_images;
  IdxLabels train_labels, test_labels;
};
bool load_mnist(const std::string& dir, MnistFiles& out, std::string& error);

// Number of worker threads to use when `requested` is 0: the hardware's, at least 1.
int default_threads(int requested = 0);

}  // namespace digits
