#include "cli/explain.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <numeric>

#include "cli/args.h"
#include "io/idx.h"
#include "io/png_write.h"

namespace digits::cli {

namespace {

// ---------------------------------------------------------------------------------------------
// Numbers

// The double that prints as the float's shortest decimal (0.3f as 0.3, not 0.30000001192092896):
// the same float when read back, and a JSON file a third the size.
double shortest(float v) {
  if (!std::isfinite(v)) return double(v);  // nlohmann writes null
  char text[32];
  const auto end = std::to_chars(text, text + sizeof text - 1, v).ptr;
  *end = '\0';
  return std::strtod(text, nullptr);
}

double value_at(const InsightArray& a, size_t i) {
  return a.type == InsightType::F32 ? double(a.f32()[i]) : double(a.i32()[i]);
}

std::string shape_text(const InsightArray& a) {
  std::string text;
  for (int d = 0; d < a.rank; ++d) {
    if (d) text += 'x';
    text += std::to_string(a.shape[size_t(d)]);
  }
  return text;
}

struct Range {
  double min = 0, max = 0, mean = 0, positive = 0;  // positive: the share of values > 0
};
Range range_of(const InsightArray& a) {
  Range r;
  const size_t n = a.size();
  if (n == 0 || !a.data) return r;
  r.min = r.max = value_at(a, 0);
  double sum = 0, positive = 0;
  for (size_t i = 0; i < n; ++i) {
    const double v = value_at(a, i);
    r.min = std::min(r.min, v);
    r.max = std::max(r.max, v);
    sum += v;
    positive += v > 0;
  }
  r.mean = sum / double(n);
  r.positive = positive / double(n);
  return r;
}

template <typename I>
const I& as(const Insight& insight) {
  return static_cast<const I&>(insight);
}

// ---------------------------------------------------------------------------------------------
// Text, per model

// Every array's shape and range: LeNet-5's layers, and any model without a summary of its own.
void print_ranges(const Insight& insight, const DigitClassifier::Result&, int) {
  std::printf("  %-14s %-10s %9s %9s %9s %7s\n", "array", "shape", "min", "max", "mean", "> 0");
  for (const InsightArray& a : insight.arrays()) {
    const Range r = range_of(a);
    std::printf("  %-14s %-10s %9.4f %9.4f %9.4f %6.1f%%%s\n", a.name, shape_text(a).c_str(), r.min,
                r.max, r.mean, 100 * r.positive, a.per_image ? "" : "  (weights)");
  }
}

void print_lenet(const Insight& insight, const DigitClassifier::Result& result, int m) {
  std::printf(
      "lenet: every layer's output (after ReLU; fc3 is the ten outputs before softmax), and the "
      "learned filters\n");
  print_ranges(insight, result, m);
}

// (row, column) and value of the `count` largest (or smallest) of digit d's contributions.
void print_strongest(const LogRegInsight& insight, int d, bool most_for, int count) {
  const float* row = insight.contribution.data() + d * kPixels;
  std::array<int, kPixels> order;
  std::iota(order.begin(), order.end(), 0);
  std::partial_sort(order.begin(), order.begin() + count, order.end(),
                    [&](int a, int b) { return most_for ? row[a] > row[b] : row[a] < row[b]; });
  std::printf("  pixels most %-7s %d:", most_for ? "for" : "against", d);
  for (int k = 0; k < count; ++k) {
    const int i = order[size_t(k)];
    if (most_for ? row[i] <= 0 : row[i] >= 0) break;
    std::printf("  (%2d,%2d) %+.3f", i / kSide, i % kSide, row[i]);
  }
  std::printf("\n");
}

void print_logreg(const Insight& any, const DigitClassifier::Result& result, int m) {
  const auto& insight = as<LogRegInsight>(any);
  const int top = result.prediction[m];
  std::printf(
      "logreg: each digit's logit is its bias plus the evidence of the 784 pixels (weight x "
      "ink);\n        softmax of the logits gives the probabilities\n");
  std::printf("  %5s %9s %9s %9s %9s %9s %8s\n", "digit", "logit", "bias", "evidence", "for",
              "against", "proba");
  for (int d = 0; d < kClasses; ++d) {
    double for_sum = 0, against_sum = 0;
    for (int i = 0; i < kPixels; ++i) {
      const float v = insight.contribution[size_t(d * kPixels + i)];
      (v > 0 ? for_sum : against_sum) += v;
    }
    std::printf("  %5d %9.3f %9.3f %9.3f %9.3f %9.3f %7.1f%%%s\n", d, insight.logit[size_t(d)],
                insight.bias[size_t(d)], for_sum + against_sum, for_sum, against_sum,
                100 * result.proba[size_t(m)][size_t(d)], d == top ? "  <- its answer" : "");
  }
  std::printf("  (row, column) and evidence:\n");
  print_strongest(insight, top, true, 6);
  print_strongest(insight, top, false, 6);
}

void print_forest(const Insight& any, const DigitClassifier::Result& result, int m) {
  const auto& insight = as<ForestInsight>(any);
  const auto& proba = result.proba[size_t(m)];
  std::array<int, kClasses> votes{};
  for (int t = 0; t < insight.trees; ++t) ++votes[size_t(insight.vote[size_t(t)])];
  const int top_vote = int(std::max_element(votes.begin(), votes.end()) - votes.begin());
  const int top = result.prediction[m];
  std::printf(
      "forest: %d trees; each votes for its leaf's top class, and the forest's probabilities are "
      "the mean of the leaves\n",
      insight.trees);
  std::printf("  %5s %6s %9s\n", "digit", "votes", "averaged");
  for (int d = 0; d < kClasses; ++d) {
    if (votes[size_t(d)] == 0 && proba[size_t(d)] < 0.0005f) continue;
    std::printf("  %5d %6d %8.1f%%%s\n", d, votes[size_t(d)], 100 * proba[size_t(d)],
                d == top ? "  <- its answer" : "");
  }
  if (top_vote == top)
    std::printf("  The most votes and the averaged leaves agree: %d.\n", top);
  else
    std::printf(
        "  The most votes go to %d, but the averaged leaves say %d: the mean weighs how sure each "
        "tree is, a count of votes does not.\n",
        top_vote, top);

  const int t = insight.path_tree;
  if (t < 0 || t >= insight.trees) return;
  const int leaf = insight.leaf[size_t(t)];
  std::printf("  tree %d: %d question%s, then leaf %d, which votes %d\n", t, insight.path_length,
              insight.path_length == 1 ? "" : "s", leaf, insight.vote[size_t(t)]);
  for (int s = 0; s < insight.path_length; ++s) {
    const bool right = insight.path_right[size_t(s)] != 0;
    std::printf("  %4d. node %5d: pixel (%2d,%2d) = %.3f %s %.3f, %s\n", s + 1,
                insight.path_node[size_t(s)], insight.path_row[size_t(s)],
                insight.path_col[size_t(s)], insight.path_value[size_t(s)],
                right ? "> " : "<=", insight.path_threshold[size_t(s)], right ? "right" : "left");
  }
  std::printf("        leaf %5d:", leaf);
  for (int c = 0; c < kClasses; ++c) {
    const float p = insight.leaf_proba[size_t(t * kClasses + c)];
    if (p > 0) std::printf("  %d %.0f%%", c, 100 * p);
  }
  std::printf("\n");
}

// What a forest adds to its JSON beyond its arrays: the tree whose path is there, and the votes
// counted per digit.
void forest_json(const Insight& any, nlohmann::json& j) {
  const auto& insight = as<ForestInsight>(any);
  std::array<int, kClasses> votes{};
  for (int t = 0; t < insight.trees; ++t) ++votes[size_t(insight.vote[size_t(t)])];
  j["path_tree"] = insight.path_tree;
  j["vote_counts"] = votes;
}

// The summaries, by model kind; a model without an entry gets print_ranges.
struct Explainer {
  ModelKind kind;
  void (*print)(const Insight&, const DigitClassifier::Result&, int model);
  void (*json)(const Insight&, nlohmann::json&);  // may be null
};
constexpr Explainer kExplainers[] = {
    {LogRegModel::kKind, &print_logreg, nullptr},
    {ForestModel::kKind, &print_forest, &forest_json},
    {LeNetModel::kKind, &print_lenet, nullptr},
};

const Explainer* explainer_of(ModelKind kind) {
  for (const Explainer& e : kExplainers)
    if (e.kind == kind) return &e;
  return nullptr;
}

// ---------------------------------------------------------------------------------------------
// JSON

// The array's values nested by its shape, from element `at` on.
nlohmann::json nested(const InsightArray& a, int dim, size_t& at) {
  nlohmann::json list = nlohmann::json::array();
  for (int k = 0; k < a.shape[size_t(dim)]; ++k) {
    if (dim + 1 < a.rank) {
      list.push_back(nested(a, dim + 1, at));
    } else if (a.type == InsightType::F32) {
      list.push_back(shortest(a.f32()[at++]));
    } else {
      list.push_back(a.i32()[at++]);
    }
  }
  return list;
}

// ---------------------------------------------------------------------------------------------
// PNG maps

constexpr int kMapSide = 168;  // pixels a map is scaled up to (about; nearest neighbour)
constexpr uint8_t kGap = 128;  // grey between the tiles of one file

// Colours a value: for arrays with negative values blue (< 0), white (0), red (> 0), scaled by
// the largest magnitude; otherwise black (0) to white (the largest value).
struct Palette {
  bool diverging;
  double scale;
  std::array<uint8_t, 3> operator()(double v) const {
    if (!std::isfinite(v)) return {255, 0, 255};
    const double t = scale > 0 ? std::clamp(v / scale, -1.0, 1.0) : 0.0;
    if (!diverging) {
      const auto g = uint8_t(std::lround(255 * std::max(t, 0.0)));
      return {g, g, g};
    }
    const auto fade = uint8_t(std::lround(255 * (1 - std::abs(t))));
    return t >= 0 ? std::array<uint8_t, 3>{255, fade, fade}
                  : std::array<uint8_t, 3>{fade, fade, 255};
  }
};

Palette palette_of(const InsightArray& a) {
  const Range r = range_of(a);
  if (r.min < 0) return {true, std::max(-r.min, r.max)};
  return {false, r.max};
}

// `tiles` maps of h x w values side by side, starting at element `first` of `a`.
std::vector<uint8_t> render(const InsightArray& a, size_t first, int tiles, int h, int w,
                            const Palette& palette, int& width, int& height) {
  const int scale = std::max(1, kMapSide / std::max(h, w));
  const int gap = std::max(2, scale / 2);
  width = tiles * w * scale + (tiles - 1) * gap;
  height = h * scale;
  std::vector<uint8_t> rgb(size_t(width) * size_t(height) * 3, kGap);
  for (int t = 0; t < tiles; ++t) {
    for (int y = 0; y < height; ++y) {
      for (int x = 0; x < w * scale; ++x) {
        const size_t i = first + size_t(t) * size_t(h * w) + size_t(y / scale * w + x / scale);
        const auto colour = palette(value_at(a, i));
        uint8_t* px =
            rgb.data() + (size_t(y) * size_t(width) + size_t(t * (w * scale + gap) + x)) * 3;
        std::copy(colour.begin(), colour.end(), px);
      }
    }
  }
  return rgb;
}

void write_png(const std::filesystem::path& path, int width, int height,
               std::span<const uint8_t> rgb, std::vector<std::string>& written) {
  const std::vector<uint8_t> png = encode_png(width, height, 3, rgb);
  std::string error;
  if (png.empty()) throw RunError(path.string() + ": the PNG could not be encoded");
  if (!write_file(path.string(), png, error)) throw RunError(error);
  written.push_back(path.filename().string());
}

// "07" for 7 of 16: indexes padded to the same width, so the files sort in order.
std::string padded(int index, int count) {
  std::string text = std::to_string(index);
  const size_t width = std::to_string(std::max(count - 1, 0)).size();
  return std::string(width > text.size() ? width - text.size() : 0, '0') + text;
}

}  // namespace

void print_insight(const DigitClassifier::Result& result, const InsightBuffers& insights) {
  for (int m = 0; m < kModels; ++m) {
    if (!insights[size_t(m)]) continue;
    std::printf("\n");
    const Explainer* e = explainer_of(insights[size_t(m)]->kind());
    if (e) {
      e->print(*insights[size_t(m)], result, m);
    } else {
      std::printf("%s:\n", kModelRegistry[size_t(m)].id);
      print_ranges(*insights[size_t(m)], result, m);
    }
  }
}

nlohmann::json insight_json(const DigitClassifier::Result& result, const InsightBuffers& insights) {
  nlohmann::json models = nlohmann::json::object();
  for (int m = 0; m < kModels; ++m) {
    const Insight* insight = insights[size_t(m)].get();
    if (!insight) continue;
    nlohmann::json arrays = nlohmann::json::object(), shapes = nlohmann::json::object();
    std::vector<std::string> weights;
    for (const InsightArray& a : insight->arrays()) {
      size_t at = 0;
      arrays[a.name] = nested(a, 0, at);
      shapes[a.name] = std::vector<int>(a.shape.begin(), a.shape.begin() + a.rank);
      if (!a.per_image) weights.push_back(a.name);
    }
    nlohmann::json j = {{"prediction", result.prediction[size_t(m)]},
                        {"insight", arrays},
                        {"shapes", shapes},
                        {"model_arrays", weights}};
    if (const Explainer* e = explainer_of(insight->kind()); e && e->json) e->json(*insight, j);
    models[kModelRegistry[size_t(m)].id] = j;
  }
  return models;
}

std::vector<std::string> write_insight_maps(const std::string& dir,
                                            const DigitClassifier::Result& result,
                                            const InsightBuffers& insights) {
  std::vector<std::string> written;
  const std::filesystem::path folder(dir);
  int width = 0, height = 0;
  const InsightArray input = insight_array("input", result.image.data(), {kSide, kSide});
  const auto input_rgb = render(input, 0, 1, kSide, kSide, Palette{false, 1.0}, width, height);
  write_png(folder / "input.png", width, height, input_rgb, written);
  for (int m = 0; m < kModels; ++m) {
    const Insight* insight = insights[size_t(m)].get();
    if (!insight) continue;
    for (const InsightArray& a : insight->arrays()) {
      // Stacks of maps: {maps, h, w}, or {maps, tiles, h, w} (one file per map, its tiles side by
      // side: a conv2 filter's six input kernels).
      if (a.rank < 3 || !a.data || a.size() == 0) continue;
      const int maps = a.shape[0], tiles = a.rank == 4 ? a.shape[1] : 1;
      const int h = a.shape[size_t(a.rank - 2)], w = a.shape[size_t(a.rank - 1)];
      const Palette palette = palette_of(a);  // one scale for the whole stack: maps compare
      for (int k = 0; k < maps; ++k) {
        const std::string name = std::string(kModelRegistry[size_t(m)].id) + "-" + a.name + "-" +
                                 padded(k, maps) + ".png";
        const auto rgb =
            render(a, size_t(k) * size_t(tiles * h * w), tiles, h, w, palette, width, height);
        write_png(folder / name, width, height, rgb, written);
      }
    }
  }
  return written;
}

}  // namespace digits::cli
