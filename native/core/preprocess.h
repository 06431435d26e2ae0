// MNIST-style preprocessing: any image in, the 28x28 the models were trained on out.
//
// Ink convention of the input:
//   PixelFormat::Gray8  one byte per pixel, 0 = background, 255 = ink (as MNIST's IDX files and
//                       canvas captures stored as IDX: white-on-black).
//   PixelFormat::Rgba8  four bytes per pixel, as CanvasRenderingContext2D.getImageData gives.
//                       ink = (alpha / 255) * (1 - luminance / 255): dark strokes on a
//                       transparent or on a white canvas both read as ink.
// Output: 784 floats, row-major 28x28, 0 = background, 1 = full ink (MNIST convention).
//
// PreprocessMode::Mnist: (1) find the ink and its bounding box (pixels with ink > 0.05);
// (2) scale the box with area averaging so its longer side is 20 px, keeping the aspect ratio,
// and if the brightest pixel is then below 1 rescale so it is 1; (3) place it in 28x28 with its
// centre of mass on the centre (14.0, 14.0 in continuous coordinates where pixel i spans [i, i+1)),
// by an integer shift as MNIST did (within half a pixel).
// PreprocessMode::MnistDeskew: as Mnist, then (4) shear horizontally so the main axis stands
// upright (alpha = mu11 / mu02, |alpha| <= 1, bilinear), with the centre of mass exactly on the
// centre.
// PreprocessMode::Plain: a straight area-average resize of the whole image to 28x28 (the original
// app's feeding), for comparison.
// In every mode an image with no ink is reported as PreprocessStatus::Empty and never classified.
//
// Usage:
//   std::array<float, kPixels> x;
//   auto status = preprocess(rgba, w, h, PixelFormat::Rgba8, PreprocessMode::MnistDeskew, x);
//   if (status == PreprocessStatus::Ok) model.predict_proba(x, probs);
#pragma once

#include <cstdint>
#include <span>

namespace digits {

inline constexpr int kSide = 28;
inline constexpr int kPixels = kSide * kSide;  // 784
inline constexpr int kClasses = 10;
inline constexpr int kBox = 20;  // the longer side of the digit after scaling
// The largest input side accepted (a 4K canvas fits); larger inputs get PreprocessStatus::BadSize.
inline constexpr int kMaxInputSide = 8192;

enum class PixelFormat { Gray8, Rgba8 };
enum class PreprocessMode : uint32_t { Plain = 0, Mnist = 1, MnistDeskew = 2 };
enum class PreprocessStatus { Ok, Empty, BadSize };

// "plain", "mnist", "mnist+deskew".
const char* preprocess_mode_name(PreprocessMode mode);
// "ok", "empty: ...", "bad size: ..." sentences for users.
const char* preprocess_status_message(PreprocessStatus status);

// `pixels` holds width * height * (1 or 4) bytes; `out` receives kPixels floats.
// Returns BadSize when width or height is < 1 or > kMaxInputSide, or the buffer is too small.
PreprocessStatus preprocess(std::span<const uint8_t> pixels, int width, int height,
                            PixelFormat format, PreprocessMode mode, std::span<float> out);

}  // namespace digits
