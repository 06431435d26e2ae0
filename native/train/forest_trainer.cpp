// The random forest trainer: scikit-learn's RandomForestClassifier algorithm over pixels quantised
// to the 256 levels the weights format stores thresholds in.
//
// Every split search builds, for each candidate feature, a 256-level x 10-class histogram of the
// node's (bootstrap-weighted) samples and scans its cumulative sums: on u8 data that is the exact
// best Gini split, at a cost linear in the node's samples. Trees are independent; each has its own
// random stream derived from (seed, tree index), so the forest does not depend on the thread count.
#include "train/forest_trainer.h"

#include "core/random.h"
#include "train/augment.h"
#include "train/parallel.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <bitset>
#include <chrono>
#include <cstring>
#include <mutex>
#include <numeric>
#include <thread>

#include "train/progress.h"

namespace digits {

namespace {

constexpr int kLevels = 256;
constexpr int kMaxDepth = 14;  // 2^14 leaves: node and leaf indices stay within 15 bits

// xoshiro256** seeded through SplitMix64: fast, and the same stream on every platform (the
// standard library's distributions are implementation-defined).
class Rng {
 public:
  Rng(uint64_t seed, uint64_t stream) {
    uint64_t x = seed ^ (0xD1B54A32D192ED03ull * (stream + 1));
    for (auto& word : state_) word = splitmix64(x);
  }
  uint64_t next() {
    const uint64_t result = rotl(state_[1] * 5, 7) * 9;
    const uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = rotl(state_[3], 45);
    return result;
  }
  // Uniform in [0, bound), bound > 0, without modulo bias (Lemire's multiply-and-reject).
  uint32_t below(uint32_t bound) {
    uint64_t product = uint64_t(uint32_t(next() >> 32)) * bound;
    if (uint32_t(product) < bound) {
      const uint32_t threshold = uint32_t(-bound) % bound;
      while (uint32_t(product) < threshold) product = uint64_t(uint32_t(next() >> 32)) * bound;
    }
    return uint32_t(product >> 32);
  }

 private:
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::array<uint64_t, 4> state_;
};

// The training set as the trees see it: each pixel as its level (ForestModel::level_of), stored
// feature-major (levels[f * count + i]) so a node's pass over one feature reads one array.
struct LevelColumns {
  int count = 0;
  std::vector<uint8_t> levels;  // kPixels * count
  std::vector<uint8_t> labels;  // count
};

LevelColumns quantise_columns(const Dataset& train, int workers) {
  LevelColumns data;
  data.count = std::min<int>(train.count, int(train.y.size()));
  data.labels.assign(train.y.begin(), train.y.begin() + data.count);
  data.levels.resize(size_t(kPixels) * data.count);
  parallel_for(kPixels, workers, [&](long f) {
    uint8_t* column = data.levels.data() + size_t(f) * data.count;
    for (int i = 0; i < data.count; ++i) column[i] = ForestModel::level_of(train.image(i)[f]);
  });
  return data;
}

struct TreeStats {
  int depth = 0, nodes = 0, leaves = 0;
};

// Grows trees one at a time; holds the scratch buffers one thread needs.
class TreeGrower {
 public:
  TreeGrower(const LevelColumns& data, const ForestParams& params) : data_(data), params_(params) {}

  ForestModel::Tree grow(uint64_t seed, int tree_index, TreeStats& stats);

 private:
  using FeatureSet = std::bitset<kPixels>;
  struct Sample {
    uint32_t index;   // training image
    uint32_t weight;  // times the bootstrap drew it
    uint8_t label;
  };
  struct Split {
    int feature = -1;
    uint8_t threshold = 0;
    double score = -1;  // sum over sides of (sum_c count_c^2) / count: higher = lower Gini
  };
  struct Pending {
    uint32_t begin, end;  // samples_[begin, end) reach this node
    int depth;
    int parent;  // node index, -1 for the root
    bool is_left;
    FeatureSet constant;  // features known to be constant here (constant in an ancestor)
  };

  bool find_split(const Pending& node, const std::array<int64_t, kClasses>& totals, Rng& rng,
                  FeatureSet& constant, Split& best);
  uint32_t partition(uint32_t begin, uint32_t end, const Split& split);

  const LevelColumns& data_;
  const ForestParams& params_;
  std::vector<Sample> samples_, scratch_;
  std::array<uint16_t, kPixels> features_{};
  std::array<int32_t, kLevels * kClasses> histogram_{};  // [level][class] bootstrap weight
  std::array<int32_t, kLevels> level_weight_{};
};

ForestModel::Tree TreeGrower::grow(uint64_t seed, int tree_index, TreeStats& stats) {
  Rng rng(seed, uint64_t(tree_index));
  const int n = data_.count;
  const int max_depth = std::clamp(params_.max_depth, 0, kMaxDepth);

  // The bootstrap: n draws with replacement; a sample's weight is how often it was drawn.
  std::vector<uint32_t> drawn(n, 0);
  for (int k = 0; k < n; ++k) ++drawn[rng.below(uint32_t(n))];
  samples_.clear();
  for (int i = 0; i < n; ++i) {
    if (drawn[i] > 0 && data_.labels[i] < kClasses)
      samples_.push_back({uint32_t(i), drawn[i], data_.labels[i]});
  }
  std::iota(features_.begin(), features_.end(), uint16_t{0});

  ForestModel::Tree tree;
  stats = {};
  // Depth first, left before right: a node's index is given when it is split, after its parent's,
  // so children always point forward as the format requires.
  std::vector<Pending> stack;
  stack.push_back({0, uint32_t(samples_.size()), 0, -1, false, {}});
  while (!stack.empty()) {
    Pending node = std::move(stack.back());
    stack.pop_back();

    std::array<int64_t, kClasses> totals{};
    for (uint32_t s = node.begin; s < node.end; ++s)
      totals[samples_[s].label] += samples_[s].weight;
    const int classes_present =
        int(std::count_if(totals.begin(), totals.end(), [](int64_t t) { return t > 0; }));

    Split split;
    FeatureSet constant = node.constant;
    const bool can_split = node.depth < max_depth && classes_present > 1 &&
                           int(node.end - node.begin) >= params_.min_samples_split;
    uint16_t ref;
    if (can_split && find_split(node, totals, rng, constant, split)) {
      ref = uint16_t(tree.nodes.size());
      tree.nodes.push_back({uint16_t(split.feature), split.threshold, 0, 0});
      const uint32_t middle = partition(node.begin, node.end, split);
      stack.push_back({middle, node.end, node.depth + 1, ref, false, constant});
      stack.push_back({node.begin, middle, node.depth + 1, ref, true, constant});
    } else {
      ref = uint16_t(ForestModel::kLeafBit | (tree.leaf_proba.size() / kClasses));
      const int64_t weight = std::accumulate(totals.begin(), totals.end(), int64_t{0});
      for (int c = 0; c < kClasses; ++c) {
        // An empty training set leaves an empty root: predict the uniform distribution.
        tree.leaf_proba.push_back(weight > 0 ? float(double(totals[c]) / double(weight))
                                             : 1.0f / kClasses);
      }
      stats.depth = std::max(stats.depth, node.depth);
    }
    if (node.parent >= 0) {
      ForestModel::Node& parent = tree.nodes[node.parent];
      (node.is_left ? parent.left : parent.right) = ref;
    }
  }
  stats.nodes = int(tree.nodes.size());
  stats.leaves = int(tree.leaf_proba.size() / kClasses);
  return tree;
}

// scikit-learn's BestSplitter: visit features in random order until max_features have been drawn
// and at least one of them could split (is not constant in the node), or all have been tried.
// Constant features count as visited; those constant in an ancestor are skipped without a pass.
bool TreeGrower::find_split(const Pending& node, const std::array<int64_t, kClasses>& totals,
                            Rng& rng, FeatureSet& constant, Split& best) {
  const int64_t node_weight = std::accumulate(totals.begin(), totals.end(), int64_t{0});
  int64_t node_square_sum = 0;
  for (int64_t t : totals) node_square_sum += t * t;

  bool found = false;
  int visited = 0;
  for (int k = 0; k < kPixels; ++k) {
    if (found && visited >= params_.max_features) break;
    std::swap(features_[k], features_[k + rng.below(uint32_t(kPixels - k))]);
    const int feature = features_[k];
    ++visited;
    if (constant.test(feature)) continue;

    const uint8_t* column = data_.levels.data() + size_t(feature) * data_.count;
    for (uint32_t s = node.begin; s < node.end; ++s) {
      const Sample& sample = samples_[s];
      const int level = column[sample.index];
      histogram_[level * kClasses + sample.label] += int32_t(sample.weight);
      level_weight_[level] += int32_t(sample.weight);
    }

    // Move one level at a time from the right side to the left, keeping each side's per-class
    // weights and sum of squares exact in integers; a split goes between two occupied levels.
    std::array<int64_t, kClasses> left{}, right = totals;
    int64_t left_weight = 0, right_weight = node_weight;
    int64_t left_squares = 0, right_squares = node_square_sum;
    int previous = -1, occupied_levels = 0;
    for (int level = 0; level < kLevels; ++level) {
      const int64_t moved = level_weight_[level];
      if (moved == 0) continue;
      if (previous >= 0) {
        const double score = double(left_squares) / double(left_weight) +
                             double(right_squares) / double(right_weight);
        if (score > best.score) {
          // The middle of the gap between the two levels, as scikit-learn's midpoint threshold.
          best = {feature, uint8_t((previous + level) / 2), score};
        }
      }
      const int32_t* bin = &histogram_[level * kClasses];
      for (int c = 0; c < kClasses; ++c) {
        const int64_t h = bin[c];
        if (h == 0) continue;
        left_squares += h * (2 * left[c] + h);
        right_squares -= h * (2 * right[c] - h);
        left[c] += h;
        right[c] -= h;
      }
      left_weight += moved;
      right_weight -= moved;
      previous = level;
      ++occupied_levels;
    }
    histogram_.fill(0);
    level_weight_.fill(0);
    // One occupied level: the feature is constant here, and so in every descendant.
    if (occupied_levels < 2)
      constant.set(feature);
    else
      found = true;
  }
  return found;
}

uint32_t TreeGrower::partition(uint32_t begin, uint32_t end, const Split& split) {
  // Stable, so samples stay in index order and the column reads stay sequential.
  const uint8_t* column = data_.levels.data() + size_t(split.feature) * data_.count;
  scratch_.clear();
  uint32_t middle = begin;
  for (uint32_t s = begin; s < end; ++s) {
    if (column[samples_[s].index] <= split.threshold)
      samples_[middle++] = samples_[s];
    else
      scratch_.push_back(samples_[s]);
  }
  std::copy(scratch_.begin(), scratch_.end(), samples_.begin() + middle);
  return middle;
}

}  // namespace

ForestModel train_forest(const Dataset& train, const ForestParams& params,
                         const TrainOptions& options, TrainReport& report) {
  const auto start = std::chrono::steady_clock::now();
  const int tree_count = std::max(1, params.trees);
  const int workers = std::min(default_threads(options.threads), tree_count);
  const LevelColumns data = quantise_columns(train, default_threads(options.threads));

  std::vector<ForestModel::Tree> trees(tree_count);
  std::vector<TreeStats> stats(tree_count);
  std::atomic<int> next_tree{0};
  std::mutex progress_mutex;
  int trees_done = 0;
  ProgressBar bar(model_id(ForestModel::kKind), tree_count, options.progress);
  std::vector<std::thread> pool;
  for (int w = 0; w < workers; ++w) {
    pool.emplace_back([&] {
      TreeGrower grower(data, params);
      for (int t = next_tree++; t < tree_count; t = next_tree++) {
        trees[t] = grower.grow(options.seed, t, stats[t]);
        std::lock_guard lock(progress_mutex);
        ++trees_done;
        bar.update(trees_done,
                   "tree " + std::to_string(trees_done) + "/" + std::to_string(tree_count));
      }
    });
  }
  for (auto& t : pool) t.join();

  if (params.quantise_leaves) {
    std::array<uint8_t, kClasses> levels;
    for (auto& tree : trees) {
      for (size_t at = 0; at < tree.leaf_proba.size(); at += kClasses) {
        std::span<float> leaf(tree.leaf_proba.data() + at, kClasses);
        quantise_distribution(leaf, levels, ForestModel::kLeafTotal);
        for (int c = 0; c < kClasses; ++c) {
          leaf[c] = ForestModel::level_probability(levels[c], ForestModel::kLeafTotal);
        }
      }
    }
  }

  double depth_sum = 0, leaf_sum = 0, node_sum = 0;
  for (const TreeStats& s : stats) {
    depth_sum += s.depth;
    leaf_sum += s.leaves;
    node_sum += s.nodes;
  }
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  bar.finish("mean depth " + std::to_string(depth_sum / tree_count).substr(0, 4));
  report.details = {{"trees", double(tree_count)},
                    {"mean_depth", depth_sum / tree_count},
                    {"mean_leaves", leaf_sum / tree_count},
                    {"nodes", node_sum}};
  report.hyperparameters =
      std::to_string(tree_count) + " trees, max depth " + std::to_string(params.max_depth) +
      ", Gini, bootstrap, " + std::to_string(params.max_features) + " features per split, min " +
      std::to_string(params.min_samples_split) + " samples to split, splits on 256 pixel levels" +
      (params.quantise_leaves ? ", leaf probabilities rounded to multiples of 1/" +
                                    std::to_string(ForestModel::kLeafTotal)
                              : std::string());
  return ForestModel(std::move(trees), options.preprocess_mode());
}

ForestModel train_forest(const Dataset& train, const TrainOptions& options, TrainReport& report) {
  ForestParams params;  // the original recipe: scikit-learn's sqrt(784) = 28 features per split
  // The improved recipe looks at 56 candidate features per split: better on drawn digits with
  // MNIST unchanged, a lower log loss and a smaller file, where 112 did not help (README
  // "Training" has the figures).
  if (options.recipe == Recipe::Improved) params.max_features = 56;
  return train_forest(train, params, options, report);
}

ForestModel train_forest(const IdxImages& images, const IdxLabels& labels,
                         const TrainOptions& options, TrainReport& report) {
  constexpr int kAugmentedCopies = 2;
  const int copies = options.recipe == Recipe::Improved ? kAugmentedCopies : 0;
  if (copies > 0 && options.progress) {
    std::fprintf(stderr, "forest: adding %d augmented copies of each training image...\n", copies);
  }
  const Dataset train = make_augmented_dataset(images, labels, options.preprocess_mode(), copies,
                                               options.seed, AugmentRanges{}, options.threads);
  ForestModel forest = train_forest(train, options, report);
  if (copies > 0) {
    report.hyperparameters += "; trained on the originals + " + std::to_string(copies) +
                              " augmented copies (rotation, shear, aspect, stroke thickness)";
  }
  return forest;
}

}  // namespace digits
