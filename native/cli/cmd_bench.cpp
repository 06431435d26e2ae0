#include <algorithm>
#include <chrono>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "cli/args.h"
#include "cli/commands.h"
#include "drawn/drawn_digits.h"

namespace digits::cli {

static const char* kHelp = R"(usage: digits bench [--weights DIR] [--runs N] [--json]

Native latency for one drawing, as the page sees it: a 280x280 RGBA canvas (synthetic drawn
digits) through preprocessing, then each model. Prints the median and 95th percentile of each
step over N runs (default 2000), single thread.
)";

namespace {

struct Stat {
  double median_ms, p95_ms;
};

Stat summarise(std::vector<double>& ms) {
  std::sort(ms.begin(), ms.end());
  return {ms[ms.size() / 2], ms[std::min(ms.size() - 1, ms.size() * 95 / 100)]};
}

}  // namespace

int run_bench(const std::vector<std::string>& argv) {
  Args args("bench", kHelp, argv, {"weights", "runs"}, {"json"});
  const int runs = int(args.integer("runs", 2000, 10, 10'000'000));
  DigitClassifier classifier = load_classifier(args.value_or("weights", default_weights_dir()));

  // 16 canvases: white-on-black u8 drawings turned into the RGBA a canvas gives (black ink on a
  // transparent background).
  const int side = 280, kinds = 16;
  IdxLabels labels;
  IdxImages drawings = render_drawn_digits(kinds, 20261127, side, labels);
  std::vector<std::vector<uint8_t>> canvases(kinds);
  for (int k = 0; k < kinds; ++k) {
    auto gray = drawings.image(k);
    canvases[k].assign(gray.size() * 4, 0);
    for (size_t i = 0; i < gray.size(); ++i) canvases[k][4 * i + 3] = gray[i];
  }

  using clock = std::chrono::steady_clock;
  auto ms_since = [](clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(clock::now() - t0).count();
  };
  // Each model on the image preprocessed in its own mode, as classify() feeds it.
  std::vector<double> t_pre, t_total;
  std::array<std::vector<double>, kModels> t_model;
  std::array<std::array<float, kPixels>, kModels> x;
  std::array<float, kClasses> p;
  DigitClassifier::Result r;
  double sink = 0;
  for (int i = 0; i < runs; ++i) {
    const auto& canvas = canvases[i % kinds];
    auto t0 = clock::now();
    preprocess(canvas, side, side, PixelFormat::Rgba8, classifier.model(0).preprocess(), x[0]);
    t_pre.push_back(ms_since(t0));
    for (int m = 1; m < kModels; ++m)
      preprocess(canvas, side, side, PixelFormat::Rgba8, classifier.model(m).preprocess(), x[m]);
    for (int m = 0; m < kModels; ++m) {
      t0 = clock::now();
      classifier.model(m).predict_proba(x[m], p);
      t_model[m].push_back(ms_since(t0));
      sink += p[0];
    }
    t0 = clock::now();
    classifier.classify(canvas, side, side, PixelFormat::Rgba8, r);
    t_total.push_back(ms_since(t0));
    sink += r.proba[0][0];
  }
  std::vector<std::pair<const char*, std::vector<double>*>> steps = {{"preprocess", &t_pre}};
  for (int m = 0; m < kModels; ++m) steps.push_back({kModelRegistry[m].id, &t_model[m]});
  steps.push_back({"total", &t_total});

  if (args.has("json")) {
    nlohmann::json j;
    j["runs"] = runs;
    j["input"] = "280x280 RGBA canvas";
    for (auto& [name, v] : steps) {
      Stat s = summarise(*v);
      j["steps"][name] = {{"median_ms", s.median_ms}, {"p95_ms", s.p95_ms}};
    }
    std::printf("%s\n", j.dump().c_str());
  } else {
    std::printf("%d runs, one 280x280 RGBA canvas each, single thread\n\n", runs);
    std::printf("%-11s %10s %10s\n", "step", "median ms", "p95 ms");
    for (auto& [name, v] : steps) {
      Stat s = summarise(*v);
      std::printf("%-11s %10.4f %10.4f\n", name, s.median_ms, s.p95_ms);
    }
    std::printf("\n'total' is DigitClassifier::classify: preprocessing + every model.\n");
  }
  return sink == -1 ? 3 : 0;  // keeps the results observable
}

}  // namespace digits::cli
