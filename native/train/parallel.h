// One way to spread independent work items over threads in the native tools.
#pragma once

#include <algorithm>
#include <thread>
#include <vector>

#include "train/dataset.h"  // default_threads

namespace digits {

// Runs body(i) for every i in [0, count) on `threads` workers (0 = all cores). Worker w takes
// i = w, w + workers, ... (strided), so results never depend on the number of threads as long as
// body(i) only depends on i and writes only what belongs to i. Returns when all are done.
template <typename Body>
void parallel_for(long count, int threads, const Body& body) {
  const int workers =
      static_cast<int>(std::clamp<long>(default_threads(threads), 1, std::max(1L, count)));
  if (workers == 1) {
    for (long i = 0; i < count; ++i) body(i);
    return;
  }
  std::vector<std::thread> pool;
  for (int w = 0; w < workers; ++w)
    pool.emplace_back([&, w] {
      for (long i = w; i < count; i += workers) body(i);
    });
  for (auto& t : pool) t.join();
}

}  // namespace digits
