#include <filesystem>

#include "cli/args.h"
#include "cli/commands.h"
#include "io/idx.h"

namespace digits::cli {

std::string weights_file(const std::string& dir, const ModelInfo& model) {
  return (std::filesystem::path(dir) / model.weights_file).string();
}

DigitClassifier load_classifier(const std::string& dir) {
  DigitClassifier classifier;
  for (int i = 0; i < kModels; ++i) {
    const ModelInfo& model = kModelRegistry[i];
    const std::string path = weights_file(dir, model);
    std::vector<uint8_t> bytes;
    std::string error;
    if (!read_file(path, bytes, error))
      throw RunError(error + "; train the models with 'digits train' or pass --weights DIR");
    if (!classifier.load(i, bytes, error))
      throw RunError(
          path + ": " + error +
          ". Restore the file (git checkout weights/) or retrain with 'digits train --model " +
          model.id + "'");
  }
  return classifier;
}

}  // namespace digits::cli
