// Random forest: the core model (tree walk, leaf quantisation, the weights format and its
// validation) and its trainer (the split search, determinism across threads, a short MNIST run).
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "core/forest.h"
#include "test_support.h"
#include "train/dataset.h"
#include "train/evaluation.h"
#include "train/forest_trainer.h"

namespace digits {
namespace {

using Levels = std::array<uint8_t, kClasses>;
constexpr uint16_t kLeaf = ForestModel::kLeafBit;

// Leaves given as levels out of `total` (the model's leaf total), as the trainer rounds them.
std::vector<float> leaves_from_levels(std::initializer_list<Levels> leaves,
                                      int total = ForestModel::kLeafTotal) {
  std::vector<float> proba;
  for (const Levels& leaf : leaves) {
    for (uint8_t level : leaf) proba.push_back(float(level) / float(total));
  }
  return proba;
}

// Two trees:
//   A: node 0: x[10] <= 127.5/255 ? leaf 0 : node 1;   node 1: x[300] <= 50.5/255 ? leaf 1 : leaf 2
//      leaf 0 = class 1;  leaf 1 = 0.8 class 2 + 0.2 class 3;  leaf 2 = class 9
//   B: a single leaf = 0.2 class 1 + 0.8 class 5
// Feature 300 and class 9 put bits in the feature_high and class_high streams.
ForestModel golden_forest() {
  ForestModel::Tree a;
  a.nodes = {{10, 127, kLeaf | 0, 1}, {300, 50, kLeaf | 1, kLeaf | 2}};
  a.leaf_proba =
      leaves_from_levels({Levels{0, 5}, Levels{0, 0, 4, 1}, Levels{0, 0, 0, 0, 0, 0, 0, 0, 0, 5}});
  ForestModel::Tree b;
  b.leaf_proba = leaves_from_levels({Levels{0, 1, 0, 0, 0, 4}});
  return ForestModel({a, b}, PreprocessMode::Mnist);
}

// The golden forest's body, byte by byte (forest.h documents the layout).
const std::vector<uint8_t> kGoldenBody = {
    10,   0,    0,    0,  // 0  classes
    0x10, 3,    0,    0,  // 4  features (784)
    2,    0,    0,    0,  // 8  trees
    2,    0,    0,    0,  // 12 split nodes
    4,    0,    0,    0,  // 16 leaves
    4,    0,    0,    0,  // 20 structure bits
    2,    0,    0,    0,  // 24 levels
    2,                    // 28 max depth: leaves 1 and 2 of tree A sit at depth 2 and carry no bit
    5,                    // 29 leaf total
    0x0A,      // 30 structure: A node 0 split (0), leaf 0 (1), node 1 split (0); B leaf (1)
    10,   44,  // 31 feature_low: 10, 300 & 255
    0x04,      // 33 feature_high: node 0 -> 0, node 1 -> 1 (bits 2..3)
    127,  50,  // 34 thresholds
    0x02, 0x0C, 0x00, 0x22,  // 36 class_low: {1}, {2, 3}, {9}, {1, 5}
    0x20,                    // 40 class_high: leaf 2 (A's third) has class 9 -> 2 in bits 4..5
    4,    1,  // 41 levels: A leaf 1 class 2 = 4 (class 3 gets 1); B class 1 = 1 (class 5 gets 4)
};

std::array<float, kClasses> predict(const ForestModel& model, const std::vector<float>& x) {
  std::array<float, kClasses> p{};
  model.predict_proba(x, p);
  return p;
}

void expect_proba(const std::array<float, kClasses>& got,
                  const std::array<double, kClasses>& want) {
  for (int c = 0; c < kClasses; ++c) EXPECT_NEAR(got[c], want[c], 1e-6) << "class " << c;
}

std::vector<float> random_image(std::mt19937& rng) {
  std::uniform_real_distribution<float> uniform(0.0f, 1.0f);
  std::vector<float> x(kPixels);
  for (float& v : x) v = uniform(rng);
  return x;
}

// A model read back from its file predicts exactly as the original, on 50 random images.
void expect_same_predictions(const ForestModel& loaded, const ForestModel& model, unsigned seed) {
  std::mt19937 rng(seed);
  for (int i = 0; i < 50; ++i) {
    const std::vector<float> x = random_image(rng);
    EXPECT_EQ(predict(loaded, x), predict(model, x));
  }
}

// ---------------------------------------------------------------------------------------------
// The model

TEST(ForestModel, PredictProbaAveragesTheLeavesReached) {
  const ForestModel model = golden_forest();
  std::vector<float> x(kPixels, 0.0f);

  x[10] = 0.9f;  // right at the root, then x[300] = 0.1 <= 0.198: leaf 1
  x[300] = 0.1f;
  expect_proba(predict(model, x), {0, 0.1, 0.4, 0.1, 0, 0.4, 0, 0, 0, 0});

  x[300] = 0.5f;  // leaf 2
  expect_proba(predict(model, x), {0, 0.1, 0, 0, 0, 0.4, 0, 0, 0, 0.5});

  x[10] = 127.5f / 255.0f;  // exactly on the threshold goes left: leaf 0
  expect_proba(predict(model, x), {0, 0.6, 0, 0, 0, 0.4, 0, 0, 0, 0});

  // Feature and threshold per split node, a distribution per leaf.
  EXPECT_EQ(model.parameter_count(), 2u * 2 + 3 * 10 + 1 * 10);
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
  std::vector<float> values = {0.0f,           1.0f, -1.0f, 2.0f, 0.5f / 255.0f, 254.5f / 255.0f,
                               255.5f / 255.0f};
  for (int level = 0; level < 256; ++level) {
    const float t = ForestModel::threshold_value(uint8_t(level));
    values.insert(values.end(),
                  {t, std::nextafter(t, 0.0f), std::nextafter(t, 2.0f), level / 255.0f});
  }
  for (int i = 0; i < 2000; ++i) values.push_back(uniform(rng));
  for (float x : values) {
    const int level = ForestModel::level_of(x);
    for (int t = 0; t < 255; ++t) {
      ASSERT_EQ(level <= t, x <= ForestModel::threshold_value(uint8_t(t)))
          << "x " << x << " t " << t;
    }
  }
  EXPECT_EQ(ForestModel::level_of(0.0f), 0);
  EXPECT_EQ(ForestModel::level_of(1.0f), 255);
  EXPECT_EQ(ForestModel::level_of(100.0f / 255.0f), 100);
  EXPECT_EQ(ForestModel::level_of(std::nanf("")), 255);
}

TEST(ForestModel, QuantiseDistributionUsesLargestRemainders) {
  Levels levels{};
  // Out of 255: 127.5, 63.75, 63.75 floor to 253; the two .75 remainders take the missing 2.
  quantise_distribution(std::array<float, kClasses>{0.5f, 0.25f, 0.25f}, levels, 255);
  EXPECT_EQ(levels, (Levels{127, 64, 64, 0, 0, 0, 0, 0, 0, 0}));
  // Out of 5 (the default, kLeafTotal): 2.5, 1.25, 1.25 floor to 4; the .5 takes the last unit.
  quantise_distribution(std::array<float, kClasses>{0.5f, 0.25f, 0.25f}, levels);
  EXPECT_EQ(levels, (Levels{3, 1, 1, 0, 0, 0, 0, 0, 0, 0}));
  // 25.5 each out of 255: the 5 missing units go to the lowest classes on ties; 0.5 each out of
  // 5: all 5 do.
  std::array<float, kClasses> uniform;
  uniform.fill(0.1f);
  quantise_distribution(uniform, levels, 255);
  EXPECT_EQ(levels, (Levels{26, 26, 26, 26, 26, 25, 25, 25, 25, 25}));
  quantise_distribution(uniform, levels, 5);
  EXPECT_EQ(levels, (Levels{1, 1, 1, 1, 1, 0, 0, 0, 0, 0}));
  // Unnormalised weights are normalised first; a small class can round away.
  quantise_distribution(std::array<float, kClasses>{0, 0, 0, 3.0f, 0, 0, 0, 0, 0, 1.0f}, levels,
                        255);
  EXPECT_EQ(levels, (Levels{0, 0, 0, 191, 0, 0, 0, 0, 0, 64}));
  quantise_distribution(std::array<float, kClasses>{0, 0, 0, 9.0f, 0, 0, 0, 0, 0, 1.0f}, levels, 5);
  EXPECT_EQ(levels, (Levels{0, 0, 0, 5, 0, 0, 0, 0, 0, 0}));
  // Levels / total come back as the same levels.
  const Levels original{3, 0, 17, 200, 1, 0, 0, 34, 0, 0};
  std::array<float, kClasses> dequantised;
  for (int c = 0; c < kClasses; ++c) dequantised[c] = original[c] / 255.0f;
  quantise_distribution(dequantised, levels, 255);
  EXPECT_EQ(levels, original);
  const Levels fifths{1, 0, 0, 2, 0, 0, 0, 1, 1, 0};
  for (int c = 0; c < kClasses; ++c) dequantised[c] = fifths[c] / 5.0f;
  quantise_distribution(dequantised, levels, 5);
  EXPECT_EQ(levels, fifths);
}

TEST(ForestModel, SerializeWritesTheDocumentedBody) {
  const std::vector<uint8_t> file = golden_forest().serialize();
  ASSERT_EQ(file.size(), kWeightsHeaderSize + kGoldenBody.size());
  EXPECT_EQ(std::vector<uint8_t>(file.begin() + kWeightsHeaderSize, file.end()), kGoldenBody);
}

TEST(ForestModel, SerializeParseRoundTripPredictsIdentically) {
  const ForestModel model = golden_forest();
  const std::vector<uint8_t> file = model.serialize();

  ForestModel loaded;
  std::string error;
  ASSERT_TRUE(ForestModel::parse(file, loaded, error)) << error;
  EXPECT_EQ(loaded.preprocess(), PreprocessMode::Mnist);
  EXPECT_EQ(loaded.leaf_total(), 5);
  ASSERT_EQ(loaded.trees().size(), 2u);
  EXPECT_EQ(loaded.trees()[0].leaf_proba, model.trees()[0].leaf_proba);
  EXPECT_EQ(loaded.trees()[1].leaf_proba, model.trees()[1].leaf_proba);
  EXPECT_EQ(loaded.serialize(), file);

  expect_same_predictions(loaded, model, 3);
}

TEST(ForestModel, AnyNodeNumberingLoadsBackInPreorder) {
  // Nodes numbered breadth first: 0 root, 1 its left, 2 its right, 3 the left child of 1. The
  // file lists them in pre-order (0, 1, 3, 2), so the loaded tree numbers them that way and
  // predicts the same.
  ForestModel::Tree tree;
  tree.nodes = {{100, 80, 1, 2},
                {200, 90, 3, kLeaf | 0},
                {300, 100, kLeaf | 1, kLeaf | 2},
                {400, 110, kLeaf | 3, kLeaf | 4}};
  tree.leaf_proba = leaves_from_levels(
      {Levels{5}, Levels{0, 5}, Levels{0, 0, 5}, Levels{0, 0, 0, 5}, Levels{0, 0, 0, 0, 5}});
  const ForestModel model({tree}, PreprocessMode::MnistDeskew);
  ForestModel loaded;
  std::string error;
  ASSERT_TRUE(ForestModel::parse(model.serialize(), loaded, error)) << error;
  const auto& nodes = loaded.trees()[0].nodes;
  ASSERT_EQ(nodes.size(), 4u);
  EXPECT_EQ(nodes[1].feature, 200);
  EXPECT_EQ(nodes[1].left, 2);
  EXPECT_EQ(nodes[2].feature, 400);
  EXPECT_EQ(nodes[3].feature, 300);
  EXPECT_EQ(nodes[0].right, 3);
  expect_same_predictions(loaded, model, 8);
}

// Issue 10, #6: a small file of very many one-leaf trees made the parser allocate hundreds of MB.
TEST(ForestModel, MoreTreesThanTheCapAreRefused) {
  ForestModel::Tree leaf;
  leaf.leaf_proba = leaves_from_levels({Levels{5}});
  const ForestModel at_cap(std::vector<ForestModel::Tree>(ForestModel::kMaxTrees, leaf),
                           PreprocessMode::MnistDeskew);
  ForestModel loaded;
  std::string error;
  EXPECT_TRUE(ForestModel::parse(at_cap.serialize(), loaded, error)) << error;
  const ForestModel over(std::vector<ForestModel::Tree>(ForestModel::kMaxTrees + 1, leaf),
                         PreprocessMode::MnistDeskew);
  EXPECT_FALSE(ForestModel::parse(over.serialize(), loaded, error));
  EXPECT_THAT(error, HasSubstr("the forest has 10001 trees; at most 10000 are read"));
}

TEST(ForestModel, KeepsAFinerLeafTotalThroughItsFile) {
  // A model built with leaves in 255ths is written and read back in 255ths, not re-rounded.
  ForestModel::Tree tree;
  tree.nodes = {{5, 9, kLeaf | 0, kLeaf | 1}};
  tree.leaf_proba =
      leaves_from_levels({Levels{200, 0, 55}, Levels{3, 4, 0, 0, 0, 0, 0, 0, 0, 248}}, 255);
  const ForestModel model({tree}, PreprocessMode::Plain, 255);
  const std::vector<uint8_t> file = model.serialize();
  ForestModel loaded;
  std::string error;
  ASSERT_TRUE(ForestModel::parse(file, loaded, error)) << error;
  EXPECT_EQ(loaded.leaf_total(), 255);
  EXPECT_EQ(loaded.trees()[0].leaf_proba, tree.leaf_proba);
  EXPECT_EQ(loaded.serialize(), file);
}

TEST(ForestModel, SerializesMalformedTreesWithoutLooping) {
  // Node 1 is both children of the root, points back at the root and at a missing leaf: the
  // writer lists each node once and writes the bad references as uniform leaves.
  ForestModel::Tree tree;
  tree.nodes = {{1, 1, 1, 1}, {2, 2, 0, kLeaf | 5}};
  tree.leaf_proba = leaves_from_levels({Levels{5}});
  const ForestModel model({tree}, PreprocessMode::Plain);
  ForestModel loaded;
  std::string error;
  ASSERT_TRUE(ForestModel::parse(model.serialize(), loaded, error)) << error;
  ASSERT_EQ(loaded.trees()[0].nodes.size(), 2u);
  std::vector<float> x(kPixels, 0.0f);
  // Left, left: node 1's left child, the backward reference, now a leaf of the first 5 classes.
  expect_proba(predict(loaded, x), {0.2, 0.2, 0.2, 0.2, 0.2, 0, 0, 0, 0, 0});
}

// The golden body with one change, re-wrapped with a valid checksum (offsets: kGoldenBody).
std::string parse_error_after(const std::function<void(std::vector<uint8_t>&)>& edit) {
  std::vector<uint8_t> body = kGoldenBody;
  edit(body);
  ByteWriter writer;
  writer.u8s(body);
  ForestModel model;
  std::string error;
  EXPECT_FALSE(ForestModel::parse(wrap_weights(ForestModel::kKind, PreprocessMode::Mnist, writer),
                                  model, error));
  return error;
}

void put_u32(std::vector<uint8_t>& body, size_t at, uint32_t v) {
  for (int k = 0; k < 4; ++k) body[at + k] = uint8_t(v >> (8 * k));
}

TEST(ForestModel, ParseRejectsBadHeaderCounts) {
  EXPECT_THAT(parse_error_after([](auto& b) { put_u32(b, 0, 9); }), HasSubstr("9 classes"));
  EXPECT_THAT(parse_error_after([](auto& b) { put_u32(b, 4, 100); }), HasSubstr("100 features"));
  EXPECT_THAT(parse_error_after([](auto& b) { put_u32(b, 8, 0); }), HasSubstr("no trees"));
  EXPECT_THAT(
      parse_error_after([](auto& b) { put_u32(b, 16, 5); }),
      HasSubstr("2 split nodes and 5 leaves in 2 trees; binary trees have one leaf more per tree"));
  EXPECT_THAT(parse_error_after([](auto& b) { b[29] = 0; }), HasSubstr("the leaf total is 0"));
}

TEST(ForestModel, ParseRejectsStreamSizesThatDisagreeWithTheBody) {
  // 3 split nodes and 5 leaves need 1 + 3 + 1 + 3 + 5 + 2 + 2 = 17 bytes of streams; 13 follow.
  EXPECT_THAT(
      parse_error_after([](auto& b) { put_u32(b, 12, 3), put_u32(b, 16, 5); }),
      HasSubstr(
          "truncated: the header's counts (3 split nodes, 5 leaves, 4 structure bits, 2 levels) "
          "need 17 bytes of streams but only 13 follow"));
  EXPECT_THAT(parse_error_after([](auto& b) { put_u32(b, 24, 3); }),
              HasSubstr("need 14 bytes of streams but only 13"));
  EXPECT_THAT(
      parse_error_after([](auto& b) { put_u32(b, 12, 0x7FFFFFFF), put_u32(b, 16, 0x80000001); }),
      HasSubstr("truncated"));
  EXPECT_THAT(parse_error_after([](auto& b) { b.push_back(0); }),
              HasSubstr("1 unexpected bytes after the last stream"));
  EXPECT_THAT(parse_error_after([](auto& b) { b.resize(40); }), HasSubstr("truncated"));
  EXPECT_THAT(parse_error_after([](auto& b) { b.resize(27); }),
              HasSubstr("truncated: wanted 4 bytes for the level count"));
}

TEST(ForestModel, ParseRejectsStructureThatDoesNotFormTheTrees) {
  // Bits 0, 1, 0 then nothing: tree B has no bit left for its root.
  EXPECT_THAT(parse_error_after([](auto& b) { put_u32(b, 20, 3), b[30] = 0x02; }),
              HasSubstr("the structure stream's 3 bits end inside tree 1 of 2"));
  // One bit more than the trees read.
  EXPECT_THAT(parse_error_after([](auto& b) { put_u32(b, 20, 5); }),
              HasSubstr("the structure stream has 1 bits left over after the last tree"));
  // Max depth 1: node 1 becomes a leaf without a bit, and 2 of the 4 bits are left over.
  EXPECT_THAT(parse_error_after([](auto& b) { b[28] = 1; }), HasSubstr("has 2 bits left over"));
  // Bits 0, 0, 0, 1: tree A grows a third split node.
  EXPECT_THAT(parse_error_after([](auto& b) { b[30] = 0x08; }),
              HasSubstr("more split nodes than the 2 the header declares (at tree 0 node 2)"));
  // Bits 1, 1: both trees are single leaves, and the header's split nodes are missing.
  EXPECT_THAT(parse_error_after([](auto& b) { put_u32(b, 20, 2), b[30] = 0x03; }),
              HasSubstr("the trees hold 0 split nodes, but the header declares 2"));
  // Unused bits of packed streams must be 0.
  EXPECT_THAT(parse_error_after([](auto& b) { put_u32(b, 20, 3); }),
              HasSubstr("the structure stream's last byte has non-zero padding bits"));
  EXPECT_THAT(parse_error_after([](auto& b) { b[33] |= 0x40; }),
              HasSubstr("the feature_high stream's last byte has non-zero padding bits"));
}

TEST(ForestModel, ParseRejectsTreesOverTheNodeIndexLimit) {
  // One complete tree of the given depth: every node above it splits on pixel 0, every leaf is
  // pure class 0. Depth 15 has 32767 split nodes, the most 15-bit indices allow; depth 16 has
  // twice as many.
  auto complete_tree = [](int depth) {
    const uint32_t splits = (1u << depth) - 1, leaves = splits + 1;
    ByteWriter body;
    for (uint32_t v : {uint32_t(kClasses), uint32_t(kPixels), 1u, splits, leaves, splits, 0u})
      body.u32(v);
    body.u8(uint8_t(depth));
    body.u8(5);
    for (uint32_t k = 0; k < (splits + 7) / 8; ++k) body.u8(0);  // all split bits
    for (uint32_t k = 0; k < splits + (splits + 3) / 4 + splits; ++k) body.u8(0);
    for (uint32_t k = 0; k < leaves; ++k) body.u8(1);
    for (uint32_t k = 0; k < (leaves + 3) / 4; ++k) body.u8(0);
    return wrap_weights(ForestModel::kKind, PreprocessMode::Mnist, body);
  };
  ForestModel model;
  std::string error;
  ASSERT_TRUE(ForestModel::parse(complete_tree(15), model, error)) << error;
  EXPECT_EQ(model.trees()[0].nodes.size(), 32767u);
  EXPECT_FALSE(ForestModel::parse(complete_tree(16), model, error));
  EXPECT_THAT(error, HasSubstr("tree 0 has more than 32767 split nodes; node indices are 15 bits"));
}

TEST(ForestModel, ParseRejectsBadFeatureIndex) {
  // Node 1's feature becomes 0x310 = 784.
  EXPECT_THAT(parse_error_after([](auto& b) { b[32] = 0x10, b[33] = 0x0C; }),
              HasSubstr("tree 0 node 1 tests feature 784, out of range"));
}

TEST(ForestModel, ParseRejectsBadLeaves) {
  EXPECT_THAT(
      parse_error_after([](auto& b) { b[37] = 0; }),
      HasSubstr("tree 0 leaf 1 has an empty class mask; every leaf needs at least one class"));
  EXPECT_THAT(parse_error_after([](auto& b) { b[40] = 0; }),
              HasSubstr("tree 0 leaf 2 has an empty class mask"));
  EXPECT_THAT(parse_error_after([](auto& b) { b[36] = 0x3F; }),
              HasSubstr("tree 0 leaf 0 has 6 classes but the leaf total is 5"));
  EXPECT_THAT(parse_error_after([](auto& b) { b[41] = 0; }),
              HasSubstr("tree 0 leaf 1 gives class 2 level 0"));
  EXPECT_THAT(parse_error_after([](auto& b) { b[41] = 5; }),
              HasSubstr("tree 0 leaf 1's levels add up to 5 before its last class"));
  // Tree B's leaf asks for a level after the two are used up; then one left unused.
  EXPECT_THAT(
      parse_error_after([](auto& b) { b[36] = 0x06; }),
      HasSubstr("the leaves need more than the 2 levels the header declares (at tree 1 leaf 0)"));
  EXPECT_THAT(parse_error_after([](auto& b) { b[39] = 0x02; }),
              HasSubstr("the leaves use 1 levels, but the header declares 2"));
}

TEST(ForestModel, ParseLeavesTheModelAsItWasOnFailure) {
  std::vector<uint8_t> file = golden_forest().serialize();
  file.resize(file.size() - 3);
  ForestModel model = golden_forest();
  std::string error;
  EXPECT_FALSE(ForestModel::parse(file, model, error));
  EXPECT_THAT(error, HasSubstr("truncated"));
  EXPECT_EQ(model.trees().size(), 2u);
}

TEST(ForestModel, ParseSurvivesRandomCorruption) {
  // Random byte changes in a valid body (re-wrapped, so the checksum passes): every result is
  // either a clear rejection or a model whose predictions are probabilities.
  std::mt19937 rng(11);
  const std::vector<float> x(kPixels, 0.5f);
  int accepted = 0;
  for (int trial = 0; trial < 3000; ++trial) {
    std::vector<uint8_t> bad = kGoldenBody;
    const int changes = 1 + int(rng() % 3);
    for (int k = 0; k < changes; ++k) bad[rng() % bad.size()] = uint8_t(rng());
    ByteWriter writer;
    writer.u8s(bad);
    ForestModel model;
    std::string error;
    if (ForestModel::parse(wrap_weights(ForestModel::kKind, PreprocessMode::Mnist, writer), model,
                           error)) {
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
  // Changes to thresholds, features and some masks keep the file valid; most others do not.
  EXPECT_GT(accepted, 100);
  EXPECT_LT(accepted, 2900);
  RecordProperty("accepted", accepted);
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
  EXPECT_EQ(score_model(model, train).accuracy, 1.0);
  EXPECT_EQ(score_model(model, test).accuracy, 1.0);
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
    // Each leaf's level is its exact share rounded up or down, so each tree's vote moves by less
    // than one step of 1 / kLeafTotal per class.
    for (int c = 0; c < kClasses; ++c)
      EXPECT_NEAR(p[c], q[c], 1.0 / ForestModel::kLeafTotal + 1e-6);
  }
}

TEST(ForestTrainer, LearnsMnistFromThreeThousandImages) {
  const MnistFiles* files = mnist();
  if (!files) GTEST_SKIP() << "MNIST not found under data/mnist (run scripts/setup.sh)";
  const Dataset train = make_dataset(files->train_images.head(3000), files->train_labels.head(3000),
                                     PreprocessMode::MnistDeskew);
  const Dataset test = make_dataset(files->test_images.head(1000), files->test_labels.head(1000),
                                    PreprocessMode::MnistDeskew);
  ForestParams params;
  params.trees = 20;
  TrainReport report;
  const ForestModel model = train_forest(train, params, quiet_options(0), report);
  const double test_accuracy = score_model(model, test).accuracy;
  EXPECT_GT(test_accuracy, 0.80);
  RecordProperty("test_accuracy", std::to_string(test_accuracy));
}

// ---------------------------------------------------------------------------------------------
// Insight: every tree's vote and leaf, and one tree's path

ForestModel committed_forest() {
  ForestModel model;
  std::string error;
  EXPECT_TRUE(ForestModel::parse(committed_weights(ForestModel::kKind), model, error)) << error;
  return model;
}

TEST(ForestInsight, LeavesAverageToTheProbabilitiesAndEachVoteIsItsLeafsTopClass) {
  const ForestModel model = committed_forest();
  const size_t trees = model.trees().size();
  ASSERT_EQ(trees, 100u);
  auto insight = std::make_unique<ForestInsight>();
  for (const auto& x : drawn_inputs(30, 7)) {
    std::array<float, kClasses> p{};
    model.explain(x, p, *insight);
    ASSERT_EQ(insight->trees, int(trees));
    std::array<float, kClasses> sum{};
    for (size_t t = 0; t < trees; ++t) {
      const std::span<const float> leaf(insight->leaf_proba.data() + t * kClasses, kClasses);
      const int j = insight->leaf[t];
      ASSERT_GE(j, 0);
      ASSERT_LT(size_t(j) * kClasses, model.trees()[t].leaf_proba.size());
      for (int c = 0; c < kClasses; ++c) {
        EXPECT_EQ(leaf[c], model.trees()[t].leaf_proba[size_t(j) * kClasses + c]);
        sum[c] += leaf[c];
      }
      EXPECT_EQ(insight->vote[t], top_class(leaf)) << "tree " << t;
    }
    // The forest's own sum, in tree order: exactly its probabilities.
    for (int c = 0; c < kClasses; ++c) EXPECT_EQ(sum[c] * (1.0f / float(trees)), p[c]);
  }
}

// Follows tree t from its root along the recorded path and checks each question against the tree
// and the image: the path must end in the leaf the tree used.
void expect_path_reaches_the_leaf(const ForestModel& model, const std::array<float, kPixels>& x,
                                  const ForestInsight& insight, int t) {
  const ForestModel::Tree& tree = model.trees()[size_t(t)];
  uint16_t at = 0;
  for (int s = 0; s < insight.path_length; ++s) {
    ASSERT_FALSE(at & ForestModel::kLeafBit) << "tree " << t << ": the path goes past a leaf";
    ASSERT_EQ(insight.path_node[s], at) << "tree " << t << " step " << s;
    const ForestModel::Node& node = tree.nodes[at];
    const int row = insight.path_row[s], col = insight.path_col[s];
    EXPECT_EQ(row * kSide + col, node.feature);
    EXPECT_EQ(insight.path_threshold[s], ForestModel::threshold_value(node.threshold));
    EXPECT_EQ(insight.path_value[s], x[node.feature]);
    const bool right = !(x[node.feature] <= ForestModel::threshold_value(node.threshold));
    EXPECT_EQ(insight.path_right[s], right ? 1 : 0);
    at = right ? node.right : node.left;
  }
  EXPECT_EQ(at, ForestModel::kLeafBit | insight.leaf[size_t(t)]) << "tree " << t;
}

TEST(ForestInsight, TheChosenTreesPathEndsInTheLeafItUsed) {
  const ForestModel model = committed_forest();
  auto insight = std::make_unique<ForestInsight>();
  const auto inputs = drawn_inputs(12, 11);
  for (int t : {0, 7, 8, 63, 99}) {  // the first and last trees, and either side of a group of 8
    insight->path_tree = t;
    for (const auto& x : inputs) {
      std::array<float, kClasses> p{};
      model.explain(x, p, *insight);
      EXPECT_GT(insight->path_length, 0);
      EXPECT_LE(insight->path_length, ForestInsight::kMaxPath);
      expect_path_reaches_the_leaf(model, x, *insight, t);
    }
  }
}

TEST(ForestInsight, AGoldenPathAndALeafOnlyTree) {
  const ForestModel model = golden_forest();
  ForestInsight insight;
  std::vector<float> x(kPixels, 0.0f);
  x[10] = 0.9f;   // > 127.5 / 255: right, to node 1
  x[300] = 0.1f;  // <= 50.5 / 255: left, to leaf 1 (0.8 class 2 + 0.2 class 3)
  std::array<float, kClasses> p{};
  model.explain(x, p, insight);
  EXPECT_EQ(insight.trees, 2);
  EXPECT_EQ(insight.leaf[0], 1);
  EXPECT_EQ(insight.vote[0], 2);
  EXPECT_EQ(insight.leaf[1], 0);
  EXPECT_EQ(insight.vote[1], 5);
  ASSERT_EQ(insight.path_length, 2);
  EXPECT_EQ(insight.path_node[0], 0);
  EXPECT_EQ(insight.path_row[0], 0);
  EXPECT_EQ(insight.path_col[0], 10);
  EXPECT_EQ(insight.path_value[0], 0.9f);
  EXPECT_EQ(insight.path_threshold[0], 127.5f / 255.0f);
  EXPECT_EQ(insight.path_right[0], 1);
  EXPECT_EQ(insight.path_node[1], 1);
  EXPECT_EQ(insight.path_row[1], 10);  // pixel 300 = row 10, column 20
  EXPECT_EQ(insight.path_col[1], 20);
  EXPECT_EQ(insight.path_right[1], 0);
  // Tree B is a single leaf: no question on its path.
  insight.path_tree = 1;
  model.explain(x, p, insight);
  EXPECT_EQ(insight.path_length, 0);
  EXPECT_EQ(insight.leaf[1], 0);
  // A tree that does not exist has no path; the votes are still all there.
  for (int t : {-1, 2, 5000}) {
    insight.path_tree = t;
    model.explain(x, p, insight);
    EXPECT_EQ(insight.path_length, 0) << "tree " << t;
    EXPECT_EQ(insight.trees, 2);
  }
}

// Two trees lean to 1 (0.6 against 0.4 for 0), one is sure of 0: two votes for 1, but the mean of
// the leaves is 0.6 for 0.
TEST(ForestInsight, VotesCanDisagreeWithTheAveragedProbabilities) {
  ForestModel::Tree lean, sure;
  lean.leaf_proba = leaves_from_levels({Levels{2, 3}});
  sure.leaf_proba = leaves_from_levels({Levels{5}});
  const ForestModel model({lean, lean, sure}, PreprocessMode::Mnist);
  ForestInsight insight;
  std::array<float, kClasses> p{};
  model.explain(std::vector<float>(kPixels, 0.5f), p, insight);
  EXPECT_EQ(top_class(p), 0);
  EXPECT_EQ(std::count(insight.vote.begin(), insight.vote.begin() + 3, 1), 2);
  EXPECT_EQ(insight.vote[2], 0);
}

TEST(ForestInsight, AskingForItNeverChangesThePrediction) {
  const ForestModel model = committed_forest();
  const std::unique_ptr<Insight> insight = model.make_insight();
  ASSERT_EQ(insight->kind(), ForestModel::kKind);
  std::mt19937 rng(3);
  std::vector<std::array<float, kPixels>> inputs = drawn_inputs(30, 7);
  for (int i = 0; i < 10; ++i) {
    const std::vector<float> x = random_image(rng);
    inputs.emplace_back();
    std::copy(x.begin(), x.end(), inputs.back().begin());
  }
  for (const auto& x : inputs) {
    std::array<float, kClasses> plain{}, explained{};
    model.predict_proba(x, plain);
    ASSERT_TRUE(model.explain(x, explained, *insight));
    EXPECT_EQ(std::memcmp(plain.data(), explained.data(), sizeof plain), 0);
  }
  // Its arrays are as long as the forest, and as its path.
  const ForestInsight& f = static_cast<const ForestInsight&>(*insight);
  const InsightArrays arrays = insight->arrays();
  EXPECT_EQ(arrays.find("vote")->size(), 100u);
  EXPECT_EQ(arrays.find("leaf_proba")->size(), 1000u);
  EXPECT_EQ(arrays.find("path_row")->size(), size_t(f.path_length));
  EXPECT_EQ(arrays.find("vote")->capacity, ForestInsight::kMaxTrees);
}

}  // namespace
}  // namespace digits
