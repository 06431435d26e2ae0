// Synthetic "drawn by a child" digits: a stand-in for the hidden evaluation set (finger drawings
// on a 280x280 canvas, thick strokes, anywhere, any size), used to compare training recipes.
//
// Where the shapes come from: the digit glyphs 0-9 of several Hershey single-stroke vector fonts
// (Debian package hershey-fonts-data, /usr/share/hershey-fonts/*.jhf), plus hand-designed stroke
// styles that fonts miss but children draw (a 1 as a bare bar, a 7 with a crossbar, a 4 open at
// the top, a 9 with a straight stem, a 2 with a loop...).
//
// How to use:
//   digits::IdxLabels labels;
//   digits::IdxImages images = digits::render_drawn_digits(2000, /*seed=*/7, /*side=*/280, labels);
//   // images: 2000 x 280 x 280, 0 = background, 255 = ink; labels: 200 of each digit.
//
// Native only (reads font files); throws std::runtime_error with a sentence saying what to do when
// the fonts are missing.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "io/idx.h"

namespace digits {

// One pen-down path: points in [0,1]^2 glyph space, x to the right, y DOWN (image convention).
struct Stroke {
  std::vector<std::pair<float, float>> points;
};

// One way of writing one digit. Glyph space: the digit's ink bounding box is scaled uniformly so
// that its larger side is 1, and centred in the unit square (a "1" bar is tall and thin).
struct DigitStrokes {
  int label = 0;
  std::vector<Stroke> strokes;
  std::string source;  // "futural.jhf glyph 17" or "hand: 1 bare bar"
};

// Every style of every digit: the font glyphs first (label order within each font), then the
// hand-designed ones. Parsed once from DIGITS_HERSHEY_DIR and cached.
// Throws std::runtime_error("hershey fonts not found in DIR: run scripts/setup.sh") if missing.
const std::vector<DigitStrokes>& digit_stroke_library();

// Same, reading the fonts from `font_dir` (not cached). For tests and other installs.
std::vector<DigitStrokes> digit_stroke_library(const std::string& font_dir);

// `n` drawings on `side` x `side` canvases (side >= 28), white ink 255 on black 0. Labels are
// balanced: label i is i % 10, then the order is shuffled with `seed`. Drawing i depends only on
// (seed, i), so the output is the same for a given (n, seed, side) on every run.
// Each drawing: a random style of its label, a smooth wobble of the strokes, rotation +-15 deg,
// slant, aspect, digit height 25%..90% of the side at a random place, fully inside the canvas,
// drawn with an anti-aliased round brush whose width is 7%..11% of the SIDE (not of the digit).
IdxImages render_drawn_digits(int n, uint64_t seed, int side, IdxLabels& labels_out);

}  // namespace digits
