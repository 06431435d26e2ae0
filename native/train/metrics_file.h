// DIR/metrics.json, where `digits train` records each model's figures: one entry per model under
// "models" (keyed by its registry id), next to the file's "format" and the "drawn_set" every
// model's "drawn" figures were measured on.
//
// The file is read again just before each write and only the trained model's entry replaced, so
// runs of different models (which may overlap) each update their own entry and keep the others'.
//
// Usage:
//   const DrawnSetSpec drawn{1000, 7, 280};
//   update_model_metrics("weights/metrics.json", drawn, info.id, {{"file", info.weights_file},
//   ...});
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

namespace digits {

// The drawn-digit set the models are scored on (`digits drawn --count --seed --side`).
struct DrawnSetSpec {
  int count;
  uint64_t seed;
  int side;
};

// The file at `path` as JSON: an empty object when it does not exist, and also when it is not
// valid JSON (with a warning on stderr that it is started afresh).
nlohmann::json read_metrics_file(const std::string& path);

// Reads the file, sets "format" and "drawn_set", puts `entry` under "models"/`model_id` (keeping
// every other model's) and writes the file back, pretty-printed.
void update_model_metrics(const std::string& path, const DrawnSetSpec& drawn,
                          const std::string& model_id, const nlohmann::json& entry);

}  // namespace digits
