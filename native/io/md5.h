// MD5 (RFC 1321), to record which data files produced a model in weights/metrics.json.
#pragma once

#include <cstdint>
#include <span>
#include <string>

namespace digits {

std::string md5_hex(std::span<const uint8_t> bytes);  // 32 lowercase hex digits

}  // namespace digits
