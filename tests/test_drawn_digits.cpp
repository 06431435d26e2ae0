// The synthetic drawn-digit generator: its stroke library (Hershey fonts + hand-designed styles)
// and the rendering of drawings on a canvas.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "drawn/drawn_digits.h"
#include "test_support.h"

namespace digits {
namespace {

struct InkBox {
  int left = 0, top = 0, right = -1, bottom = -1;  // inclusive; right < left when no ink
  int height() const { return bottom - top + 1; }
};

InkBox ink_box(std::span<const uint8_t> image, int side) {
  InkBox box{side, side, -1, -1};
  for (int y = 0; y < side; ++y) {
    for (int x = 0; x < side; ++x) {
      if (image[y * side + x] == 0) continue;
      box.left = std::min(box.left, x), box.right = std::max(box.right, x);
      box.top = std::min(box.top, y), box.bottom = std::max(box.bottom, y);
    }
  }
  return box;
}

// Stroke width in pixels, estimated from the image alone: for each ink pixel the shorter of the
// horizontal and vertical ink runs through it (w / max(|sin|, |cos|) for a stroke of width w,
// so between w and 1.41 w), and the median of that over the ink.
double stroke_width(std::span<const uint8_t> image, int side) {
  // The length of the ink run through each pixel along one axis; `at(line, k)` is the index of
  // the k-th pixel of a row (horizontal) or a column (vertical).
  auto run_lengths = [&](auto at) {
    std::vector<int> length(image.size(), 0);
    for (int line = 0; line < side; ++line) {
      for (int k = 0; k < side;) {
        if (image[at(line, k)] < 128) {
          ++k;
          continue;
        }
        int end = k;
        while (end < side && image[at(line, end)] >= 128) ++end;
        for (int j = k; j < end; ++j) length[at(line, j)] = end - k;
        k = end;
      }
    }
    return length;
  };
  const std::vector<int> horizontal = run_lengths([&](int y, int x) { return y * side + x; });
  const std::vector<int> vertical = run_lengths([&](int x, int y) { return y * side + x; });
  std::vector<int> runs;
  for (size_t i = 0; i < image.size(); ++i) {
    if (horizontal[i] > 0) runs.push_back(std::min(horizontal[i], vertical[i]));
  }
  if (runs.empty()) return 0;
  std::nth_element(runs.begin(), runs.begin() + runs.size() / 2, runs.end());
  return runs[runs.size() / 2];
}

double median(std::vector<double> values) {
  std::nth_element(values.begin(), values.begin() + values.size() / 2, values.end());
  return values[values.size() / 2];
}

TEST(DrawnDigits, LibraryHasEveryDigitInAtLeastFiveStylesInsideTheUnitSquare) {
  const std::vector<DigitStrokes>& library = digit_stroke_library();
  std::array<int, 10> styles{}, hand_styles{};
  std::set<std::string> sources;
  for (const DigitStrokes& style : library) {
    ASSERT_GE(style.label, 0);
    ASSERT_LE(style.label, 9);
    ++styles[style.label];
    if (style.source.rfind("hand: ", 0) == 0) ++hand_styles[style.label];
    EXPECT_TRUE(sources.insert(style.source).second) << "duplicate source " << style.source;
    ASSERT_FALSE(style.strokes.empty()) << style.source;
    float min_y = 1, max_y = 0, min_x = 1, max_x = 0;
    for (const Stroke& stroke : style.strokes) {
      ASSERT_FALSE(stroke.points.empty()) << style.source;
      for (auto [x, y] : stroke.points) {
        ASSERT_TRUE(x >= 0 && x <= 1 && y >= 0 && y <= 1) << style.source;
        min_x = std::min(min_x, x), max_x = std::max(max_x, x);
        min_y = std::min(min_y, y), max_y = std::max(max_y, y);
      }
    }
    // Normalised: the larger side of the bounding box spans the unit square.
    EXPECT_NEAR(std::max(max_x - min_x, max_y - min_y), 1.f, 1e-4f) << style.source;
  }
  for (int digit = 0; digit < 10; ++digit) {
    EXPECT_GE(styles[digit], 5) << "digit " << digit;
    EXPECT_GE(hand_styles[digit], 2) << "digit " << digit;
  }
}

// Catches a wrong glyph offset into the fonts: the "1" is every font's narrowest digit and is
// taller than wide (an offset of one would make label 2 the narrowest, label 0 a "/").
TEST(DrawnDigits, FontOnesAreTheNarrowestDigitOfTheirFont) {
  std::map<std::string, std::array<float, 10>> widths;  // font file -> width of each digit
  for (const DigitStrokes& style : digit_stroke_library()) {
    if (style.source.rfind("hand: ", 0) == 0) continue;
    const std::string font = style.source.substr(0, style.source.find(' '));
    float min_x = 1, max_x = 0, min_y = 1, max_y = 0;
    for (const Stroke& stroke : style.strokes) {
      for (auto [x, y] : stroke.points) {
        min_x = std::min(min_x, x), max_x = std::max(max_x, x);
        min_y = std::min(min_y, y), max_y = std::max(max_y, y);
      }
    }
    widths[font][style.label] = (max_x - min_x) / (max_y - min_y);
  }
  EXPECT_GE(widths.size(), 5u);
  for (const auto& [font, digit_widths] : widths) {
    const auto narrowest = std::min_element(digit_widths.begin(), digit_widths.end());
    EXPECT_EQ(narrowest - digit_widths.begin(), 1) << font;
    EXPECT_LT(*narrowest, 0.75f) << font;
  }
}

TEST(DrawnDigits, MissingFontDirectoryIsReportedWithWhatToDo) {
  try {
    digit_stroke_library("/nonexistent/hershey");
    FAIL() << "expected an exception";
  } catch (const std::runtime_error& error) {
    const std::string message = error.what();
    EXPECT_THAT(message, HasSubstr("hershey fonts not found in /nonexistent/hershey"));
    EXPECT_THAT(message, HasSubstr("run scripts/setup.sh"));
  }
}

TEST(DrawnDigits, RenderingIsDeterministicForASeed) {
  IdxLabels labels_a, labels_b, labels_c;
  const IdxImages a = render_drawn_digits(30, 11, 96, labels_a);
  const IdxImages b = render_drawn_digits(30, 11, 96, labels_b);
  const IdxImages c = render_drawn_digits(30, 12, 96, labels_c);
  EXPECT_EQ(a.count, 30);
  EXPECT_EQ(a.rows, 96);
  EXPECT_EQ(a.cols, 96);
  ASSERT_EQ(a.pixels.size(), 30u * 96 * 96);
  EXPECT_EQ(a.pixels, b.pixels);
  EXPECT_EQ(labels_a.labels, labels_b.labels);
  EXPECT_NE(a.pixels, c.pixels);
  EXPECT_NE(labels_a.labels, labels_c.labels);
}

TEST(DrawnDigits, LabelsAreBalancedAndShuffled) {
  IdxLabels labels;
  const IdxImages images = render_drawn_digits(53, 3, 32, labels);
  ASSERT_EQ(labels.labels.size(), 53u);
  EXPECT_EQ(images.count, 53);
  std::array<int, 10> counts{};
  for (uint8_t label : labels.labels) {
    ASSERT_LT(label, 10);
    ++counts[label];
  }
  for (int digit = 0; digit < 10; ++digit) EXPECT_EQ(counts[digit], digit < 3 ? 6 : 5) << digit;
  std::vector<uint8_t> unshuffled(53);
  for (int i = 0; i < 53; ++i) unshuffled[i] = static_cast<uint8_t>(i % 10);
  EXPECT_NE(labels.labels, unshuffled);

  IdxLabels none;
  EXPECT_EQ(render_drawn_digits(0, 3, 32, none).count, 0);
  EXPECT_TRUE(none.labels.empty());
}

TEST(DrawnDigits, InkStaysInsideTheCanvasAndEveryDrawingHasInk) {
  constexpr int kSide = 140;
  IdxLabels labels;
  const IdxImages images = render_drawn_digits(200, 5, kSide, labels);
  std::vector<double> heights;
  for (int i = 0; i < images.count; ++i) {
    const auto image = images.image(i);
    EXPECT_EQ(*std::max_element(image.begin(), image.end()), 255) << "drawing " << i;
    // The brush never touches the border, so nothing was clipped.
    const InkBox box = ink_box(image, kSide);
    ASSERT_GE(box.right, box.left) << "drawing " << i << " is empty";
    EXPECT_GT(box.left, 0) << i;
    EXPECT_GT(box.top, 0) << i;
    EXPECT_LT(box.right, kSide - 1) << i;
    EXPECT_LT(box.bottom, kSide - 1) << i;
    heights.push_back(static_cast<double>(box.height()) / kSide);
  }
  // Digits come in all sizes: some small, some filling most of the canvas.
  std::sort(heights.begin(), heights.end());
  EXPECT_LT(heights[heights.size() / 10], 0.5);
  EXPECT_GT(heights[heights.size() * 9 / 10], 0.8);
}

// The brush is a fixed fraction of the canvas (7%..11%), whatever the digit's size: small digits
// are fat, large ones thin. Same seed at two sides: the same drawings, scaled.
TEST(DrawnDigits, BrushWidthIsAFixedFractionOfTheSide) {
  auto width_fractions = [](int side, std::vector<double>& small, std::vector<double>& large) {
    IdxLabels labels;
    const IdxImages images = render_drawn_digits(120, 9, side, labels);
    std::vector<double> all;
    for (int i = 0; i < images.count; ++i) {
      const double fraction = stroke_width(images.image(i), side) / side;
      const double height = static_cast<double>(ink_box(images.image(i), side).height()) / side;
      all.push_back(fraction);
      if (height < 0.5) small.push_back(fraction);
      if (height > 0.75) large.push_back(fraction);
    }
    return median(all);
  };
  std::vector<double> small, large, small_half, large_half;
  const double at_280 = width_fractions(280, small, large);
  const double at_140 = width_fractions(140, small_half, large_half);
  EXPECT_GT(at_280, 0.08);
  EXPECT_LT(at_280, 0.14);
  EXPECT_NEAR(at_140 / at_280, 1.0, 0.12);
  ASSERT_GE(small.size(), 10u);
  ASSERT_GE(large.size(), 10u);
  // Were the brush a fraction of the digit's height, small digits would be ~2x thinner.
  EXPECT_NEAR(median(small) / median(large), 1.0, 0.3)
      << "small " << median(small) << " large " << median(large);
}

}  // namespace
}  // namespace digits
