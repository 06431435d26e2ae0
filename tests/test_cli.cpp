// The CLI as a person uses it: bad arguments, missing and broken files, and the JSON contracts.
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <utility>

#include <nlohmann/json.hpp>

#include "io/idx.h"
#include "test_support.h"

namespace fs = std::filesystem;

namespace {

using ::testing::HasSubstr;

struct CliRun {
  int code;
  std::string out, err;
};

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

class Cli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("digits_cli_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  CliRun run(const std::string& args) {
    const fs::path out = dir_ / "stdout", err = dir_ / "stderr";
    const std::string cmd =
        std::string(DIGITS_CLI_PATH) + " " + args + " >" + out.string() + " 2>" + err.string();
    const int status = std::system(cmd.c_str());
    return CliRun{WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(out), slurp(err)};
  }
  static bool weights_present() { return fs::exists(weights_dir() / "lenet.bin"); }
  static fs::path weights_dir() { return fs::path(DIGITS_SOURCE_DIR) / "weights"; }
  static fs::path mnist(const char* name) {
    return fs::path(DIGITS_SOURCE_DIR) / "data/mnist" / name;
  }

  // The first n MNIST test images, optionally upscaled by `scale` (nearest) — a canvas-sized
  // capture.
  void write_subset(int n, int scale, fs::path& images_path, fs::path& labels_path) {
    digits::IdxImages all, sub;
    digits::IdxLabels labels, sub_labels;
    std::string error;
    ASSERT_TRUE(digits::load_idx_images(mnist("t10k-images-idx3-ubyte"), all, error)) << error;
    ASSERT_TRUE(digits::load_idx_labels(mnist("t10k-labels-idx1-ubyte"), labels, error)) << error;
    sub.count = n;
    sub.rows = sub.cols = 28 * scale;
    for (int i = 0; i < n; ++i) {
      auto img = all.image(i);
      for (int y = 0; y < sub.rows; ++y)
        for (int x = 0; x < sub.cols; ++x) sub.pixels.push_back(img[(y / scale) * 28 + x / scale]);
      sub_labels.labels.push_back(labels.labels[i]);
    }
    images_path = dir_ / "images";
    labels_path = dir_ / "labels";
    ASSERT_TRUE(digits::write_file(images_path, digits::encode_idx_images(sub), error));
    ASSERT_TRUE(digits::write_file(labels_path, digits::encode_idx_labels(sub_labels), error));
  }

  fs::path dir_;
};

TEST_F(Cli, NoArgumentsPrintsUsage) {
  auto r = run("");
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("usage: digits"));
}

// The registry's ids as the CLI lists its choices: "a, b, c".
std::string registry_ids() {
  std::string ids;
  for (const digits::ModelInfo& m : digits::kModelRegistry)
    ids += (ids.empty() ? "" : ", ") + std::string(m.id);
  return ids;
}

TEST_F(Cli, UnknownCommandAndFlags) {
  // Each usage error exits 2 with a sentence saying what is wrong ("" = the exit code alone).
  const std::pair<const char*, std::string> cases[] = {
      {"frobnicate", "unknown command 'frobnicate'"},
      {"evaluate --images a --labels b --bogus", "unknown option '--bogus'"},
      {"train --epochs many", "--epochs needs a whole number"},
      {"train --model svm", "must be one of " + registry_ids() + ", all"},
      {"evaluate --images", "needs a value"},
      {"evaluate", "required"},
      {"predict", ""},
  };
  for (const auto& [command, message] : cases) {
    const auto r = run(command);
    EXPECT_EQ(r.code, 2) << command;
    EXPECT_THAT(r.err, HasSubstr(message)) << command << ": " << r.err;
  }
}

TEST_F(Cli, HelpForEveryCommand) {
  for (const char* c : {"train", "evaluate", "predict", "bench", "drawn"}) {
    auto r = run(std::string(c) + " --help");
    EXPECT_EQ(r.code, 0) << c;
    EXPECT_THAT(r.out, HasSubstr("usage: digits")) << c;
  }
}

TEST_F(Cli, HelpComesFirstAndListsTheRegistrysModels) {
  // --help wins over any mistake around it.
  auto r = run("train --bogus --seed --help");
  EXPECT_EQ(r.code, 0) << r.err;
  for (const digits::ModelInfo& model : digits::kModelRegistry) {
    EXPECT_THAT(r.out, HasSubstr(model.id)) << "train --help";
  }
  for (const char* c : {"evaluate", "predict"}) {
    r = run(std::string(c) + " --help");
    for (const digits::ModelInfo& model : digits::kModelRegistry) {
      EXPECT_THAT(r.out, HasSubstr(model.weights_file)) << c << " --help";
    }
  }
}

TEST_F(Cli, MissingDataSetSaysHowToGetIt) {
  auto r = run("train --data " + (dir_ / "nothing").string() + " --out " + (dir_ / "w").string());
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr("scripts/setup.sh"));
  EXPECT_FALSE(fs::exists(dir_ / "w" / "logreg.bin"));
}

TEST_F(Cli, MissingAndBrokenWeightsNameTheFile) {
  if (!weights_present()) GTEST_SKIP() << "no committed weights";
  if (!fs::exists(mnist("t10k-images-idx3-ubyte"))) GTEST_SKIP() << "MNIST not fetched";
  fs::path images, labels;
  write_subset(20, 1, images, labels);
  const std::string eval = "evaluate --images " + images.string() + " --labels " + labels.string();

  auto r = run(eval + " --weights " + (dir_ / "none").string());
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr("logreg.bin: cannot open"));

  const fs::path w = dir_ / "w";
  fs::create_directories(w);
  for (const char* f : {"logreg.bin", "forest.bin", "lenet.bin"})
    fs::copy_file(weights_dir() / f, w / f);
  fs::resize_file(w / "lenet.bin", fs::file_size(w / "lenet.bin") / 2);
  r = run(eval + " --weights " + w.string());
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr("lenet.bin: truncated"));

  // A forest file where the LeNet-5 should be.
  fs::copy_file(w / "forest.bin", w / "lenet.bin", fs::copy_options::overwrite_existing);
  r = run(eval + " --weights " + w.string());
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr("holds forest weights, expected lenet"));
}

TEST_F(Cli, EvaluateJsonIsExactlyOneObject) {
  if (!weights_present()) GTEST_SKIP() << "no committed weights";
  if (!fs::exists(mnist("t10k-images-idx3-ubyte"))) GTEST_SKIP() << "MNIST not fetched";
  fs::path images, labels;
  write_subset(300, 1, images, labels);
  auto r = run("evaluate --json --images " + images.string() + " --labels " + labels.string());
  ASSERT_EQ(r.code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);  // throws (fails the test) on anything but one object
  EXPECT_EQ(j["n"], 300);
  EXPECT_EQ(j["preprocess"], true);
  for (const char* m : {"logreg", "forest", "lenet"}) {
    EXPECT_GT(j["models"][m]["accuracy"].template get<double>(), 0.85) << m;
    EXPECT_GT(j["models"][m]["log_loss"].get<double>(), 0.0) << m;
  }
  r = run("evaluate --json --no-preprocess --images " + images.string() + " --labels " +
          labels.string());
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["preprocess"], false);
}

TEST_F(Cli, EvaluateReadsCanvasSizedImages) {
  if (!weights_present()) GTEST_SKIP() << "no committed weights";
  if (!fs::exists(mnist("t10k-images-idx3-ubyte"))) GTEST_SKIP() << "MNIST not fetched";
  fs::path images, labels;
  write_subset(100, 10, images, labels);  // 280x280
  auto r = run("evaluate --json --images " + images.string() + " --labels " + labels.string());
  ASSERT_EQ(r.code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_GT(j["models"]["lenet"]["accuracy"].get<double>(), 0.9);
}

TEST_F(Cli, EvaluateRejectsMismatchedFiles) {
  if (!weights_present()) GTEST_SKIP() << "no committed weights";
  if (!fs::exists(mnist("t10k-images-idx3-ubyte"))) GTEST_SKIP() << "MNIST not fetched";
  fs::path images, labels;
  write_subset(10, 1, images, labels);
  std::string error;
  digits::write_file(labels, digits::encode_idx_labels({{1, 2, 3}}), error);
  auto r = run("evaluate --images " + images.string() + " --labels " + labels.string());
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr("10 images but the labels file holds 3"));
  // Labels passed as images.
  r = run("evaluate --images " + labels.string() + " --labels " + labels.string());
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr("expected images"));
}

TEST_F(Cli, PredictImageFiles) {
  if (!weights_present()) GTEST_SKIP() << "no committed weights";
  // A dark "1" on white paper, as someone would draw it, 100x100 PGM.
  std::string pgm = "P5\n100 100\n255\n";
  for (int y = 0; y < 100; ++y)
    for (int x = 0; x < 100; ++x)
      pgm.push_back((x >= 45 && x < 55 && y >= 10 && y < 90) ? char(0) : char(255));
  std::ofstream(dir_ / "one.pgm", std::ios::binary) << pgm;
  auto r = run("predict --json " + (dir_ / "one.pgm").string());
  ASSERT_EQ(r.code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["empty"], false);
  EXPECT_EQ(j["models"]["lenet"]["prediction"], 1);
  EXPECT_EQ(j["models"]["lenet"]["probabilities"].size(), 10u);

  std::string blank = "P5\n50 50\n255\n" + std::string(2500, char(255));
  std::ofstream(dir_ / "blank.pgm", std::ios::binary) << blank;
  r = run("predict --json " + (dir_ / "blank.pgm").string());
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["empty"], true);

  std::ofstream(dir_ / "junk.png", std::ios::binary) << "this is not a picture";
  r = run("predict " + (dir_ / "junk.png").string());
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr("cannot decode"));

  r = run("predict " + (dir_ / "absent.png").string());
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr("absent.png: cannot open"));

  // A folder where a file is expected (it used to say "error: std::bad_alloc").
  r = run("predict " + dir_.string());
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr(dir_.string() + ": is a folder, not a file"));
}

TEST_F(Cli, PredictRefusesHostileImages) {
  if (!weights_present()) GTEST_SKIP() << "no committed weights";
  // Each once crashed or cost gigabytes (issue 10); now each gets one sentence and exit code 1.
  struct Case {
    const char* name;
    std::string bytes;
    const char* message;
  };
  const Case cases[] = {
      {"zero.pgm", "P5 0 0 255\n", "zero.pgm: the image is 0 x 0 pixels: it has no pixels"},
      {"huge.pgm", "P5 60000 60000 255\n", "huge.pgm: the image is 60000 x 60000 pixels; at most"},
      {"tiny.gif", "GIF89a\xff\xff\xff\xff\x00",
       "tiny.gif: cannot decode the image: it is a GIF file"},
  };
  for (const auto& [name, bytes, message] : cases) {
    std::ofstream(dir_ / name, std::ios::binary) << bytes;
    const auto r = run("predict " + (dir_ / name).string());
    EXPECT_EQ(r.code, 1) << name;
    EXPECT_THAT(r.err, HasSubstr(message)) << r.err;
  }
  // A file over the size limit is not read at all (a sparse file: no disk space is used).
  std::ofstream(dir_ / "big.png", std::ios::binary) << "\x89PNG";
  fs::resize_file(dir_ / "big.png", uint64_t(1) << 32);
  const auto r = run("predict " + (dir_ / "big.png").string());
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err,
              HasSubstr("big.png: the file is 4294967296 bytes, more than the 83886080 read"));
}

TEST_F(Cli, AFolderNamedLikeAWeightsFile) {
  if (!weights_present()) GTEST_SKIP() << "no committed weights";
  const fs::path weights = dir_ / "weights";
  fs::create_directories(weights);
  for (const char* name : {"logreg.bin", "lenet.bin"})
    fs::copy_file(weights_dir() / name, weights / name);
  fs::create_directories(weights / "forest.bin");
  const auto r =
      run("predict " + (dir_ / "absent.png").string() + " --weights " + weights.string());
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr("forest.bin: is a folder, not a file; train the models"));
}

TEST_F(Cli, BenchJson) {
  if (!weights_present()) GTEST_SKIP() << "no committed weights";
  auto r = run("bench --json --runs 20");
  ASSERT_EQ(r.code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  for (const char* s : {"preprocess", "logreg", "forest", "lenet", "total"})
    EXPECT_GT(j["steps"][s]["median_ms"].get<double>(), 0.0) << s;
}

TEST_F(Cli, DrawnWritesAnIdxPair) {
  auto r = run("drawn --count 20 --seed 3 --out " + dir_.string());
  ASSERT_EQ(r.code, 0) << r.err;
  digits::IdxImages images;
  std::string error;
  ASSERT_TRUE(digits::load_idx_images(dir_ / "drawn-images-idx3-ubyte", images, error)) << error;
  EXPECT_EQ(images.count, 20);
  EXPECT_EQ(images.rows, 280);
}

TEST_F(Cli, DrawnWritesTheStrokeLibraryAsJson) {
  const fs::path path = dir_ / "strokes.json";
  auto r = run("drawn --strokes " + path.string());
  ASSERT_EQ(r.code, 0) << r.err;
  const auto j = nlohmann::json::parse(slurp(path));  // throws (fails the test) unless valid JSON
  EXPECT_FALSE(j["comment"].get<std::string>().empty());
  int styles_per_label[10] = {};
  for (const auto& style : j["styles"]) {
    const int label = style["label"].get<int>();
    ASSERT_TRUE(label >= 0 && label <= 9) << style["source"];
    ++styles_per_label[label];
    EXPECT_FALSE(style["source"].get<std::string>().empty());
    ASSERT_FALSE(style["strokes"].empty()) << style["source"];
    for (const auto& stroke : style["strokes"]) {
      ASSERT_FALSE(stroke.empty()) << style["source"];
      for (const auto& point : stroke) {
        ASSERT_EQ(point.size(), 2u) << style["source"];
        for (const auto& v : point) {
          EXPECT_GE(v.get<double>(), 0.0) << style["source"];
          EXPECT_LE(v.get<double>(), 1.0) << style["source"];
        }
      }
    }
  }
  for (int label = 0; label < 10; ++label)
    EXPECT_GE(styles_per_label[label], 1) << "no style for " << label;
  EXPECT_FALSE(fs::exists(dir_ / "drawn-images-idx3-ubyte"));  // --strokes alone renders nothing
}

TEST_F(Cli, DrawnNeedsOutOrStrokes) {
  auto r = run("drawn --count 20");
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("--out DIR or --strokes FILE"));
}

}  // namespace
