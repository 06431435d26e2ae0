// Random forest: the core model (tree walk, leaf quantisation, the weights format and its
// validation) and its trainer (the split search, determinism across threads, a short MNIST run).
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "core/forest.h"
#include "train/dataset.h"
#include "train/forest_trainer.h"

namespace digits {
namespace {

using Levels = std::array<uint8_t, kClasses>;
constexpr uint16_t kLeaf = ForestModel::kLeafBit;

std::vector<float> leaves_from_levels(std::initializer_list<Levels> leaves) {
  std::vector<float> proba;
  for (const Levels& leaf : leaves) {
    for (uint8_t level : leaf) proba.push_back(float(level) / 255.0f);
  }
  return proba;
}

// Two trees:
//   A: node 0: x[10] <= 127.5/255 ? leaf 0 : node 1;   node 1: x[20] <= 50.5/255 ? leaf 1 : leaf 2
//      leaf 0 = class 1;  leaf 1 = 0.8 class 2 + 0.2 class 3;  leaf 2 = class 4
//   B: a single leaf = 0.2 class 1 + 0.8 class 5
ForestModel golden_forest() {
  ForestModel::Tree a;
  a.nodes = {{10, 127, kLeaf | 0, 1}, {20, 50, kLeaf | 1, kLeaf | 2}};
  a.leaf_proba = leaves_from_levels({Levels{0, 255}, Levels{0, 0, 204, 51}, Levels{0, 0, 0, 0, 255}});
  ForestModel::Tree b;
  b.leaf_proba = leaves_from_levels({Levels{0, 51, 0, 0, 0, 204}});
  return ForestModel({a, b}, PreprocessMode::Mnist);
}

std::array<float, kClasses> predict(const ForestModel& model, const std::vector<float>& x) {
  std::array<float, kClasses> p{};
  model.predict_proba(x, p);
  return p;
}

void expect_proba(const std::array<float, kClasses>& got, const std::array<double, kClasses>& want) {
  for (int c = 0; c < kClasses; ++c) EXPECT_NEAR(got[c], want[c], 1e-6) << "class " << c;
}

// ---------------------------------------------------------------------------------------------
// The model

TEST(ForestModel, PredictProbaAveragesTheLeavesReached) {
  const ForestModel model = golden_forest();
  std::vector<float> x(kPixels, 0.0f);

  x[10] = 0.9f;  // right at the root, then x[20] = 0.1 <= 0.198: leaf 1
  x[20] = 0.1f;
  expect_proba(predict(model, x), {0, 0.1, 0.4, 0.1, 0, 0.4, 0, 0, 0, 0});

  x[20] = 0.5f;  // leaf 2
  expect_proba(predict(model, x), {0, 0.1, 0, 0, 0.5, 0.4, 0, 0, 0, 0});

  x[10] = 127.5f / 255.0f;  // exactly on the threshold goes left: leaf 0
  expect_proba(predict(model, x), {0, 0.6, 0, 0, 0, 0.4, 0, 0, 0, 0});

  EXPECT_EQ(model.parameter_count(), 2u * 4 + 3 * 10 + 1 * 10);
}

TEST(ForestModel, WithoutTreesPredictsUniform) {
  const ForestModel empty;
  std::vector<float> x(kPixels, 0.5f);
  expect_proba(predict(empty, x), {0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1});
}

TEST(ForestModel, LevelOfAgreesWithTheThresholdTest) {
  // The trainer splits on level_of(x) <= t; inference tests x <= threshold_value(t). They must
  // agree for every value, including those right on a threshold, and every t the trainer can
  // choose (it splits between two occupied levels, so never at 255).
  std::mt19937 rng(5);
  std::uniform_real_distribution<float> uniform(-0.1f, 1.1f);
  std::vector<float> values = {0.0f, 1.0f, -1.0f, 2.0f, 0.5f / 255.0f, 254.5f / 255.0f, 255.5f / 255.0f};
  for (int level = 0; level < 256; ++level) {
    const float t = ForestModel::threshold_value(uint8_t(level));
    values.insert(values.end(), {t, std::nextafter(t, 0.0f), std::nextafter(t, 2.0f), level / 255.0f});
  }
  for (int i = 0; i < 2000; ++i) values.push_back(uniform(rng));
  for (float x : values) {
    const int level = ForestModel::level_of(x);
    for (int t = 0; t < 255; ++t) {
      ASSERT_EQ(level <= t, x <= ForestModel::threshold_value(uint8_t(t))) << "x " << x << " t " << t;
    }
  }
  EXPECT_EQ(ForestModel::level_of(0.0f), 0);
  EXPECT_EQ(ForestModel::level_of(1.0f), 255);
  EXPECT_EQ(ForestModel::level_of(100.0f / 255.0f), 100);
  EXPECT_EQ(ForestModel::level_of(std::nanf("")), 255);
}

TEST(ForestModel, QuantiseDistributionUsesLargestRemainders) {
  Levels levels{};
  // 127.5, 63.75, 63.75 floor to 253; the two .75 remainders take the missing 2.
  quantise_distribution(std::array<float, kClasses>{0.5f, 0.25f, 0.25f}, levels);
  EXPECT_EQ(levels, (Levels{127, 64, 64, 0, 0, 0, 0, 0, 0, 0}));
  // 25.5 each: the 5 missing units go to the lowest classes on ties.
  std::array<float, kClasses> uniform;
  uniform.fill(0.1f);
  quantise_distribution(uniform, levels);
  EXPECT_EQ(levels, (Levels{26, 26, 26, 26, 26, 25, 25, 25, 25, 25}));
  // Unnormalised weights are normalised first.
  quantise_distribution(std::array<float, kClasses>{0, 0, 0, 3.0f, 0, 0, 0, 0, 0, 1.0f}, levels);
  EXPECT_EQ(levels, (Levels{0, 0, 0, 191, 0, 0, 0, 0, 0, 64}));
  // Levels / 255 come back as the same levels.
  const Levels original{3, 0, 17, 200, 1, 0, 0, 34, 0, 0};
  std::array<float, kClasses> dequantised;
  for (int c = 0; c < kClasses; ++c) dequantised[c] = original[c] / 255.0f;
  quantise_distribution(dequantised, levels);
  EXPECT_EQ(levels, original);
}

TEST(ForestModel, SerializeParseRoundTripPredictsIdentically) {
  const ForestModel model = golden_forest();
  const std::vector<uint8_t> file = model.serialize();
  // Envelope 24 + counts 12 + tree A (8 + 2 nodes * 8 + 3 leaves * 10) + tree B (8 + 10).
  EXPECT_EQ(file.size(), 24u + 12 + 54 + 18);

  ForestModel loaded;
  std::string error;
  ASSERT_TRUE(ForestModel::parse(file, loaded, error)) << error;
  EXPECT_EQ(loaded.preprocess(), PreprocessMode::Mnist);
  ASSERT_EQ(loaded.trees().size(), 2u);
  EXPECT_EQ(loaded.trees()[0].leaf_proba, model.trees()[0].leaf_proba);
  EXPECT_EQ(loaded.serialize(), file);

  std::mt19937 rng(3);
  std::uniform_real_distribution<float> uniform(0.0f, 1.0f);
  std::vector<float> x(kPixels);
  for (int i = 0; i < 50; ++i) {
    for (float& v : x) v = uniform(rng);
    EXPECT_EQ(predict(loaded, x), predict(model, x));
  }
}

// The golden forest's body with one change, re-wrapped with a valid checksum. Body offsets:
//   0 classes, 4 features, 8 trees; tree A: 12 nodes, 16 leaves, node 0 at 20, node 1 at 28
//   (u16 feature +0, u8 threshold +2, u8 pad +3, u16 left +4, u16 right +6), leaves at 36, 46, 56;
//   tree B: 66 nodes, 70 leaves, its leaf at 74; 84 bytes in all.
std::string parse_error_after(const std::function<void(std::vector<uint8_t>&)>& edit) {
  const std::vector<uint8_t> file = golden_forest().serialize();
  std::vector<uint8_t> body(file.begin() + kWeightsHeaderSize, file.end());
  EXPECT_EQ(body.size(), 84u);
  edit(body);
  ByteWriter writer;
  writer.u8s(body);
  ForestModel model;
  std::string error;
  EXPECT_FALSE(ForestModel::parse(wrap_weights(ModelKind::Forest, PreprocessMode::Mnist, writer), model, error));
  return error;
}

void put_u16(std::vector<uint8_t>& body, size_t at, uint16_t v) {
  body[at] = uint8_t(v);
  body[at + 1] = uint8_t(v >> 8);
}
void put_u32(std::vector<uint8_t>& body, size_t at, uint32_t v) {
  for (int k = 0; k < 4; ++k) body[at + k] = uint8_t(v >> (8 * k));
}

#define EXPECT_CONTAINS(text, part) EXPECT_NE((text).find(part), std::string::npos) << (text)

TEST(ForestModel, ParseRejectsBadHeaderCounts) {
  EXPECT_CONTAINS(parse_error_after([](auto& b) { put_u32(b, 0, 9); }), "9 classes");
  EXPECT_CONTAINS(parse_error_after([](auto& b) { put_u32(b, 4, 100); }), "100 features");
  EXPECT_CONTAINS(parse_error_after([](auto& b) { put_u32(b, 8, 0); }), "no trees");
  EXPECT_CONTAINS(parse_error_after([](auto& b) { put_u32(b, 16, 4); }), "N + 1 leaves");
  EXPECT_CONTAINS(parse_error_after([](auto& b) { put_u32(b, 12, 40000); }), "15-bit");
}

TEST(ForestModel, ParseRejectsBadFeatureIndex) {
  const std::string error = parse_error_after([](auto& b) { put_u16(b, 28, 784); });
  EXPECT_CONTAINS(error, "tree 0 node 1 tests feature 784, out of range");
}

TEST(ForestModel, ParseRejectsOutOfRangeChildren) {
  EXPECT_CONTAINS(parse_error_after([](auto& b) { put_u16(b, 26, 5); }),
                  "tree 0 node 0's right child is node 5, out of range: the tree has 2 nodes");
  EXPECT_CONTAINS(parse_error_after([](auto& b) { put_u16(b, 24, kLeaf | 3); }),
                  "tree 0 node 0's left child is leaf 3, out of range: the tree has 3 leaves");
}

TEST(ForestModel, ParseRejectsCyclesAndSharedChildren) {
  // Node 1 pointing back at the root, or at itself: a walk would never end.
  EXPECT_CONTAINS(parse_error_after([](auto& b) { put_u16(b, 32, 0); }),
                  "node 1's left child is node 0, which does not come after it");
  EXPECT_CONTAINS(parse_error_after([](auto& b) { put_u16(b, 34, 1); }),
                  "node 1's right child is node 1, which does not come after it");
  EXPECT_CONTAINS(parse_error_after([](auto& b) { put_u16(b, 20 + 6, 0); }),
                  "node 0's right child is node 0");
  // Leaf 1 reached from both nodes (and leaf 0 from none).
  EXPECT_CONTAINS(parse_error_after([](auto& b) { put_u16(b, 24, kLeaf | 1); }),
                  "leaf 1 is the child of two nodes");
}

TEST(ForestModel, ParseRejectsZeroSumLeafAndPadding) {
  EXPECT_CONTAINS(parse_error_after([](auto& b) { std::fill(b.begin() + 46, b.begin() + 56, 0); }),
                  "tree 0 leaf 1 has an all-zero class distribution");
  EXPECT_CONTAINS(parse_error_after([](auto& b) { b[23] = 1; }), "non-zero padding");
}

TEST(ForestModel, ParseRejectsTruncatedOrOverlongBodies) {
  EXPECT_CONTAINS(parse_error_after([](auto& b) { b.resize(80); }), "truncated: wanted 10 bytes");
  EXPECT_CONTAINS(parse_error_after([](auto& b) { b.resize(30); }), "truncated");
  EXPECT_CONTAINS(parse_error_after([](auto& b) { b.push_back(0); }), "1 unexpected bytes");

  // A file cut short fails the envelope's size check; the model is left as it was.
  std::vector<uint8_t> file = golden_forest().serialize();
  file.resize(file.size() - 3);
  ForestModel model = golden_forest();
  std::string error;
  EXPECT_FALSE(ForestModel::parse(file, model, error));
  EXPECT_CONTAINS(error, "truncated");
  EXPECT_EQ(model.trees().size(), 2u);
}

TEST(ForestModel, ParseSurvivesRandomCorruption) {
  // Random byte changes in a valid body (re-wrapped, so the checksum passes): every result is
  // either a clear rejection or a model whose predictions are probabilities.
  const std::vector<uint8_t> file = golden_forest().serialize();
  const std::vector<uint8_t> body(file.begin() + kWeightsHeaderSize, file.end());
  std::mt19937 rng(11);
  std::vector<float> x(kPixels, 0.5f);
  int accepted = 0;
  for (int trial = 0; trial < 3000; ++trial) {
    std::vector<uint8_t> bad = body;
    const int changes = 1 + int(rng() % 3);
    for (int k = 0; k < changes; ++k) bad[rng() % bad.size()] = uint8_t(rng());
    ByteWriter writer;
    writer.u8s(bad);
    ForestModel model;
    std::string error;
    if (ForestModel::parse(wrap_weights(ModelKind::Forest, PreprocessMode::Mnist, writer), model, error)) {
      ++accepted;
      const auto p = predict(model, x);
      float sum = 0;
      for (float v : p) {
        EXPECT_TRUE(v >= 0.0f && v <= 1.0f);
        sum += v;
      }
      EXPECT_NEAR(sum, 1.0f, 1e-5);
    } else {
      EXPECT_FALSE(error.empty());
    }
  }
  // Changes to thresholds and leaf levels keep the file valid; most others do not.
  EXPECT_GT(accepted, 100);
  EXPECT_LT(accepted, 2900);
}

// ---------------------------------------------------------------------------------------------
// The trainer

// A set where class c has the pixels j with j % 10 == c bright (0.8..1) and the rest dark
// (0..0.2): any pixel separates one class from the others.
Dataset striped_set(int count, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> noise(0.0f, 0.2f);
  Dataset d;
  d.count = count;
  d.x.resize(size_t(count) * kPixels);
  d.y.resize(count);
  d.empty.assign(count, 0);
  for (int i = 0; i < count; ++i) {
    d.y[i] = uint8_t(i % kClasses);
    for (int j = 0; j < kPixels; ++j) {
      d.x[size_t(i) * kPixels + j] = (j % kClasses == d.y[i] ? 0.8f : 0.0f) + noise(rng);
    }
  }
  return d;
}

double accuracy(const ForestModel& model, const Dataset& data) {
  int correct = 0;
  std::array<float, kClasses> p;
  for (int i = 0; i < data.count; ++i) {
    model.predict_proba(std::span(data.image(i), kPixels), p);
    correct += int(std::max_element(p.begin(), p.end()) - p.begin()) == data.y[i];
  }
  return double(correct) / data.count;
}

TrainOptions quiet_options(int threads, uint64_t seed = 1) {
  TrainOptions options;
  options.threads = threads;
  options.seed = seed;
  options.progress = false;
  return options;
}

TEST(ForestTrainer, FindsTheOneInformativeSplit) {
  // Only pixel 300 varies: level 100 for class 0, level 150 for class 7. Every tree must keep
  // drawing past the constant pixels to find it, split in the middle of the gap (level 125), and
  // end in two pure leaves.
  Dataset d;
  d.count = 40;
  d.x.assign(size_t(d.count) * kPixels, 0.0f);
  d.empty.assign(d.count, 0);
  for (int i = 0; i < d.count; ++i) {
    d.y.push_back(i % 2 ? 7 : 0);
    d.x[size_t(i) * kPixels + 300] = (i % 2 ? 150 : 100) / 255.0f;
  }
  ForestParams params;
  params.trees = 5;
  TrainReport report;
  const ForestModel model = train_forest(d, params, quiet_options(1), report);
  ASSERT_EQ(model.trees().size(), 5u);
  for (const auto& tree : model.trees()) {
    ASSERT_EQ(tree.nodes.size(), 1u);
    EXPECT_EQ(tree.nodes[0].feature, 300);
    EXPECT_EQ(tree.nodes[0].threshold, 125);
    EXPECT_EQ(tree.nodes[0].left, kLeaf | 0);
    EXPECT_EQ(tree.nodes[0].right, kLeaf | 1);
    ASSERT_EQ(tree.leaf_proba.size(), 20u);
    EXPECT_EQ(tree.leaf_proba[0], 1.0f);   // left leaf: class 0
    EXPECT_EQ(tree.leaf_proba[17], 1.0f);  // right leaf: class 7
  }
  EXPECT_EQ(model.preprocess(), PreprocessMode::MnistDeskew);
}

TEST(ForestTrainer, LearnsASeparableSetPerfectly) {
  const Dataset train = striped_set(300, 1), test = striped_set(300, 2);
  TrainReport report;
  const ForestModel model = train_forest(train, quiet_options(0), report);
  EXPECT_EQ(model.trees().size(), 100u);
  EXPECT_EQ(accuracy(model, train), 1.0);
  EXPECT_EQ(accuracy(model, test), 1.0);
  ASSERT_EQ(report.details.size(), 4u);
  EXPECT_EQ(report.details[0].first, "trees");
  EXPECT_EQ(report.details[0].second, 100.0);
  EXPECT_LE(report.details[1].second, 10.0);  // mean depth within max_depth
  EXPECT_FALSE(report.hyperparameters.empty());
}

TEST(ForestTrainer, SameSeedGivesTheSameBytesWhateverTheThreadCount) {
  const Dataset train = striped_set(200, 3);
  ForestParams params;
  params.trees = 12;
  params.max_depth = 4;
  TrainReport report;
  const auto one = train_forest(train, params, quiet_options(1), report).serialize();
  const auto two = train_forest(train, params, quiet_options(2), report).serialize();
  const auto other_seed = train_forest(train, params, quiet_options(2, 2), report).serialize();
  EXPECT_EQ(one, two);
  EXPECT_NE(one, other_seed);
}

TEST(ForestTrainer, InMemoryModelPredictsAsItsFile) {
  const Dataset train = striped_set(200, 4);
  ForestParams params;
  params.trees = 10;
  params.max_depth = 3;  // shallow: leaves stay mixed, so rounding has something to do
  TrainReport report;
  const ForestModel model = train_forest(train, params, quiet_options(2), report);
  params.quantise_leaves = false;
  const ForestModel exact = train_forest(train, params, quiet_options(2), report);

  ForestModel loaded;
  std::string error;
  ASSERT_TRUE(ForestModel::parse(model.serialize(), loaded, error)) << error;
  EXPECT_EQ(exact.serialize(), model.serialize());
  const Dataset probe = striped_set(50, 5);
  for (int i = 0; i < probe.count; ++i) {
    const std::vector<float> x(probe.image(i), probe.image(i) + kPixels);
    const auto p = predict(model, x), q = predict(exact, x);
    EXPECT_EQ(predict(loaded, x), p);
    for (int c = 0; c < kClasses; ++c) EXPECT_NEAR(p[c], q[c], 0.5 / 255 + 1e-6);
  }
}

IdxImages first_images(const IdxImages& all, int count) {
  IdxImages out;
  out.count = count;
  out.rows = all.rows;
  out.cols = all.cols;
  out.pixels.assign(all.pixels.begin(), all.pixels.begin() + size_t(count) * all.rows * all.cols);
  return out;
}

IdxLabels first_labels(const IdxLabels& all, int count) {
  IdxLabels out;
  out.labels.assign(all.labels.begin(), all.labels.begin() + count);
  return out;
}

TEST(ForestTrainer, LearnsMnistFromThreeThousandImages) {
  MnistFiles mnist;
  std::string error;
  if (!load_mnist(DIGITS_SOURCE_DIR "/data/mnist", mnist, error)) GTEST_SKIP() << error;
  const Dataset train = make_dataset(first_images(mnist.train_images, 3000),
                                     first_labels(mnist.train_labels, 3000), PreprocessMode::MnistDeskew);
  const Dataset test = make_dataset(first_images(mnist.test_images, 1000),
                                    first_labels(mnist.test_labels, 1000), PreprocessMode::MnistDeskew);
  ForestParams params;
  params.trees = 20;
  TrainReport report;
  const ForestModel model = train_forest(train, params, quiet_options(0), report);
  const double test_accuracy = accuracy(model, test);
  EXPECT_GT(test_accuracy, 0.80);
  RecordProperty("test_accuracy", std::to_string(test_accuracy));
}

}  // namespace
}  // namespace digits
