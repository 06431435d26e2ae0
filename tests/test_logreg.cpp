// Logistic regression: the core model (softmax, prediction, weights format) and its trainer (the
// objective's gradient, a short run on real MNIST). The L-BFGS solver has test_lbfgs.cpp.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstring>
#include <random>
#include <vector>

#include "core/forest.h"
#include "core/logreg.h"
#include "test_support.h"
#include "train/dataset.h"
#include "train/evaluation.h"
#include "train/logreg_trainer.h"

namespace digits {
namespace {

// ---------------------------------------------------------------------------------------------
// softmax

TEST(LogRegSoftmax, HugeLogitsStayFinite) {
  std::array<float, 4> z = {1000.0f, 0.0f, -1000.0f, 999.0f};
  softmax(z);
  for (float p : z) EXPECT_TRUE(std::isfinite(p));
  // e^0 : e^-1 for the two large ones, the rest underflow to 0.
  EXPECT_NEAR(z[0], 1.0 / (1.0 + std::exp(-1.0)), 1e-6);
  EXPECT_NEAR(z[3], std::exp(-1.0) / (1.0 + std::exp(-1.0)), 1e-6);
  EXPECT_EQ(z[1], 0.0f);
  EXPECT_EQ(z[2], 0.0f);

  std::array<float, 2> near_max = {3e38f, 3e38f};
  softmax(near_max);
  EXPECT_FLOAT_EQ(near_max[0], 0.5f);
  EXPECT_FLOAT_EQ(near_max[1], 0.5f);

  std::array<float, 3> very_negative = {-1e30f, -1e30f, -1e30f};
  softmax(very_negative);
  for (float p : very_negative) EXPECT_NEAR(p, 1.0f / 3.0f, 1e-6);
}

TEST(LogRegSoftmax, SumsToOneAndIgnoresShifts) {
  std::array<float, 5> a = {0.5f, -1.0f, 2.0f, 0.0f, 1.25f};
  std::array<float, 5> shifted = a;
  for (float& v : shifted) v += 40.0f;
  softmax(a);
  softmax(shifted);
  float sum = 0;
  for (int i = 0; i < 5; ++i) {
    sum += a[i];
    EXPECT_NEAR(a[i], shifted[i], 1e-6);
  }
  EXPECT_NEAR(sum, 1.0f, 1e-6);
  EXPECT_GT(a[2], a[4]);  // order of logits kept
}

// ---------------------------------------------------------------------------------------------
// predict_proba

// W[c][0] = ln(c + 1), so pixel 0 = 1 gives logits ln 1 .. ln 10, i.e. odds 1 : 2 : ... : 10.
// Column 5 is the same for every class (a constant shift, no effect), other pixels have zero
// weight, and b[9] = -ln 2 halves class 9's odds to 5. Total 45 + 5 = 50:
//   p[c] = (c + 1) / 50 for c < 9, p[9] = 5 / 50.
TEST(LogRegModel, PredictProbaMatchesHandComputedValues) {
  LogRegModel::Weights w = LogRegModel::Weights::Zero();
  LogRegModel::Bias b = LogRegModel::Bias::Zero();
  for (int c = 0; c < kClasses; ++c) {
    w(c, 0) = std::log(float(c + 1));
    w(c, 5) = 7.0f;
  }
  b(9) = -std::log(2.0f);
  LogRegModel model(w, b, PreprocessMode::Mnist);

  std::vector<float> x(kPixels, 0.3f);
  x[0] = 1.0f;
  x[5] = 0.25f;
  std::array<float, kClasses> p{};
  model.predict_proba(x, p);
  for (int c = 0; c < 9; ++c) EXPECT_NEAR(p[c], (c + 1) / 50.0, 1e-6) << "class " << c;
  EXPECT_NEAR(p[9], 5.0 / 50.0, 1e-6);
}

TEST(LogRegModel, DefaultModelPredictsUniform) {
  LogRegModel model;
  std::vector<float> x(kPixels, 1.0f);
  std::array<float, kClasses> p{};
  model.predict_proba(x, p);
  for (float v : p) EXPECT_FLOAT_EQ(v, 0.1f);
  EXPECT_EQ(model.parameter_count(), 7850u);
}

// ---------------------------------------------------------------------------------------------
// Weights format

LogRegModel random_model(uint32_t seed, PreprocessMode mode) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal(0.0f, 0.5f);
  LogRegModel::Weights w;
  LogRegModel::Bias b;
  for (int i = 0; i < w.size(); ++i) w.data()[i] = normal(rng);
  for (int i = 0; i < b.size(); ++i) b.data()[i] = normal(rng);
  return LogRegModel(w, b, mode);
}

TEST(LogRegFormat, SerializeParseRoundTripIsExact) {
  for (PreprocessMode mode :
       {PreprocessMode::Plain, PreprocessMode::Mnist, PreprocessMode::MnistDeskew}) {
    const LogRegModel original = random_model(7, mode);
    const std::vector<uint8_t> file = original.serialize();
    // Header, two u32 dimensions, 7840 + 10 floats.
    EXPECT_EQ(file.size(), kWeightsHeaderSize + 8 + 4 * 7850);

    LogRegModel parsed;
    std::string error;
    ASSERT_TRUE(LogRegModel::parse(file, parsed, error)) << error;
    EXPECT_EQ(parsed.preprocess(), mode);
    EXPECT_EQ(std::memcmp(parsed.weights().data(), original.weights().data(), sizeof(float) * 7840),
              0);
    EXPECT_EQ(std::memcmp(parsed.bias().data(), original.bias().data(), sizeof(float) * 10), 0);
    EXPECT_EQ(parsed.serialize(), file);
  }
}

TEST(LogRegFormat, BodyLayoutIsAsDocumented) {
  const LogRegModel model = random_model(3, PreprocessMode::MnistDeskew);
  const std::vector<uint8_t> file = model.serialize();
  uint32_t classes, features;
  float w_1_2, b_9;
  const uint8_t* body = file.data() + kWeightsHeaderSize;
  std::memcpy(&classes, body, 4);
  std::memcpy(&features, body + 4, 4);
  std::memcpy(&w_1_2, body + 8 + 4 * (1 * 784 + 2), 4);
  std::memcpy(&b_9, body + 8 + 4 * (7840 + 9), 4);
  EXPECT_EQ(classes, 10u);
  EXPECT_EQ(features, 784u);
  EXPECT_EQ(w_1_2, model.weights()(1, 2));
  EXPECT_EQ(b_9, model.bias()(9));
}

// A file with a valid envelope around a hand-built body.
std::vector<uint8_t> file_with_body(uint32_t classes, uint32_t features, size_t floats,
                                    float fill = 0.25f) {
  ByteWriter body;
  body.u32(classes);
  body.u32(features);
  std::vector<float> values(floats, fill);
  body.f32s(values);
  return wrap_weights(LogRegModel::kKind, PreprocessMode::MnistDeskew, body);
}

TEST(LogRegFormat, AcceptsAWellFormedHandBuiltBody) {
  LogRegModel model;
  std::string error;
  ASSERT_TRUE(LogRegModel::parse(file_with_body(10, 784, 7850), model, error)) << error;
  EXPECT_EQ(model.weights()(9, 783), 0.25f);
  EXPECT_EQ(model.bias()(0), 0.25f);
}

TEST(LogRegFormat, RejectsWrongShapes) {
  const std::string classes = parse_error<LogRegModel>(file_with_body(9, 784, 9 * 784 + 9));
  EXPECT_THAT(classes, HasSubstr("9 classes"));
  EXPECT_THAT(classes, HasSubstr("expects 10"));

  const std::string features =
      parse_error<LogRegModel>(file_with_body(10, 28 * 27, 10 * 28 * 27 + 10));
  EXPECT_THAT(features, HasSubstr("756 features"));
  EXPECT_THAT(features, HasSubstr("expects 784"));
}

TEST(LogRegFormat, RejectsTruncatedOrOverlongBodies) {
  const std::string short_bias = parse_error<LogRegModel>(file_with_body(10, 784, 7849));
  EXPECT_THAT(short_bias, HasSubstr("truncated"));
  EXPECT_THAT(short_bias, HasSubstr("bias"));

  const std::string short_weights = parse_error<LogRegModel>(file_with_body(10, 784, 100));
  EXPECT_THAT(short_weights, HasSubstr("weight matrix"));

  ByteWriter only_classes;
  only_classes.u32(10);
  const std::string no_features = parse_error<LogRegModel>(
      wrap_weights(LogRegModel::kKind, PreprocessMode::Mnist, only_classes));
  EXPECT_THAT(no_features, HasSubstr("feature count"));

  const std::string extra = parse_error<LogRegModel>(file_with_body(10, 784, 7851));
  EXPECT_THAT(extra, HasSubstr("unexpected bytes"));
}

TEST(LogRegFormat, RejectsNonFiniteWeights) {
  const std::string error = parse_error<LogRegModel>(file_with_body(10, 784, 7850, std::nanf("")));
  EXPECT_THAT(error, HasSubstr("NaN"));
}

TEST(LogRegFormat, FailedParseLeavesTheModelUntouched) {
  const LogRegModel original = random_model(11, PreprocessMode::Mnist);
  LogRegModel model = original;
  std::string error;
  EXPECT_FALSE(LogRegModel::parse(file_with_body(10, 784, 7849), model, error));
  EXPECT_EQ(model.weights(), original.weights());
  EXPECT_EQ(model.preprocess(), PreprocessMode::Mnist);
}

// ---------------------------------------------------------------------------------------------
// The training objective and the solver

Dataset random_dataset(int count, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> pixel(0.0f, 1.0f);
  Dataset d;
  d.count = count;
  d.x.resize(static_cast<size_t>(count) * kPixels);
  for (float& v : d.x) v = pixel(rng) < 0.8f ? 0.0f : pixel(rng);  // sparse, like digits
  for (int i = 0; i < count; ++i) d.y.push_back(static_cast<uint8_t>(rng() % kClasses));
  d.empty.assign(count, 0);
  return d;
}

Eigen::VectorXd random_theta(uint32_t seed, double scale) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> normal(0.0, scale);
  Eigen::VectorXd theta(LogRegObjective::kParameters);
  for (int i = 0; i < theta.size(); ++i) theta[i] = normal(rng);
  return theta;
}

// The objective written out plainly, one sample and one class at a time.
double reference_objective(const Dataset& d, double C, const Eigen::VectorXd& theta) {
  double penalty = 0;
  for (int i = 0; i < kClasses * kPixels; ++i) penalty += theta[i] * theta[i];
  double cross_entropy = 0;
  for (int n = 0; n < d.count; ++n) {
    std::array<double, kClasses> logit{};
    for (int c = 0; c < kClasses; ++c) {
      logit[c] = theta[kClasses * kPixels + c];
      for (int j = 0; j < kPixels; ++j) logit[c] += theta[c * kPixels + j] * d.image(n)[j];
    }
    double sum = 0;
    for (double l : logit) sum += std::exp(l);
    cross_entropy += std::log(sum) - logit[d.y[n]];
  }
  return 0.5 * penalty + C * cross_entropy;
}

TEST(LogRegObjective, ValueMatchesThePlainFormula) {
  const Dataset d = random_dataset(7, 1);
  const Eigen::VectorXd theta = random_theta(2, 0.05);
  Eigen::VectorXd gradient;
  LogRegObjective objective(d, 0.7, 1);
  EXPECT_NEAR(objective.evaluate(theta, gradient), reference_objective(d, 0.7, theta), 1e-9);

  // At theta = 0 every class has probability 1/10: f = C * n * ln 10.
  EXPECT_NEAR(objective.evaluate(Eigen::VectorXd::Zero(7850), gradient), 0.7 * 7 * std::log(10.0),
              1e-12);
}

TEST(LogRegObjective, GradientMatchesFiniteDifferences) {
  const Dataset d = random_dataset(6, 3);
  const Eigen::VectorXd theta = random_theta(4, 0.05);
  LogRegObjective objective(d, 0.7, 1);
  Eigen::VectorXd gradient, unused;
  objective.evaluate(theta, gradient);
  ASSERT_EQ(gradient.size(), 7850);

  // Every bias, and weights spread over all classes and pixels (including ones no sample uses,
  // where only the penalty contributes).
  std::vector<int> coordinates;
  for (int i = 0; i < 7850; i += 37) coordinates.push_back(i);
  for (int c = 0; c < kClasses; ++c) coordinates.push_back(kClasses * kPixels + c);
  const double h = 1e-5;
  for (int i : coordinates) {
    Eigen::VectorXd plus = theta, minus = theta;
    plus[i] += h;
    minus[i] -= h;
    const double numeric =
        (objective.evaluate(plus, unused) - objective.evaluate(minus, unused)) / (2 * h);
    EXPECT_NEAR(gradient[i], numeric, 1e-6 * std::max(1.0, std::abs(numeric)))
        << "coordinate " << i;
  }
}

TEST(LogRegObjective, ResultDoesNotDependOnTheThreadCount) {
  const Dataset d = random_dataset(2100, 5);  // three chunks of samples (1024 each)
  const Eigen::VectorXd theta = random_theta(6, 0.01);
  Eigen::VectorXd g1, g2, g3;
  const double f1 = LogRegObjective(d, 1.0, 1).evaluate(theta, g1);
  const double f2 = LogRegObjective(d, 1.0, 2).evaluate(theta, g2);
  const double f3 = LogRegObjective(d, 1.0, 3).evaluate(theta, g3);
  EXPECT_EQ(f1, f2);
  EXPECT_EQ(f1, f3);
  EXPECT_TRUE(g1 == g2);
  EXPECT_TRUE(g1 == g3);
}

// ---------------------------------------------------------------------------------------------
// A short training run on real digits

TEST(LogRegTrainer, LearnsMnistFromThreeThousandImages) {
  const MnistFiles* files = mnist();
  if (!files) GTEST_SKIP() << "MNIST not found under data/mnist (run scripts/setup.sh)";
  const Dataset train = make_dataset(files->train_images.head(3000), files->train_labels.head(3000),
                                     PreprocessMode::MnistDeskew);
  const Dataset test = make_dataset(files->test_images.head(1000), files->test_labels.head(1000),
                                    PreprocessMode::MnistDeskew);

  TrainOptions options = quiet_options();
  options.recipe = Recipe::Improved;
  LbfgsOptions solver;
  solver.max_iterations = 60;  // far from converged, but already a usable model
  TrainReport report;
  const auto start = std::chrono::steady_clock::now();
  const LogRegModel model = train_logreg(train, options, solver, report);
  // A figure for the record, not a pass/fail limit: these machines are shared and timings noisy.
  RecordProperty(
      "training_seconds",
      std::to_string(
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()));

  EXPECT_EQ(model.preprocess(), PreprocessMode::MnistDeskew);
  ASSERT_GE(report.details.size(), 4u);
  EXPECT_EQ(report.details[0].first, "iterations");
  EXPECT_EQ(report.details[0].second, 60);
  EXPECT_EQ(report.details[1].first, "final_gradient_norm");
  EXPECT_EQ(report.details[2].first, "final_objective");
  EXPECT_LT(report.details[2].second, 3000 * std::log(10.0));  // below the uniform guess
  EXPECT_EQ(report.details[3].first, "converged");
  EXPECT_FALSE(report.hyperparameters.empty());

  const ModelScore score = score_model(model, test);
  const int correct = int(std::lround(score.accuracy * test.count));
  EXPECT_GT(correct, 800) << correct << " of the first 1000 test images right";
}

TEST(LogRegTrainer, SameDataGivesIdenticalWeightsForAnyThreadCount) {
  const Dataset d = random_dataset(1500, 12);  // two chunks of samples
  TrainOptions options = quiet_options();
  options.recipe = Recipe::Original;
  LbfgsOptions solver;
  solver.max_iterations = 15;
  TrainReport report;
  options.threads = 1;
  const LogRegModel one = train_logreg(d, options, solver, report);
  options.threads = 2;
  const LogRegModel two = train_logreg(d, options, solver, report);
  EXPECT_EQ(one.serialize(), two.serialize());
  EXPECT_EQ(one.preprocess(), PreprocessMode::Mnist);  // the original recipe does not deskew
  EXPECT_NE(one.weights(), LogRegModel().weights());   // it did train
}

TEST(LogRegTrainer, RejectsInconsistentData) {
  Dataset d = random_dataset(4, 9);
  d.y.pop_back();
  TrainReport report;
  EXPECT_THROW(train_logreg(d, quiet_options(), report), std::invalid_argument);
}

// ---------------------------------------------------------------------------------------------
// Insight: the per-pixel evidence behind a prediction

LogRegModel committed_logreg() {
  LogRegModel model;
  std::string error;
  EXPECT_TRUE(LogRegModel::parse(committed_weights(LogRegModel::kKind), model, error)) << error;
  return model;
}

// Drawn digits as the page feeds them, plus a blank and a random image.
std::vector<std::array<float, kPixels>> insight_inputs() {
  std::vector<std::array<float, kPixels>> inputs = drawn_inputs(30, 7);
  inputs.push_back({});
  std::mt19937 rng(5);
  std::uniform_real_distribution<float> unit(0.0f, 1.0f);
  inputs.emplace_back();
  for (float& v : inputs.back()) v = unit(rng);
  return inputs;
}

TEST(LogRegInsight, ContributionsAndBiasAddUpExactlyToTheLogits) {
  const LogRegModel model = committed_logreg();
  LogRegInsight insight;
  for (const auto& x : insight_inputs()) {
    std::array<float, kClasses> p{};
    model.explain(x, p, insight);
    for (int d = 0; d < kClasses; ++d) {
      const std::span<const float> row(insight.contribution.data() + d * kPixels, kPixels);
      for (int i = 0; i < kPixels; ++i) ASSERT_EQ(row[i], model.weights()(d, i) * x[i]);
      EXPECT_EQ(insight.bias[d], model.bias()(d));
      // Exactly, added in the forward pass's order; and in any order, up to rounding.
      EXPECT_EQ(LogRegModel::add_up(row, insight.bias[d]), insight.logit[d]) << "digit " << d;
      double sum = insight.bias[d], pro = 0, con = 0;
      for (float v : row) (v > 0 ? pro : con) += v;
      sum += pro + con;
      EXPECT_NEAR(sum, insight.logit[d], 1e-4) << "digit " << d;
      // The evidence for: the positive contributions; the rest of the logit is bias and against.
      EXPECT_NEAR(insight.evidence_for[d], pro, 1e-4) << "digit " << d;
      EXPECT_GE(insight.evidence_for[d], 0.0f);
      EXPECT_NEAR(insight.logit[d] - insight.bias[d] - insight.evidence_for[d], con, 1e-4) << "digit " << d;
    }
    // The logits are exactly what softmax read.
    std::array<float, kClasses> z = insight.logit;
    softmax(z);
    EXPECT_EQ(z, p);
  }
}

TEST(LogRegInsight, TemplatesAreTheWeightsOfEachDigit) {
  const LogRegModel model = committed_logreg();
  const std::unique_ptr<Insight> insight = model.make_insight();
  ASSERT_EQ(insight->kind(), LogRegModel::kKind);
  const InsightArrays arrays = insight->arrays();
  const InsightArray* templates = arrays.find("templates");
  ASSERT_NE(templates, nullptr);
  EXPECT_FALSE(templates->per_image);
  EXPECT_EQ(templates->rank, 3);
  EXPECT_EQ(templates->shape, (std::array<int, 4>{kClasses, kSide, kSide, 0}));
  for (int d = 0; d < kClasses; ++d)
    for (int i = 0; i < kPixels; ++i)
      ASSERT_EQ(templates->f32()[d * kPixels + i], model.weights()(d, i));
  const InsightArray* contribution = arrays.find("contribution");
  ASSERT_NE(contribution, nullptr);
  EXPECT_TRUE(contribution->per_image);
  EXPECT_EQ(contribution->size(), size_t(kClasses * kPixels));
}

TEST(LogRegInsight, AskingForItNeverChangesThePrediction) {
  const LogRegModel model = committed_logreg();
  const std::unique_ptr<Insight> insight = model.make_insight();
  for (const auto& x : insight_inputs()) {
    std::array<float, kClasses> plain{}, explained{};
    model.predict_proba(x, plain);
    ASSERT_TRUE(model.explain(x, explained, *insight));
    EXPECT_EQ(std::memcmp(plain.data(), explained.data(), sizeof plain), 0);
  }
}

TEST(LogRegInsight, AnotherModelsInsightIsRefusedButThePredictionMade) {
  const LogRegModel model = committed_logreg();
  ForestInsight other;
  const auto x = drawn_inputs(1, 3).at(0);
  std::array<float, kClasses> plain{}, p{};
  model.predict_proba(x, plain);
  EXPECT_FALSE(model.explain(x, p, static_cast<Insight&>(other)));
  EXPECT_EQ(p, plain);
  EXPECT_EQ(other.trees, 0);
}

}  // namespace
}  // namespace digits
