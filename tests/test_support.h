// What several test files share: the real MNIST (loaded once per test process), the committed
// weight files, quiet training options, the error a parser gives, class-drawings zips as the page
// writes them, and gmock's HasSubstr for "this message says that".
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <zip.h>

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "core/classifier.h"
#include "drawn/drawn_digits.h"
#include "io/class_drawings.h"
#include "io/idx.h"
#include "io/png_write.h"
#include "train/dataset.h"
#include "train/trainers.h"
#include "test_paths.h"

namespace digits {

using ::testing::HasSubstr;

// MNIST from data/mnist (scripts/setup.sh fetches it), or nullptr when it is not there: tests
// that need it then GTEST_SKIP.
inline const MnistFiles* mnist() {
  static MnistFiles files;
  static const bool loaded = [] {
    std::string error;
    return load_mnist(source_dir() + "/data/mnist", files, error);
  }();
  return loaded ? &files : nullptr;
}

inline const std::filesystem::path kWeightsDir =
    std::filesystem::path(source_dir()) / "weights";

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

// A zip file of `entries` (name, bytes) written with libzip, deflated; or stored as they are
// (ZIP_CM_STORE), so that a test can patch the sizes the zip declares.
using ZipEntries = std::vector<std::pair<std::string, std::vector<uint8_t>>>;
inline void write_zip(const std::filesystem::path& path, const ZipEntries& entries,
                      zip_int32_t method = ZIP_CM_DEFLATE) {
  std::filesystem::remove(path);
  int code = 0;
  zip_t* zip = zip_open(path.c_str(), ZIP_CREATE | ZIP_EXCL, &code);
  ASSERT_NE(zip, nullptr) << path << ": libzip error " << code;
  for (const auto& [name, bytes] : entries) {
    zip_source_t* source = zip_source_buffer(zip, bytes.data(), bytes.size(), 0);
    ASSERT_NE(source, nullptr);
    const zip_int64_t index = zip_file_add(zip, name.c_str(), source, ZIP_FL_ENC_UTF_8);
    ASSERT_GE(index, 0) << zip_strerror(zip);
    ASSERT_EQ(zip_set_file_compression(zip, zip_uint64_t(index), method, 0), 0);
  }
  ASSERT_EQ(zip_close(zip), 0) << zip_strerror(zip);
}

// The files of a class-drawings download (io/class_drawings.h) for these 280x280 drawings and
// labels (0-10): the IDX pair, one PNG per drawing and, unless `record` is empty, drawings.json.
inline ZipEntries class_drawing_entries(const IdxImages& images, const IdxLabels& labels,
                                        const std::string& record) {
  const std::string top = std::string(kClassDrawingsFolder) + "/";
  ZipEntries entries = {{top + "images-idx3-ubyte", encode_idx_images(images)},
                        {top + "labels-idx1-ubyte", encode_idx_labels(labels)}};
  if (!record.empty()) entries.push_back({top + "drawings.json", {record.begin(), record.end()}});
  for (int i = 0; i < images.count && i < int(labels.labels.size()); ++i) {
    const int label = labels.labels[i];
    char name[64];
    std::snprintf(name, sizeof name, "png/%04d-%s.png", i + 1,
                  label == kNotADigit ? "none" : std::to_string(label).c_str());
    entries.push_back({top + name, encode_png(images.cols, images.rows, 1, images.image(i))});
  }
  return entries;
}

// The same files written out as the unzipped folder `dir`/digit-drawer-drawings/.
inline void write_class_drawing_folder(const std::filesystem::path& dir,
                                       const ZipEntries& entries) {
  std::string error;
  for (const auto& [name, bytes] : entries) {
    const std::filesystem::path file = dir / name;
    std::filesystem::create_directories(file.parent_path());
    ASSERT_TRUE(write_file(file.string(), bytes, error)) << error;
  }
}

// `count` canvas-sized drawings: the first MNIST test images scaled up 10x (nearest), with their
// labels; or the synthetic drawn digits when MNIST is not there.
inline void canvas_drawings(int count, IdxImages& images, IdxLabels& labels) {
  const MnistFiles* m = mnist();
  if (!m) {
    images = render_drawn_digits(count, 7, kClassDrawingSide, labels);
    return;
  }
  images = IdxImages{count, kClassDrawingSide, kClassDrawingSide, {}};
  labels.labels.clear();
  for (int i = 0; i < count; ++i) {
    const auto img = m->test_images.image(i);
    for (int y = 0; y < kClassDrawingSide; ++y)
      for (int x = 0; x < kClassDrawingSide; ++x)
        images.pixels.push_back(img[(y / 10) * 28 + x / 10]);
    labels.labels.push_back(m->test_labels.labels[i]);
  }
}

}  // namespace digits
