// libFuzzer target for the golden files' JSON reader (tests/golden/json.cpp): any bytes must
// parse, or throw std::runtime_error with an offset -- never crash, recurse without bound
// or read out of bounds. Parsed values are walked through every accessor.
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "json.hpp"

namespace {

std::size_t walk(const gradlab::json::value& v, int depth) {
  using gradlab::json::value;
  std::size_t n = 1;
  switch (v.type()) {
    case value::kind::array:
      for (std::size_t i = 0; i < v.size(); ++i) n += walk(v[i], depth + 1);
      break;
    case value::kind::object:
      for (const auto& kv : v.object()) n += walk(v[kv.first], depth + 1);
      break;
    case value::kind::string:
      try {
        (void)v.real();  // "inf", "nan" or an error
      } catch (const std::runtime_error&) {
      }
      n += v.str().size();
      break;
    case value::kind::number:
      (void)v.real();
      break;
    default:
      break;
  }
  return n;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    gradlab::json::value v = gradlab::json::parse(text);
    (void)walk(v, 0);
    try {
      (void)v["losses"];  // a missing key throws with its name
    } catch (const std::runtime_error&) {
    }
  } catch (const std::runtime_error&) {
  }
  return 0;
}
