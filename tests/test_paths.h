// Where the tests find the source tree (weights/, data/mnist) and the digits CLI. CMake gives the
// two paths to tests/test_paths.cpp alone, so that every other test file compiles to the same
// object in any clone of the repository (and ccache reuses it: CMakeLists.txt).
#pragma once

#include <string>

namespace digits {

const std::string& source_dir();  // the repository's root
const std::string& cli_path();    // the digits executable of this build

}  // namespace digits
