// The committed weights under weights/ reach the accuracy recorded beside them in
// weights/metrics.json (within 0.1 point), on the full MNIST test set and on the drawn-digit set,
// through the same classify() call the page makes.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>

#include <nlohmann/json.hpp>

#include "core/classifier.h"
#include "drawn/drawn_digits.h"
#include "io/idx.h"
#include "io/md5.h"
#include "test_support.h"
#include "train/evaluation.h"

namespace fs = std::filesystem;

namespace digits {
namespace {

class CommittedWeights : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::ifstream in(kWeightsDir / "metrics.json");
    ASSERT_TRUE(in) << "weights/metrics.json is missing";
    metrics_ = nlohmann::json::parse(in);
    for (int i = 0; i < kModels; ++i) {
      const std::vector<uint8_t> bytes = committed_weights(i);
      std::string error;
      ASSERT_TRUE(classifier_.load(i, bytes, error))
          << kModelRegistry[i].weights_file << ": " << error;
      md5_[kModelRegistry[i].id] = md5_hex(bytes);
      size_[kModelRegistry[i].id] = bytes.size();
    }
  }
  static inline nlohmann::json metrics_;
  static inline DigitClassifier classifier_;
  static inline std::map<std::string, std::string> md5_;
  static inline std::map<std::string, size_t> size_;
};

TEST_F(CommittedWeights, MetricsDescribeTheseFiles) {
  for (int i = 0; i < kModels; ++i) {
    const std::string id = kModelRegistry[i].id;
    const auto& m = metrics_["models"][id];
    ASSERT_TRUE(m.is_object()) << id << " has no entry in metrics.json";
    EXPECT_EQ(m["file"], kModelRegistry[i].weights_file);
    EXPECT_EQ(m["file_md5"], md5_[id])
        << kModelRegistry[i].weights_file << " differs from the file metrics.json describes";
    EXPECT_EQ(m["file_bytes"], size_[id]);
    EXPECT_EQ(m["training_images"], 60000) << "committed models are trained on all of MNIST";
    EXPECT_EQ(m["preprocess"], preprocess_mode_name(classifier_.model(i).preprocess()));
  }
}

TEST_F(CommittedWeights, ReachRecordedAccuracyOnFullMnistTest) {
  const fs::path dir = fs::path(source_dir()) / "data/mnist";
  if (!fs::exists(dir / "t10k-images-idx3-ubyte"))
    GTEST_SKIP() << "MNIST not fetched (scripts/setup.sh)";
  IdxImages images;
  IdxLabels labels;
  std::string error;
  ASSERT_TRUE(load_idx_images((dir / "t10k-images-idx3-ubyte").string(), images, error)) << error;
  ASSERT_TRUE(load_idx_labels((dir / "t10k-labels-idx1-ubyte").string(), labels, error)) << error;
  ASSERT_EQ(images.count, 10000);
  const Evaluation e = evaluate_classifier(classifier_, images, labels);
  for (int m = 0; m < kModels; ++m) {
    const std::string name = kModelRegistry[m].id;
    const double recorded = metrics_["models"][name]["mnist_test"]["accuracy"];
    EXPECT_GE(e.models[m].accuracy, recorded - 0.001) << name;
    EXPECT_NEAR(e.models[m].log_loss,
                metrics_["models"][name]["mnist_test"]["log_loss"].get<double>(), 0.01)
        << name;
  }
}

TEST_F(CommittedWeights, ReachRecordedAccuracyOnTheDrawnSet) {
  const auto& set = metrics_["drawn_set"];
  IdxLabels labels;
  const IdxImages images = render_drawn_digits(set["count"], set["seed"], set["side"], labels);
  const Evaluation e = evaluate_classifier(classifier_, images, labels);
  for (int m = 0; m < kModels; ++m) {
    const std::string name = kModelRegistry[m].id;
    const double recorded = metrics_["models"][name]["drawn"]["accuracy"];
    EXPECT_GE(e.models[m].accuracy, recorded - 0.001) << name;
  }
}

}  // namespace
}  // namespace digits
