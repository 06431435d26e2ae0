// Tests of the core's preprocessing (native/core/preprocess.h): invariance to where and how large
// a digit is drawn, centring, the 20 px box, pixel formats, degenerate inputs, deskewing, and a
// real MNIST image staying itself.
#include "core/preprocess.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "io/idx.h"
#include "test_paths.h"

namespace digits {
namespace {

using Digit = std::array<float, kPixels>;

// A drawing as ink coverage in [0, 1], row-major; converted to the input formats on demand.
struct Drawing {
  int width = 0, height = 0;
  std::vector<float> ink;

  Drawing(int w, int h) : width(w), height(h), ink(static_cast<size_t>(w) * h, 0.0f) {}

  // A round-capped stroke from (x0, y0) to (x1, y1) of the given thickness, anti-aliased by
  // a one-pixel ramp of the distance from each pixel centre to the segment.
  void stroke(double x0, double y0, double x1, double y1, double thickness) {
    const double dx = x1 - x0, dy = y1 - y0, length2 = dx * dx + dy * dy;
    for (int y = 0; y < height; ++y)
      for (int x = 0; x < width; ++x) {
        const double px = x + 0.5, py = y + 0.5;
        double t = length2 > 0 ? ((px - x0) * dx + (py - y0) * dy) / length2 : 0.0;
        t = std::clamp(t, 0.0, 1.0);
        const double distance = std::hypot(px - (x0 + t * dx), py - (y0 + t * dy));
        const double coverage = std::clamp(thickness / 2 - distance + 0.5, 0.0, 1.0);
        float& v = ink[static_cast<size_t>(y) * width + x];
        v = std::max(v, static_cast<float>(coverage));
      }
  }

  // A "7" in a size x size square with its top-left corner at (left, top); stroke width scales
  // with the size so that every copy is the same shape.
  void seven(double left, double top, double size) {
    const double thickness = size * 0.12;
    const double inset = thickness / 2;  // keep the round caps inside the square
    stroke(left + inset, top + inset, left + size - inset, top + inset, thickness);
    stroke(left + size - inset, top + inset, left + size * 0.35, top + size - inset, thickness);
  }

  // A thick ring centred on (cx, cy).
  void ring(double cx, double cy, double outer_radius, double inner_radius) {
    for (int y = 0; y < height; ++y)
      for (int x = 0; x < width; ++x) {
        const double r = std::hypot(x + 0.5 - cx, y + 0.5 - cy);
        const double coverage =
            std::clamp(std::min(outer_radius - r + 0.5, r - inner_radius + 0.5), 0.0, 1.0);
        float& v = ink[static_cast<size_t>(y) * width + x];
        v = std::max(v, static_cast<float>(coverage));
      }
  }

  uint8_t byte(size_t i) const { return static_cast<uint8_t>(std::lround(ink[i] * 255.0f)); }

  // White-on-black gray, as MNIST stores it.
  std::vector<uint8_t> gray() const {
    std::vector<uint8_t> out(ink.size());
    for (size_t i = 0; i < ink.size(); ++i) out[i] = byte(i);
    return out;
  }
  // Black (or grey) strokes on an opaque white canvas.
  std::vector<uint8_t> rgba_on_white() const {
    std::vector<uint8_t> out(ink.size() * 4);
    for (size_t i = 0; i < ink.size(); ++i) {
      const uint8_t level = static_cast<uint8_t>(255 - byte(i));
      out[4 * i + 0] = out[4 * i + 1] = out[4 * i + 2] = level;
      out[4 * i + 3] = 255;
    }
    return out;
  }
  // Black strokes whose coverage is in alpha, on a transparent canvas.
  std::vector<uint8_t> rgba_on_transparent() const {
    std::vector<uint8_t> out(ink.size() * 4, 0);
    for (size_t i = 0; i < ink.size(); ++i) out[4 * i + 3] = byte(i);
    return out;
  }
};

Digit run(const std::vector<uint8_t>& pixels, int width, int height, PixelFormat format,
          PreprocessMode mode, PreprocessStatus expected = PreprocessStatus::Ok) {
  Digit out;
  out.fill(-1.0f);
  EXPECT_EQ(preprocess(pixels, width, height, format, mode, out), expected)
      << preprocess_mode_name(mode) << " on " << width << "x" << height;
  return out;
}

Digit run(const Drawing& d, PreprocessMode mode) {
  return run(d.gray(), d.width, d.height, PixelFormat::Gray8, mode);
}

struct Moments {
  double mass = 0, cx = 0, cy = 0, mu11 = 0, mu20 = 0, mu02 = 0;
};

// Centre of mass in continuous coordinates (pixel i spans [i, i+1)) and central moments.
Moments moments_of(const Digit& d) {
  Moments m;
  double sx = 0, sy = 0;
  for (int y = 0; y < kSide; ++y)
    for (int x = 0; x < kSide; ++x) {
      const double v = d[y * kSide + x];
      m.mass += v;
      sx += v * (x + 0.5);
      sy += v * (y + 0.5);
    }
  m.cx = sx / m.mass;
  m.cy = sy / m.mass;
  for (int y = 0; y < kSide; ++y)
    for (int x = 0; x < kSide; ++x) {
      const double v = d[y * kSide + x], dx = x + 0.5 - m.cx, dy = y + 0.5 - m.cy;
      m.mu11 += v * dx * dy;
      m.mu20 += v * dx * dx;
      m.mu02 += v * dy * dy;
    }
  return m;
}

// Width and height of the rectangle holding every pixel with ink above `threshold`.
std::pair<int, int> ink_extent(const Digit& d, float threshold = 0.0f) {
  int left = kSide, right = -1, top = kSide, bottom = -1;
  for (int y = 0; y < kSide; ++y)
    for (int x = 0; x < kSide; ++x)
      if (d[y * kSide + x] > threshold) {
        left = std::min(left, x);
        right = std::max(right, x);
        top = std::min(top, y);
        bottom = std::max(bottom, y);
      }
  return {right - left + 1, bottom - top + 1};
}

double max_abs_difference(const Digit& a, const Digit& b) {
  double worst = 0;
  for (int i = 0; i < kPixels; ++i) worst = std::max(worst, std::abs(double(a[i]) - b[i]));
  return worst;
}

double mean_abs_difference(const Digit& a, const Digit& b) {
  double sum = 0;
  for (int i = 0; i < kPixels; ++i) sum += std::abs(double(a[i]) - b[i]);
  return sum / kPixels;
}

void expect_valid(const Digit& d) {
  for (int i = 0; i < kPixels; ++i) {
    ASSERT_TRUE(std::isfinite(d[i])) << "pixel " << i;
    ASSERT_GE(d[i], 0.0f) << "pixel " << i;
    ASSERT_LE(d[i], 1.0f) << "pixel " << i;
  }
}

constexpr PreprocessMode kAllModes[] = {PreprocessMode::Plain, PreprocessMode::Mnist,
                                        PreprocessMode::MnistDeskew};

TEST(PreprocessNames, ModesAndStatusesHaveTheirNames) {
  EXPECT_STREQ(preprocess_mode_name(PreprocessMode::Plain), "plain");
  EXPECT_STREQ(preprocess_mode_name(PreprocessMode::Mnist), "mnist");
  EXPECT_STREQ(preprocess_mode_name(PreprocessMode::MnistDeskew), "mnist+deskew");
  EXPECT_STREQ(preprocess_status_message(PreprocessStatus::Ok), "ok");
  const std::string empty = preprocess_status_message(PreprocessStatus::Empty);
  const std::string bad_size = preprocess_status_message(PreprocessStatus::BadSize);
  EXPECT_EQ(empty.rfind("empty: ", 0), 0u) << empty;
  EXPECT_EQ(bad_size.rfind("bad size: ", 0), 0u) << bad_size;
}

TEST(PreprocessInvariance, SameSevenAtDifferentPlacesAndSizesGivesTheSameDigit) {
  Drawing small(280, 280), large(280, 280), corner(280, 280);
  small.seven(30, 150, 90);
  large.seven(50, 40, 200);
  corner.seven(170, 10, 100);
  for (PreprocessMode mode : {PreprocessMode::Mnist, PreprocessMode::MnistDeskew}) {
    const Digit a = run(small, mode), b = run(large, mode), c = run(corner, mode);
    // Mnist mode's integer shift may place copies one pixel apart, so compare the deskewed
    // (exactly centred) copies tightly and the integer-shifted ones by their means.
    for (const Digit* other : {&b, &c}) {
      EXPECT_LT(mean_abs_difference(a, *other), 0.03) << preprocess_mode_name(mode);
      if (mode == PreprocessMode::MnistDeskew)
        EXPECT_LT(max_abs_difference(a, *other), 0.25) << preprocess_mode_name(mode);
    }
  }
}

TEST(PreprocessInvariance, SameRingAtDifferentPlacesAndSizesGivesTheSameDigit) {
  Drawing small(280, 280), large(280, 280);
  small.ring(60, 200, 40, 28);
  large.ring(150, 130, 120, 84);
  for (PreprocessMode mode : {PreprocessMode::Mnist, PreprocessMode::MnistDeskew}) {
    const Digit a = run(small, mode), b = run(large, mode);
    EXPECT_LT(mean_abs_difference(a, b), 0.02) << preprocess_mode_name(mode);
    EXPECT_LT(max_abs_difference(a, b), 0.2) << preprocess_mode_name(mode);
  }
}

TEST(PreprocessCentring, CentreOfMassLandsOnTheCentre) {
  Drawing seven(280, 280), ring(280, 280);
  seven.seven(170, 10, 100);
  ring.ring(60, 200, 40, 28);
  for (const Drawing* d : {&seven, &ring}) {
    const Moments mnist = moments_of(run(*d, PreprocessMode::Mnist));
    EXPECT_NEAR(mnist.cx, 14.0, 0.5);
    EXPECT_NEAR(mnist.cy, 14.0, 0.5);
    const Moments deskew = moments_of(run(*d, PreprocessMode::MnistDeskew));
    EXPECT_NEAR(deskew.cx, 14.0, 0.05);
    EXPECT_NEAR(deskew.cy, 14.0, 0.05);
  }
}

TEST(PreprocessScaling, LongerSideOfTheInkBecomesTwentyPixels) {
  Drawing tall(280, 280), wide(280, 280);
  tall.stroke(140, 30, 150, 250, 24);  // about 34 x 244
  wide.stroke(20, 140, 260, 160, 30);  // about 270 x 50
  const auto [tall_w, tall_h] = ink_extent(run(tall, PreprocessMode::Mnist));
  EXPECT_EQ(tall_h, kBox);
  EXPECT_LE(tall_w, 5);
  const auto [wide_w, wide_h] = ink_extent(run(wide, PreprocessMode::Mnist));
  EXPECT_EQ(wide_w, kBox);
  EXPECT_LE(wide_h, 6);
}

TEST(PreprocessScaling, BoxReachesInkOnEverySide) {
  // Four dots whose extremes lie in different rows (left- and rightmost in middle rows): the
  // box must span all of them, so the scaled dots land on the four sides of a 20 x 20 square.
  for (PixelFormat format : {PixelFormat::Gray8, PixelFormat::Rgba8}) {
    Drawing dots(280, 280);
    for (auto [x, y] :
         {std::pair{140, 50}, std::pair{40, 120}, std::pair{240, 190}, std::pair{150, 250}})
      dots.ink[y * 280 + x] = 1.0f;
    const auto pixels = format == PixelFormat::Gray8 ? dots.gray() : dots.rgba_on_white();
    const Digit d = run(pixels, 280, 280, format, PreprocessMode::Mnist);
    EXPECT_EQ(ink_extent(d), std::make_pair(kBox, kBox));
  }
}

TEST(PreprocessScaling, SolidRectangleIsAreaAveragedExactly) {
  // A 60 x 20 block of full ink: scaled by 20/60, it covers 20 x 6.67 output pixels, so the last
  // row is 2/3 ink and the total ink is 20 * 20/3.
  std::vector<uint8_t> gray(200 * 100, 0);
  for (int y = 30; y < 50; ++y)
    for (int x = 70; x < 130; ++x) gray[y * 200 + x] = 255;
  const Digit d = run(gray, 200, 100, PixelFormat::Gray8, PreprocessMode::Mnist);
  const Moments m = moments_of(d);
  EXPECT_NEAR(m.mass, 20.0 * 20.0 / 3.0, 1e-3);
  std::vector<float> row_sums;
  for (int y = 0; y < kSide; ++y) {
    float sum = 0;
    for (int x = 0; x < kSide; ++x) sum += d[y * kSide + x];
    if (sum > 0) row_sums.push_back(sum);
  }
  ASSERT_EQ(row_sums.size(), 7u);
  for (int r = 0; r < 6; ++r) EXPECT_NEAR(row_sums[r], 20.0f, 1e-4f);
  EXPECT_NEAR(row_sums[6], 20.0f * 2 / 3, 1e-4f);
}

TEST(PreprocessScaling, ThinFaintStrokeIsBroughtToFullInk) {
  // A one-pixel, half-ink line 200 px long averages to 0.05 when shrunk tenfold; the peak is
  // brought back to 1 so that the model sees a stroke, not a shadow (also after the deskew's
  // bilinear resampling).
  std::vector<uint8_t> gray(280 * 280, 0);
  for (int y = 40; y < 240; ++y) gray[y * 280 + 100] = 128;
  for (PreprocessMode mode : {PreprocessMode::Mnist, PreprocessMode::MnistDeskew}) {
    const Digit d = run(gray, 280, 280, PixelFormat::Gray8, mode);
    EXPECT_FLOAT_EQ(*std::max_element(d.begin(), d.end()), 1.0f) << preprocess_mode_name(mode);
    expect_valid(d);
  }
}

TEST(PreprocessFormats, GrayAndRgbaOfTheSameDrawingAgree) {
  Drawing d(280, 280);
  d.seven(60, 50, 150);
  for (PreprocessMode mode : kAllModes) {
    const Digit gray = run(d.gray(), 280, 280, PixelFormat::Gray8, mode);
    const Digit on_white = run(d.rgba_on_white(), 280, 280, PixelFormat::Rgba8, mode);
    const Digit on_clear = run(d.rgba_on_transparent(), 280, 280, PixelFormat::Rgba8, mode);
    EXPECT_LT(max_abs_difference(gray, on_white), 1e-5) << preprocess_mode_name(mode);
    EXPECT_LT(max_abs_difference(gray, on_clear), 1e-5) << preprocess_mode_name(mode);
  }
}

TEST(PreprocessFormats, ColouredStrokesReadAsInkByLuminance) {
  // Pure red on white: luminance 0.299 * 255, so ink 0.701; blue (lum 0.114) reads darker.
  std::vector<uint8_t> red(4 * 4 * 4, 255), blue(4 * 4 * 4, 255);
  for (int i = 0; i < 16; ++i) {
    red[4 * i + 1] = red[4 * i + 2] = 0;
    blue[4 * i + 0] = blue[4 * i + 1] = 0;
  }
  const Digit r = run(red, 4, 4, PixelFormat::Rgba8, PreprocessMode::Plain);
  const Digit b = run(blue, 4, 4, PixelFormat::Rgba8, PreprocessMode::Plain);
  EXPECT_NEAR(r[0], 0.701f, 1e-4f);
  EXPECT_NEAR(b[0], 0.886f, 1e-4f);
}

TEST(PreprocessEmpty, NoInkIsEmptyInEveryMode) {
  const std::vector<uint8_t> black(280 * 280, 0), haze(280 * 280, 12);
  const std::vector<uint8_t> white_canvas(280 * 280 * 4, 255), clear_canvas(280 * 280 * 4, 0);
  for (PreprocessMode mode : kAllModes) {
    const Digit a = run(black, 280, 280, PixelFormat::Gray8, mode, PreprocessStatus::Empty);
    run(haze, 280, 280, PixelFormat::Gray8, mode, PreprocessStatus::Empty);
    run(white_canvas, 280, 280, PixelFormat::Rgba8, mode, PreprocessStatus::Empty);
    run(clear_canvas, 280, 280, PixelFormat::Rgba8, mode, PreprocessStatus::Empty);
    for (float v : a) ASSERT_EQ(v, 0.0f);  // cleared, not left as it was
  }
}

TEST(PreprocessEmpty, FaintHazeDoesNotStretchTheBox) {
  // Haze of ink 12/255 (just below the 0.05 threshold) around a 7 drawn in [100, 180)^2 is left
  // out of the box, so the digit is exactly the clean one. Haze everywhere (inside the box too)
  // adds a little grey but still leaves the box, and so the scale, alone.
  Drawing clean(280, 280);
  clean.seven(100, 100, 80);
  Drawing hazy_around = clean, hazy_everywhere = clean;
  for (int y = 0; y < 280; ++y)
    for (int x = 0; x < 280; ++x) {
      float& around = hazy_around.ink[y * 280 + x];
      if (x < 100 || x >= 180 || y < 100 || y >= 180) around = std::max(around, 12.0f / 255.0f);
      float& everywhere = hazy_everywhere.ink[y * 280 + x];
      everywhere = std::max(everywhere, 12.0f / 255.0f);
    }
  for (PreprocessMode mode : {PreprocessMode::Mnist, PreprocessMode::MnistDeskew}) {
    const Digit a = run(clean, mode);
    EXPECT_LT(max_abs_difference(a, run(hazy_around, mode)), 1e-6) << preprocess_mode_name(mode);
  }
  EXPECT_EQ(ink_extent(run(clean, PreprocessMode::Mnist), 0.2f),
            ink_extent(run(hazy_everywhere, PreprocessMode::Mnist), 0.2f));
}

TEST(PreprocessDegenerate, OnePixelAndAllInkInputsAreCentred) {
  const std::vector<uint8_t> one{255};
  const std::vector<uint8_t> dot_rgba{0, 0, 0, 255};
  std::vector<uint8_t> single_in_canvas(280 * 280, 0);
  single_in_canvas[7 * 280 + 263] = 200;
  const std::vector<uint8_t> full(280 * 280, 255);
  std::vector<uint8_t> full_rgba(300 * 50 * 4, 0);  // opaque black everywhere
  for (size_t i = 3; i < full_rgba.size(); i += 4) full_rgba[i] = 255;
  for (PreprocessMode mode : kAllModes) {
    std::vector<Digit> digits{run(one, 1, 1, PixelFormat::Gray8, mode),
                              run(dot_rgba, 1, 1, PixelFormat::Rgba8, mode),
                              run(single_in_canvas, 280, 280, PixelFormat::Gray8, mode),
                              run(full, 280, 280, PixelFormat::Gray8, mode),
                              run(full_rgba, 300, 50, PixelFormat::Rgba8, mode)};
    for (const Digit& d : digits) {
      expect_valid(d);
      if (mode == PreprocessMode::Plain) continue;  // Plain does not centre
      const Moments m = moments_of(d);
      EXPECT_NEAR(m.cx, 14.0, 0.5) << preprocess_mode_name(mode);
      EXPECT_NEAR(m.cy, 14.0, 0.5) << preprocess_mode_name(mode);
    }
  }
}

TEST(PreprocessDegenerate, NonSquareInputsWork) {
  for (auto [w, h] : {std::pair{280, 100}, std::pair{100, 280}, std::pair{3, 500}}) {
    Drawing d(w, h);
    const double size = std::min(w, h) * 0.8;
    d.seven(w * 0.1, h * 0.1, size);
    for (PreprocessMode mode : kAllModes) {
      const Digit out = run(d, mode);
      expect_valid(out);
      if (mode == PreprocessMode::Plain) continue;
      const Moments m = moments_of(out);
      EXPECT_NEAR(m.cx, 14.0, 0.5);
      EXPECT_NEAR(m.cy, 14.0, 0.5);
      const auto [ew, eh] = ink_extent(out);
      if (mode == PreprocessMode::Mnist) EXPECT_EQ(std::max(ew, eh), kBox) << w << "x" << h;
    }
  }
}

TEST(PreprocessPlain, ResizesTheWholeImageByAreaAveraging) {
  // A 28x28 gray image comes back unchanged; a 56x56 one is averaged in 2x2 blocks.
  std::vector<uint8_t> small(kPixels), large(56 * 56, 0);
  for (int i = 0; i < kPixels; ++i) small[i] = static_cast<uint8_t>((i * 37) % 256);
  large[0] = 255;            // block (0, 0) -> 1/4
  large[57] = 255;           // also block (0, 0) -> 2/4
  large[56 * 55 + 55] = 51;  // block (27, 27) -> 0.2 / 4
  const Digit same = run(small, kSide, kSide, PixelFormat::Gray8, PreprocessMode::Plain);
  for (int i = 0; i < kPixels; ++i) EXPECT_NEAR(same[i], small[i] / 255.0f, 1e-6f);
  const Digit halved = run(large, 56, 56, PixelFormat::Gray8, PreprocessMode::Plain);
  EXPECT_NEAR(halved[0], 0.5f, 1e-6f);
  EXPECT_NEAR(halved[kPixels - 1], 0.05f, 1e-6f);
  EXPECT_EQ(std::count(halved.begin(), halved.end(), 0.0f), kPixels - 2);
}

TEST(PreprocessDeskew, StraightensASlantedBar) {
  Drawing bar(280, 280);
  bar.stroke(170, 30, 100, 250, 28);  // leaning right by ~0.32 px per px
  const Moments before = moments_of(run(bar, PreprocessMode::Mnist));
  const Moments after = moments_of(run(bar, PreprocessMode::MnistDeskew));
  EXPECT_LT(before.mu11 / before.mu02, -0.2);  // top to the right: x falls as y grows
  EXPECT_NEAR(after.mu11 / after.mu02, 0.0, 0.01);
  EXPECT_LT(after.mu20, before.mu20 * 0.5);  // narrower once upright
}

TEST(PreprocessDeskew, ShearIsClampedToOne) {
  // A bar leaning by ~2 px per px would need alpha ~ -2; the shear stops at |alpha| = 1, so the
  // slant ratio mu11 / mu02 moves by exactly one towards zero.
  Drawing bar(280, 280);
  bar.stroke(240, 60, 40, 160, 6);
  const Moments before = moments_of(run(bar, PreprocessMode::Mnist));
  const Moments after = moments_of(run(bar, PreprocessMode::MnistDeskew));
  const double ratio_before = before.mu11 / before.mu02, ratio_after = after.mu11 / after.mu02;
  ASSERT_LT(ratio_before, -1.5);
  EXPECT_NEAR(ratio_after, ratio_before + 1.0, 0.1);
}

TEST(PreprocessDeskew, UprightDigitIsLeftUpright) {
  Drawing bar(280, 280);
  bar.stroke(140, 30, 140, 250, 28);
  const Digit mnist = run(bar, PreprocessMode::Mnist);
  const Digit deskew = run(bar, PreprocessMode::MnistDeskew);
  EXPECT_NEAR(moments_of(deskew).mu11, 0.0, 1e-3);
  EXPECT_LT(mean_abs_difference(mnist, deskew), 0.02);
}

TEST(PreprocessBadSize, RejectsImpossibleSizesAndShortBuffers) {
  const std::vector<uint8_t> pixels(100 * 100 * 4, 255);
  Digit out;
  std::array<float, kPixels - 1> short_out;
  const auto status = [&](int w, int h, PixelFormat f, std::span<float> o) {
    return preprocess(pixels, w, h, f, PreprocessMode::Mnist, o);
  };
  EXPECT_EQ(status(0, 10, PixelFormat::Gray8, out), PreprocessStatus::BadSize);
  EXPECT_EQ(status(10, 0, PixelFormat::Gray8, out), PreprocessStatus::BadSize);
  EXPECT_EQ(status(-5, 10, PixelFormat::Gray8, out), PreprocessStatus::BadSize);
  EXPECT_EQ(status(kMaxInputSide + 1, 1, PixelFormat::Gray8, out), PreprocessStatus::BadSize);
  EXPECT_EQ(status(1, kMaxInputSide + 1, PixelFormat::Gray8, out), PreprocessStatus::BadSize);
  EXPECT_EQ(status(100, 101, PixelFormat::Rgba8, out), PreprocessStatus::BadSize);  // 1 row short
  EXPECT_EQ(status(201, 200, PixelFormat::Gray8, out), PreprocessStatus::BadSize);
  EXPECT_EQ(status(100, 100, PixelFormat::Gray8, short_out), PreprocessStatus::BadSize);
  EXPECT_EQ(status(100, 100, PixelFormat::Rgba8, std::span<float>()), PreprocessStatus::BadSize);
  // The largest accepted size, claimed with a small buffer.
  EXPECT_EQ(status(kMaxInputSide, kMaxInputSide, PixelFormat::Rgba8, out),
            PreprocessStatus::BadSize);
  EXPECT_EQ(status(100, 100, PixelFormat::Rgba8, out), PreprocessStatus::Empty);  // white canvas
}

TEST(PreprocessMnist, RealMnistImagesStayThemselves) {
  // MNIST digits already have a 20 px longer side and a centred centre of mass, so Mnist mode
  // must copy them unchanged, up to the integer shift between MNIST's centring convention (it
  // put the centre of mass near the middle of pixel 14, continuous 14.5) and ours (14.0): at
  // most one pixel on each axis. Only faint pixels (<= 12/255, below the ink threshold) that lie
  // outside the box of the others may be dropped.
  const std::string path = source_dir() + "/data/mnist/t10k-images-idx3-ubyte";
  IdxImages images;
  std::string error;
  if (!load_idx_images(path, images, error)) GTEST_SKIP() << error;
  ASSERT_EQ(images.rows, kSide);
  ASSERT_EQ(images.cols, kSide);
  const int count = std::min(images.count, 500);
  for (int i = 0; i < count; ++i) {
    const auto image = images.image(i);
    Digit original;
    for (int p = 0; p < kPixels; ++p) original[p] = image[p] / 255.0f;
    const Digit again = run(std::vector<uint8_t>(image.begin(), image.end()), kSide, kSide,
                            PixelFormat::Gray8, PreprocessMode::Mnist);
    const Moments before = moments_of(original), after = moments_of(again);
    const int dx = static_cast<int>(std::lround(after.cx - before.cx));
    const int dy = static_cast<int>(std::lround(after.cy - before.cy));
    ASSERT_LE(std::abs(dx), 1) << "test image " << i;
    ASSERT_LE(std::abs(dy), 1) << "test image " << i;
    Digit moved{};
    for (int y = 0; y < kSide; ++y)
      for (int x = 0; x < kSide; ++x) {
        const int sx = x - dx, sy = y - dy;
        if (sx >= 0 && sy >= 0 && sx < kSide && sy < kSide)
          moved[y * kSide + x] = original[sy * kSide + sx];
      }
    ASSERT_LT(max_abs_difference(moved, again), 12.5 / 255) << "test image " << i;
    EXPECT_LT(mean_abs_difference(moved, again), 3e-3) << "test image " << i;
    EXPECT_NEAR(after.cx, 14.0, 0.5) << "test image " << i;
    EXPECT_NEAR(after.cy, 14.0, 0.5) << "test image " << i;
  }
}

}  // namespace
}  // namespace digits
