// metrics.json (train/metrics_file.h): each model's write keeps the other models' entries, and a
// file that is not JSON is started afresh with a warning.
#include <gtest/gtest.h>

#include <unistd.h>
#include <filesystem>
#include <fstream>
#include <string>

#include "test_support.h"
#include "train/metrics_file.h"

namespace digits {
namespace {

namespace fs = std::filesystem;

class MetricsFile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("digits_metrics_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
    path_ = (dir_ / "metrics.json").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  nlohmann::json read_back() const {
    std::ifstream in(path_);
    return nlohmann::json::parse(in);  // throws (fails the test) unless valid JSON
  }

  static constexpr DrawnSetSpec kDrawn{1000, 7, 280};
  fs::path dir_;
  std::string path_;
};

TEST_F(MetricsFile, AMissingFileIsAnEmptyObject) {
  EXPECT_EQ(read_metrics_file(path_), nlohmann::json::object());
}

TEST_F(MetricsFile, ASecondModelsWriteKeepsTheFirstsEntry) {
  update_model_metrics(path_, kDrawn, "first", {{"accuracy", 0.5}, {"file", "first.bin"}});
  update_model_metrics(path_, kDrawn, "second", {{"accuracy", 0.75}});
  const nlohmann::json metrics = read_back();
  EXPECT_EQ(metrics["models"]["first"]["accuracy"], 0.5);
  EXPECT_EQ(metrics["models"]["first"]["file"], "first.bin");
  EXPECT_EQ(metrics["models"]["second"]["accuracy"], 0.75);
  EXPECT_EQ(metrics["models"].size(), 2u);
  EXPECT_EQ(metrics["format"], "digit-drawer metrics, version 1");
  EXPECT_EQ(metrics["drawn_set"]["command"], "digits drawn --count 1000 --seed 7 --side 280");
  EXPECT_EQ(metrics["drawn_set"]["count"], 1000);
  EXPECT_EQ(metrics["drawn_set"]["seed"], 7);
  EXPECT_EQ(metrics["drawn_set"]["side"], 280);

  // Retraining a model replaces its entry only.
  update_model_metrics(path_, kDrawn, "first", {{"accuracy", 0.625}});
  const nlohmann::json again = read_back();
  EXPECT_EQ(again["models"]["first"], (nlohmann::json{{"accuracy", 0.625}}));
  EXPECT_EQ(again["models"]["second"]["accuracy"], 0.75);
}

TEST_F(MetricsFile, KeepsWhatElseTheFileHolds) {
  std::ofstream(path_) << R"({"note": "kept", "models": {"old": {"accuracy": 0.25}}})";
  update_model_metrics(path_, kDrawn, "new", {{"accuracy", 1.0}});
  const nlohmann::json metrics = read_back();
  EXPECT_EQ(metrics["note"], "kept");
  EXPECT_EQ(metrics["models"]["old"]["accuracy"], 0.25);
  EXPECT_EQ(metrics["models"]["new"]["accuracy"], 1.0);
}

TEST_F(MetricsFile, InvalidJsonIsReplacedWithAWarning) {
  std::ofstream(path_) << "{\"models\": {\"old\": ";  // cut short
  ::testing::internal::CaptureStderr();
  update_model_metrics(path_, kDrawn, "new", {{"accuracy", 1.0}});
  const std::string warning = ::testing::internal::GetCapturedStderr();
  EXPECT_THAT(warning, HasSubstr("warning: " + path_ + " is not valid JSON; starting it afresh"));
  const nlohmann::json metrics = read_back();
  EXPECT_EQ(metrics["models"].size(), 1u);
  EXPECT_EQ(metrics["models"]["new"]["accuracy"], 1.0);
  EXPECT_EQ(metrics["format"], "digit-drawer metrics, version 1");
}

}  // namespace
}  // namespace digits
