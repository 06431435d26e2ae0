// DigitClassifier: the one call the page (through wasm/digit_drawer.cpp) and the CLI make.
#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <vector>

#include "core/classifier.h"
#include "io/idx.h"
#include "test_support.h"

namespace digits {
namespace {

DigitClassifier committed_classifier() {
  DigitClassifier c;
  for (int i = 0; i < kModels; ++i) {
    std::string error;
    EXPECT_TRUE(c.load(i, committed_weights(i), error)) << error;
  }
  return c;
}

// A 60 x 60 RGBA canvas with a vertical bar of dark ink: a "1".
std::vector<uint8_t> one_on_canvas() {
  std::vector<uint8_t> rgba(60 * 60 * 4, 0);
  for (int y = 10; y < 50; ++y)
    for (int x = 27; x < 33; ++x) rgba[(y * 60 + x) * 4 + 3] = 255;
  return rgba;
}

// A fake clock that advances by 1 ms at every reading.
double g_fake_now = 0;
double fake_clock() { return g_fake_now += 1.0; }

TEST(Classifier, ReportsStepTimesOnlyWithAClock) {
  DigitClassifier c = committed_classifier();
  ASSERT_TRUE(c.ready());
  const auto canvas = one_on_canvas();
  DigitClassifier::Result r;
  ASSERT_EQ(c.classify(canvas, 60, 60, PixelFormat::Rgba8, r), PreprocessStatus::Ok);
  for (double ms : r.step_ms) EXPECT_EQ(ms, 0.0);
  EXPECT_EQ(top_class(r.proba[model_index(LeNetModel::kKind)]), 1);

  c.set_step_clock(&fake_clock);
  ASSERT_EQ(c.classify(canvas, 60, 60, PixelFormat::Rgba8, r), PreprocessStatus::Ok);
  for (double ms : r.step_ms) EXPECT_EQ(ms, 1.0);  // one tick per step: each step is timed once
}

TEST(Classifier, EachModelsAnswerIsItsTopClass) {
  const std::array<float, kClasses> tie{0.1f, 0.3f, 0.0f, 0.3f, 0.1f, 0.2f, 0.0f, 0.0f, 0.0f, 0.0f};
  EXPECT_EQ(top_class(tie), 1);  // the lowest digit on a tie
  DigitClassifier c = committed_classifier();
  DigitClassifier::Result r;
  ASSERT_EQ(c.classify(one_on_canvas(), 60, 60, PixelFormat::Rgba8, r), PreprocessStatus::Ok);
  for (int m = 0; m < kModels; ++m) EXPECT_EQ(r.prediction[m], top_class(r.proba[m]));
  EXPECT_EQ(r.prediction[model_index(LeNetModel::kKind)], 1);
}

TEST(Classifier, EmptyAndBadSizeAreReportedNotClassified) {
  DigitClassifier c = committed_classifier();
  c.set_step_clock(&fake_clock);
  DigitClassifier::Result r;
  r.proba[0][0] = 42.0f;
  std::vector<uint8_t> blank(60 * 60 * 4, 0);
  EXPECT_EQ(c.classify(blank, 60, 60, PixelFormat::Rgba8, r), PreprocessStatus::Empty);
  EXPECT_EQ(r.proba[0][0], 42.0f);  // untouched
  EXPECT_EQ(c.classify(blank, 61, 60, PixelFormat::Rgba8, r), PreprocessStatus::BadSize);
}

// The page keeps the models whose files arrived: classify() runs those and marks the others.
TEST(Classifier, RunsTheLoadedModelsWhenOthersAreMissing) {
  const int lenet = model_index(LeNetModel::kKind);
  DigitClassifier c;
  std::string error;
  ASSERT_TRUE(c.load(lenet, committed_weights(lenet), error)) << error;
  ASSERT_FALSE(c.ready());
  ASSERT_TRUE(c.any_loaded());
  DigitClassifier::Result r;
  ASSERT_EQ(c.classify(one_on_canvas(), 60, 60, PixelFormat::Rgba8, r), PreprocessStatus::Ok);
  for (int m = 0; m < kModels; ++m) {
    if (m == lenet) continue;
    EXPECT_EQ(r.prediction[m], -1);
    for (float p : r.proba[m]) EXPECT_EQ(p, 0.0f);
  }
  EXPECT_EQ(r.prediction[lenet], 1);
  // The same answer and image as with every model loaded.
  DigitClassifier all = committed_classifier();
  DigitClassifier::Result full;
  ASSERT_EQ(all.classify(one_on_canvas(), 60, 60, PixelFormat::Rgba8, full), PreprocessStatus::Ok);
  EXPECT_EQ(r.proba[lenet], full.proba[lenet]);
  EXPECT_EQ(r.image, full.image);
}

// ---------------------------------------------------------------------------------------------
// explain(): classify() with each model's insight

// Drawn digits on a 280x280 canvas, as the page gives them (gray ink).
IdxImages drawn_canvases(int count, uint64_t seed) {
  IdxLabels labels;
  return render_drawn_digits(count, seed, 280, labels);
}

TEST(ClassifierInsight, ExplainGivesBitForBitWhatClassifyGives) {
  const DigitClassifier c = committed_classifier();
  auto buffers = c.make_insights();
  for (int m = 0; m < kModels; ++m) {
    ASSERT_NE(buffers[m], nullptr);
    EXPECT_EQ(buffers[m]->kind(), kModelRegistry[m].kind);
  }
  const DigitClassifier::Insights insights = insights_of(buffers);
  const IdxImages drawings = drawn_canvases(30, 7);
  for (int i = 0; i < drawings.count; ++i) {
    DigitClassifier::Result plain, explained;
    ASSERT_EQ(c.classify(drawings.image(i), 280, 280, PixelFormat::Gray8, plain),
              PreprocessStatus::Ok);
    ASSERT_EQ(c.explain(drawings.image(i), 280, 280, PixelFormat::Gray8, explained, insights),
              PreprocessStatus::Ok);
    EXPECT_EQ(std::memcmp(&plain.proba, &explained.proba, sizeof plain.proba), 0);
    EXPECT_EQ(plain.prediction, explained.prediction);
    EXPECT_EQ(plain.image, explained.image);
    // Each insight is of the image the models saw: run again on it, the model gives the same.
    for (int m = 0; m < kModels; ++m) {
      const auto again = c.model(m).make_insight();
      std::array<float, kClasses> p{};
      ASSERT_TRUE(c.model(m).explain(explained.image, p, *again));
      EXPECT_EQ(p, explained.proba[m]);
      const InsightArrays filled = buffers[m]->arrays();
      for (const InsightArray& a : again->arrays()) {
        const InsightArray* b = filled.find(a.name);
        ASSERT_NE(b, nullptr);
        ASSERT_EQ(a.size(), b->size()) << a.name;
        const size_t bytes = a.size() * 4;
        EXPECT_EQ(std::memcmp(a.data, b->data, bytes), 0) << kModelRegistry[m].id << " " << a.name;
      }
    }
  }
}

TEST(ClassifierInsight, LogisticRegressionsLogitsGiveExactlyItsProbabilities) {
  const DigitClassifier c = committed_classifier();
  const int logreg = model_index(LogRegModel::kKind);
  LogRegInsight insight;
  DigitClassifier::Insights insights{};
  insights[logreg] = &insight;
  const IdxImages drawings = drawn_canvases(20, 3);
  for (int i = 0; i < drawings.count; ++i) {
    DigitClassifier::Result r;
    ASSERT_EQ(c.explain(drawings.image(i), 280, 280, PixelFormat::Gray8, r, insights),
              PreprocessStatus::Ok);
    std::array<float, kClasses> z = insight.logit;
    softmax(z);
    EXPECT_EQ(z, r.proba[logreg]);
    for (int d = 0; d < kClasses; ++d) {
      const std::span<const float> row(insight.contribution.data() + d * kPixels, kPixels);
      EXPECT_EQ(LogRegModel::add_up(row, insight.bias[d]), insight.logit[d]);
    }
  }
}

TEST(ClassifierInsight, OnlyTheModelsAskedFillTheirsAndAWrongBufferIsLeftAlone) {
  const DigitClassifier c = committed_classifier();
  const int forest = model_index(ForestModel::kKind), lenet = model_index(LeNetModel::kKind);
  auto forest_insight = std::make_unique<ForestInsight>();
  LeNetInsight lenet_insight;
  lenet_insight.fc1.fill(-7.0f);
  DigitClassifier::Insights insights{};
  insights[forest] = forest_insight.get();
  insights[lenet] = forest_insight.get();  // not a LeNet-5 insight: LeNet-5 only predicts
  DigitClassifier::Result plain, r;
  const auto canvas = one_on_canvas();
  ASSERT_EQ(c.classify(canvas, 60, 60, PixelFormat::Rgba8, plain), PreprocessStatus::Ok);
  ASSERT_EQ(c.explain(canvas, 60, 60, PixelFormat::Rgba8, r, insights), PreprocessStatus::Ok);
  EXPECT_EQ(r.proba, plain.proba);
  EXPECT_EQ(forest_insight->trees, 100);
  EXPECT_EQ(lenet_insight.fc1[0], -7.0f);

  // Nothing to explain on an empty canvas: the insight says so by being untouched.
  forest_insight->trees = -1;
  const std::vector<uint8_t> blank(60 * 60 * 4, 0);
  EXPECT_EQ(c.explain(blank, 60, 60, PixelFormat::Rgba8, r, insights), PreprocessStatus::Empty);
  EXPECT_EQ(forest_insight->trees, -1);
}

}  // namespace
}  // namespace digits
