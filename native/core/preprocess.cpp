// MNIST-style preprocessing; the contract is in preprocess.h. Choices made here:
//
// - Ink threshold: a pixel belongs to the ink's bounding box only if its ink is > 0.05 (gray
//   >= 13 of 255), so faint anti-aliasing haze or noise on a canvas does not stretch the box.
//   Pixels inside the box keep their exact ink, however faint. No pixel above the threshold ->
//   PreprocessStatus::Empty (in every mode, Plain included).
// - Scaling is exact area averaging (a box filter: each output pixel averages the source area it
//   covers, with fractional coverage at its edges), separable. The longer side of the box
//   becomes exactly kBox pixels; the shorter keeps the aspect ratio and its last pixel may be
//   partly covered (the uncovered part counts as background).
// - Peak normalisation (Mnist, MnistDeskew): if the brightest scaled pixel is below 1 the whole
//   digit is multiplied so that it becomes 1 (again after the deskew's bilinear resampling):
//   a thin or faint stroke shrunk by area averaging must not turn grey, since MNIST's strokes
//   are saturated. Plain mode is left as averaged.
// - Mnist placement: an integer shift (as MNIST itself did) puts the centre of mass within half a
//   pixel of (14, 14). Ink shifted outside 28x28 is clipped. MNIST's own files put it near the
//   middle of pixel 14 instead (continuous 14.5, all test images within [14, 15]), so an MNIST
//   image run through Mnist mode comes back as itself moved by at most one pixel per axis.
// - MnistDeskew: the moments are taken on the scaled digit before placement (the same values
//   the placed 28x28 would give, but nothing has been clipped yet), and the 28x28 is resampled
//   straight from it with bilinear interpolation:
//     out(x, y) = in(x + alpha * (y - 14) + (cx - 14), y + (cy - 14)),  alpha = mu11 / mu02,
//   in continuous coordinates (pixel i spans [i, i+1), its centre is i + 0.5). This puts the
//   centre of mass exactly on (14, 14) (up to clipping at the border) and brings mu11 to ~0.
//   |alpha| is clamped to kMaxShear = 1 (a 45 degree slant); beyond that the "slant" is more
//   likely a wide horizontal digit than a leaning one, and a larger shear would smear it.
// - A mode value outside the enum (e.g. a corrupt cast) is treated as Mnist.
// - On any status other than Ok, `out` (whatever its length) is filled with zeros.
//
// Speed (`digits bench` measures it; README "Figures"): only the search for the first and last
// inked rows and for the box's left/right edges reads pixels outside the box, through vectorised
// range tests with a cheap bitwise rejection; the box itself is read once, by the resize.
#include "core/preprocess.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstring>
#include <vector>

namespace digits {

namespace {

constexpr float kMaxShear = 1.0f;

// ink = (a / 255) * (1 - lum / 255) with lum * 1000 = 299 r + 587 g + 114 b, i.e.
// ink = units / (255 * 255000) with units = a * (255000 - lum1000). The arithmetic is done in
// float because SSE2 and wasm simd128 vectorise float multiplies but not 32-bit integer ones
// (SSE2 has none). It is still exact where it matters: lum1000 <= 255000 and any `units` below
// 2^24 are integers a float holds exactly, so the threshold test (about 3.3e6) decides exactly as
// integer arithmetic would; above 2^24 only the ink value rounds, at float precision.
constexpr float kRgbaInkFull = 255.0f * 255000.0f;
constexpr float kInkThreshold = 0.05f;
// ink > 0.05  <=>  gray > 12.75  <=>  gray >= 13.
constexpr uint8_t kGrayThreshold = 12;
constexpr float kRgbaThreshold = 3251250.0f;  // 0.05 * 255 * 255000
static_assert(kRgbaThreshold == kInkThreshold * 255 * 255000.0);

// Pixels are read as one little-endian 32-bit word (r in the low byte): shifts and masks on
// words vectorise much better than four strided byte loads.
static_assert(std::endian::native == std::endian::little,
              "rgba_ink_units reads RGBA pixels as little-endian words (x86, ARM, wasm)");

inline float rgba_ink_units(const uint8_t* pixel) {
  int32_t word;
  std::memcpy(&word, pixel, sizeof word);
  const float lum1000 =
      299.0f * (word & 255) + 587.0f * ((word >> 8) & 255) + 114.0f * ((word >> 16) & 255);
  return static_cast<float>((word >> 24) & 255) * (255000.0f - lum1000);
}

// Whether any pixel of row[from, to) has ink above the threshold: the one step that touches
// every pixel of the canvas, so it is built from branch-free loops the compiler vectorises
// (SSE2 natively, simd128 in wasm), and stops at the first 64-pixel chunk holding ink.
bool any_ink(const uint8_t* row, int from, int to, PixelFormat format) {
  constexpr int kChunk = 64;
  if (format == PixelFormat::Gray8) {
    for (int start = from; start < to; start += kChunk) {
      const int end = std::min(to, start + kChunk);
      uint8_t brightest = 0;
      for (int x = start; x < end; ++x) brightest = std::max(brightest, row[x]);
      if (brightest > kGrayThreshold) return true;
    }
    return false;
  }
  // Quick rejection: ink > 0.05 needs alpha >= 13 and some colour channel <= 242 (luminance is
  // at least the darkest channel). OR-ing the words with inverted colours can only raise each
  // byte, so a range failing the test on the OR has no ink; empty canvas rows (opaque white or
  // transparent) cost one OR per pixel.
  uint32_t bits = 0;
  for (int x = from; x < to; ++x) {
    uint32_t word;
    std::memcpy(&word, row + 4 * x, sizeof word);
    bits |= word ^ 0x00FFFFFFu;
  }
  const bool some_colour_dark = (bits & 255) > kGrayThreshold ||
                                ((bits >> 8) & 255) > kGrayThreshold ||
                                ((bits >> 16) & 255) > kGrayThreshold;
  const bool may_have_ink = (bits >> 24) > kGrayThreshold && some_colour_dark;
  if (!may_have_ink) return false;
  for (int start = from; start < to; start += kChunk) {
    const int end = std::min(to, start + kChunk);
    int found = 0;
    for (int x = start; x < end; ++x) found |= rgba_ink_units(row + 4 * x) > kRgbaThreshold;
    if (found) return true;
  }
  return false;
}

bool is_ink(const uint8_t* row, int x, PixelFormat format) {
  return format == PixelFormat::Gray8 ? row[x] > kGrayThreshold
                                      : rgba_ink_units(row + 4 * x) > kRgbaThreshold;
}

// Ink of row[0, count) as floats in [0, 1].
void ink_of_row(const uint8_t* row, int count, PixelFormat format, float* out) {
  if (format == PixelFormat::Gray8) {
    for (int x = 0; x < count; ++x) out[x] = row[x] * (1.0f / 255.0f);
  } else {
    for (int x = 0; x < count; ++x) out[x] = rgba_ink_units(row + 4 * x) * (1.0f / kRgbaInkFull);
  }
}

struct Box {
  int x0 = 0, y0 = 0, width = 0, height = 0;  // empty when width == 0
};

// The smallest rectangle holding every pixel with ink above the threshold. The first and last
// inked rows are found from the top and from the bottom; the rows between are only tested
// outside the current [left, right], so the inside of the box is never scanned here (the resize
// reads it once). Pixels are visited one by one only where the box grows.
Box ink_bounding_box(const uint8_t* pixels, int width, int height, PixelFormat format) {
  const size_t stride = static_cast<size_t>(width) * (format == PixelFormat::Gray8 ? 1 : 4);
  auto row = [&](int y) { return pixels + stride * y; };
  int top = 0;
  while (top < height && !any_ink(row(top), 0, width, format)) ++top;
  if (top == height) return {};
  int bottom = height - 1;
  while (!any_ink(row(bottom), 0, width, format)) --bottom;

  int left = width, right = -1;
  auto widen = [&](const uint8_t* r) {
    if (left > 0 && any_ink(r, 0, left, format)) {
      int x = 0;
      while (!is_ink(r, x, format)) ++x;
      left = x;
    }
    if (right < width - 1 && any_ink(r, right + 1, width, format)) {
      int x = width - 1;
      while (!is_ink(r, x, format)) --x;
      right = x;
    }
  };
  widen(row(top));  // sets left and right: the row has ink
  for (int y = top + 1; y <= bottom; ++y) widen(row(y));
  return {left, top, right - left + 1, bottom - top + 1};
}

// One axis of an area-average resize: output pixel j covers the source interval
// [j * step, (j + 1) * step) clipped to [0, source_length); each overlapping source pixel
// contributes (overlap / step) of its value. Taps come ordered by output, and so (the intervals
// being consecutive) with non-decreasing source.
struct Tap {
  int source;
  int output;
  float weight;
};

std::vector<Tap> area_taps(int source_length, int output_length, double step) {
  std::vector<Tap> taps;
  taps.reserve(static_cast<size_t>(source_length) + output_length + 1);
  for (int j = 0; j < output_length; ++j) {
    const double lo = j * step;
    const double hi = std::min((j + 1) * step, static_cast<double>(source_length));
    if (hi <= lo) continue;
    const int first = static_cast<int>(std::floor(lo));
    const int last = std::min(source_length - 1, static_cast<int>(std::ceil(hi)) - 1);
    for (int i = first; i <= last; ++i) {
      const double overlap = std::min(hi, i + 1.0) - std::max(lo, static_cast<double>(i));
      if (overlap > 0) taps.push_back({i, j, static_cast<float>(overlap / step)});
    }
  }
  return taps;
}

// A float image, row-major.
struct Plane {
  int width = 0, height = 0;
  std::vector<float> values;  // height * width
};

// Area-average resize of `box` of the input to out_width x out_height, where one output pixel
// spans step_x x step_y source pixels. The filter is separable; the vertical pass runs first
// because it adds whole source rows into output rows (contiguous, vectorised) while reading
// each source row once, leaving only out_height x box.width values for the horizontal pass.
Plane area_resize(const uint8_t* pixels, int width, PixelFormat format, Box box, int out_width,
                  int out_height, double step_x, double step_y) {
  const size_t bytes_per_pixel = format == PixelFormat::Gray8 ? 1 : 4;
  const std::vector<Tap> taps_x = area_taps(box.width, out_width, step_x);
  const std::vector<Tap> taps_y = area_taps(box.height, out_height, step_y);

  // out_height x box.width: source rows averaged vertically.
  std::vector<float> rows(static_cast<size_t>(out_height) * box.width, 0.0f);
  std::vector<float> ink_row(box.width);
  int current_row = -1;
  for (const Tap& t : taps_y) {
    if (t.source != current_row) {
      current_row = t.source;
      const uint8_t* src =
          pixels + (static_cast<size_t>(box.y0 + t.source) * width + box.x0) * bytes_per_pixel;
      ink_of_row(src, box.width, format, ink_row.data());
    }
    float* __restrict dst = rows.data() + static_cast<size_t>(t.output) * box.width;
    const float* __restrict ink = ink_row.data();
    const float weight = t.weight;
    for (int x = 0; x < box.width; ++x) dst[x] += ink[x] * weight;
  }

  Plane out{out_width, out_height,
            std::vector<float>(static_cast<size_t>(out_width) * out_height, 0.0f)};
  for (int y = 0; y < out_height; ++y) {
    const float* src = rows.data() + static_cast<size_t>(y) * box.width;
    float* dst = out.values.data() + static_cast<size_t>(y) * out_width;
    for (const Tap& t : taps_x) dst[t.output] += src[t.source] * t.weight;
  }
  return out;
}

struct Moments {
  double mass = 0, cx = 0, cy = 0;  // centre of mass, continuous coordinates (pixel centre i + 0.5)
  double mu11 = 0, mu02 = 0;        // central second moments (mass-weighted, not normalised)
};

Moments moments_of(const Plane& p) {
  Moments m;
  double sx = 0, sy = 0;
  for (int y = 0; y < p.height; ++y)
    for (int x = 0; x < p.width; ++x) {
      const double v = p.values[static_cast<size_t>(y) * p.width + x];
      m.mass += v;
      sx += v * (x + 0.5);
      sy += v * (y + 0.5);
    }
  if (m.mass <= 0) return m;
  m.cx = sx / m.mass;
  m.cy = sy / m.mass;
  for (int y = 0; y < p.height; ++y)
    for (int x = 0; x < p.width; ++x) {
      const double v = p.values[static_cast<size_t>(y) * p.width + x];
      const double dx = x + 0.5 - m.cx, dy = y + 0.5 - m.cy;
      m.mu11 += v * dx * dy;
      m.mu02 += v * dy * dy;
    }
  return m;
}

// Brings the brightest pixel to 1 when it is below (see the top of the file), and clips the
// float rounding of area averaging (1 + 1e-7) so every value stays in [0, 1]. A uniform gain
// leaves the centre of mass and the moment ratios unchanged.
void normalise_peak(std::span<float> values) {
  const float peak = *std::max_element(values.begin(), values.end());
  const float gain = peak > 0.0f && peak < 1.0f ? 1.0f / peak : 1.0f;
  for (float& v : values) v = std::min(1.0f, v * gain);
}

// Bilinear sample of `p` at continuous point (x, y); pixel i's centre is at i + 0.5 and
// everything outside the plane is background.
float sample_bilinear(const Plane& p, double x, double y) {
  const double u = x - 0.5, v = y - 0.5;
  const double fu = std::floor(u), fv = std::floor(v);
  const int x0 = static_cast<int>(fu), y0 = static_cast<int>(fv);
  const double tx = u - fu, ty = v - fv;
  auto at = [&](int xi, int yi) -> double {
    if (xi < 0 || yi < 0 || xi >= p.width || yi >= p.height) return 0.0;
    return p.values[static_cast<size_t>(yi) * p.width + xi];
  };
  const double top = at(x0, y0) * (1 - tx) + at(x0 + 1, y0) * tx;
  const double bottom = at(x0, y0 + 1) * (1 - tx) + at(x0 + 1, y0 + 1) * tx;
  return static_cast<float>(top * (1 - ty) + bottom * ty);
}

void place_by_integer_shift(const Plane& digit, const Moments& m, std::span<float> out) {
  constexpr double centre = kSide / 2.0;
  const int shift_x = static_cast<int>(std::floor(centre - m.cx + 0.5));
  const int shift_y = static_cast<int>(std::floor(centre - m.cy + 0.5));
  for (int y = 0; y < digit.height; ++y) {
    const int oy = y + shift_y;
    if (oy < 0 || oy >= kSide) continue;
    for (int x = 0; x < digit.width; ++x) {
      const int ox = x + shift_x;
      if (ox < 0 || ox >= kSide) continue;
      out[static_cast<size_t>(oy) * kSide + ox] =
          digit.values[static_cast<size_t>(y) * digit.width + x];
    }
  }
}

void place_deskewed(const Plane& digit, const Moments& m, std::span<float> out) {
  constexpr double centre = kSide / 2.0;
  double alpha = m.mu02 > 0 ? m.mu11 / m.mu02 : 0.0;
  alpha = std::clamp(alpha, -static_cast<double>(kMaxShear), static_cast<double>(kMaxShear));
  for (int y = 0; y < kSide; ++y) {
    const double oy = y + 0.5;
    const double sy = oy + (m.cy - centre);
    const double row_shift = alpha * (oy - centre) + (m.cx - centre);
    for (int x = 0; x < kSide; ++x) {
      const float v = sample_bilinear(digit, x + 0.5 + row_shift, sy);
      out[static_cast<size_t>(y) * kSide + x] = std::clamp(v, 0.0f, 1.0f);
    }
  }
}

}  // namespace

const char* preprocess_mode_name(PreprocessMode mode) {
  switch (mode) {
    case PreprocessMode::Plain:
      return "plain";
    case PreprocessMode::Mnist:
      return "mnist";
    case PreprocessMode::MnistDeskew:
      return "mnist+deskew";
  }
  return "unknown";
}

const char* preprocess_status_message(PreprocessStatus status) {
  switch (status) {
    case PreprocessStatus::Ok:
      return "ok";
    case PreprocessStatus::Empty:
      return "empty: the image has no ink to classify; draw a digit first.";
    case PreprocessStatus::BadSize:
      return "bad size: the image must be 1 to 8192 pixels on each side, with a pixel buffer of "
             "width * height bytes (gray) or width * height * 4 bytes (RGBA), and room for 784 "
             "output values.";
  }
  return "unknown status";
}

PreprocessStatus preprocess(std::span<const uint8_t> pixels, int width, int height,
                            PixelFormat format, PreprocessMode mode, std::span<float> out) {
  std::fill(out.begin(), out.end(), 0.0f);
  if (width < 1 || height < 1 || width > kMaxInputSide || height > kMaxInputSide)
    return PreprocessStatus::BadSize;
  const size_t bytes_per_pixel = format == PixelFormat::Gray8 ? 1 : 4;
  if (pixels.size() < static_cast<size_t>(width) * static_cast<size_t>(height) * bytes_per_pixel)
    return PreprocessStatus::BadSize;
  if (out.size() < static_cast<size_t>(kPixels)) return PreprocessStatus::BadSize;
  if (mode != PreprocessMode::Plain && mode != PreprocessMode::Mnist &&
      mode != PreprocessMode::MnistDeskew)
    mode = PreprocessMode::Mnist;

  const Box box = ink_bounding_box(pixels.data(), width, height, format);
  if (box.width == 0) return PreprocessStatus::Empty;

  if (mode == PreprocessMode::Plain) {
    const Plane plane =
        area_resize(pixels.data(), width, format, Box{0, 0, width, height}, kSide, kSide,
                    width / static_cast<double>(kSide), height / static_cast<double>(kSide));
    for (int i = 0; i < kPixels; ++i) out[i] = std::clamp(plane.values[i], 0.0f, 1.0f);
    return PreprocessStatus::Ok;
  }

  // One output pixel spans longer_side / kBox source pixels on both axes (aspect kept).
  const int longer_side = std::max(box.width, box.height);
  const double step = longer_side / static_cast<double>(kBox);
  auto scaled_length = [&](int source_length) {
    const int n = static_cast<int>(std::ceil(source_length / step - 1e-9));
    return std::clamp(n, 1, kBox);
  };
  Plane digit = area_resize(pixels.data(), width, format, box, scaled_length(box.width),
                            scaled_length(box.height), step, step);
  normalise_peak(digit.values);
  const Moments m = moments_of(digit);

  if (mode == PreprocessMode::Mnist) {
    place_by_integer_shift(digit, m, out);
  } else {
    place_deskewed(digit, m, out);
    normalise_peak(out.first(kPixels));  // bilinear resampling may have dimmed a thin stroke
  }
  return PreprocessStatus::Ok;
}

}  // namespace digits
