#include <filesystem>

#include "cli/args.h"
#include "cli/commands.h"
#include "io/idx.h"

namespace digits::cli {

std::string weights_file(const std::string& dir, ModelKind kind) {
  return (std::filesystem::path(dir) / (std::string(model_name(kind)) + ".bin")).string();
}

DigitClassifier load_classifier(const std::string& dir) {
  DigitClassifier classifier;
  for (ModelKind kind : kModelOrder) {
    const std::string path = weights_file(dir, kind);
    std::vector<uint8_t> bytes;
    std::string error;
    if (!read_file(path, bytes, error))
      throw RunError(error + "; train the models with 'digits train' or pass --weights DIR");
    if (!classifier.load(kind, bytes, error))
      throw RunError(path + ": " + error +
                     ". Restore the file (git checkout weights/) or retrain with 'digits train --model " +
                     model_name(kind) + "'");
  }
  return classifier;
}

}  // namespace digits::cli
