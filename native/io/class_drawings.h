// A class's labelled drawings as the page's "Download our drawings" saves them: one zip, or the
// folder it unzips to (README "Class drawings" is the format):
//   digit-drawer-drawings/images-idx3-ubyte   IDX3, N x 280 x 280 u8, 0 background, 255 ink
//   digit-drawer-drawings/labels-idx1-ubyte   IDX1, N u8: 0-9 the digit, 10 = "not a digit"
//   digit-drawer-drawings/drawings.json       optional here: strokes, label, the page's guesses
//   digit-drawer-drawings/png/...             one PNG per drawing (not read)
//
// Usage:
//   ClassDrawings d;
//   std::string error;
//   if (!load_class_drawings(path, d, error)) fail(error);  // a zip file or a folder
//   for (int i = 0; i < d.images.count; ++i) use(d.images.image(i), d.labels.labels[i]);
//
// Every size is checked before anything is read or inflated: a zip's entries by their declared
// sizes (a zip bomb is refused unread), a folder's files by their sizes on disk.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "io/idx.h"

namespace digits {

inline constexpr const char* kClassDrawingsFolder = "digit-drawer-drawings";
inline constexpr int kClassDrawingSide = 280;
inline constexpr uint8_t kNotADigit = 10;  // the label of a "not a digit" drawing
// At most this many drawings (1.5 GiB of images): ten times what the page keeps.
inline constexpr int kMaxClassDrawings = 20000;

struct ClassDrawings {
  IdxImages images;  // count x 280 x 280
  IdxLabels labels;  // count labels, 0-9 or kNotADigit
  // From drawings.json when the download holds it: per drawing, the page's answer of each model
  // by model id ("lenet" -> 7). Empty when there was no drawings.json.
  bool has_record = false;
  std::vector<std::map<std::string, int>> recorded_guesses;
};

// From the bytes of a zip file. `name` is what messages call it (e.g. its path).
bool parse_class_drawings_zip(std::span<const uint8_t> zip, const std::string& name,
                              ClassDrawings& out, std::string& error);

// `path` is a zip file, the unzipped digit-drawer-drawings/ folder, or a folder holding it.
// On failure, false with one sentence naming the file, what is wrong and what to do.
bool load_class_drawings(const std::string& path, ClassDrawings& out, std::string& error);

}  // namespace digits
