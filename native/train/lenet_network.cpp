#include "train/lenet_network.h"

#include <stdexcept>

namespace digits {

LeNetNetwork make_lenet_network() {
  using namespace tiny_dnn;
  using namespace tiny_dnn::activation;
  using conv = convolutional_layer<relu>;
  using pool = max_pooling_layer<identity>;
  LeNetNetwork net;
  net << conv(28, 28, 5, 1, 6, padding::same)    // 6 x 28 x 28
      << pool(28, 28, 6, 2)                      // 6 x 14 x 14
      << conv(14, 14, 5, 6, 16, padding::valid)  // 16 x 10 x 10
      << pool(10, 10, 16, 2)                     // 16 x 5 x 5
      << fully_connected_layer<relu>(400, 120) << fully_connected_layer<relu>(120, 84)
      << fully_connected_layer<softmax>(84, 10);
  // tiny-dnn initialises a layer's weights only when a later layer is connected to it (or on
  // train()): without this the last layer would still be all zeros here.
  net.init_weight();
  return net;
}

tiny_dnn::vec_t lenet_input(std::span<const float> x) {
  return tiny_dnn::vec_t(x.begin(), x.end());
}

LeNetModel export_lenet(LeNetNetwork& net, PreprocessMode preprocess) {
  // tiny-dnn stores each layer's weights as in_data[1] (W) and in_data[2] (b). Its conv weights are
  // [out][in][ky][kx] (conv2d_op_internal: W[(in_depth * o + c) * 25 + ky * 5 + kx], a
  // cross-correlation), the same order as the core's; its fully connected weights are [in][out]
  // (fully_connected_op_internal: W[c * out + o]): transpose those to [out][in].
  struct Shape {
    int out, in, kernel;
    bool conv;
  };
  const Shape shapes[] = {{6, 1, 5, true},
                          {16, 6, 5, true},
                          {120, 400, 1, false},
                          {84, 120, 1, false},
                          {10, 84, 1, false}};
  const size_t layer_index[] = {0, 2, 4, 5, 6};
  std::vector<LeNetModel::Layer> layers;
  for (int l = 0; l < 5; ++l) {
    auto* layer = net[layer_index[l]];
    auto params = layer->weights();  // {W, b}
    const Shape& s = shapes[l];
    LeNetModel::Layer out;
    out.out = s.out;
    out.in = s.in;
    out.kernel = s.kernel;
    const tiny_dnn::vec_t& w = *params[0];
    const tiny_dnn::vec_t& b = *params[1];
    const size_t expected = size_t(s.out) * s.in * s.kernel * s.kernel;
    if (w.size() != expected || b.size() != size_t(s.out)) {
      throw std::logic_error("export_lenet: unexpected tiny-dnn layer shape");
    }
    out.w.resize(expected);
    if (s.conv) {
      out.w.assign(w.begin(), w.end());
    } else {
      for (int o = 0; o < s.out; ++o)
        for (int i = 0; i < s.in; ++i) out.w[size_t(o) * s.in + i] = w[size_t(i) * s.out + o];
    }
    out.b.assign(b.begin(), b.end());
    layers.push_back(std::move(out));
  }
  return LeNetModel(std::move(layers), preprocess);
}

}  // namespace digits
