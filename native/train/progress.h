// A progress bar for long training loops, on stderr:
//   lenet  epoch 3/12 [##########----------]  50%  batch 235/469  loss 0.0712  ETA 1m05s
// Redraws at most 10 times a second; when stderr is not a terminal it prints a line only when
// another tenth of the work is done (0%, 10%, 20%...), so logs stay readable.
#pragma once

#include <chrono>
#include <string>

namespace digits {

class ProgressBar {
 public:
  ProgressBar(std::string label, long total, bool enabled = true);
  // `done` units of `total` finished; `extra` is appended (e.g. "loss 0.07").
  void update(long done, const std::string& extra = "");
  // Completes the line (prints elapsed time).
  void finish(const std::string& extra = "");
  double elapsed_seconds() const;

 private:
  void draw(long done, const std::string& extra, bool final);
  std::string label_;
  long total_;
  bool enabled_, tty_;
  int last_percent_logged_ = -1;
  std::chrono::steady_clock::time_point start_, last_draw_;
};

std::string format_duration(double seconds);  // "1m05s", "0.4s", "2h03m"

}  // namespace digits
