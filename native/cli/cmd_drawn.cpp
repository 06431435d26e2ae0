#include <cmath>
#include <cstdio>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "cli/args.h"
#include "cli/commands.h"
#include "drawn/drawn_digits.h"
#include "io/idx.h"

namespace digits::cli {

static const char* kHelp =
    R"(usage: digits drawn [--out DIR] [--strokes FILE] [--count N] [--seed S] [--side PX]

Writes a synthetic drawn-digit set — Hershey vector-font and hand-made stroke paths drawn with a
thick round brush at random places and sizes, like a child on the page's canvas — as
DIR/drawn-images-idx3-ubyte and DIR/drawn-labels-idx1-ubyte (0 = background, 255 = ink).
At least one of --out and --strokes is required.
  --out DIR      write the IDX image/label pair into DIR
  --strokes FILE write every stroke style behind the drawings as JSON:
                 {"comment", "styles": [{"label", "source", "strokes": [[[x, y], ...], ...]}]},
                 points in the unit square, x right, y down (for the browser tests to draw)
  --count N      drawings (default 1000, balanced over 0-9)
  --seed S       random seed (default 7)
  --side PX      canvas side (default 280)
)";

namespace {

// {"comment", "styles": [...]} with one style per line, so the file reads and diffs by digit.
std::string stroke_library_json(const std::vector<DigitStrokes>& library) {
  const auto rounded = [](float v) { return std::round(double(v) * 1e4) / 1e4; };
  const nlohmann::json comment =
      "Stroke styles of the digits 0-9 (Hershey font glyphs and hand-made ones) as pen-down paths "
      "of "
      "[x, y] points in the unit square, x to the right and y down, each digit scaled so its "
      "larger "
      "side is 1 and centred; written by 'digits drawn --strokes'.";
  std::string text = "{\n\"comment\": " + comment.dump() + ",\n\"styles\": [\n";
  for (size_t i = 0; i < library.size(); ++i) {
    nlohmann::json strokes = nlohmann::json::array();
    for (const Stroke& stroke : library[i].strokes) {
      nlohmann::json points = nlohmann::json::array();
      for (const auto& [x, y] : stroke.points) points.push_back({rounded(x), rounded(y)});
      strokes.push_back(std::move(points));
    }
    const nlohmann::json style = {{"label", library[i].label},
                                  {"source", library[i].source},
                                  {"strokes", std::move(strokes)}};
    text += style.dump() + (i + 1 < library.size() ? ",\n" : "\n");
  }
  return text + "]\n}\n";
}

}  // namespace

int run_drawn(const std::vector<std::string>& argv) {
  Args args("drawn", kHelp, argv, {"out", "strokes", "count", "seed", "side"}, {});
  if (!args.value("out") && !args.value("strokes"))
    throw UsageError(
        "--out DIR or --strokes FILE (or both) is required; see 'digits drawn --help'");
  const int count = int(args.integer("count", 1000, 1, 1'000'000));
  const uint64_t seed = uint64_t(args.integer("seed", 7, 0, 1L << 62));
  const int side = int(args.integer("side", 280, 28, 2048));
  std::string error;

  if (auto strokes_path = args.value("strokes")) {
    const std::vector<DigitStrokes>& library = digit_stroke_library();
    const std::string text = stroke_library_json(library);
    if (!write_file(*strokes_path, {reinterpret_cast<const uint8_t*>(text.data()), text.size()},
                    error))
      throw RunError(error);
    std::printf("wrote %zu stroke styles to %s\n", library.size(), strokes_path->c_str());
  }

  if (auto out = args.value("out")) {
    std::error_code ec;
    std::filesystem::create_directories(*out, ec);
    if (ec) throw RunError(*out + ": cannot create the folder (" + ec.message() + ")");
    IdxLabels labels;
    IdxImages images = render_drawn_digits(count, seed, side, labels);
    const std::string ip = (std::filesystem::path(*out) / "drawn-images-idx3-ubyte").string();
    const std::string lp = (std::filesystem::path(*out) / "drawn-labels-idx1-ubyte").string();
    if (!write_file(ip, encode_idx_images(images), error) ||
        !write_file(lp, encode_idx_labels(labels), error))
      throw RunError(error);
    std::printf("wrote %d drawings of %dx%d to %s and %s\n", count, side, side, ip.c_str(),
                lp.c_str());
  }
  return 0;
}

}  // namespace digits::cli
