// Training-time augmentation of a raw MNIST image (before the core's preprocessing, which then
// crops, scales, centres and deskews the result exactly as it does a canvas).
//
// One random transform = an affine map (rotation, horizontal shear, anisotropic scale) resampled
// bilinearly at about twice MNIST's resolution, then a change of stroke thickness: a grey-level
// dilation (thicker, as children's finger strokes look once a small drawing is scaled up to the
// 20 px box) or erosion (thinner) with a disc of the drawn radius.
//
// Usage:
//   std::mt19937_64 rng(seed);
//   std::array<uint8_t, kAugmentPixels> big;
//   augment_random(images.image(i), images.cols, images.rows, rng, big);
//   preprocess(big, kAugmentSide, kAugmentSide, PixelFormat::Gray8, mode, x);
//
// For the models trained once on a fixed set: the random forest does better on the synthetic
// drawn digits (drawn/drawn_digits.h) with two augmented copies of MNIST at the default ranges,
// its MNIST test accuracy unchanged; logistic regression does worse on MNIST with any
// augmentation tried, so it trains on the originals (README "Training" has the figures).
//   Dataset train = make_augmented_dataset(mnist.train_images, mnist.train_labels,
//                                          PreprocessMode::MnistDeskew, /*copies=*/2, seed,
//                                          AugmentRanges{}, threads);
#pragma once

#include <cstdint>
#include <random>
#include <span>

#include "train/dataset.h"

namespace digits {

// Output: kAugmentSide x kAugmentSide bytes, row-major, 0 = background, 255 = ink. The ink is
// centred and drawn at kAugmentScale output pixels per input pixel, unless the transformed digit
// would not fit: then the scale shrinks so that nothing is ever clipped.
inline constexpr int kAugmentSide = 64;
inline constexpr int kAugmentPixels = kAugmentSide * kAugmentSide;
inline constexpr double kAugmentScale = 2.0;

struct AugmentParams {
  double rotation_degrees = 0;  // counter-clockwise on screen (y down)
  double shear = 0;             // x += shear * y, before rotation
  double aspect = 1;            // width / height multiplier (x * sqrt(aspect), y / sqrt(aspect))
  // Stroke radius change in input (MNIST) pixels: > 0 dilates with a disc of this radius,
  // < 0 erodes with a disc of -thickness, 0 leaves strokes as they are.
  double thickness = 0;
};

// The ranges random_augment_params draws from (uniformly unless noted).
struct AugmentRanges {
  double max_rotation_degrees = 12;
  double max_shear = 0.25;
  double min_aspect = 0.8, max_aspect = 1.2;
  // Thickness: with probability thicken_probability a dilation of radius U(0.5, max_thicken),
  // else with probability thin_probability an erosion of radius U(0.5, max_thin), else none.
  double thicken_probability = 0.55, max_thicken = 2.25;
  double thin_probability = 0.15, max_thin = 0.75;
};

AugmentParams random_augment_params(std::mt19937_64& rng, const AugmentRanges& ranges = {});

// `image` holds width * height bytes (ink = 255), width and height in 1..kAugmentSide;
// `out` receives kAugmentPixels bytes. An image without ink gives an all-zero output.
void augment_image(std::span<const uint8_t> image, int width, int height,
                   const AugmentParams& params, std::span<uint8_t> out);

// random_augment_params + augment_image.
void augment_random(std::span<const uint8_t> image, int width, int height, std::mt19937_64& rng,
                    std::span<uint8_t> out, const AugmentRanges& ranges = {});

// One augmented training example: image i of `images` through augment_random (drawing from
// `rng`) and the core's preprocessing in `mode`, into `out` (kPixels floats). Returns false when
// the result has no ink (as when the image is larger than kAugmentSide, which augment_image does
// not take); callers then use the plain preprocessed original.
bool augmented_example(const IdxImages& images, int i, std::mt19937_64& rng, PreprocessMode mode,
                       std::span<float> out, const AugmentRanges& ranges = {});

// A fixed training set for the models that are not trained epoch by epoch: the `images.count`
// originals preprocessed exactly as make_dataset does, followed by `copies` blocks of
// `images.count` augmented versions (copy c of image i at index (1 + c) * images.count + i,
// labelled as image i). Each augmented image is drawn from its own random stream derived from
// (seed, c, i), so the set is the same for a seed whatever the thread count. An augmented image
// whose preprocessing finds no ink (or whose original is larger than kAugmentSide, which
// augment_image does not take) is replaced by its preprocessed original. copies <= 0 gives
// make_dataset's result; `labels` may be empty (then y is empty).
Dataset make_augmented_dataset(const IdxImages& images, const IdxLabels& labels,
                               PreprocessMode mode, int copies, uint64_t seed,
                               const AugmentRanges& ranges = {}, int threads = 0);

}  // namespace digits
