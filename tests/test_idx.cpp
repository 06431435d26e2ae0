// IDX reader and writer on good and corrupt files.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>

#include "io/idx.h"
#include "test_paths.h"

namespace digits {
namespace {

IdxImages small_images() {
  IdxImages im;
  im.count = 2;
  im.rows = 3;
  im.cols = 4;
  for (int i = 0; i < 24; ++i) im.pixels.push_back(uint8_t(i * 10));
  return im;
}

TEST(Idx, ImagesRoundTrip) {
  auto bytes = encode_idx_images(small_images());
  ASSERT_EQ(bytes.size(), 16u + 24u);
  IdxImages back;
  std::string error;
  ASSERT_TRUE(parse_idx_images(bytes, back, error)) << error;
  EXPECT_EQ(back.count, 2);
  EXPECT_EQ(back.rows, 3);
  EXPECT_EQ(back.cols, 4);
  EXPECT_EQ(back.pixels, small_images().pixels);
  EXPECT_EQ(back.image(1)[0], 120);
}

TEST(Idx, LabelsRoundTrip) {
  IdxLabels l{{0, 9, 3}};
  IdxLabels back;
  std::string error;
  ASSERT_TRUE(parse_idx_labels(encode_idx_labels(l), back, error)) << error;
  EXPECT_EQ(back.labels, l.labels);
}

TEST(Idx, CorruptFilesGetClearMessages) {
  const auto good = encode_idx_images(small_images());
  IdxImages out;
  std::string error;

  for (size_t n = 0; n < good.size(); ++n) {
    EXPECT_FALSE(parse_idx_images(std::span(good.data(), n), out, error)) << n;
    EXPECT_NE(error.find("truncated"), std::string::npos) << n << ": " << error;
  }
  auto extra = good;
  extra.push_back(1);
  EXPECT_FALSE(parse_idx_images(extra, out, error));
  EXPECT_NE(error.find("wrong size"), std::string::npos) << error;

  auto bad_magic = good;
  bad_magic[0] = 0x1f;  // e.g. a gzip file given by mistake
  EXPECT_FALSE(parse_idx_images(bad_magic, out, error));
  EXPECT_NE(error.find("not an IDX file"), std::string::npos);

  auto bad_type = good;
  bad_type[2] = 0x0D;  // float data
  EXPECT_FALSE(parse_idx_images(bad_type, out, error));
  EXPECT_NE(error.find("unsupported IDX data type 0x0d "), std::string::npos) << error;

  // Labels given where images are expected.
  EXPECT_FALSE(parse_idx_images(encode_idx_labels({{1, 2}}), out, error));
  EXPECT_NE(error.find("expected images"), std::string::npos) << error;

  IdxLabels labels;
  EXPECT_FALSE(parse_idx_labels(encode_idx_labels({{1, 12}}), labels, error));
  EXPECT_NE(error.find("not a digit"), std::string::npos);

  // Sizes whose product overflows 32 bits must not wrap around.
  std::vector<uint8_t> huge = {0,    0,    8,    3,    0xff, 0xff, 0xff, 0xff,
                               0xff, 0xff, 0xff, 0xff, 0,    0,    0,    28};
  EXPECT_FALSE(parse_idx_images(huge, out, error));
}

TEST(Idx, MissingFileNamesThePath) {
  IdxImages out;
  std::string error;
  EXPECT_FALSE(load_idx_images("/nonexistent/train-images-idx3-ubyte", out, error));
  EXPECT_NE(error.find("/nonexistent/train-images-idx3-ubyte"), std::string::npos);
}

TEST(ReadFile, RefusesWhatIsNotARegularFile) {
  namespace fs = std::filesystem;
  const fs::path dir =
      fs::temp_directory_path() / ("digits_read_file_" + std::to_string(::getpid()));
  fs::create_directories(dir / "forest.bin");
  std::vector<uint8_t> bytes;
  std::string error;
  // A folder used to "open", report a garbage size and end in std::bad_alloc.
  EXPECT_FALSE(read_file((dir / "forest.bin").string(), bytes, error));
  EXPECT_EQ(error, (dir / "forest.bin").string() + ": is a folder, not a file");
  EXPECT_FALSE(read_file("/dev/null", bytes, error));
  EXPECT_NE(error.find("is not a regular file"), std::string::npos) << error;
  IdxImages images;
  EXPECT_FALSE(load_idx_images(dir.string(), images, error));
  EXPECT_NE(error.find("is a folder"), std::string::npos) << error;

  ASSERT_TRUE(write_file((dir / "five").string(), std::vector<uint8_t>(5, 7), error)) << error;
  EXPECT_TRUE(read_file((dir / "five").string(), bytes, error, 5)) << error;
  EXPECT_EQ(bytes, std::vector<uint8_t>(5, 7));
  EXPECT_FALSE(read_file((dir / "five").string(), bytes, error, 4));
  EXPECT_NE(error.find("the file is 5 bytes, more than the 4 read"), std::string::npos) << error;
  fs::remove_all(dir);
}

TEST(Idx, ReadsTheRealMnistTestSet) {
  const std::string path = source_dir() + "/data/mnist/t10k-images-idx3-ubyte";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "MNIST not fetched (scripts/setup.sh)";
  IdxImages images;
  IdxLabels labels;
  std::string error;
  ASSERT_TRUE(load_idx_images(path, images, error)) << error;
  ASSERT_TRUE(load_idx_labels(source_dir() + "/data/mnist/t10k-labels-idx1-ubyte",
                              labels, error));
  EXPECT_EQ(images.count, 10000);
  EXPECT_EQ(images.rows, 28);
  EXPECT_EQ(labels.labels.size(), 10000u);
  EXPECT_EQ(labels.labels[0], 7);  // the famous first test digit
}

}  // namespace
}  // namespace digits
