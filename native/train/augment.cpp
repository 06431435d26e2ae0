#include "train/augment.h"

#include "core/random.h"
#include "train/parallel.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <thread>
#include <vector>

namespace digits {
namespace {

// Grey-level dilation (Max = true) or erosion with a disc of `radius` output pixels, in place on a
// kAugmentSide^2 image. Outside the image counts as background (0), which the margin left by
// augment_image keeps away from the ink anyway.
// A disc is the union of horizontal runs: row offset dy spans [-w(dy), w(dy)] with
// w(dy) = floor(sqrt(r^2 - dy^2)). So first build the horizontal max/min for every half-width
// 0..floor(r) (each from the previous one by one step), then combine the rows.
template <bool Max>
void disc_filter(std::span<uint8_t> image, double radius) {
  const int n = kAugmentSide;
  const int reach = static_cast<int>(std::floor(radius + 1e-9));
  if (reach < 1) return;
  auto pick = [](uint8_t a, uint8_t b) { return Max ? std::max(a, b) : std::min(a, b); };

  std::vector<std::vector<uint8_t>> runs(reach + 1);  // runs[w]: n*n, extreme over [x-w, x+w]
  runs[0].assign(image.begin(), image.end());
  for (int w = 1; w <= reach; ++w) {
    const std::vector<uint8_t>& prev = runs[w - 1];
    std::vector<uint8_t>& cur = runs[w];
    cur.resize(static_cast<size_t>(n) * n);
    for (int y = 0; y < n; ++y) {
      const uint8_t* p = prev.data() + static_cast<size_t>(y) * n;
      uint8_t* c = cur.data() + static_cast<size_t>(y) * n;
      for (int x = 0; x < n; ++x) {
        const uint8_t left = x > 0 ? p[x - 1] : 0;
        const uint8_t right = x + 1 < n ? p[x + 1] : 0;
        c[x] = pick(pick(left, p[x]), right);
      }
    }
  }

  std::vector<uint8_t> result(static_cast<size_t>(n) * n, Max ? 0 : 255);
  for (int dy = -reach; dy <= reach; ++dy) {
    const int w = static_cast<int>(std::floor(std::sqrt(radius * radius - dy * dy) + 1e-9));
    const std::vector<uint8_t>& run = runs[w];
    for (int y = 0; y < n; ++y) {
      const int source_y = y + dy;
      uint8_t* r = result.data() + static_cast<size_t>(y) * n;
      if (source_y < 0 || source_y >= n) {
        if (!Max) std::fill(r, r + n, 0);  // the background outside erodes the border row
        continue;
      }
      const uint8_t* s = run.data() + static_cast<size_t>(source_y) * n;
      for (int x = 0; x < n; ++x) r[x] = pick(r[x], s[x]);
    }
  }
  std::copy(result.begin(), result.end(), image.begin());
}

}  // namespace

AugmentParams random_augment_params(std::mt19937_64& rng, const AugmentRanges& ranges) {
  // Every draw goes through this one uniform so the sequence is the same on every platform
  // (std::uniform_real_distribution's algorithm is implementation-defined).
  auto uniform = [&rng](double lo, double hi) { return lo + (hi - lo) * unit_double(rng()); };
  AugmentParams p;
  p.rotation_degrees = uniform(-ranges.max_rotation_degrees, ranges.max_rotation_degrees);
  p.shear = uniform(-ranges.max_shear, ranges.max_shear);
  p.aspect = uniform(ranges.min_aspect, ranges.max_aspect);
  const double choice = uniform(0, 1);
  const double radius = uniform(0, 1);
  if (choice < ranges.thicken_probability) {
    p.thickness = 0.5 + radius * std::max(0.0, ranges.max_thicken - 0.5);
  } else if (choice < ranges.thicken_probability + ranges.thin_probability) {
    p.thickness = -(0.5 + radius * std::max(0.0, ranges.max_thin - 0.5));
  }
  return p;
}

void augment_image(std::span<const uint8_t> image, int width, int height,
                   const AugmentParams& params, std::span<uint8_t> out) {
  std::fill(out.begin(), out.begin() + kAugmentPixels, 0);
  if (width < 1 || height < 1 || width > kAugmentSide || height > kAugmentSide ||
      image.size() < static_cast<size_t>(width) * height || out.size() < kAugmentPixels) {
    return;
  }

  // The ink's bounding box, in continuous coordinates (pixel i spans [i, i+1)).
  int x0 = width, x1 = -1, y0 = height, y1 = -1;
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x)
      if (image[static_cast<size_t>(y) * width + x] != 0) {
        x0 = std::min(x0, x);
        x1 = std::max(x1, x);
        y0 = std::min(y0, y);
        y1 = std::max(y1, y);
      }
  if (x1 < 0) return;
  const double cx = 0.5 * (x0 + x1 + 1), cy = 0.5 * (y0 + y1 + 1);

  // M = rotation * shear * diag(sqrt(aspect), 1/sqrt(aspect)), acting on offsets from the ink
  // centre; y points down, so a positive angle turns the digit counter-clockwise on screen.
  const double theta = params.rotation_degrees * std::numbers::pi / 180.0;
  const double c = std::cos(theta), s = std::sin(theta);
  const double ax = std::sqrt(std::max(params.aspect, 1e-3)), ay = 1.0 / ax;
  // shear * diag: [[ax, shear*ay], [0, ay]]; then rotation [[c, s], [-s, c]].
  const double m00 = c * ax, m01 = c * params.shear * ay + s * ay;
  const double m10 = -s * ax, m11 = -s * params.shear * ay + c * ay;

  // Half extents of the transformed box, to pick a scale at which nothing is clipped: the
  // dilation adds its radius on every side, bilinear sampling one more pixel.
  double half_x = 0, half_y = 0;
  for (double dx : {x0 - cx, x1 + 1 - cx})
    for (double dy : {y0 - cy, y1 + 1 - cy}) {
      half_x = std::max(half_x, std::abs(m00 * dx + m01 * dy));
      half_y = std::max(half_y, std::abs(m10 * dx + m11 * dy));
    }
  const double grow = std::max(params.thickness, 0.0) + 1.0;
  const double room = 0.5 * kAugmentSide - 2.0;
  const double scale = std::min(kAugmentScale, room / (std::max(half_x, half_y) + grow));

  // Inverse map: input offset = M^-1 (output offset / scale).
  const double det = m00 * m11 - m01 * m10;
  const double i00 = m11 / det, i01 = -m01 / det, i10 = -m10 / det, i11 = m00 / det;
  const double centre = 0.5 * kAugmentSide;
  const int u0 = std::max(0, static_cast<int>(std::floor(centre - scale * half_x)) - 2);
  const int u1 =
      std::min(kAugmentSide - 1, static_cast<int>(std::ceil(centre + scale * half_x)) + 2);
  const int v0 = std::max(0, static_cast<int>(std::floor(centre - scale * half_y)) - 2);
  const int v1 =
      std::min(kAugmentSide - 1, static_cast<int>(std::ceil(centre + scale * half_y)) + 2);
  auto pixel = [&](int x, int y) -> double {
    if (x < 0 || y < 0 || x >= width || y >= height) return 0.0;
    return image[static_cast<size_t>(y) * width + x];
  };
  for (int v = v0; v <= v1; ++v) {
    const double oy = (v + 0.5 - centre) / scale;
    for (int u = u0; u <= u1; ++u) {
      const double ox = (u + 0.5 - centre) / scale;
      // Input position relative to pixel centres (value of pixel i sits at i + 0.5).
      const double fx = cx + i00 * ox + i01 * oy - 0.5;
      const double fy = cy + i10 * ox + i11 * oy - 0.5;
      const int ix = static_cast<int>(std::floor(fx)), iy = static_cast<int>(std::floor(fy));
      if (ix < -1 || iy < -1 || ix >= width || iy >= height) continue;
      const double tx = fx - ix, ty = fy - iy;
      const double top = pixel(ix, iy) * (1 - tx) + pixel(ix + 1, iy) * tx;
      const double bottom = pixel(ix, iy + 1) * (1 - tx) + pixel(ix + 1, iy + 1) * tx;
      const double value = top * (1 - ty) + bottom * ty;
      out[static_cast<size_t>(v) * kAugmentSide + u] =
          static_cast<uint8_t>(std::clamp(value + 0.5, 0.0, 255.0));
    }
  }

  const double radius = std::abs(params.thickness) * scale;  // in output pixels
  if (params.thickness > 0) {
    disc_filter<true>(out.first(kAugmentPixels), radius);
  } else if (params.thickness < 0) {
    disc_filter<false>(out.first(kAugmentPixels), radius);
  }
}

void augment_random(std::span<const uint8_t> image, int width, int height, std::mt19937_64& rng,
                    std::span<uint8_t> out, const AugmentRanges& ranges) {
  augment_image(image, width, height, random_augment_params(rng, ranges), out);
}

bool augmented_example(const IdxImages& images, int i, std::mt19937_64& rng, PreprocessMode mode,
                       std::span<float> out, const AugmentRanges& ranges) {
  std::array<uint8_t, kAugmentPixels> big;
  augment_random(images.image(i), images.cols, images.rows, rng, big, ranges);
  return preprocess(big, kAugmentSide, kAugmentSide, PixelFormat::Gray8, mode, out) ==
         PreprocessStatus::Ok;
}

Dataset make_augmented_dataset(const IdxImages& images, const IdxLabels& labels,
                               PreprocessMode mode, int copies, uint64_t seed,
                               const AugmentRanges& ranges, int threads) {
  Dataset originals = make_dataset(images, labels, mode, threads);
  const int count = images.count;
  if (copies <= 0 || count == 0) return originals;

  Dataset d;
  d.count = count * (1 + copies);
  d.x.resize(static_cast<size_t>(d.count) * kPixels);
  std::copy(originals.x.begin(), originals.x.end(), d.x.begin());
  d.empty.assign(d.count, 0);
  std::copy(originals.empty.begin(), originals.empty.end(), d.empty.begin());
  d.y.reserve(originals.y.size() * (1 + copies));
  for (int c = 0; c <= copies; ++c) d.y.insert(d.y.end(), originals.y.begin(), originals.y.end());

  // Work item k = (copy, image) in copy-major order, handed out round-robin.
  const long items = static_cast<long>(count) * copies;
  parallel_for(items, threads, [&](long k) {
    const int c = static_cast<int>(k / count), i = static_cast<int>(k % count);
    const size_t slot = static_cast<size_t>(count) * (1 + c) + i;
    std::span<float> out(d.x.data() + slot * kPixels, kPixels);
    std::mt19937_64 rng(stream_seed(seed, uint64_t(c), uint32_t(i)));
    if (augmented_example(images, i, rng, mode, out, ranges)) {
      d.empty[slot] = 0;
    } else {
      std::copy(originals.image(i), originals.image(i) + kPixels, out.begin());
      d.empty[slot] = originals.empty[i];
    }
  });
  return d;
}

}  // namespace digits
