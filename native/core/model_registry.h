// The one list of models. Everything that handles "the models" — DigitClassifier, the CLI, the
// trainers' bookkeeping, the wasm binding and through it the page, the site build and the tests —
// loops over kModelRegistry; nothing else names them.
//
// Adding a model: its core file (a class deriving from Model, with a static
// `parse(file, model, error)` and a `kKind` of its own), its trainer (train/trainers.cpp), one
// line below, and its panel's words on the page. See README "Add a model".
//
// Usage:
//   for (const ModelInfo& m : kModelRegistry) {
//     std::unique_ptr<Model> model = m.parse(bytes_of(m.weights_file), error);
//     ...
//   }
#pragma once

#include <array>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "core/forest.h"
#include "core/lenet.h"
#include "core/logreg.h"
#include "core/model.h"
#include "core/weights_format.h"

namespace digits {

struct ModelInfo {
  ModelKind kind;    // the number in its weights files' header
  const char* id;    // "logreg": CLI option values, metrics.json keys, the page's data-model
  const char* name;  // "Logistic regression": for people (the page has its own words)
  const char* weights_file;  // "logreg.bin": its file in weights/ (and in the site's weights/)
  // Parses a whole weights file (envelope included); null with `error` set when it is not one.
  std::unique_ptr<Model> (*parse)(std::span<const uint8_t> file, std::string& error);
};

// ModelInfo::parse for a model type M with `static bool M::parse(file, M&, error)`.
template <typename M>
std::unique_ptr<Model> parse_model(std::span<const uint8_t> file, std::string& error) {
  auto model = std::make_unique<M>();
  if (!M::parse(file, *model, error)) return nullptr;
  return model;
}

// Display order: the page's panels, the CLI's rows and DigitClassifier::Result's arrays.
inline constexpr std::array kModelRegistry = {
    ModelInfo{LogRegModel::kKind, "logreg", "Logistic regression", "logreg.bin",
              &parse_model<LogRegModel>},
    ModelInfo{ForestModel::kKind, "forest", "Random forest", "forest.bin",
              &parse_model<ForestModel>},
    ModelInfo{LeNetModel::kKind, "lenet", "LeNet-5", "lenet.bin", &parse_model<LeNetModel>},
};
inline constexpr int kModels = int(kModelRegistry.size());

// Position in kModelRegistry, or -1.
int model_index(ModelKind kind);
int model_index(std::string_view id);

}  // namespace digits
