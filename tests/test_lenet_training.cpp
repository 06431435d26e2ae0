// Tests of the LeNet-5 trainer (native/train/lenet_trainer.cpp): a short run on a slice of MNIST
// learns far better than chance, the same seed gives the same weights (tiny-dnn trains with
// threads), and misuse is reported as a clear error.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "test_support.h"
#include "train/dataset.h"
#include "train/evaluation.h"
#include "train/trainers.h"

namespace digits {
namespace {

TEST(LeNetTraining, ShortImprovedRunBeatsChanceByFar) {
  const MnistFiles* files = mnist();
  if (!files) GTEST_SKIP() << "MNIST not found under data/mnist (run scripts/setup.sh)";
  const IdxImages train_images = files->train_images.head(2000),
                  test_images = files->test_images.head(500);
  const IdxLabels train_labels = files->train_labels.head(2000),
                  test_labels = files->test_labels.head(500);
  const Dataset test = make_dataset(test_images, test_labels, recipe_preprocess(Recipe::Improved));

  TrainOptions options = quiet_options();
  options.recipe = Recipe::Improved;
  options.epochs = 2;
  TrainReport report;
  const LeNetModel model = train_lenet(train_images, train_labels, test, options, report);

  EXPECT_EQ(model.preprocess(), PreprocessMode::MnistDeskew);
  const double acc = score_model(model, test).accuracy;
  EXPECT_GT(acc, 0.70) << "2 epochs on 2000 images should be far above chance (10%)";
  // The report names the run and carries the validation figure the trainer printed.
  EXPECT_THAT(report.hyperparameters, HasSubstr("2 epochs"));
  double best = -1;
  for (const auto& [name, value] : report.details)
    if (name == "best_validation_accuracy") best = value;
  EXPECT_GE(best, acc - 1e-9);
  EXPECT_GT(report.seconds, 0);
}

TEST(LeNetTraining, SameSeedGivesIdenticalWeights) {
  const MnistFiles* files = mnist();
  if (!files) GTEST_SKIP() << "MNIST not found under data/mnist (run scripts/setup.sh)";
  const IdxImages images = files->train_images.head(300);
  const IdxLabels labels = files->train_labels.head(300);
  TrainOptions options = quiet_options();
  options.recipe = Recipe::Improved;  // exercises the shuffle and the augmentation too
  options.epochs = 1;
  TrainReport report;
  options.seed = 5;
  const auto first = train_lenet(images, labels, {}, options, report).serialize();
  options.threads = 1;  // the augmentation's thread count must not matter either
  const auto second = train_lenet(images, labels, {}, options, report).serialize();
  options.seed = 6;
  options.threads = 0;
  const auto other = train_lenet(images, labels, {}, options, report).serialize();
  EXPECT_EQ(first, second);
  EXPECT_NE(first, other);
}

TEST(LeNetTraining, MismatchedLabelsAreAClearError) {
  IdxImages images;
  images.count = 3;
  images.rows = images.cols = 28;
  images.pixels.assign(3 * 28 * 28, 0);
  IdxLabels labels;
  labels.labels = {1, 2};
  const TrainOptions options = quiet_options();
  TrainReport report;
  try {
    train_lenet(images, labels, {}, options, report);
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_THAT(std::string(e.what()), HasSubstr("3 images but 2 labels")) << e.what();
  }
}

}  // namespace
}  // namespace digits
