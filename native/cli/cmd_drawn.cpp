#include <cstdio>
#include <filesystem>

#include "cli/args.h"
#include "cli/commands.h"
#include "io/idx.h"
#include "train/drawn_digits.h"

namespace digits::cli {

static const char* kHelp = R"(usage: digits drawn --out DIR [--count N] [--seed S] [--side PX]

Writes a synthetic drawn-digit set — Hershey vector-font and hand-made stroke paths drawn with a
thick round brush at random places and sizes, like a child on the page's canvas — as
DIR/drawn-images-idx3-ubyte and DIR/drawn-labels-idx1-ubyte (0 = background, 255 = ink).
  --count N   drawings (default 1000, balanced over 0-9)
  --seed S    random seed (default 7)
  --side PX   canvas side (default 280)
)";

int run_drawn(const std::vector<std::string>& argv) {
  for (const auto& a : argv)
    if (a == "--help") return std::fputs(kHelp, stdout), 0;
  Args args("drawn", argv, {"out", "count", "seed", "side"}, {});
  if (!args.value("out")) throw UsageError("--out DIR is required; see 'digits drawn --help'");
  const std::string out = *args.value("out");
  const int count = int(args.integer("count", 1000, 1, 1'000'000));
  const uint64_t seed = uint64_t(args.integer("seed", 7, 0, 1L << 62));
  const int side = int(args.integer("side", 280, 28, 2048));

  std::error_code ec;
  std::filesystem::create_directories(out, ec);
  if (ec) throw RunError(out + ": cannot create the folder (" + ec.message() + ")");
  IdxLabels labels;
  IdxImages images = render_drawn_digits(count, seed, side, labels);
  std::string error;
  const std::string ip = (std::filesystem::path(out) / "drawn-images-idx3-ubyte").string();
  const std::string lp = (std::filesystem::path(out) / "drawn-labels-idx1-ubyte").string();
  if (!write_file(ip, encode_idx_images(images), error) || !write_file(lp, encode_idx_labels(labels), error))
    throw RunError(error);
  std::printf("wrote %d drawings of %dx%d to %s and %s\n", count, side, side, ip.c_str(), lp.c_str());
  return 0;
}

}  // namespace digits::cli
