#include "train/progress.h"

#include <unistd.h>

#include <cmath>
#include <cstdio>

namespace digits {

std::string format_duration(double s) {
  char buf[32];
  if (s < 10)
    std::snprintf(buf, sizeof buf, "%.1fs", s);
  else if (s < 60)
    std::snprintf(buf, sizeof buf, "%.0fs", s);
  else if (s < 3600)
    std::snprintf(buf, sizeof buf, "%dm%02ds", int(s) / 60, int(s) % 60);
  else
    std::snprintf(buf, sizeof buf, "%dh%02dm", int(s) / 3600, (int(s) / 60) % 60);
  return buf;
}

ProgressBar::ProgressBar(std::string label, long total, bool enabled)
    : label_(std::move(label)),
      total_(total > 0 ? total : 1),
      enabled_(enabled),
      tty_(isatty(STDERR_FILENO)),
      start_(std::chrono::steady_clock::now()),
      last_draw_() {}

double ProgressBar::elapsed_seconds() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

void ProgressBar::update(long done, const std::string& extra) {
  if (!enabled_) return;
  auto now = std::chrono::steady_clock::now();
  if (tty_) {
    if (now - last_draw_ < std::chrono::milliseconds(100) && done < total_) return;
    last_draw_ = now;
    draw(done, extra, false);
  } else {
    int percent = int(100 * done / total_);
    if (percent / 10 == last_percent_logged_ / 10 && last_percent_logged_ >= 0) return;
    last_percent_logged_ = percent;
    draw(done, extra, false);
  }
}

void ProgressBar::finish(const std::string& extra) {
  if (!enabled_) return;
  draw(total_, extra, true);
}

void ProgressBar::draw(long done, const std::string& extra, bool final) {
  const double frac = std::min(1.0, double(done) / double(total_));
  const int width = 24, filled = int(std::round(frac * width));
  std::string bar(filled, '#');
  bar += std::string(width - filled, '-');
  const double elapsed = elapsed_seconds();
  std::string eta =
      final ? "in " + format_duration(elapsed)
            : (frac > 0 ? "ETA " + format_duration(elapsed * (1 - frac) / frac) : "ETA ?");
  std::fprintf(stderr, "%s%s [%s] %3d%%  %s  %s%s", tty_ ? "\r\033[K" : "", label_.c_str(),
               bar.c_str(), int(frac * 100), extra.c_str(), eta.c_str(),
               (final || !tty_) ? "\n" : "");
  std::fflush(stderr);
}

}  // namespace digits
