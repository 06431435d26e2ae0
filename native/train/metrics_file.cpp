#include "train/metrics_file.h"

#include <cstdio>
#include <exception>
#include <fstream>

namespace digits {

nlohmann::json read_metrics_file(const std::string& path) {
  nlohmann::json metrics = nlohmann::json::object();
  std::ifstream in(path);
  if (in) {
    try {
      metrics = nlohmann::json::parse(in);
    } catch (const std::exception&) {
      std::fprintf(stderr, "warning: %s is not valid JSON; starting it afresh\n", path.c_str());
    }
  }
  return metrics;
}

void update_model_metrics(const std::string& path, const DrawnSetSpec& drawn,
                          const std::string& model_id, const nlohmann::json& entry) {
  nlohmann::json metrics = read_metrics_file(path);
  metrics["format"] = "digit-drawer metrics, version 1";
  metrics["drawn_set"] = {
      {"command", "digits drawn --count " + std::to_string(drawn.count) + " --seed " +
                      std::to_string(drawn.seed) + " --side " + std::to_string(drawn.side)},
      {"count", drawn.count},
      {"seed", drawn.seed},
      {"side", drawn.side}};
  metrics["models"][model_id] = entry;
  std::ofstream(path) << metrics.dump(2) << "\n";
}

}  // namespace digits
