#include "drawn/drawn_digits.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <fstream>
#include <numbers>
#include <sstream>
#include <stdexcept>

#include "core/random.h"

namespace digits {
namespace {

using Point = std::pair<float, float>;

// ---------------------------------------------------------------------------------------------
// Hershey .jhf fonts.
//
// One glyph per record: columns 0-4 the glyph id, 5-7 the vertex count (including the first
// pair), then count pairs of characters, each coordinate being (char - 'R'). The first pair is
// the glyph's left and right bounds; " R" lifts the pen. y grows downwards. Long records wrap onto
// continuation lines, so a record is read by counting characters, skipping line breaks.
//
// In Debian's files every id is "12345" and the glyphs are ASCII 32..127 in order, so the digits
// '0'..'9' are glyphs 16..25 (0-based). Checked by rendering each listed font's digits to an image
// and looking; the test FontOnesAreTheNarrowestDigitOfTheirFont guards the offset. Fonts whose
// glyphs there are not Latin digits (greek, japanese, symbols...) are not listed.
struct FontGlyph {
  std::vector<Stroke> strokes;  // raw Hershey units, y down
};

// The fonts whose glyphs 16..25 are the digits 0..9, written in styles a hand could produce:
// sans-serif, Roman, script, cursive and Times (roman, italic). Single-line fonts draw every part
// of a glyph with one pass of the pen, like a finger; the others trace their thick parts with 2-4
// parallel passes, which under our brush reads as a child going over a stroke again.
struct DigitFont {
  const char* file;
  bool single_line;
};
constexpr std::array<DigitFont, 9> kDigitFonts = {{{"futural.jhf", true},
                                                   {"rowmans.jhf", true},
                                                   {"scripts.jhf", true},
                                                   {"cursive.jhf", true},
                                                   {"futuram.jhf", false},
                                                   {"rowmand.jhf", false},
                                                   {"scriptc.jhf", false},
                                                   {"timesr.jhf", false},
                                                   {"timesi.jhf", false}}};
constexpr int kFirstDigitGlyph = 16;  // ASCII '0' - ASCII ' '

std::vector<FontGlyph> parse_jhf(const std::string& text, const std::string& name) {
  std::vector<FontGlyph> glyphs;
  size_t pos = 0;
  auto skip_line_breaks = [&] {
    while (pos < text.size() && (text[pos] == '\n' || text[pos] == '\r')) ++pos;
  };
  while (true) {
    skip_line_breaks();
    if (pos >= text.size()) break;
    if (pos + 8 > text.size()) {
      throw std::runtime_error(name + ": truncated glyph header at byte " + std::to_string(pos) +
                               ": the font file is damaged, reinstall hershey-fonts-data");
    }
    const std::string count_field = text.substr(pos + 5, 3);
    int vertex_count = 0;
    try {
      vertex_count = std::stoi(count_field);
    } catch (const std::exception&) {
      throw std::runtime_error(name + ": bad vertex count \"" + count_field + "\" at byte " +
                               std::to_string(pos) +
                               ": the font file is damaged, reinstall hershey-fonts-data");
    }
    pos += 8;
    // Read 2 * vertex_count characters; a line break inside a record is a wrap, not data.
    std::string pairs;
    pairs.reserve(2 * static_cast<size_t>(vertex_count));
    while (pairs.size() < 2 * static_cast<size_t>(vertex_count) && pos < text.size()) {
      const char c = text[pos++];
      if (c != '\n' && c != '\r') pairs.push_back(c);
    }
    if (pairs.size() < 2 * static_cast<size_t>(vertex_count)) {
      throw std::runtime_error(name + ": glyph " + std::to_string(glyphs.size()) +
                               " is truncated: the font file is damaged, reinstall "
                               "hershey-fonts-data");
    }
    FontGlyph glyph;
    Stroke current;
    for (int v = 1; v < vertex_count; ++v) {  // vertex 0 holds the left/right bounds
      const char cx = pairs[2 * v], cy = pairs[2 * v + 1];
      if (cx == ' ' && cy == 'R') {
        if (!current.points.empty()) glyph.strokes.push_back(std::move(current));
        current = Stroke{};
        continue;
      }
      current.points.emplace_back(static_cast<float>(cx - 'R'), static_cast<float>(cy - 'R'));
    }
    if (!current.points.empty()) glyph.strokes.push_back(std::move(current));
    glyphs.push_back(std::move(glyph));
    // Anything after the record on its line (there should be nothing) is ignored.
    while (pos < text.size() && text[pos] != '\n') ++pos;
  }
  return glyphs;
}

// Scale uniformly so the larger side of the ink bounding box is 1 and centre it in [0,1]^2.
void normalize_to_unit_box(std::vector<Stroke>& strokes) {
  float min_x = 1e30f, min_y = 1e30f, max_x = -1e30f, max_y = -1e30f;
  for (const Stroke& s : strokes) {
    for (auto [x, y] : s.points) {
      min_x = std::min(min_x, x), max_x = std::max(max_x, x);
      min_y = std::min(min_y, y), max_y = std::max(max_y, y);
    }
  }
  const float extent = std::max({max_x - min_x, max_y - min_y, 1e-6f});
  const float offset_x = 0.5f - 0.5f * (max_x - min_x) / extent;
  const float offset_y = 0.5f - 0.5f * (max_y - min_y) / extent;
  for (Stroke& s : strokes) {
    for (auto& [x, y] : s.points) {
      x = std::clamp(offset_x + (x - min_x) / extent, 0.f, 1.f);
      y = std::clamp(offset_y + (y - min_y) / extent, 0.f, 1.f);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Hand-designed styles: shapes children draw that the fonts lack. Designed in a box about 0.6-1
// wide and 1 tall, y down; angles in degrees with 0 = right and 90 = DOWN, so increasing angles
// run clockwise on screen.

// Points on an ellipse from angle a0 to a1 (either direction), about one every 10 degrees.
std::vector<Point> arc(float cx, float cy, float rx, float ry, float a0, float a1) {
  const int steps = std::max(2, static_cast<int>(std::ceil(std::fabs(a1 - a0) / 10.f)));
  std::vector<Point> points;
  for (int k = 0; k <= steps; ++k) {
    const float a = (a0 + (a1 - a0) * k / steps) * std::numbers::pi_v<float> / 180.f;
    points.emplace_back(cx + rx * std::cos(a), cy + ry * std::sin(a));
  }
  return points;
}

// Concatenates pieces into one stroke (the pen stays down between them).
Stroke path(std::initializer_list<std::vector<Point>> pieces) {
  Stroke s;
  for (const auto& piece : pieces) s.points.insert(s.points.end(), piece.begin(), piece.end());
  return s;
}

std::vector<DigitStrokes> hand_styles() {
  std::vector<DigitStrokes> styles;
  auto add = [&](int label, const char* name, std::vector<Stroke> strokes) {
    styles.push_back({label, std::move(strokes), std::string("hand: ") + name});
  };
  using P = std::vector<Point>;

  // 0: an oval started at the top that overshoots its start; a round one with a small gap; a
  // narrow one drawn the other way round.
  add(0, "0 oval, overlapping", {path({arc(0.5f, 0.5f, 0.3f, 0.5f, 270, -105)})});
  add(0, "0 round, small gap", {path({arc(0.5f, 0.5f, 0.42f, 0.46f, 300, -40)})});
  add(0, "0 narrow, clockwise", {path({arc(0.5f, 0.5f, 0.26f, 0.5f, 250, 625)})});

  // 1: a bare bar; a bar with a flag; flag and foot.
  add(1, "1 bare bar", {path({P{{0.5f, 0.f}, {0.5f, 1.f}}})});
  add(1, "1 flag", {path({P{{0.25f, 0.28f}, {0.55f, 0.f}, {0.55f, 1.f}}})});
  add(1, "1 flag and foot",
      {path({P{{0.3f, 0.22f}, {0.55f, 0.f}, {0.55f, 1.f}}}),
       path({P{{0.25f, 1.f}, {0.85f, 1.f}}})});

  // 2: round top with a loop at the bottom left; round top with a sharp corner; a "Z" two.
  // The loop: entered at its upper left heading down-left, once round anticlockwise (on screen),
  // across the entry, and out along the base from its bottom.
  add(2, "2 with a loop",
      {path({arc(0.5f, 0.28f, 0.32f, 0.27f, 190, 380), arc(0.25f, 0.86f, 0.1f, 0.09f, 225, -270),
             P{{0.6f, 0.95f}, {0.92f, 0.94f}}})});
  add(2, "2 round top, sharp corner",
      {path({arc(0.5f, 0.28f, 0.34f, 0.27f, 200, 375), P{{0.12f, 1.f}, {0.9f, 0.98f}}})});
  add(2, "2 zigzag",
      {path({P{{0.15f, 0.08f}, {0.5f, 0.f}, {0.82f, 0.1f}, {0.15f, 1.f}, {0.9f, 1.f}}})});

  // 3: two round bumps; a flat top with a diagonal and one bump.
  add(3, "3 two bumps",
      {path(
          {arc(0.45f, 0.26f, 0.3f, 0.25f, 200, 450), arc(0.45f, 0.76f, 0.34f, 0.25f, 270, 510)})});
  add(3, "3 flat top",
      {path({P{{0.15f, 0.02f}, {0.8f, 0.02f}, {0.45f, 0.4f}},
             arc(0.48f, 0.69f, 0.34f, 0.3f, 265, 515)})});

  // 4: open at the top (an L then the stem); closed, in one stroke from the bottom of the stem.
  add(4, "4 open top",
      {path({P{{0.2f, 0.f}, {0.1f, 0.62f}, {0.92f, 0.62f}}}),
       path({P{{0.7f, 0.18f}, {0.7f, 1.f}}})});
  add(4, "4 closed, one stroke",
      {path({P{{0.66f, 1.f}, {0.66f, 0.f}, {0.06f, 0.68f}, {0.95f, 0.68f}}})});

  // 5: body then a separate top bar; all in one stroke starting with the top bar.
  add(5, "5 two strokes",
      {path({P{{0.25f, 0.f}}, arc(0.45f, 0.68f, 0.36f, 0.3f, 240, 505)}),
       path({P{{0.25f, 0.f}, {0.85f, 0.f}}})});
  add(5, "5 one stroke",
      {path({P{{0.85f, 0.f}, {0.25f, 0.f}}, arc(0.45f, 0.68f, 0.36f, 0.3f, 240, 505)})});

  // 6: a curved stem into the loop; a straight stem into the loop.
  add(6, "6 curved stem",
      {path({P{{0.72f, 0.f}, {0.42f, 0.18f}, {0.24f, 0.45f}},
             arc(0.48f, 0.74f, 0.28f, 0.26f, 180, -170)})});
  add(6, "6 straight stem", {path({P{{0.68f, 0.f}}, arc(0.47f, 0.74f, 0.27f, 0.26f, 200, -160)})});

  // 7: plain; with a crossbar; with a curved stem; with a small hook down at the start.
  add(7, "7 plain", {path({P{{0.1f, 0.03f}, {0.9f, 0.03f}, {0.4f, 1.f}}})});
  add(7, "7 crossbar",
      {path({P{{0.1f, 0.03f}, {0.9f, 0.03f}, {0.4f, 1.f}}}),
       path({P{{0.42f, 0.52f}, {0.9f, 0.5f}}})});
  add(7, "7 curved stem",
      {path({P{{0.1f, 0.05f}, {0.88f, 0.05f}, {0.62f, 0.38f}, {0.5f, 0.7f}, {0.46f, 1.f}}})});
  add(7, "7 hooked start", {path({P{{0.1f, 0.22f}, {0.1f, 0.03f}, {0.9f, 0.03f}, {0.45f, 1.f}}})});

  // 8: two stacked circles; one stroke crossing itself in the middle.
  add(8, "8 two circles",
      {path({arc(0.5f, 0.26f, 0.25f, 0.24f, 270, -95)}),
       path({arc(0.5f, 0.74f, 0.31f, 0.26f, 270, -95)})});
  add(8, "8 one stroke",
      {path({arc(0.5f, 0.25f, 0.27f, 0.23f, 340, 150), arc(0.5f, 0.74f, 0.31f, 0.26f, -30, 210),
             P{{0.74f, 0.2f}}})});

  // 9: loop and straight stem; loop and curved stem; stem curling left like a "g".
  add(9, "9 straight stem", {path({arc(0.45f, 0.28f, 0.3f, 0.27f, 0, -360), P{{0.75f, 1.f}}})});
  add(9, "9 curved stem",
      {path({arc(0.45f, 0.28f, 0.3f, 0.27f, 0, -360), P{{0.73f, 0.7f}, {0.55f, 1.f}}})});
  add(9, "9 curled stem",
      {path({arc(0.45f, 0.28f, 0.3f, 0.27f, 0, -360),
             P{{0.75f, 0.85f}, {0.6f, 1.f}, {0.38f, 0.95f}}})});
  add(9, "9 loop then separate stem",
      {path({arc(0.42f, 0.3f, 0.3f, 0.28f, -20, -370)}), path({P{{0.75f, 0.f}, {0.75f, 1.f}}})});

  for (DigitStrokes& style : styles) normalize_to_unit_box(style.strokes);
  return styles;
}

// ---------------------------------------------------------------------------------------------
// Random numbers: the project's SplitMix64 (core/random.h) with draws of its own, so that output
// is identical across standard libraries (std:: distributions are implementation-defined). Floats
// take the top 24 bits of a draw (not unit_double's 53) and indices a plain modulo: the drawn set
// that weights/metrics.json was measured on is made this way, and must stay the same images.
struct Rng {
  uint64_t state;
  explicit Rng(uint64_t seed) : state(seed) {}
  float uniform(float lo, float hi) {
    const float unit = static_cast<float>(splitmix64(state) >> 40) / static_cast<float>(1 << 24);
    return lo + (hi - lo) * unit;
  }
  int below(int n) { return static_cast<int>(splitmix64(state) % static_cast<uint64_t>(n)); }
};

// ---------------------------------------------------------------------------------------------
// Geometry of one drawing.

// Centripetal Catmull-Rom through a stroke's control points, sampled about every `step` (glyph
// units). Control points where the path turns by more than ~70 degrees are corners: the curve
// leaves and enters them straight instead of bulging past them.
std::vector<Point> smooth_stroke(const std::vector<Point>& raw, float step) {
  std::vector<Point> ctrl;
  for (const Point& p : raw) {
    if (ctrl.empty() ||
        std::hypot(p.first - ctrl.back().first, p.second - ctrl.back().second) > 1e-4f) {
      ctrl.push_back(p);
    }
  }
  if (ctrl.size() < 2) return ctrl;
  const size_t n = ctrl.size();
  std::vector<bool> corner(n, true);  // the ends count as corners
  for (size_t i = 1; i + 1 < n; ++i) {
    const float ax = ctrl[i].first - ctrl[i - 1].first, ay = ctrl[i].second - ctrl[i - 1].second;
    const float bx = ctrl[i + 1].first - ctrl[i].first, by = ctrl[i + 1].second - ctrl[i].second;
    const float cos_turn = (ax * bx + ay * by) / (std::hypot(ax, ay) * std::hypot(bx, by));
    corner[i] = cos_turn < 0.34f;  // turn > ~70 degrees
  }
  std::vector<Point> out{ctrl[0]};
  for (size_t i = 0; i + 1 < n; ++i) {
    const Point p1 = ctrl[i], p2 = ctrl[i + 1];
    // Phantom neighbours at corners: reflect, so the segment starts/ends without curvature.
    const Point p0 =
        corner[i] ? Point{2 * p1.first - p2.first, 2 * p1.second - p2.second} : ctrl[i - 1];
    const Point p3 =
        corner[i + 1] ? Point{2 * p2.first - p1.first, 2 * p2.second - p1.second} : ctrl[i + 2];
    auto knot = [](const Point& a, const Point& b) {
      return std::sqrt(std::max(std::hypot(b.first - a.first, b.second - a.second), 1e-6f));
    };
    const float t0 = 0, t1 = t0 + knot(p0, p1), t2 = t1 + knot(p1, p2), t3 = t2 + knot(p2, p3);
    const float length = std::hypot(p2.first - p1.first, p2.second - p1.second);
    const int samples = std::max(1, static_cast<int>(std::ceil(length / step)));
    for (int k = 1; k <= samples; ++k) {
      const float t = t1 + (t2 - t1) * k / samples;
      auto lerp = [](const Point& a, const Point& b, float ta, float tb, float t) {
        const float w = (t - ta) / (tb - ta);
        return Point{a.first + (b.first - a.first) * w, a.second + (b.second - a.second) * w};
      };
      // Barry-Goldman pyramid.
      const Point a1 = lerp(p0, p1, t0, t1, t), a2 = lerp(p1, p2, t1, t2, t),
                  a3 = lerp(p2, p3, t2, t3, t);
      const Point b1 = lerp(a1, a2, t0, t2, t), b2 = lerp(a2, a3, t1, t3, t);
      out.push_back(lerp(b1, b2, t1, t2, t));
    }
  }
  return out;
}

// A smooth random displacement field over glyph space: a few long-wavelength sinusoids, so nearby
// points move together (a wobbly hand, not noise).
struct Wobble {
  struct Wave {
    float kx, ky, phase, ax, ay;
  };
  std::array<Wave, 3> waves{};
  Wobble(Rng& rng, float amplitude) {
    for (Wave& w : waves) {
      constexpr float kTurn = 2 * std::numbers::pi_v<float>;
      const float frequency = rng.uniform(2.f, 7.f), direction = rng.uniform(0, kTurn);
      w = {frequency * std::cos(direction), frequency * std::sin(direction), rng.uniform(0, kTurn),
           amplitude * rng.uniform(-1, 1), amplitude * rng.uniform(-1, 1)};
    }
  }
  Point apply(Point p) const {
    for (const Wave& w : waves) {
      const float s = std::sin(w.kx * p.first + w.ky * p.second + w.phase);
      p.first += w.ax * s;
      p.second += w.ay * s;
    }
    return p;
  }
};

// Anti-aliased round brush: each pixel's coverage is 1 inside the capsule around a segment and
// falls linearly to 0 over one pixel at its edge; overlapping segments take the maximum, which is
// the coverage from the distance to the nearest segment.
void draw_polyline(const std::vector<Point>& points, float radius, int side,
                   std::vector<float>& coverage) {
  const float reach = radius + 0.5f;
  auto draw_segment = [&](Point a, Point b) {
    const int x0 = std::max(0, static_cast<int>(std::floor(std::min(a.first, b.first) - reach)));
    const int x1 =
        std::min(side - 1, static_cast<int>(std::ceil(std::max(a.first, b.first) + reach)));
    const int y0 = std::max(0, static_cast<int>(std::floor(std::min(a.second, b.second) - reach)));
    const int y1 =
        std::min(side - 1, static_cast<int>(std::ceil(std::max(a.second, b.second) + reach)));
    const float dx = b.first - a.first, dy = b.second - a.second;
    const float length_sq = dx * dx + dy * dy;
    const float inv_length_sq = length_sq > 1e-12f ? 1.f / length_sq : 0.f;
    for (int y = y0; y <= y1; ++y) {
      const float py = y + 0.5f - a.second;
      float* row = coverage.data() + static_cast<size_t>(y) * side;
      for (int x = x0; x <= x1; ++x) {
        if (row[x] >= 1.f) continue;  // already fully inked: most revisits end here
        const float px = x + 0.5f - a.first;
        const float t = std::clamp((px * dx + py * dy) * inv_length_sq, 0.f, 1.f);
        const float ex = px - t * dx, ey = py - t * dy;
        const float dist_sq = ex * ex + ey * ey;
        if (dist_sq >= reach * reach) continue;
        const float c = std::min(1.f, reach - std::sqrt(dist_sq));
        row[x] = std::max(row[x], c);
      }
    }
  };
  if (points.size() == 1) draw_segment(points[0], points[0]);
  for (size_t i = 1; i < points.size(); ++i) draw_segment(points[i - 1], points[i]);
}

// Draws one digit in `style` onto `out` (side * side bytes). `coverage` is scratch space, reused
// between drawings.
void render_one(const DigitStrokes& style, Rng& rng, int side, std::vector<float>& coverage,
                uint8_t* out) {
  // Shape: smooth, then wobble the strokes (and misplace each later stroke a little, as a pen
  // lifted and put down again), in glyph space.
  const Wobble wobble(rng, rng.uniform(0.01f, 0.025f));
  std::vector<std::vector<Point>> strokes;
  for (size_t s = 0; s < style.strokes.size(); ++s) {
    const float shift_x = s == 0 ? 0.f : rng.uniform(-0.03f, 0.03f);
    const float shift_y = s == 0 ? 0.f : rng.uniform(-0.03f, 0.03f);
    std::vector<Point> points = smooth_stroke(style.strokes[s].points, 0.01f);
    for (Point& p : points) {
      p = wobble.apply(p);
      p.first += shift_x;
      p.second += shift_y;
    }
    strokes.push_back(std::move(points));
  }

  // Pose: aspect (x scale), slant (shear), rotation, all about the glyph centre.
  // Rotation and slant both lean the digit; their sum is kept within -15..+22 degrees (forward
  // leans are the common ones), as a "1" leaning back 20 degrees reads as a backslash.
  const float aspect = rng.uniform(0.75f, 1.3f);
  const float angle = rng.uniform(-15.f, 15.f) * std::numbers::pi_v<float> / 180.f;
  float slant = rng.uniform(-0.25f, 0.25f);
  const float lean = std::clamp(angle + std::atan(slant), -15.f * std::numbers::pi_v<float> / 180.f,
                                22.f * std::numbers::pi_v<float> / 180.f);
  slant = std::tan(lean - angle);
  const float cos_a = std::cos(angle), sin_a = std::sin(angle);
  float min_x = 1e30f, min_y = 1e30f, max_x = -1e30f, max_y = -1e30f;
  for (auto& points : strokes) {
    for (auto& [x, y] : points) {
      const float u = (x - 0.5f) * aspect - slant * (y - 0.5f), v = y - 0.5f;
      x = cos_a * u - sin_a * v;
      y = sin_a * u + cos_a * v;
      min_x = std::min(min_x, x), max_x = std::max(max_x, x);
      min_y = std::min(min_y, y), max_y = std::max(max_y, y);
    }
  }

  // Page: the brush is a fixed fraction of the canvas; the digit's height is random, shrunk if
  // needed so that the whole stroke (brush included, plus one pixel) fits in the canvas.
  const float radius = 0.5f * rng.uniform(0.07f, 0.11f) * side;
  const float margin = radius + 1.5f;
  const float room = side - 2 * margin;
  const float width = std::max(max_x - min_x, 1e-6f), height = std::max(max_y - min_y, 1e-6f);
  float scale = rng.uniform(0.25f, 0.9f) * side / height;
  scale = std::min({scale, room / height, room / width});
  const float left = margin + rng.uniform(0.f, 1.f) * (room - width * scale);
  const float top = margin + rng.uniform(0.f, 1.f) * (room - height * scale);

  coverage.assign(static_cast<size_t>(side) * side, 0.f);
  // Resample in pixels: keep a point once it is a few pixels from the last kept one (fine
  // enough that chords are invisible under the brush, coarse enough to be fast).
  const float pixel_step = std::clamp(radius * 0.5f, 1.f, 6.f);
  for (const auto& points : strokes) {
    std::vector<Point> pixels;
    for (size_t i = 0; i < points.size(); ++i) {
      const Point p{left + (points[i].first - min_x) * scale,
                    top + (points[i].second - min_y) * scale};
      if (pixels.empty() || i + 1 == points.size() ||
          std::hypot(p.first - pixels.back().first, p.second - pixels.back().second) >=
              pixel_step) {
        pixels.push_back(p);
      }
    }
    draw_polyline(pixels, radius, side, coverage);
  }
  for (size_t i = 0; i < coverage.size(); ++i) {
    out[i] = static_cast<uint8_t>(255.f * coverage[i] + 0.5f);
  }
}

}  // namespace

std::vector<DigitStrokes> digit_stroke_library(const std::string& font_dir) {
  std::vector<DigitStrokes> library;
  for (const DigitFont& font : kDigitFonts) {
    const std::string path = font_dir + "/" + font.file;
    std::ifstream file(path, std::ios::binary);
    if (!file) {
      throw std::runtime_error("hershey fonts not found in " + font_dir + " (cannot open " + path +
                               "): run scripts/setup.sh");
    }
    std::stringstream text;
    text << file.rdbuf();
    std::vector<FontGlyph> glyphs = parse_jhf(text.str(), path);
    if (glyphs.size() < kFirstDigitGlyph + 10) {
      throw std::runtime_error(path + " has " + std::to_string(glyphs.size()) +
                               " glyphs, fewer than the 26 needed to reach the digits: "
                               "reinstall hershey-fonts-data");
    }
    for (int digit = 0; digit < 10; ++digit) {
      const int index = kFirstDigitGlyph + digit;
      DigitStrokes style{digit, std::move(glyphs[index].strokes),
                         std::string(font.file) + " glyph " + std::to_string(index)};
      if (style.strokes.empty()) {
        throw std::runtime_error(path + ": glyph " + std::to_string(index) + " (digit " +
                                 std::to_string(digit) +
                                 ") has no strokes: reinstall hershey-fonts-data");
      }
      normalize_to_unit_box(style.strokes);
      library.push_back(std::move(style));
    }
  }
  for (DigitStrokes& style : hand_styles()) library.push_back(std::move(style));
  return library;
}

const std::vector<DigitStrokes>& digit_stroke_library() {
  static const std::vector<DigitStrokes> cached = digit_stroke_library(DIGITS_HERSHEY_DIR);
  return cached;
}

IdxImages render_drawn_digits(int n, uint64_t seed, int side, IdxLabels& labels_out) {
  if (n < 0)
    throw std::runtime_error("render_drawn_digits: count must be >= 0, got " + std::to_string(n));
  if (side < 28)
    throw std::runtime_error(
        "render_drawn_digits: the canvas side must be at least "
        "28 pixels, got " +
        std::to_string(side));
  const std::vector<DigitStrokes>& library = digit_stroke_library();
  // Styles per label in three pools, drawn from with fixed odds: the hand-designed styles are
  // closest to how children write, then the single-line fonts, then the multi-line ones.
  enum Pool { kHand, kSingleLineFont, kMultiLineFont, kPools };
  constexpr std::array<float, kPools> kPoolOdds = {0.45f, 0.35f, 0.2f};
  std::array<std::array<std::vector<const DigitStrokes*>, kPools>, 10> pools;
  for (const DigitStrokes& style : library) {
    Pool pool = kHand;
    for (const DigitFont& font : kDigitFonts) {
      if (style.source.rfind(font.file, 0) == 0) {
        pool = font.single_line ? kSingleLineFont : kMultiLineFont;
      }
    }
    pools[style.label][pool].push_back(&style);
  }

  uint64_t label_state = seed ^ 0x5DEECE66Dull;
  Rng label_rng(splitmix64(label_state));
  labels_out.labels.resize(n);
  for (int i = 0; i < n; ++i) labels_out.labels[i] = static_cast<uint8_t>(i % 10);
  for (int i = n - 1; i > 0; --i)
    std::swap(labels_out.labels[i], labels_out.labels[label_rng.below(i + 1)]);

  IdxImages images;
  images.count = n;
  images.rows = images.cols = side;
  images.pixels.assign(static_cast<size_t>(n) * side * side, 0);
  std::vector<float> coverage;
  for (int i = 0; i < n; ++i) {
    uint64_t drawing_state = seed * 0x9E3779B97F4A7C15ull + static_cast<uint64_t>(i);
    Rng rng(splitmix64(drawing_state));
    const int label = labels_out.labels[i];
    const float pick = rng.uniform(0.f, 1.f);
    int pool = pick < kPoolOdds[0]                  ? kHand
               : pick < kPoolOdds[0] + kPoolOdds[1] ? kSingleLineFont
                                                    : kMultiLineFont;
    while (pools[label][pool].empty()) pool = (pool + 1) % kPools;  // every label has fonts
    const auto& styles = pools[label][pool];
    const DigitStrokes& style = *styles[rng.below(static_cast<int>(styles.size()))];
    render_one(style, rng, side, coverage,
               images.pixels.data() + static_cast<size_t>(i) * side * side);
  }
  return images;
}

}  // namespace digits
