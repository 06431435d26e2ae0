// A random forest of binary decision trees; predict_proba averages the trees' leaf class
// distributions (soft vote), as scikit-learn does.
//
// Node tests are `x[feature] <= threshold`, true -> left child. Features are the preprocessed
// pixels in [0, 1]; thresholds are stored as u8 levels t (threshold = (t + 0.5) / 255), because
// the trainer splits on pixels quantised to 256 levels.
//
// Weights body (after the envelope of weights_format.h), little-endian:
//   u32 classes (10), u32 features (784), u32 trees
//   per tree:
//     u32 nodes, u32 leaves
//     per node (nodes):   u16 feature, u8 threshold, u8 pad (0), u16 left, u16 right
//                         left/right: index of a node, or kLeafBit | leaf index
//     per leaf (leaves):  u8 distribution[classes]  (quantised probabilities, summing to 255)
//   A tree with zero nodes is a single leaf (leaves == 1); otherwise leaves == nodes + 1.
//
// parse() checks that the body is a forest of proper trees: at least one tree, feature < 784, pad 0, every child
// index in range and greater than its parent's (children only point forward, so walks end), every
// node but the root and every leaf the child of exactly one node, every leaf's sum > 0. A leaf is
// read as distribution / sum (= distribution / 255 for files this project writes).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/preprocess.h"
#include "core/weights_format.h"

namespace digits {

class ForestModel {
 public:
  static constexpr ModelKind kKind = ModelKind::Forest;
  static constexpr uint16_t kLeafBit = 0x8000;

  struct Node {
    uint16_t feature;
    uint8_t threshold;  // level 0..255: goes left when x[feature] <= (threshold + 0.5) / 255
    uint16_t left, right;  // node index, or kLeafBit | leaf index
  };
  struct Tree {
    std::vector<Node> nodes;          // nodes[0] is the root (when not empty)
    std::vector<float> leaf_proba;    // leaves * kClasses
  };

  // The threshold a node's u8 level stands for: x goes left when x <= threshold_value(level).
  static float threshold_value(uint8_t level) { return (float(level) + 0.5f) / 255.0f; }
  // The level a pixel falls in: the smallest t with x <= threshold_value(t), 255 when none of
  // 0..254 holds (NaN included), so that for t < 255 `level_of(x) <= t` exactly when x goes left
  // of a node with threshold t. The trainer splits on these levels, never at 255.
  static uint8_t level_of(float x);

  ForestModel() = default;
  // `trees` must be well formed as parse() checks (the trainer's always are); a tree that is not
  // still predicts without looping or reading out of bounds, but not meaningfully. Leaves are
  // used as given. The trainer passes leaves already rounded to u8 levels / 255, so the model in
  // memory and the same model read back from its file predict identically.
  ForestModel(std::vector<Tree> trees, PreprocessMode preprocess);

  static bool parse(std::span<const uint8_t> file, ForestModel& out, std::string& error);
  // Quantises each leaf's distribution to u8 levels summing to 255.
  std::vector<uint8_t> serialize() const;

  // x: kPixels floats (preprocessed), out: kClasses probabilities (the mean of the trees' leaf
  // distributions). A model without trees gives the uniform distribution.
  void predict_proba(std::span<const float> x, std::span<float> out) const;

  PreprocessMode preprocess() const { return preprocess_; }
  size_t parameter_count() const;  // node fields + leaf values
  const std::vector<Tree>& trees() const { return trees_; }

 private:
  // The trees as predict_proba walks them, built by the constructor: per tree its nodes, then one
  // node per leaf that loops to itself (children = its own index), so every walk takes the
  // tree's depth in steps without testing for leaves, and several trees can be walked side by
  // side (their memory loads overlap). Indices are local to the tree.
  struct WalkTree {
    uint32_t first;   // index of the tree's root in walk_nodes_
    uint16_t nodes;   // walk index - nodes = leaf index
    uint16_t leaves;
    uint16_t depth;   // steps from the root to the deepest leaf
  };
  void build_walk();

  std::vector<Tree> trees_;
  PreprocessMode preprocess_ = PreprocessMode::MnistDeskew;
  std::vector<Node> walk_nodes_;
  std::vector<WalkTree> walk_trees_;
};

// Rounds a class distribution (kClasses non-negative weights) to u8 levels summing to 255 by
// largest remainders (ties to the lower class); an all-zero distribution becomes near-uniform.
void quantise_distribution(std::span<const float> distribution, std::span<uint8_t> levels);

}  // namespace digits
