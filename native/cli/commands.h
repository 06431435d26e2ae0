// The subcommands of `digits`; each returns the process exit code and throws UsageError or
// RunError (cli/args.h) for main to print.
#pragma once

#include <string>
#include <vector>

#include "core/classifier.h"

namespace digits::cli {

int run_train(const std::vector<std::string>& args);
int run_evaluate(const std::vector<std::string>& args);
int run_predict(const std::vector<std::string>& args);
int run_bench(const std::vector<std::string>& args);
int run_drawn(const std::vector<std::string>& args);

// Loads every registry model's weights file from `dir`; RunError naming the file on any failure.
DigitClassifier load_classifier(const std::string& dir);
std::string weights_file(const std::string& dir, const ModelInfo& model);  // dir/<weights_file>

// The registry's models as help texts list them: their ids joined by `separator` (with "|":
// "<id>|<id>|..."), and their weights files, comma-separated.
std::string model_ids(const std::string& separator);
std::string weights_file_names();
// The --weights line of a help text, its description starting at `column`, and the file names
// under it.
std::string weights_option_help(size_t column);

}  // namespace digits::cli
