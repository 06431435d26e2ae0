// The class-drawings download (io/class_drawings.h): the zip and its unzipped folder read alike,
// "not a digit" drawings scored apart, and every damaged, foreign or hostile file refused with a
// sentence before anything large is read or inflated.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>

#include "test_support.h"
#include "train/evaluation.h"

namespace digits {
namespace {

namespace fs = std::filesystem;

// Drawings 0..count-1 with a little square of ink each, and their labels.
IdxImages square_drawings(int count) {
  IdxImages images{count, kClassDrawingSide, kClassDrawingSide, {}};
  images.pixels.assign(size_t(count) * kClassDrawingSide * kClassDrawingSide, 0);
  for (int i = 0; i < count; ++i)
    for (int y = 100; y < 180; ++y)
      for (int x = 120 + i; x < 160 + i; ++x)
        images.pixels[size_t(i) * 78400 + size_t(y) * kClassDrawingSide + x] = 255;
  return images;
}

// drawings.json for `labels`, each drawing with the guesses `guesses(i)` (a JSON object).
std::string record_json(const IdxLabels& labels, const std::function<std::string(int)>& guesses) {
  std::string j = R"({"format": "digit-drawer-drawings", "version": 1, "drawings": [)";
  for (size_t i = 0; i < labels.labels.size(); ++i) {
    const int l = labels.labels[i];
    j += (i ? ", " : "") + std::string(R"({"index": )") + std::to_string(i) + R"(, "label": )" +
         (l == kNotADigit ? R"("none")" : std::to_string(l)) +
         R"(, "time": "2026-12-02T14:03:11.120Z", "strokes": [[[10, 20], [30.5, 40]], [[1, 2]]],)" +
         R"( "guesses": )" + guesses(int(i)) + R"(, "png": "png/x.png"})";
  }
  return j + "]}";
}

class ClassDrawingsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("digits_class_drawings_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
    labels_.labels = {3, kNotADigit, 7, kNotADigit};
    images_ = square_drawings(4);
  }
  void TearDown() override { fs::remove_all(dir_); }

  ZipEntries good_entries() const {
    return class_drawing_entries(images_, labels_, record_json(labels_, [](int i) {
                                   return R"({"lenet": {"digit": )" + std::to_string(i) +
                                          R"(, "confidence": 0.5}, "forest": {"digit": "x"}})";
                                 }));
  }
  // The error load_class_drawings gives for a zip of `entries`, which it must refuse.
  std::string zip_error(const ZipEntries& entries, zip_int32_t method = ZIP_CM_DEFLATE) {
    write_zip(dir_ / "d.zip", entries, method);
    return load_error(dir_ / "d.zip");
  }
  std::string load_error(const fs::path& path) {
    ClassDrawings d;
    std::string error;
    EXPECT_FALSE(load_class_drawings(path.string(), d, error)) << path;
    EXPECT_FALSE(error.empty());
    EXPECT_EQ(error.find('\n'), std::string::npos) << "one sentence: " << error;
    return error;
  }
  std::vector<uint8_t> slurp(const fs::path& path) {
    std::vector<uint8_t> bytes;
    std::string error;
    EXPECT_TRUE(read_file(path.string(), bytes, error)) << error;
    return bytes;
  }

  fs::path dir_;
  IdxImages images_;
  IdxLabels labels_;
};

TEST_F(ClassDrawingsTest, ZipAndItsFolderReadAlike) {
  write_zip(dir_ / "d.zip", good_entries());
  write_class_drawing_folder(dir_ / "unzipped", good_entries());
  for (const fs::path& path :
       {dir_ / "d.zip", dir_ / "unzipped" / kClassDrawingsFolder, dir_ / "unzipped"}) {
    ClassDrawings d;
    std::string error;
    ASSERT_TRUE(load_class_drawings(path.string(), d, error)) << path << ": " << error;
    EXPECT_EQ(d.images.count, 4) << path;
    EXPECT_EQ(d.images.pixels, images_.pixels) << path;
    EXPECT_EQ(d.labels.labels, labels_.labels) << path;
    ASSERT_TRUE(d.has_record) << path;
    ASSERT_EQ(d.recorded_guesses.size(), 4u) << path;
    for (int i = 0; i < 4; ++i) {
      // The forest's guess is not a digit: left out, not an error.
      EXPECT_EQ(d.recorded_guesses[i], (std::map<std::string, int>{{"lenet", i}})) << path;
    }
  }
}

TEST_F(ClassDrawingsTest, DrawingsJsonIsOptional) {
  write_zip(dir_ / "d.zip", class_drawing_entries(images_, labels_, ""));
  ClassDrawings d;
  std::string error;
  ASSERT_TRUE(load_class_drawings((dir_ / "d.zip").string(), d, error)) << error;
  EXPECT_FALSE(d.has_record);
  EXPECT_TRUE(d.recorded_guesses.empty());
}

TEST_F(ClassDrawingsTest, DamagedEmptyAndForeignFiles) {
  write_zip(dir_ / "good.zip", good_entries());
  std::vector<uint8_t> zip = slurp(dir_ / "good.zip");
  std::string error;

  write_file((dir_ / "cut.zip").string(), std::span(zip).first(zip.size() / 2), error);
  EXPECT_THAT(load_error(dir_ / "cut.zip"), HasSubstr("not a readable zip file"));

  write_file((dir_ / "empty").string(), {}, error);
  EXPECT_THAT(load_error(dir_ / "empty"), HasSubstr("the file is empty (0 bytes), not a zip"));

  // An empty zip: its end-of-central-directory record alone.
  std::vector<uint8_t> empty_zip = {'P', 'K', 5, 6};
  empty_zip.resize(22, 0);
  write_file((dir_ / "empty.zip").string(), empty_zip, error);
  EXPECT_THAT(load_error(dir_ / "empty.zip"), HasSubstr("the zip holds no files"));

  EXPECT_THAT(zip_error({{"holiday/photo.jpg", {1, 2, 3}}}),
              HasSubstr("not a class-drawings zip (it holds no "
                        "digit-drawer-drawings/images-idx3-ubyte)"));
  auto no_labels = good_entries();
  no_labels.erase(no_labels.begin() + 1);
  EXPECT_THAT(zip_error(no_labels), HasSubstr("labels-idx1-ubyte is missing"));

  // A flipped byte in the stored images: libzip's CRC check catches it.
  write_zip(dir_ / "stored.zip", good_entries(), ZIP_CM_STORE);
  zip = slurp(dir_ / "stored.zip");
  const uint8_t idx3[] = {0, 0, 8, 3};  // the images' magic number, where their data starts
  const auto at = std::search(zip.begin(), zip.end(), idx3, idx3 + 4);
  ASSERT_NE(at, zip.end());
  at[16 + 40000] ^= 0xff;
  write_file((dir_ / "flipped.zip").string(), zip, error);
  EXPECT_THAT(load_error(dir_ / "flipped.zip"), HasSubstr("damaged (CRC error)"));

  EXPECT_THAT(load_error(dir_ / "nothing.zip"), HasSubstr("cannot open"));
  EXPECT_THAT(load_error("/dev/null"), HasSubstr("not a regular file"));
}

// Sets the uncompressed size that a stored zip declares for `entry`, in its local header and in
// the central directory, leaving its data as it is.
void declare_size(std::vector<uint8_t>& zip, const std::string& entry, uint32_t size) {
  const auto patch = [&](const char* signature, size_t size_at, size_t name_at) {
    for (size_t p = 0; p + name_at + entry.size() <= zip.size(); ++p) {
      if (std::equal(signature, signature + 4, zip.begin() + p) &&
          std::equal(entry.begin(), entry.end(), zip.begin() + p + name_at))
        for (int b = 0; b < 4; ++b) zip[p + size_at + b] = uint8_t(size >> (8 * b));
    }
  };
  patch("PK\x03\x04", 22, 30);  // local file header
  patch("PK\x01\x02", 24, 46);  // central directory
}

TEST_F(ClassDrawingsTest, SizesAreCheckedBeforeInflating) {
  const std::string images = std::string(kClassDrawingsFolder) + "/images-idx3-ubyte";
  write_zip(dir_ / "stored.zip", good_entries(), ZIP_CM_STORE);
  const std::vector<uint8_t> good = slurp(dir_ / "stored.zip");
  std::string error;

  // A zip bomb: 4 GB declared (the data is 300 KB). Refused from the size, nothing allocated.
  std::vector<uint8_t> zip = good;
  declare_size(zip, images, 0xfffffff0u);
  write_file((dir_ / "bomb.zip").string(), zip, error);
  EXPECT_THAT(load_error(dir_ / "bomb.zip"),
              HasSubstr("images-idx3-ubyte is 4294967280 bytes, more than 20000 drawings"));
  // One more drawing than allowed.
  zip = good;
  declare_size(zip, images, 16 + (kMaxClassDrawings + 1) * 78400u);
  write_file((dir_ / "bomb.zip").string(), zip, error);
  EXPECT_THAT(load_error(dir_ / "bomb.zip"), HasSubstr("more than 20000 drawings"));
  // Not whole 280x280 images.
  zip = good;
  declare_size(zip, images, 16 + 4 * 78400 + 1);
  write_file((dir_ / "odd.zip").string(), zip, error);
  EXPECT_THAT(load_error(dir_ / "odd.zip"), HasSubstr("not 16 + N x 78400"));
  // More than stored data can be (deflated: more than 1032 bytes from one).
  zip = good;
  declare_size(zip, images, 16 + 5 * 78400);
  declare_size(zip, std::string(kClassDrawingsFolder) + "/labels-idx1-ubyte", 8 + 5);
  write_file((dir_ / "lie.zip").string(), zip, error);
  EXPECT_THAT(load_error(dir_ / "lie.zip"), HasSubstr("compressed, more than it can unpack to"));
  // Declared smaller than the data: the entry unpacks to more than it says.
  zip = good;
  declare_size(zip, images, 16 + 3 * 78400);
  declare_size(zip, std::string(kClassDrawingsFolder) + "/labels-idx1-ubyte", 8 + 3);
  write_file((dir_ / "short.zip").string(), zip, error);
  EXPECT_THAT(load_error(dir_ / "short.zip"), HasSubstr("images-idx3-ubyte: "));
}

TEST_F(ClassDrawingsTest, WrongIdxFilesAndCounts) {
  auto entries = good_entries();
  // Three labels for four drawings.
  entries[1].second = encode_idx_labels({{3, 10, 7}});
  EXPECT_THAT(zip_error(entries), HasSubstr("the images and labels do not match"));
  // A label that is neither a digit nor "not a digit".
  entries[1].second = encode_idx_labels({{3, 10, 11, 1}});
  EXPECT_THAT(zip_error(entries), HasSubstr("label 2 is 11, neither a digit 0-9 nor 10"));
  // A wrong magic number.
  entries = good_entries();
  entries[0].second[0] = 0x1f;
  EXPECT_THAT(zip_error(entries), HasSubstr("images-idx3-ubyte: not an IDX file"));
  // 400 MNIST-sized images: the same bytes as four of 280x280.
  entries = good_entries();
  IdxImages small{400, 28, 28, std::vector<uint8_t>(400 * 784, 0)};
  entries[0].second = encode_idx_images(small);
  EXPECT_THAT(zip_error(entries), HasSubstr("holds images of 28x28, not the page's 280x280"));
  // No drawings at all.
  entries = class_drawing_entries(square_drawings(0), IdxLabels{}, "");
  EXPECT_THAT(zip_error(entries), HasSubstr("holds no drawings"));
}

TEST_F(ClassDrawingsTest, DrawingsJsonMustMatch) {
  auto entries = good_entries();
  const auto with_record = [&](const std::string& json) {
    auto e = entries;
    e[2].second.assign(json.begin(), json.end());
    return zip_error(e);
  };
  IdxLabels three{{3, 10, 7}};
  EXPECT_THAT(with_record(record_json(three, [](int) { return "{}"; })),
              HasSubstr("drawings.json lists 3 drawings but images-idx3-ubyte holds 4"));
  EXPECT_THAT(with_record(R"({"format": "digit-drawer-drawings", "version": 1, "drawings": [)"),
              HasSubstr("drawings.json is not valid JSON"));
  EXPECT_THAT(
      with_record(R"({"format": "something-else"})"),
      HasSubstr(R"(not a digit-drawer-drawings record (its "format" is "something-else"))"));
  EXPECT_THAT(with_record(R"({"format": "digit-drawer-drawings", "version": 2})"),
              HasSubstr("is version 2, and this digits reads version 1"));
}

TEST_F(ClassDrawingsTest, AFolderMissingAFile) {
  const fs::path top = dir_ / kClassDrawingsFolder;
  write_class_drawing_folder(dir_, good_entries());
  fs::remove(top / "labels-idx1-ubyte");
  EXPECT_THAT(load_error(dir_), HasSubstr("labels-idx1-ubyte is missing"));
  fs::remove(top / "images-idx3-ubyte");
  EXPECT_THAT(load_error(top), HasSubstr("images-idx3-ubyte is missing: this folder is not an"));
  // A folder where a file should be.
  fs::create_directories(top / "images-idx3-ubyte");
  write_class_drawing_folder(dir_, {good_entries()[1]});
  EXPECT_THAT(load_error(top), HasSubstr("images-idx3-ubyte: is a folder, not a file"));
}

TEST(ClassDrawingsEvaluation, NotADigitApartAndThePagesGuesses) {
  if (!std::filesystem::exists(kWeightsDir / "lenet.bin")) GTEST_SKIP() << "no committed weights";
  DigitClassifier classifier;
  std::string error;
  for (int m = 0; m < kModels; ++m) ASSERT_TRUE(classifier.load(m, committed_weights(m), error));
  ClassDrawings d;
  canvas_drawings(40, d.images, d.labels);
  const IdxLabels digit_labels = d.labels;
  const Evaluation all = evaluate_classifier(classifier, d.images, digit_labels);
  // Every fourth drawing said to be "not a digit"; the page's guesses are the models' answers,
  // but for LeNet-5's on drawing 0.
  const ClassifiedImages c = classify_images(classifier, d.images);
  d.has_record = true;
  d.recorded_guesses.resize(40);
  std::array<std::array<int, kClasses>, kModels> said{};
  for (int i = 0; i < 40; ++i) {
    for (int m = 0; m < kModels; ++m) {
      const int answer = top_class(c.proba[i][m]);
      d.recorded_guesses[i][kModelRegistry[m].id] = answer;
      if (i % 4 == 0) ++said[m][answer];
    }
    if (i % 4 == 0) d.labels.labels[i] = kNotADigit;
  }
  const int lenet = model_index(LeNetModel::kKind);
  d.recorded_guesses[0][kModelRegistry[lenet].id] = (top_class(c.proba[0][lenet]) + 1) % kClasses;

  const ClassEvaluation e = evaluate_class_drawings(classifier, d);
  EXPECT_EQ(e.count, 40);
  EXPECT_EQ(e.digits.count, 30);
  EXPECT_EQ(e.not_a_digit, 10);
  ASSERT_TRUE(e.has_record);
  for (int m = 0; m < kModels; ++m) {
    EXPECT_EQ(e.not_a_digit_answers[m].said, said[m]) << kModelRegistry[m].id;
    EXPECT_EQ(e.digits.models[m].total, 30);
    // The digits are scored as evaluate_classifier scores them, less the ten taken out.
    int right_on_removed = 0;
    for (int i = 0; i < 40; i += 4)
      right_on_removed += top_class(c.proba[i][m]) == digit_labels.labels[i];
    EXPECT_EQ(e.digits.models[m].right, all.models[m].right - right_on_removed);
    EXPECT_EQ(e.recorded[m], 40);
    EXPECT_EQ(e.recorded_agree[m], m == lenet ? 39 : 40);
  }
}

}  // namespace
}  // namespace digits
