// digits: train, evaluate and try the models from the command line.
#include <cstdio>
#include <cstring>
#include <exception>
#include <string>
#include <vector>

#include "cli/args.h"
#include "cli/commands.h"

namespace {

const char* kUsage = R"(usage: digits <command> [options]

commands:
  train     train the models on MNIST and write weights + metrics.json
  evaluate  accuracy and log loss of each model on an IDX image/label pair or a class's drawings
  predict   each model's ten probabilities for one image file (PNG, PGM, JPEG, BMP)
  bench     native latency of preprocessing and of each model
  drawn     write a synthetic drawn-digit set (thick strokes on a 280x280 canvas) as IDX files

'digits <command> --help' describes a command's options.
)";

}  // namespace

int main(int argc, char** argv) {
  using namespace digits::cli;
  if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h") ||
      !std::strcmp(argv[1], "help")) {
    std::fputs(kUsage, argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  const std::string command = argv[1];
  const std::vector<std::string> rest(argv + 2, argv + argc);
  try {
    if (command == "train") return run_train(rest);
    if (command == "evaluate") return run_evaluate(rest);
    if (command == "predict") return run_predict(rest);
    if (command == "bench") return run_bench(rest);
    if (command == "drawn") return run_drawn(rest);
    std::fprintf(stderr, "digits: unknown command '%s'\n\n%s", command.c_str(), kUsage);
    return 2;
  } catch (const HelpRequested& help) {
    std::fputs(help.text.c_str(), stdout);
    return 0;
  } catch (const UsageError& e) {
    std::fprintf(stderr, "digits %s: %s\n", command.c_str(), e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "digits %s: error: %s\n", command.c_str(), e.what());
    return 1;
  }
}
