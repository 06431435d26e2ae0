// Tests of the training-time augmentation (native/train/augment.h): determinism for a seed, the
// geometry of the affine part (identity keeps the image, rotation turns the right way), stroke
// thickening and thinning, that random transforms never clip the digit, and the augmented
// training sets built for logistic regression and the forest (make_augmented_dataset).
#include "train/augment.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <vector>

namespace digits {
namespace {

// Ranges that only change stroke thickness (no rotation, shear or aspect change).
AugmentRanges thickness_only_ranges(double thicken_probability, double max_thicken,
                                    double thin_probability, double max_thin) {
  AugmentRanges ranges;
  ranges.max_rotation_degrees = 0;
  ranges.max_shear = 0;
  ranges.min_aspect = ranges.max_aspect = 1;
  ranges.thicken_probability = thicken_probability;
  ranges.max_thicken = max_thicken;
  ranges.thin_probability = thin_probability;
  ranges.max_thin = max_thin;
  return ranges;
}

using Raw = std::array<uint8_t, 28 * 28>;
using Big = std::array<uint8_t, kAugmentPixels>;

// A "7"-like raw image: a top bar and a slanted stem, 2-3 px strokes with soft edges, its ink
// bounding box spans columns/rows 4..23 (centre 14, 14), as MNIST's 20 px box does.
Raw seven() {
  Raw img{};
  auto ink = [&](int x, int y, uint8_t v) {
    uint8_t& p = img[static_cast<size_t>(y) * 28 + x];
    p = std::max(p, v);
  };
  for (int x = 4; x <= 23; ++x) {
    ink(x, 4, 255);
    ink(x, 5, 255);
    ink(x, 6, 90);
  }
  for (int y = 5; y <= 23; ++y) {
    const int x = 22 - (y - 5) * 12 / 18;  // from column 22 down to column 10
    ink(x, y, 255);
    ink(x + 1, y, 255);
    ink(x - 1, y, 100);
  }
  return img;
}

long ink_mass(const Big& big) { return std::accumulate(big.begin(), big.end(), 0L); }

Big augmented(const Raw& img, const AugmentParams& p) {
  Big big;
  augment_image(img, 28, 28, p, big);
  return big;
}

TEST(Augment, SameSeedGivesSameImageAndOtherSeedsDiffer) {
  const Raw img = seven();
  Big a, b, c;
  std::mt19937_64 rng_a(42), rng_b(42), rng_c(43);
  augment_random(img, 28, 28, rng_a, a);
  augment_random(img, 28, 28, rng_b, b);
  augment_random(img, 28, 28, rng_c, c);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
}

TEST(Augment, RandomParametersStayInTheirRanges) {
  const AugmentRanges ranges;
  std::mt19937_64 rng(7);
  int thicker = 0, thinner = 0, same = 0;
  for (int i = 0; i < 2000; ++i) {
    const AugmentParams p = random_augment_params(rng, ranges);
    EXPECT_LE(std::abs(p.rotation_degrees), ranges.max_rotation_degrees);
    EXPECT_LE(std::abs(p.shear), ranges.max_shear);
    EXPECT_GE(p.aspect, ranges.min_aspect);
    EXPECT_LE(p.aspect, ranges.max_aspect);
    EXPECT_LE(p.thickness, ranges.max_thicken);
    EXPECT_GE(p.thickness, -ranges.max_thin);
    (p.thickness > 0 ? thicker : p.thickness < 0 ? thinner : same)++;
  }
  // Each kind of stroke change is drawn about as often as the ranges say.
  EXPECT_NEAR(thicker / 2000.0, ranges.thicken_probability, 0.05);
  EXPECT_NEAR(thinner / 2000.0, ranges.thin_probability, 0.05);
  EXPECT_NEAR(same / 2000.0, 1 - ranges.thicken_probability - ranges.thin_probability, 0.05);
}

TEST(Augment, IdentityTransformKeepsTheImageAtTwiceTheResolution) {
  // Identity at scale 2 centres the ink box (centre 14, 14) on the output centre (32, 32), so
  // input pixel x covers output pixels 2x+4 and 2x+5, sampled bilinearly at x +- 0.25: each 2x2
  // block averages to 3/4 of the pixel plus 1/8 of each neighbour, per axis.
  const Raw img = seven();
  const Big big = augmented(img, {});
  auto in = [&](int x, int y) -> double {
    if (x < 0 || y < 0 || x >= 28 || y >= 28) return 0;
    return img[static_cast<size_t>(y) * 28 + x];
  };
  const double k[3] = {0.125, 0.75, 0.125};
  for (int y = 0; y < 28; ++y)
    for (int x = 0; x < 28; ++x) {
      double expected = 0;
      for (int dy = -1; dy <= 1; ++dy)
        for (int dx = -1; dx <= 1; ++dx) expected += k[dy + 1] * k[dx + 1] * in(x + dx, y + dy);
      double block = 0;
      for (int v = 0; v < 2; ++v)
        for (int u = 0; u < 2; ++u) block += big[(2 * y + 4 + v) * kAugmentSide + 2 * x + 4 + u];
      ASSERT_NEAR(block / 4, expected, 1.0) << "at input pixel (" << x << ", " << y << ")";
    }
  // Nothing outside the 56x56 image of the input.
  long outside = 0;
  for (int v = 0; v < kAugmentSide; ++v)
    for (int u = 0; u < kAugmentSide; ++u)
      if (u < 4 || v < 4 || u >= 60 || v >= 60) outside += big[v * kAugmentSide + u];
  EXPECT_EQ(outside, 0);
}

TEST(Augment, PositiveRotationTurnsCounterClockwiseOnScreen) {
  // A bar from the centre to the right; with the bar's box centred, its right end is at +x.
  Raw img{};
  for (int x = 10; x <= 19; ++x) img[14 * 28 + x] = 255;
  AugmentParams p;
  p.rotation_degrees = 90;
  const Big big = augmented(img, p);
  // Counter-clockwise by 90 degrees on a y-down screen: the bar now stands vertically.
  int min_u = kAugmentSide, max_u = -1, min_v = kAugmentSide, max_v = -1;
  for (int v = 0; v < kAugmentSide; ++v)
    for (int u = 0; u < kAugmentSide; ++u)
      if (big[v * kAugmentSide + u] > 127) {
        min_u = std::min(min_u, u), max_u = std::max(max_u, u);
        min_v = std::min(min_v, v), max_v = std::max(max_v, v);
      }
  ASSERT_GE(max_u, 0);
  EXPECT_LE(max_u - min_u, 3);
  EXPECT_GE(max_v - min_v, 16);

  // A marker at the bar's right end must end up at the top (smaller y).
  Raw marked = img;
  marked[13 * 28 + 19] = marked[15 * 28 + 19] = 255;
  const Big turned = augmented(marked, p);
  long top = 0, bottom = 0;
  for (int v = 0; v < kAugmentSide; ++v)
    for (int u = 0; u < kAugmentSide; ++u)
      (v < kAugmentSide / 2 ? top : bottom) += turned[v * kAugmentSide + u];
  EXPECT_GT(top, bottom);
}

TEST(Augment, ThickeningAddsInkAndThinningRemovesIt) {
  const Raw img = seven();
  AugmentParams plain, thick, thicker, thin;
  thick.thickness = 1.0;
  thicker.thickness = 2.0;
  thin.thickness = -0.75;
  const long m0 = ink_mass(augmented(img, plain));
  const long m_thick = ink_mass(augmented(img, thick));
  const long m_thicker = ink_mass(augmented(img, thicker));
  const long m_thin = ink_mass(augmented(img, thin));
  EXPECT_GT(m_thick, m0 * 13 / 10);
  EXPECT_GT(m_thicker, m_thick * 12 / 10);
  EXPECT_LT(m_thin, m0 * 8 / 10);
  EXPECT_GT(m_thin, 0) << "a slight thinning must not erase a 2-3 px stroke";
  // Dilation only ever raises a pixel.
  const Big a = augmented(img, plain), b = augmented(img, thick);
  for (int i = 0; i < kAugmentPixels; ++i) ASSERT_GE(b[i], a[i]);
}

TEST(Augment, RandomTransformsNeverClipTheDigit) {
  // The border rows and columns stay empty however the digit is turned, sheared and thickened.
  const Raw img = seven();
  AugmentRanges extreme;
  extreme.thicken_probability = 1.0;
  extreme.max_thicken = 3.0;
  std::mt19937_64 rng(3);
  Big big;
  for (int trial = 0; trial < 300; ++trial) {
    augment_random(img, 28, 28, rng, big, extreme);
    long border = 0, total = 0;
    for (int v = 0; v < kAugmentSide; ++v)
      for (int u = 0; u < kAugmentSide; ++u) {
        total += big[v * kAugmentSide + u];
        if (u == 0 || v == 0 || u == kAugmentSide - 1 || v == kAugmentSide - 1)
          border += big[v * kAugmentSide + u];
      }
    ASSERT_EQ(border, 0) << "trial " << trial;
    ASSERT_GT(total, 0) << "trial " << trial;
  }
}

TEST(Augment, EmptyOrInvalidInputGivesAnEmptyImage) {
  const Raw empty{};
  Big big;
  big.fill(7);
  augment_image(empty, 28, 28, {}, big);
  EXPECT_EQ(ink_mass(big), 0);
  big.fill(7);
  const Raw img = seven();
  augment_image(img, 0, 28, {}, big);  // bad size: reported as no ink, never a crash
  EXPECT_EQ(ink_mass(big), 0);
}

// Three small raw images (a "7", the same 7 shifted, a bar) with labels 7, 7, 1.
void small_set(IdxImages& images, IdxLabels& labels) {
  const Raw a = seven();
  Raw b{}, c{};
  for (int y = 0; y < 26; ++y)
    for (int x = 0; x < 26; ++x) b[(y + 2) * 28 + x + 2] = a[y * 28 + x];
  for (int y = 5; y <= 22; ++y) c[y * 28 + 13] = c[y * 28 + 14] = 255;
  images.count = 3;
  images.rows = images.cols = 28;
  images.pixels.clear();
  for (const Raw& r : {a, b, c}) images.pixels.insert(images.pixels.end(), r.begin(), r.end());
  labels.labels = {7, 7, 1};
}

double dataset_ink(const Dataset& d, int i) {
  return std::accumulate(d.image(i), d.image(i) + kPixels, 0.0);
}

TEST(AugmentedDataset, OriginalsFirstThenEachCopyInImageOrder) {
  IdxImages images;
  IdxLabels labels;
  small_set(images, labels);
  const PreprocessMode mode = PreprocessMode::MnistDeskew;
  const Dataset plain = make_dataset(images, labels, mode, 1);
  const Dataset d = make_augmented_dataset(images, labels, mode, 2, 5, {}, 2);
  ASSERT_EQ(d.count, 9);
  ASSERT_EQ(d.x.size(), size_t(9) * kPixels);
  EXPECT_EQ(d.y, (std::vector<uint8_t>{7, 7, 1, 7, 7, 1, 7, 7, 1}));
  EXPECT_EQ(d.empty, std::vector<uint8_t>(9, 0));
  // The first block is exactly make_dataset's.
  EXPECT_TRUE(std::equal(plain.x.begin(), plain.x.end(), d.x.begin()));
  for (int i = 3; i < 9; ++i) {
    const float* x = d.image(i);
    EXPECT_TRUE(std::all_of(x, x + kPixels, [](float v) { return v >= 0 && v <= 1; }));
    EXPECT_GT(dataset_ink(d, i), 10) << "copy " << i;
    // Every copy is a new image, not its original again.
    EXPECT_FALSE(std::equal(x, x + kPixels, d.image(i % 3))) << "copy " << i;
  }
  EXPECT_FALSE(std::equal(d.image(3), d.image(3) + kPixels, d.image(6)))
      << "the two copies of one image must be drawn differently";
  // No copies: make_dataset's result.
  const Dataset none = make_augmented_dataset(images, labels, mode, 0, 5, {}, 2);
  EXPECT_EQ(none.count, 3);
  EXPECT_EQ(none.x, plain.x);
}

TEST(AugmentedDataset, SameSeedGivesTheSameSetWhateverTheThreadCount) {
  IdxImages images;
  IdxLabels labels;
  small_set(images, labels);
  const PreprocessMode mode = PreprocessMode::Mnist;
  const Dataset one = make_augmented_dataset(images, labels, mode, 3, 11, {}, 1);
  const Dataset three = make_augmented_dataset(images, labels, mode, 3, 11, {}, 3);
  const Dataset other = make_augmented_dataset(images, labels, mode, 3, 12, {}, 3);
  EXPECT_EQ(one.x, three.x);
  EXPECT_EQ(one.y, three.y);
  // Another seed changes the copies, never the originals.
  const size_t originals = size_t(3) * kPixels;
  EXPECT_TRUE(std::equal(one.x.begin(), one.x.begin() + originals, other.x.begin()));
  EXPECT_FALSE(std::equal(one.x.begin() + originals, one.x.end(), other.x.begin() + originals));
}

TEST(AugmentedDataset, ThicknessOnlyRangesThickenWithoutTurning) {
  const AugmentRanges ranges = thickness_only_ranges(1.0, 2.0, 0.0, 0.0);
  EXPECT_EQ(ranges.max_rotation_degrees, 0);
  EXPECT_EQ(ranges.max_shear, 0);
  EXPECT_EQ(ranges.min_aspect, 1);
  EXPECT_EQ(ranges.max_aspect, 1);
  IdxImages images;
  IdxLabels labels;
  small_set(images, labels);
  const Dataset d = make_augmented_dataset(images, labels, PreprocessMode::Mnist, 2, 3, ranges, 2);
  // Always thickened by a radius of 0.5..2 px: every copy carries more ink than its original.
  for (int i = 3; i < 9; ++i) EXPECT_GT(dataset_ink(d, i), 1.2 * dataset_ink(d, i % 3)) << i;
}

TEST(AugmentedDataset, ImagesTooLargeToAugmentFallBackToTheirOriginal) {
  // augment_image takes at most kAugmentSide pixels a side: larger images are not augmented, and
  // their copies repeat the preprocessed original rather than leaving an empty sample.
  IdxImages images;
  images.count = 1;
  images.rows = images.cols = kAugmentSide + 6;
  images.pixels.assign(size_t(images.rows) * images.cols, 0);
  for (int y = 10; y < 60; ++y)
    for (int x = 30; x < 36; ++x) images.pixels[size_t(y) * images.cols + x] = 255;
  IdxLabels labels;
  labels.labels = {1};
  const Dataset d = make_augmented_dataset(images, labels, PreprocessMode::Mnist, 2, 1, {}, 1);
  ASSERT_EQ(d.count, 3);
  EXPECT_EQ(d.empty, std::vector<uint8_t>(3, 0));
  EXPECT_GT(dataset_ink(d, 0), 10);
  EXPECT_TRUE(std::equal(d.image(0), d.image(0) + kPixels, d.image(1)));
  EXPECT_TRUE(std::equal(d.image(0), d.image(0) + kPixels, d.image(2)));
}

}  // namespace
}  // namespace digits
