// `digits predict IMAGE --explain`: what each model shows of its insides for one image, from the
// core's DigitClassifier::explain (the call the page makes): a summary for people, everything as
// JSON, and the maps as PNG files.
#pragma once

#include <array>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/classifier.h"

namespace digits::cli {

// The insight buffers of every model, as DigitClassifier::explain filled them.
using InsightBuffers = std::array<std::unique_ptr<Insight>, kModels>;

// Prints each model's summary: logistic regression's logits and strongest pixels, the forest's
// votes against its averaged probabilities and the path of the tree it was asked for, LeNet-5's
// activation ranges per layer.
void print_insight(const DigitClassifier::Result& result, const InsightBuffers& insights);

// Per model id: its prediction, every array of its insight nested by its shape ("insight"), their
// shapes ("shapes"), the names of those that are the model's own weights, the same for every image
// ("model_arrays"), and what its summary adds (the forest: "path_tree", "vote_counts").
nlohmann::json insight_json(const DigitClassifier::Result& result, const InsightBuffers& insights);

// Writes input.png (the 28x28 the models saw) and, for every stack of maps among the insights'
// arrays, one PNG per map (<model>-<array>-<index>.png: logistic regression's evidence and
// templates per digit, LeNet-5's feature maps per channel and its filters per output channel)
// into `dir`, which must exist. Returns the file names; RunError when one cannot be written.
std::vector<std::string> write_insight_maps(const std::string& dir,
                                            const DigitClassifier::Result& result,
                                            const InsightBuffers& insights);

}  // namespace digits::cli
