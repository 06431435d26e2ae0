// The tiny-dnn LeNet-5 that the trainer trains, and its export to the core's lean LeNetModel.
// The architecture is the one documented in core/lenet.h:
//   conv 5x5 1->6 "same" (28x28) + ReLU, max pool 2, conv 5x5 6->16 valid (10x10) + ReLU,
//   max pool 2, fc 400->120 + ReLU, fc 120->84 + ReLU, fc 84->10 + softmax.
// Native only (tiny-dnn stays out of the core and out of the wasm build).
#pragma once

#include <span>

// tiny-dnn's util/image.h compiles stb's implementation into every file that includes it, relying
// on a patched stb that Debian's libstb-dev is not: with Debian's headers each such file would
// export the same stbi_* symbols and the link fails. Static linkage keeps them private to each
// file. Include tiny-dnn through this header only.
#ifndef STB_IMAGE_STATIC
#define STB_IMAGE_STATIC
#endif
#ifndef STB_IMAGE_RESIZE_STATIC
#define STB_IMAGE_RESIZE_STATIC
#endif
#ifndef STB_IMAGE_WRITE_STATIC
#define STB_IMAGE_WRITE_STATIC
#endif
#include <tiny_dnn/tiny_dnn.h>

#include "core/lenet.h"

namespace digits {

using LeNetNetwork = tiny_dnn::network<tiny_dnn::sequential>;

// A freshly initialised network (weights from tiny-dnn's RNG: call
// tiny_dnn::set_random_seed first for reproducible weights).
LeNetNetwork make_lenet_network();

// The network's input for one preprocessed 28x28 image (784 floats, ink = 1).
tiny_dnn::vec_t lenet_input(std::span<const float> x);

// Copies the trained weights into the core's format (shapes of core/lenet.h).
LeNetModel export_lenet(LeNetNetwork& net, PreprocessMode preprocess);

}  // namespace digits
