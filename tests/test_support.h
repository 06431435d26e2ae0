// What several test files share: the real MNIST (loaded once per test process), the committed
// weight files, quiet training options, the error a parser gives, and gmock's HasSubstr for
// "this message says that".
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/classifier.h"
#include "drawn/drawn_digits.h"
#include "io/idx.h"
#include "train/dataset.h"
#include "train/trainers.h"

namespace digits {

using ::testing::HasSubstr;

// MNIST from data/mnist (scripts/setup.sh fetches it), or nullptr when it is not there: tests
// that need it then GTEST_SKIP.
inline const MnistFiles* mnist() {
  static MnistFiles files;
  static const bool loaded = [] {
    std::string error;
    return load_mnist(std::string(DIGITS_SOURCE_DIR) + "/data/mnist", files, error);
  }();
  return loaded ? &files : nullptr;
}

inline const std::filesystem::path kWeightsDir =
    std::filesystem::path(DIGITS_SOURCE_DIR) / "weights";

// The bytes of the committed weights file of registry model `index` (a test failure if it cannot
// be read).
inline std::vector<uint8_t> committed_weights(int index) {
  std::vector<uint8_t> bytes;
  std::string error;
  EXPECT_TRUE(read_file((kWeightsDir / kModelRegistry[index].weights_file).string(), bytes, error))
      << error;
  return bytes;
}
// The same for the registry model of `kind` (e.g. LeNetModel::kKind).
inline std::vector<uint8_t> committed_weights(ModelKind kind) {
  return committed_weights(model_index(kind));
}

// `count` drawings of the synthetic drawn-digit set (280x280, `seed`), preprocessed in `mode`:
// images as the models see them on the page (a drawing without ink is skipped).
inline std::vector<std::array<float, kPixels>> drawn_inputs(
    int count, uint64_t seed, PreprocessMode mode = PreprocessMode::MnistDeskew) {
  IdxLabels labels;
  const IdxImages drawings = render_drawn_digits(count, seed, 280, labels);
  std::vector<std::array<float, kPixels>> inputs;
  for (int i = 0; i < drawings.count; ++i) {
    std::array<float, kPixels> x;
    if (preprocess(drawings.image(i), 280, 280, PixelFormat::Gray8, mode, x) ==
        PreprocessStatus::Ok)
      inputs.push_back(x);
  }
  return inputs;
}

// Training options without progress bars.
inline TrainOptions quiet_options(int threads = 0, uint64_t seed = 1) {
  TrainOptions options;
  options.threads = threads;
  options.seed = seed;
  options.progress = false;
  return options;
}

// The error Model::parse gives for `file`, which it must reject.
template <typename Model>
std::string parse_error(const std::vector<uint8_t>& file) {
  Model model;
  std::string error;
  EXPECT_FALSE(Model::parse(file, model, error));
  EXPECT_FALSE(error.empty());
  return error;
}

}  // namespace digits
