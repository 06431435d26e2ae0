// The CLI as a person uses it: bad arguments, missing and broken files, and the JSON contracts.
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <utility>

#include <nlohmann/json.hpp>

#include "io/idx.h"
#include "io/image_file.h"
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
        digits::cli_path() + " " + args + " >" + out.string() + " 2>" + err.string();
    const int status = std::system(cmd.c_str());
    return CliRun{WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(out), slurp(err)};
  }
  static bool weights_present() { return fs::exists(weights_dir() / "lenet.bin"); }
  static fs::path weights_dir() { return fs::path(digits::source_dir()) / "weights"; }
  static fs::path mnist(const char* name) {
    return fs::path(digits::source_dir()) / "data/mnist" / name;
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

TEST_F(Cli, EvaluateReadsAClassDrawingsZipAndItsFolder) {
  if (!weights_present()) GTEST_SKIP() << "no committed weights";
  digits::IdxImages images;
  digits::IdxLabels labels;
  digits::canvas_drawings(20, images, labels);
  for (int i = 0; i < 20; i += 5) labels.labels[i] = digits::kNotADigit;
  const auto entries = digits::class_drawing_entries(images, labels, "");
  digits::write_zip(dir_ / "d.zip", entries);
  digits::write_class_drawing_folder(dir_ / "unzipped", entries);

  const auto zip = run("evaluate --json " + (dir_ / "d.zip").string());
  ASSERT_EQ(zip.code, 0) << zip.err;
  EXPECT_EQ(run("evaluate --json " + (dir_ / "unzipped").string()).out, zip.out);
  const auto j = nlohmann::json::parse(zip.out);
  EXPECT_EQ(j["n"], 20);
  EXPECT_EQ(j["digits"], 16);
  EXPECT_EQ(j["not_a_digit"]["n"], 4);
  EXPECT_TRUE(j["page_guesses"].is_null());
  for (const digits::ModelInfo& m : digits::kModelRegistry) {
    EXPECT_EQ(j["models"][m.id]["total"], 16) << m.id;
    int said = 0;
    for (int n : j["not_a_digit"]["models"][m.id]["said"]) said += n;
    EXPECT_EQ(said + j["not_a_digit"]["models"][m.id]["no_ink"].get<int>(), 4) << m.id;
  }
  const auto text = run("evaluate " + (dir_ / "d.zip").string());
  ASSERT_EQ(text.code, 0) << text.err;
  EXPECT_THAT(text.out, HasSubstr("20 drawings of 280x280, 16 digits and 4 \"not a digit\""));
  EXPECT_THAT(text.out, HasSubstr(" of 16 "));
  EXPECT_THAT(text.out, HasSubstr("No drawings.json"));

  // Hostile or wrong input: one sentence on stderr, exit code 1; both forms at once: usage.
  digits::write_zip(dir_ / "foreign.zip", {{"notes.txt", {'h', 'i'}}});
  std::string error;
  const std::vector<uint8_t> damaged = {'P', 'K', 3, 4, 1, 2, 3};
  digits::write_file((dir_ / "damaged.zip").string(), damaged, error);
  const std::pair<fs::path, std::string> bad[] = {
      {dir_ / "foreign.zip", "not a class-drawings zip"},
      {dir_ / "damaged.zip", "not a readable zip file"},
      {dir_, "images-idx3-ubyte is missing: this folder is not an unzipped class-drawings"},
  };
  for (const auto& [path, message] : bad) {
    const auto r = run("evaluate " + path.string());
    EXPECT_EQ(r.code, 1) << path;
    EXPECT_THAT(r.err, HasSubstr(message)) << path;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }
  const auto both = run("evaluate " + (dir_ / "d.zip").string() + " --images x --labels y");
  EXPECT_EQ(both.code, 2);
  EXPECT_THAT(both.err, HasSubstr("not both"));
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

// ---------------------------------------------------------------------------------------------
// predict --explain

class CliExplain : public Cli {
 protected:
  void SetUp() override {
    Cli::SetUp();
    if (!weights_present()) GTEST_SKIP() << "no committed weights";
    // A dark "1" on white paper, 100x100 PGM.
    std::string pgm = "P5\n100 100\n255\n";
    for (int y = 0; y < 100; ++y)
      for (int x = 0; x < 100; ++x)
        pgm.push_back((x >= 45 && x < 55 && y >= 10 && y < 90) ? char(0) : char(255));
    one_ = (dir_ / "one.pgm").string();
    std::ofstream(one_, std::ios::binary) << pgm;
  }
  std::string one_;
};

TEST_F(CliExplain, SummarisesEachModel) {
  auto r = run("predict " + one_ + " --explain");
  ASSERT_EQ(r.code, 0) << r.err;
  for (const char* text :
       {"logreg: each digit's logit is its bias plus the evidence",
        "pixels most for     1:", "pixels most against 1:", "forest: 100 trees",
        "tree 0: ", "1. node     0: pixel", "lenet: every layer's output", "conv1          6x28x28",
        "pool2          16x5x5", "conv2_filters  16x6x5x5"})
    EXPECT_THAT(r.out, HasSubstr(text));
  r = run("predict " + one_ + " --explain --tree 99");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("tree 99: "));
}

TEST_F(CliExplain, JsonHoldsEveryArrayAndTheSamePrediction) {
  auto plain = run("predict --json " + one_);
  auto r = run("predict --json --explain --tree 5 " + one_);
  ASSERT_EQ(r.code, 0) << r.err;
  const auto p = nlohmann::json::parse(plain.out), j = nlohmann::json::parse(r.out);
  EXPECT_FALSE(p["models"]["logreg"].contains("insight"));  // only when asked
  for (const char* id : {"logreg", "forest", "lenet"})
    EXPECT_EQ(j["models"][id]["probabilities"], p["models"][id]["probabilities"]) << id;

  const auto& logreg = j["models"]["logreg"];
  EXPECT_EQ(logreg["shapes"]["contribution"], nlohmann::json({10, 28, 28}));
  EXPECT_EQ(logreg["insight"]["contribution"].size(), 10u);
  EXPECT_EQ(logreg["insight"]["contribution"][3].size(), 28u);
  EXPECT_EQ(logreg["insight"]["templates"][9][27].size(), 28u);
  EXPECT_EQ(logreg["model_arrays"], nlohmann::json({"bias", "templates"}));
  // softmax(logit) is the probabilities (to the printed precision).
  std::vector<double> logit = logreg["insight"]["logit"];
  double top = *std::max_element(logit.begin(), logit.end()), sum = 0;
  for (double& z : logit) sum += z = std::exp(z - top);
  for (int d = 0; d < 10; ++d)
    EXPECT_NEAR(logit[d] / sum, logreg["probabilities"][d].get<double>(), 1e-6);

  const auto& forest = j["models"]["forest"];
  EXPECT_EQ(forest["path_tree"], 5);
  EXPECT_EQ(forest["insight"]["vote"].size(), 100u);
  EXPECT_EQ(forest["insight"]["leaf_proba"][99].size(), 10u);
  int votes = 0;
  for (int v : forest["vote_counts"]) votes += v;
  EXPECT_EQ(votes, 100);
  const size_t steps = forest["insight"]["path_row"].size();
  EXPECT_GT(steps, 0u);
  for (const char* name : {"path_node", "path_col", "path_threshold", "path_value", "path_right"})
    EXPECT_EQ(forest["insight"][name].size(), steps) << name;

  const auto& lenet = j["models"]["lenet"];
  EXPECT_EQ(lenet["shapes"]["conv1"], nlohmann::json({6, 28, 28}));
  EXPECT_EQ(lenet["shapes"]["pool1"], nlohmann::json({6, 14, 14}));
  EXPECT_EQ(lenet["shapes"]["conv2"], nlohmann::json({16, 10, 10}));
  EXPECT_EQ(lenet["shapes"]["pool2"], nlohmann::json({16, 5, 5}));
  EXPECT_EQ(lenet["insight"]["fc1"].size(), 120u);
  EXPECT_EQ(lenet["insight"]["fc2"].size(), 84u);
  EXPECT_EQ(lenet["insight"]["fc3"].size(), 10u);
  EXPECT_EQ(lenet["shapes"]["conv2_filters"], nlohmann::json({16, 6, 5, 5}));
}

TEST_F(CliExplain, WritesTheMapsAsPngFiles) {
  const fs::path maps = dir_ / "maps" / "deeper";  // made if missing
  auto r = run("predict --json --explain " + one_ + " --out " + maps.string());
  ASSERT_EQ(r.code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  // input + logreg 10 + 10, lenet 6 + 6 + 16 + 16 maps and 6 + 16 filters.
  EXPECT_EQ(j["files"]["names"].size(), 1u + 20u + 44u + 22u);
  const std::pair<const char*, int> expected[] = {{"input.png", 168},
                                                  {"logreg-contribution-0.png", 168},
                                                  {"logreg-templates-9.png", 168},
                                                  {"lenet-conv1-5.png", 168},
                                                  {"lenet-pool1-0.png", 168},
                                                  {"lenet-conv2-15.png", 160},
                                                  {"lenet-pool2-07.png", 165},
                                                  {"lenet-conv1_filters-0.png", 165},
                                                  {"lenet-conv2_filters-15.png", 165}};
  for (const auto& [name, height] : expected) {
    digits::GrayImage image;
    std::string error;
    ASSERT_TRUE(digits::load_image_file((maps / name).string(), image, error)) << name << error;
    EXPECT_EQ(image.height, height) << name;
  }
  r = run("predict --explain " + one_ + " --out " + maps.string());  // again, into the same folder
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("wrote 87 PNG files into " + maps.string()));
}

TEST_F(CliExplain, BadArgumentsAndFilesGetASentence) {
  std::ofstream(dir_ / "a-file", std::ios::binary) << "x";
  const std::string file = (dir_ / "a-file").string();
  const struct {
    std::string args;
    int code;
    const char* message;
  } cases[] = {
      {"predict --explain", 2, "give an image file to explain"},
      {"predict " + one_ + " --tree 3", 2, "option --tree goes with --explain"},
      {"predict " + one_ + " --out " + dir_.string(), 2, "option --out goes with --explain"},
      {"predict " + one_ + " --explain --tree 100", 2,
       "--tree must be between 0 and 99, got 100 (the forest has 100 trees"},
      {"predict " + one_ + " --explain --tree -1", 2, "--tree must be between 0 and 99, got -1"},
      {"predict " + one_ + " --explain --tree seven", 2, "--tree needs a whole number"},
      {"predict " + one_ + " --explain --out " + file, 2, "which is not a folder"},
      {"predict " + one_ + " --explain --out " + file + "/maps", 1, "cannot create the folder"},
      {"predict " + (dir_ / "absent.png").string() + " --explain", 1, "absent.png: cannot open"},
      {"predict " + file + " --explain --json", 1, "a-file: cannot decode"},
  };
  for (const auto& c : cases) {
    const auto r = run(c.args);
    EXPECT_EQ(r.code, c.code) << c.args;
    EXPECT_THAT(r.err, HasSubstr(c.message)) << c.args;
    EXPECT_EQ(r.out, "") << c.args;
  }
  // Nothing drawn: nothing to explain, said as such.
  std::ofstream(dir_ / "blank.pgm", std::ios::binary)
      << "P5\n50 50\n255\n" + std::string(2500, char(255));
  auto r = run("predict " + (dir_ / "blank.pgm").string() + " --explain --out " +
               (dir_ / "none").string());
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("no insight: the models did not run"));
  EXPECT_FALSE(fs::exists(dir_ / "none"));
}

}  // namespace
