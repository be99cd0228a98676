// libFuzzer target for the CSV reader (model::parse_csv): any bytes must read into a dataset
// that validate() accepts and make_columns() turns into tensors, or fail with a
// gradlab::error naming the line -- never crash, hang or read out of bounds.
#include <cstddef>
#include <cstdint>
#include <string>

#include "gradlab/error.hpp"
#include "gradlab/model/data.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace gradlab;
  if (size == 0) return 0;
  // the first byte picks the target argument: the last column, none, or a named one
  static const char* const targets[] = {"last", "", "y", "x"};
  const std::string target = targets[data[0] % 4];
  const std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
  try {
    model::dataset d = model::parse_csv(text, target);
    model::validate(d);  // what parse_csv returns must pass the checks built-in data passes
    (void)model::make_columns(d, (data[0] & 4) != 0);
  } catch (const gradlab::error&) {
  }
  return 0;
}
