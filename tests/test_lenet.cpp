// LeNet-5: the core's lean forward pass against tiny-dnn's own, the weights format, and golden
// outputs from hand-made weights.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <limits>
#include <random>
#include <set>
#include <vector>

#include "core/lenet.h"
#include "core/logreg.h"  // softmax
#include "io/idx.h"
#include "test_support.h"
#include "train/dataset.h"
#include "train/lenet_network.h"

namespace digits {
namespace {

using Image = std::vector<float>;  // 784 floats, row-major 28x28, ink = 1

// Layer positions in the tiny-dnn network (pools in between carry no weights).
constexpr size_t kWeightedLayers[] = {0, 2, 4, 5, 6};

std::vector<float> lean_proba(const LeNetModel& model, const Image& x) {
  std::vector<float> p(kClasses);
  model.predict_proba(x, p);
  return p;
}

std::vector<float> tiny_dnn_proba(LeNetNetwork& net, const Image& x) {
  const tiny_dnn::vec_t y = net.predict(lenet_input(x));
  return std::vector<float>(y.begin(), y.end());
}

// Dense noise, sparse binary strokes, and the two constant images.
std::vector<Image> random_images(int count, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> unit(0.0f, 1.0f);
  std::vector<Image> images;
  images.push_back(Image(kPixels, 0.0f));
  images.push_back(Image(kPixels, 1.0f));
  for (int i = 0; i < count; ++i) {
    Image x(kPixels);
    if (i % 2 == 0) {
      for (float& v : x) v = unit(rng);
    } else {
      for (float& v : x) v = unit(rng) < 0.2f ? 1.0f : 0.0f;
    }
    images.push_back(std::move(x));
  }
  return images;
}

// Overwrites every weight and bias with uniform noise of `gain` times the fan-in scale, and
// biases in [-bias, bias]: far from tiny-dnn's near-uniform initial outputs.
void randomise_network(LeNetNetwork& net, float gain, float bias, uint32_t seed) {
  std::mt19937 rng(seed);
  for (size_t index : kWeightedLayers) {
    auto params = net[index]->weights();  // {W, b}
    const float fan_in = static_cast<float>(net[index]->fan_in_size());
    std::uniform_real_distribution<float> w_dist(-gain / std::sqrt(fan_in),
                                                 gain / std::sqrt(fan_in));
    std::uniform_real_distribution<float> b_dist(-bias, bias);
    for (auto& v : *params[0]) v = w_dist(rng);
    for (auto& v : *params[1]) v = b_dist(rng);
  }
}

// Compares the two forward passes on every image, class by class.
void expect_same_as_tiny_dnn(LeNetNetwork& net, const LeNetModel& model,
                             const std::vector<Image>& images) {
  for (size_t i = 0; i < images.size(); ++i) {
    const std::vector<float> want = tiny_dnn_proba(net, images[i]);
    const std::vector<float> got = lean_proba(model, images[i]);
    EXPECT_EQ(want.size(), static_cast<size_t>(kClasses));
    for (int k = 0; k < kClasses; ++k) {
      EXPECT_NEAR(got[k], want[k], 1e-5f) << "image " << i << ", class " << k;
    }
  }
}

// Argmax classes and the largest probability seen: proof a test exercised distinct outputs.
struct Spread {
  std::set<int> classes;
  float max_proba = 0.0f;
};
Spread spread_of(const LeNetModel& model, const std::vector<Image>& images) {
  Spread s;
  for (const Image& x : images) {
    const std::vector<float> p = lean_proba(model, x);
    const int top = top_class(p);
    s.classes.insert(top);
    s.max_proba = std::max(s.max_proba, p[top]);
  }
  return s;
}

std::vector<LeNetModel::Layer> zero_layers() {
  const int shapes[5][3] = {{6, 1, 5}, {16, 6, 5}, {120, 400, 1}, {84, 120, 1}, {10, 84, 1}};
  std::vector<LeNetModel::Layer> layers;
  for (const auto& s : shapes) {
    LeNetModel::Layer l;
    l.out = s[0];
    l.in = s[1];
    l.kernel = s[2];
    l.w.assign(static_cast<size_t>(s[0]) * s[1] * s[2] * s[2], 0.0f);
    l.b.assign(s[0], 0.0f);
    layers.push_back(std::move(l));
  }
  return layers;
}

std::vector<LeNetModel::Layer> random_layers(uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal(0.0f, 0.1f);
  auto layers = zero_layers();
  for (auto& l : layers) {
    for (float& v : l.w) v = normal(rng);
    for (float& v : l.b) v = normal(rng);
  }
  return layers;
}

// A weights file with arbitrary (possibly wrong) content but a valid envelope.
std::vector<uint8_t> file_of(const std::vector<LeNetModel::Layer>& layers, uint32_t count) {
  ByteWriter body;
  body.u32(count);
  for (const auto& l : layers) {
    body.u32(l.out);
    body.u32(l.in);
    body.u32(l.kernel);
    body.f32s(l.w);
    body.f32s(l.b);
  }
  return wrap_weights(LeNetModel::kKind, PreprocessMode::Mnist, body);
}

std::vector<double> softmax_of(const std::vector<double>& logits) {
  const double top = *std::max_element(logits.begin(), logits.end());
  std::vector<double> p(logits.size());
  double sum = 0;
  for (size_t i = 0; i < p.size(); ++i) sum += p[i] = std::exp(logits[i] - top);
  for (double& v : p) v /= sum;
  return p;
}

// ---------------------------------------------------------------------------------------------
// The lean forward pass against tiny-dnn's.

TEST(LeNetForward, MatchesTinyDnnWithItsOwnInitialisation) {
  tiny_dnn::set_random_seed(11);
  LeNetNetwork net = make_lenet_network();
  const LeNetModel model = export_lenet(net, PreprocessMode::Mnist);
  ASSERT_TRUE(model.valid());
  const std::vector<Image> images = random_images(30, 1);
  expect_same_as_tiny_dnn(net, model, images);
  // Xavier-initialised outputs are close to uniform, but not equal to it (an uninitialised last
  // layer would give exactly 0.1 everywhere and make the comparison vacuous).
  float off_uniform = 0.0f;
  for (const Image& x : images)
    for (float p : lean_proba(model, x)) off_uniform = std::max(off_uniform, std::abs(p - 0.1f));
  EXPECT_GT(off_uniform, 0.01f);
}

TEST(LeNetForward, MatchesTinyDnnWithLargeRandomWeights) {
  tiny_dnn::set_random_seed(12);
  LeNetNetwork net = make_lenet_network();
  randomise_network(net, 3.0f, 0.5f, 2);
  const LeNetModel model = export_lenet(net, PreprocessMode::Mnist);
  const std::vector<Image> images = random_images(40, 3);
  expect_same_as_tiny_dnn(net, model, images);
  // The weights must spread the outputs for the comparison to mean something.
  const Spread s = spread_of(model, images);
  EXPECT_GE(s.classes.size(), 3u);
  EXPECT_GT(s.max_proba, 0.5f);
}

TEST(LeNetForward, MatchesTinyDnnOnPreprocessedMnist) {
  const std::string path = source_dir() + "/data/mnist/t10k-images-idx3-ubyte";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << path << " is missing (scripts/setup.sh)";
  IdxImages all;
  std::string error;
  ASSERT_TRUE(load_idx_images(path, all, error)) << error;
  const Dataset data = make_dataset(all.head(120), IdxLabels{}, PreprocessMode::MnistDeskew, 1);
  std::vector<Image> images;
  for (int i = 0; i < data.count; ++i) images.emplace_back(data.image(i), data.image(i) + kPixels);

  tiny_dnn::set_random_seed(13);
  LeNetNetwork net = make_lenet_network();
  expect_same_as_tiny_dnn(net, export_lenet(net, PreprocessMode::MnistDeskew), images);
  randomise_network(net, 3.0f, 0.5f, 4);
  const LeNetModel model = export_lenet(net, PreprocessMode::MnistDeskew);
  expect_same_as_tiny_dnn(net, model, images);
  EXPECT_GE(spread_of(model, images).classes.size(), 2u);
}

TEST(LeNetExport, FreshNetworkIsInitialisedInEveryLayer) {
  tiny_dnn::set_random_seed(14);
  LeNetNetwork net = make_lenet_network();
  const LeNetModel model = export_lenet(net, PreprocessMode::Mnist);
  ASSERT_EQ(model.layers().size(), 5u);
  for (size_t l = 0; l < 5; ++l) {
    const auto& w = model.layers()[l].w;
    EXPECT_TRUE(std::any_of(w.begin(), w.end(), [](float v) { return v != 0.0f; }))
        << "layer " << l << " has all-zero weights: tiny-dnn never initialised it";
  }
  // Same seed, same network.
  tiny_dnn::set_random_seed(14);
  LeNetNetwork again = make_lenet_network();
  EXPECT_EQ(export_lenet(again, PreprocessMode::Mnist).serialize(), model.serialize());
}

// ---------------------------------------------------------------------------------------------
// Golden outputs from hand-made weights.

TEST(LeNetForward, ZeroWeightsGiveTheSoftmaxOfTheLastBiases) {
  auto layers = zero_layers();
  // ReLU(bias) upstream must not leak into the logits: give every layer a positive bias.
  for (int l = 0; l < 4; ++l) std::fill(layers[l].b.begin(), layers[l].b.end(), 0.3f);
  for (int k = 0; k < kClasses; ++k) layers[4].b[k] = std::log(static_cast<float>(k + 1));
  const LeNetModel model(layers, PreprocessMode::Mnist);
  const std::vector<float> p = lean_proba(model, random_images(1, 5).back());
  for (int k = 0; k < kClasses; ++k) EXPECT_NEAR(p[k], (k + 1) / 55.0, 1e-6) << "class " << k;
}

// conv1 copies the image through one kernel tap, conv2 through its centre tap, fc1 sums the first
// pooled channel, fc2 doubles it and fc3 adds k * that to class k's bias. A single pixel of value
// v then gives logits b_k + 2 * 0.5 * k * v exactly when it survives the padding, crops and pools.
TEST(LeNetForward, HandMadeKernelsTraceOnePixelThroughPaddingAndPooling) {
  const float v = 0.75f;
  const std::vector<double> bias = {0.2, -0.1, 0.4, 0.0, 0.3, -0.5, 0.1, 0.25, -0.2, 0.05};
  std::vector<double> miss_logits(bias), hit_logits(bias);
  for (int k = 0; k < kClasses; ++k) hit_logits[k] += k * v;
  const std::vector<double> miss = softmax_of(miss_logits), hit = softmax_of(hit_logits);

  const int taps[][2] = {{2, 2}, {0, 4}, {4, 1}};  // (ky, kx) of conv1's single non-zero weight
  for (const auto& tap : taps) {
    auto layers = zero_layers();
    layers[0].w[tap[0] * 5 + tap[1]] = 1.0f;             // conv1 channel 0
    layers[1].w[(0 * 6 + 0) * 25 + 2 * 5 + 2] = 1.0f;    // conv2 channel 0 <- channel 0, centre
    for (int i = 0; i < 25; ++i) layers[2].w[i] = 1.0f;  // fc1 unit 0 <- pooled channel 0
    layers[3].w[0] = 2.0f;                               // fc2 unit 0 <- fc1 unit 0
    for (int k = 0; k < kClasses; ++k) {
      layers[4].w[k * 84] = 0.5f * k;  // class k <- fc2 unit 0
      layers[4].b[k] = static_cast<float>(bias[k]);
    }
    const LeNetModel model(layers, PreprocessMode::Mnist);
    ASSERT_TRUE(model.valid());
    int hits = 0;
    for (int r = 0; r < kSide; ++r) {
      for (int c = 0; c < kSide; ++c) {
        // Cross-correlation with 2 zeros of padding: conv1 output (y, x) reads input
        // (y + ky - 2, x + kx - 2). conv2 ("valid", centre tap) output (Y, X) reads pooled
        // (Y + 2, X + 2), Y in 0..9, so conv1 rows 4..23 survive; pool2 keeps all of 10x10.
        const int y = r + 2 - tap[0], x = c + 2 - tap[1];
        const bool survives = y >= 4 && y <= 23 && x >= 4 && x <= 23;
        hits += survives;
        Image img(kPixels, 0.0f);
        img[r * kSide + c] = v;
        const std::vector<float> p = lean_proba(model, img);
        const std::vector<double>& want = survives ? hit : miss;
        for (int k = 0; k < kClasses; ++k)
          ASSERT_NEAR(p[k], want[k], 1e-6) << "tap (" << tap[0] << "," << tap[1] << "), pixel ("
                                           << r << "," << c << "), class " << k;
      }
    }
    EXPECT_EQ(hits, 20 * 20);
  }
}

TEST(LeNetForward, InvalidModelOrShortSpansGiveNaN) {
  auto layers = zero_layers();
  layers[1].w.pop_back();
  const LeNetModel broken(layers, PreprocessMode::Mnist);
  EXPECT_FALSE(broken.valid());
  std::vector<float> p(kClasses, 0.0f);
  broken.predict_proba(Image(kPixels, 0.0f), p);
  for (float v : p) EXPECT_TRUE(std::isnan(v));

  const LeNetModel model(zero_layers(), PreprocessMode::Mnist);
  ASSERT_TRUE(model.valid());
  std::fill(p.begin(), p.end(), 0.0f);
  model.predict_proba(Image(kPixels - 1, 0.0f), p);
  for (float v : p) EXPECT_TRUE(std::isnan(v));
  std::vector<float> short_out(kClasses - 1, 0.0f);
  model.predict_proba(Image(kPixels, 0.0f), short_out);
  for (float v : short_out) EXPECT_TRUE(std::isnan(v));

  EXPECT_FALSE(LeNetModel().valid());
}

// ---------------------------------------------------------------------------------------------
// The weights format.

TEST(LeNetFormat, RoundTripIsBitIdentical) {
  const LeNetModel model(random_layers(21), PreprocessMode::MnistDeskew);
  const std::vector<uint8_t> file = model.serialize();
  EXPECT_EQ(file.size(), kWeightsHeaderSize + 4 + 5 * 12 + 61706 * 4);
  EXPECT_EQ(model.parameter_count(), 61706u);

  LeNetModel back;
  std::string error;
  ASSERT_TRUE(LeNetModel::parse(file, back, error)) << error;
  EXPECT_EQ(back.preprocess(), PreprocessMode::MnistDeskew);
  EXPECT_EQ(back.parameter_count(), 61706u);
  EXPECT_EQ(back.serialize(), file);
  for (const Image& x : random_images(10, 6)) {
    const std::vector<float> a = lean_proba(model, x), b = lean_proba(back, x);
    EXPECT_EQ(std::memcmp(a.data(), b.data(), a.size() * sizeof(float)), 0);
  }
}

TEST(LeNetFormat, RejectsWrongLayerCount) {
  auto layers = random_layers(22);
  EXPECT_THAT(parse_error<LeNetModel>(file_of(layers, 4)), HasSubstr("wrong layer count"));
  layers.pop_back();
  const std::string error = parse_error<LeNetModel>(file_of(layers, 4));
  EXPECT_THAT(error, HasSubstr("wrong layer count"));
  EXPECT_THAT(error, HasSubstr("4 layers"));
}

TEST(LeNetFormat, RejectsWrongShapes) {
  struct Case {
    int layer, out, in, kernel;
    const char* name;
  };
  const Case cases[] = {{0, 6, 1, 3, "conv1"},
                        {1, 16, 5, 5, "conv2"},
                        {2, 100, 400, 1, "fc1"},
                        {3, 84, 121, 1, "fc2"},
                        {4, 9, 84, 1, "fc3"}};
  for (const Case& c : cases) {
    auto layers = random_layers(23);
    auto& l = layers[c.layer];
    l.out = c.out;
    l.in = c.in;
    l.kernel = c.kernel;
    l.w.assign(static_cast<size_t>(c.out) * c.in * c.kernel * c.kernel, 0.1f);
    l.b.assign(c.out, 0.1f);
    const std::string error = parse_error<LeNetModel>(file_of(layers, 5));
    EXPECT_THAT(error, HasSubstr("wrong shape"));
    EXPECT_THAT(error, HasSubstr(c.name));
    std::string ignored;
    EXPECT_FALSE(LeNetModel::validate_layers(layers, ignored));
  }
}

TEST(LeNetFormat, RejectsNaNAndInfinity) {
  auto layers = random_layers(24);
  layers[3].w[7] = std::numeric_limits<float>::quiet_NaN();
  std::string error = parse_error<LeNetModel>(file_of(layers, 5));
  EXPECT_THAT(error, HasSubstr("fc2 weight 7 is NaN"));

  layers = random_layers(24);
  layers[1].b[3] = -std::numeric_limits<float>::infinity();
  error = parse_error<LeNetModel>(file_of(layers, 5));
  EXPECT_THAT(error, HasSubstr("conv2 bias 3 is infinite"));
}

TEST(LeNetFormat, RejectsTruncatedOrOverlongBodies) {
  const std::vector<uint8_t> file =
      LeNetModel(random_layers(25), PreprocessMode::Mnist).serialize();
  const std::vector<uint8_t> body(file.begin() + kWeightsHeaderSize, file.end());

  // Cut inside fc3's biases, inside a shape, and right after the layer count.
  for (size_t keep : {body.size() - 10, size_t(4 + 12 + 25 * 4 + 6 * 4 + 6), size_t(4)}) {
    ByteWriter cut;
    cut.u8s(std::span<const uint8_t>(body.data(), keep));
    const std::string error =
        parse_error<LeNetModel>(wrap_weights(LeNetModel::kKind, PreprocessMode::Mnist, cut));
    EXPECT_THAT(error, HasSubstr("truncated"));
  }
  ByteWriter cut;
  cut.u8s(std::span<const uint8_t>(body.data(), body.size() - 10));
  EXPECT_THAT(parse_error<LeNetModel>(wrap_weights(LeNetModel::kKind, PreprocessMode::Mnist, cut)),
              HasSubstr("fc3 biases"));

  ByteWriter longer;
  longer.u8s(body);
  longer.u32(0);
  const std::string error =
      parse_error<LeNetModel>(wrap_weights(LeNetModel::kKind, PreprocessMode::Mnist, longer));
  EXPECT_THAT(error, HasSubstr("4 unexpected bytes"));

  // A file cut short by the transport fails the envelope's own size check.
  const std::vector<uint8_t> short_file(file.begin(), file.end() - 1);
  EXPECT_THAT(parse_error<LeNetModel>(short_file), HasSubstr("truncated"));
}

TEST(LeNetFormat, RejectsOtherModels) {
  ByteWriter body;
  body.u32(10);
  const std::string error =
      parse_error<LeNetModel>(wrap_weights(LogRegModel::kKind, PreprocessMode::Mnist, body));
  EXPECT_THAT(error, HasSubstr("logreg"));
}

// ---------------------------------------------------------------------------------------------
// Insight: every layer's activations, from the same pass

// The insight's arrays for the network's seven layers, in the network's order.
constexpr const char* kLayerArrays[] = {"conv1", "pool1", "conv2", "pool2", "fc1", "fc2", "fc3"};

// Every layer's output of tiny-dnn's forward pass against the lean pass's insight, within 1e-5
// (tiny-dnn's last layer applies softmax: compared with the softmax of fc3).
void expect_activations_as_tiny_dnn(LeNetNetwork& net, const LeNetModel& model,
                                    const std::vector<Image>& images) {
  LeNetInsight insight;
  for (size_t i = 0; i < images.size(); ++i) {
    std::vector<float> p(kClasses);
    model.explain(images[i], p, insight);
    net.predict(lenet_input(images[i]));
    const InsightArrays arrays = insight.arrays();
    for (size_t l = 0; l < std::size(kLayerArrays); ++l) {
      const InsightArray* a = arrays.find(kLayerArrays[l]);
      ASSERT_NE(a, nullptr) << kLayerArrays[l];
      const std::vector<tiny_dnn::tensor_t> outputs = net[l]->output();  // [channel][sample]
      const tiny_dnn::vec_t& want = outputs.at(0).at(0);
      ASSERT_EQ(want.size(), a->size()) << kLayerArrays[l];
      std::vector<float> got(a->f32(), a->f32() + a->size());
      if (l + 1 == std::size(kLayerArrays)) softmax(got);
      float worst = 0;
      for (size_t k = 0; k < got.size(); ++k) worst = std::max(worst, std::abs(got[k] - want[k]));
      EXPECT_LE(worst, 1e-5f) << "image " << i << ", layer " << kLayerArrays[l];
    }
  }
}

TEST(LeNetInsight, ActivationsEqualTinyDnnsLayerOutputsOnDrawnDigits) {
  std::vector<Image> images;
  for (const auto& x : drawn_inputs(24, 7)) images.emplace_back(x.begin(), x.end());
  ASSERT_GE(images.size(), 20u);
  tiny_dnn::set_random_seed(21);
  LeNetNetwork net = make_lenet_network();
  expect_activations_as_tiny_dnn(net, export_lenet(net, PreprocessMode::MnistDeskew), images);
  randomise_network(net, 3.0f, 0.5f, 5);
  const LeNetModel model = export_lenet(net, PreprocessMode::MnistDeskew);
  expect_activations_as_tiny_dnn(net, model, images);
  // The activations are not all zero (a dead network would compare equal vacuously).
  LeNetInsight insight;
  std::vector<float> p(kClasses);
  model.explain(images[0], p, insight);
  const InsightArrays arrays = insight.arrays();
  for (const char* name : kLayerArrays) {
    const InsightArray* a = arrays.find(name);
    EXPECT_GT(*std::max_element(a->f32(), a->f32() + a->size()), 0.0f) << name;
  }
}

TEST(LeNetInsight, ShapesAndFiltersAreTheModels) {
  const LeNetModel model = LeNetModel(random_layers(9), PreprocessMode::Mnist);
  const std::unique_ptr<Insight> insight = model.make_insight();
  ASSERT_EQ(insight->kind(), LeNetModel::kKind);
  const InsightArrays arrays = insight->arrays();
  const std::pair<const char*, std::array<int, 4>> shapes[] = {
      {"conv1", {6, 28, 28, 0}}, {"pool1", {6, 14, 14, 0}},       {"conv2", {16, 10, 10, 0}},
      {"pool2", {16, 5, 5, 0}},  {"fc1", {120, 0, 0, 0}},         {"fc2", {84, 0, 0, 0}},
      {"fc3", {10, 0, 0, 0}},    {"conv1_filters", {6, 1, 5, 5}}, {"conv2_filters", {16, 6, 5, 5}}};
  EXPECT_EQ(arrays.count, int(std::size(shapes)));
  for (const auto& [name, shape] : shapes) {
    const InsightArray* a = arrays.find(name);
    ASSERT_NE(a, nullptr) << name;
    EXPECT_EQ(a->shape, shape) << name;
    EXPECT_EQ(a->per_image, std::strstr(name, "filters") == nullptr) << name;
  }
  const InsightArray* conv2_filters = arrays.find("conv2_filters");
  EXPECT_TRUE(
      std::equal(model.layers()[1].w.begin(), model.layers()[1].w.end(), conv2_filters->f32()));
  const InsightArray* conv1_filters = arrays.find("conv1_filters");
  EXPECT_TRUE(
      std::equal(model.layers()[0].w.begin(), model.layers()[0].w.end(), conv1_filters->f32()));
}

TEST(LeNetInsight, AskingForItNeverChangesThePrediction) {
  LeNetModel model;
  std::string error;
  ASSERT_TRUE(LeNetModel::parse(committed_weights(LeNetModel::kKind), model, error)) << error;
  std::vector<Image> images = random_images(10, 8);
  for (const auto& x : drawn_inputs(30, 7)) images.emplace_back(x.begin(), x.end());
  const std::unique_ptr<Insight> insight = model.make_insight();
  for (const Image& x : images) {
    std::array<float, kClasses> plain{}, explained{};
    model.predict_proba(x, plain);
    ASSERT_TRUE(model.explain(x, explained, *insight));
    EXPECT_EQ(std::memcmp(plain.data(), explained.data(), sizeof plain), 0);
  }
}

TEST(LeNetInsight, AnInvalidModelGivesNaNActivations) {
  auto layers = zero_layers();
  layers[1].w.pop_back();
  const LeNetModel model(layers, PreprocessMode::Mnist);
  ASSERT_FALSE(model.valid());
  LeNetInsight insight;
  std::vector<float> p(kClasses);
  model.explain(Image(kPixels, 0.5f), p, insight);
  EXPECT_TRUE(std::isnan(p[0]));
  EXPECT_TRUE(std::isnan(insight.conv1[0]));
  EXPECT_TRUE(std::isnan(insight.fc3[9]));
  EXPECT_EQ(insight.conv1_filters, nullptr);
}

}  // namespace
}  // namespace digits
