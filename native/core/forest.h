// A random forest of binary decision trees; predict_proba averages the trees' leaf class
// distributions (soft vote), as scikit-learn does.
//
// Node tests are `x[feature] <= threshold`, true -> left child. Features are the preprocessed
// pixels in [0, 1]; thresholds are stored as u8 levels t (threshold = (t + 0.5) / 255), because
// the trainer splits on pixels quantised to 256 levels. A leaf's class distribution is stored as
// small integer levels that sum to the forest's leaf total T (5 as trained: probabilities are
// multiples of 0.2, which moves MNIST test accuracy by less than 0.1 point and lowers log loss).
//
// Weights body (after the envelope of weights_format.h), little-endian. Each tree is listed in
// pre-order (a node, then its whole left subtree, then its right subtree), tree after tree, so a
// split node's left child is the next node and no child index is stored. The fields of one kind
// are stored together in streams, which gzip compresses far better than interleaved node and
// leaf records (README "Figures" has the file's size, raw and gzipped).
//   header (30 bytes):
//     u32 classes (10), u32 features (784), u32 trees (>= 1)
//     u32 split_nodes      S: split nodes in all trees
//     u32 leaves           L: leaves in all trees; a binary tree has one leaf more than splits,
//                          so L = S + trees
//     u32 structure_bits   B: bits in the structure stream
//     u32 levels           V: bytes in the levels stream
//     u8  max_depth        D: nodes at depth D are leaves (the root is depth 0)
//     u8  leaf_total       T (>= 1): every leaf's levels sum to T
//   streams, in this order (bit streams are packed least significant bit first, and the unused
//   bits of their last byte must be 0):
//     structure    ceil(B / 8) bytes: one bit per node at depth < D, in pre-order: 1 = leaf,
//                  0 = split node. Nodes at depth D carry no bit: they are leaves.
//     feature_low  S bytes: the low 8 bits of each split node's feature (split nodes in pre-order)
//     feature_high ceil(S / 4) bytes: the high 2 bits of each feature, 2 bits per split node;
//                  feature = low | high << 8 must be < 784
//     thresholds   S bytes: each split node's threshold level
//     class_low    L bytes: bits 0..7 of each leaf's class mask (leaves in pre-order); bit c
//                  is set when class c has a non-zero level
//     class_high   ceil(L / 4) bytes: bits 8..9 of each mask, 2 bits per leaf. A mask is never 0.
//     levels       V bytes: for each leaf with k classes in its mask, the levels (1..T-1) of
//                  its first k - 1 classes in class order; the last class gets T minus their
//                  sum, which must be >= 1. Pure leaves (k = 1) take no bytes.
//   Split nodes and leaves are numbered per tree in pre-order (node i, leaf j) in messages and in
//   Tree below. A leaf's probability for class c is level_c / T.
//
// parse() checks: classes 10, features 784, at least one tree, L = S + trees, T >= 1, stream
// sizes that add up to the body exactly, structure bits that form exactly `trees` trees (no tree
// cut short, no bits left over) with at most 32767 split nodes each (15-bit indices) and S split
// nodes in all, features < 784, non-empty masks with at most T classes, levels >= 1 that leave
// the last class >= 1, exactly V levels used, zero padding bits. Each failure is reported as a
// sentence naming the tree, node or leaf.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/model.h"
#include "core/preprocess.h"
#include "core/weights_format.h"

namespace digits {

struct ForestInsight;

class ForestModel final : public Model {
 public:
  static constexpr ModelKind kKind{2};  // in its weights files' header
  static constexpr uint16_t kLeafBit = 0x8000;
  // The leaf total the trainer rounds leaves to and serialize() writes for new models.
  static constexpr uint8_t kLeafTotal = 5;
  // The most trees a file may hold: 100 times the committed forest. Each tree costs the parser a
  // few dozen bytes of memory but a one-leaf tree only two bytes of file, so without a cap a 5 MB
  // file of 4 million trees took 775 MB to load (and would predict too slowly for the page).
  static constexpr uint32_t kMaxTrees = 10000;

  struct Node {
    uint16_t feature;
    uint8_t threshold;     // level 0..255: goes left when x[feature] <= (threshold + 0.5) / 255
    uint16_t left, right;  // node index, or kLeafBit | leaf index
  };
  // Any numbering works in memory as long as children come after their parent; the trainer and
  // parse() number split nodes and leaves in pre-order, as the file lists them.
  struct Tree {
    std::vector<Node> nodes;        // nodes[0] is the root (when not empty)
    std::vector<float> leaf_proba;  // leaves * kClasses, each leaf's levels / leaf_total
  };

  // The threshold a node's u8 level stands for: x goes left when x <= threshold_value(level).
  static float threshold_value(uint8_t level) { return (float(level) + 0.5f) / 255.0f; }
  // The probability a leaf's class level stands for (levels sum to the leaf total): the one
  // expression parse() and the trainer use, so a model in memory and its file hold the same floats.
  static float level_probability(uint32_t level, uint32_t leaf_total) {
    return float(level) / float(leaf_total);
  }
  // The level a pixel falls in: the smallest t with x <= threshold_value(t), 255 when none of
  // 0..254 holds (NaN included), so that for t < 255 `level_of(x) <= t` exactly when x goes left
  // of a node with threshold t. The trainer splits on these levels, never at 255.
  static uint8_t level_of(float x);

  ForestModel() = default;
  // `trees` must be well formed as parse() checks (the trainer's always are: every node and leaf
  // the child of one node, children after their parent, depth <= 255, <= 32767 split nodes); a
  // tree that is not still predicts and serializes without looping or reading out of bounds, but
  // not meaningfully. Leaves are used as given. The trainer passes leaves already rounded to
  // levels / leaf_total, so the model in memory and the same model read back from its file
  // predict identically. `leaf_total` (1..255; 0 means kLeafTotal) is what serialize() rounds to.
  ForestModel(std::vector<Tree> trees, PreprocessMode preprocess, uint8_t leaf_total = kLeafTotal);

  static bool parse(std::span<const uint8_t> file, ForestModel& out, std::string& error);
  // Writes the trees in pre-order, each leaf's distribution rounded to levels summing to
  // leaf_total() (a no-op for leaves that already are levels / leaf_total).
  std::vector<uint8_t> serialize() const DIGITS_NATIVE_OVERRIDE;

  // x: kPixels floats (preprocessed), out: kClasses probabilities (the mean of the trees' leaf
  // distributions). A model without trees gives the uniform distribution.
  void predict_proba(std::span<const float> x, std::span<float> out) const override;
  // The same walk, recording each tree's leaf and vote, and the path of tree insight.path_tree.
  void explain(std::span<const float> x, std::span<float> out, ForestInsight& insight) const;
  bool explain(std::span<const float> x, std::span<float> out, Insight& insight) const override;
  std::unique_ptr<Insight> make_insight() const override;

  PreprocessMode preprocess() const override { return preprocess_; }
  size_t parameter_count()
      const override;  // feature and threshold per split node + kClasses per leaf
  const std::vector<Tree>& trees() const { return trees_; }
  uint8_t leaf_total() const { return leaf_total_; }

 private:
  // The trees as predict_proba walks them, built by the constructor: per tree its nodes, then one
  // node per leaf that loops to itself (children = its own index), so every walk takes the
  // tree's depth in steps without testing for leaves, and several trees can be walked side by
  // side (their memory loads overlap). Indices are local to the tree.
  struct WalkTree {
    uint32_t first;  // index of the tree's root in walk_nodes_
    uint16_t nodes;  // walk index - nodes = leaf index
    uint16_t leaves;
    uint16_t depth;  // steps from the root to the deepest leaf
  };
  void build_walk();
  template <bool kExplain>
  void walk(std::span<const float> x, std::span<float> out, ForestInsight* insight) const;

  std::vector<Tree> trees_;
  PreprocessMode preprocess_ = PreprocessMode::MnistDeskew;
  uint8_t leaf_total_ = kLeafTotal;
  std::vector<Node> walk_nodes_;
  std::vector<WalkTree> walk_trees_;
};

// What the random forest shows of one image: each tree's leaf, that leaf's class probabilities and
// its top class (the tree's vote), and for one tree the questions on the way there. The forest's
// probabilities are the mean of the leaves' (a soft vote), which is not always the share of votes.
struct ForestInsight final : Insight {
  // The most questions on one path: parse() reads trees at most 255 deep (a u8), and a walk
  // records no more than this.
  static constexpr int kMaxPath = 255;
  static constexpr size_t kMaxTrees = ForestModel::kMaxTrees;

  ForestInsight() : Insight(ForestModel::kKind) {}

  // In: the tree whose path explain() records (0..trees - 1; otherwise path_length is 0).
  int path_tree = 0;

  int trees = 0;  // the forest's tree count: the first `trees` entries below are used
  // Per tree: the leaf it reached (its index in Tree::leaf_proba; -1 for a tree without leaves,
  // which votes uniformly), its top class (top_class of the leaf: the tree's vote), and the leaf's
  // kClasses probabilities, [tree][class].
  std::array<int32_t, kMaxTrees> leaf{};
  std::array<int32_t, kMaxTrees> vote{};
  std::array<float, kMaxTrees * kClasses> leaf_proba{};

  // Tree path_tree's questions from its root down, one per split node passed: the node (its index
  // in Tree::nodes), the pixel it asks about (row, column in the 28x28), the threshold, the
  // pixel's value and the way it went (1 = right, value > threshold; 0 = left). The walk then
  // stands on leaf[path_tree].
  int path_length = 0;
  std::array<int32_t, kMaxPath> path_node{};
  std::array<int32_t, kMaxPath> path_row{};
  std::array<int32_t, kMaxPath> path_col{};
  std::array<float, kMaxPath> path_threshold{};
  std::array<float, kMaxPath> path_value{};
  std::array<int32_t, kMaxPath> path_right{};

  // leaf, vote {trees}, leaf_proba {trees, 10}, path_node ... path_right {path_length}.
  InsightArrays arrays() const override;
};

// Rounds a class distribution (kClasses non-negative weights) to levels summing to `total` by
// largest remainders (ties to the lower class); an all-zero distribution is spread as evenly as
// `total` allows (from the lowest class).
void quantise_distribution(std::span<const float> distribution, std::span<uint8_t> levels,
                           uint8_t total = ForestModel::kLeafTotal);

}  // namespace digits
