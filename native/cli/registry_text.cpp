#include "cli/commands.h"

namespace digits::cli {

std::string model_ids(const std::string& separator) {
  std::string text;
  for (const ModelInfo& model : kModelRegistry) text += (text.empty() ? "" : separator) + model.id;
  return text;
}

std::string weights_file_names() {
  std::string text;
  for (const ModelInfo& model : kModelRegistry)
    text += (text.empty() ? "" : ", ") + std::string(model.weights_file);
  return text;
}

}  // namespace digits::cli
