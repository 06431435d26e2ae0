#include "core/model_registry.h"

namespace digits {

int model_index(ModelKind kind) {
  for (int i = 0; i < kModels; ++i)
    if (kModelRegistry[i].kind == kind) return i;
  return -1;
}

int model_index(std::string_view id) {
  for (int i = 0; i < kModels; ++i)
    if (kModelRegistry[i].id == id) return i;
  return -1;
}

}  // namespace digits
