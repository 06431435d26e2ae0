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

// Loads weights/{logreg,forest,lenet}.bin from `dir`; RunError naming the file on any failure.
DigitClassifier load_classifier(const std::string& dir);
std::string weights_file(const std::string& dir, ModelKind kind);  // dir/<name>.bin

}  // namespace digits::cli
