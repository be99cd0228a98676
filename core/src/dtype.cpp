#include "gradlab/dtype.hpp"

#include "gradlab/error.hpp"

namespace gradlab {

const char* dtype_name(dtype d) { return d == dtype::float32 ? "float32" : "float64"; }

dtype parse_dtype(const std::string& name) {
  if (name == "float32" || name == "float" || name == "torch.float32") return dtype::float32;
  if (name == "float64" || name == "double" || name == "torch.float64") return dtype::float64;
  value_error("unsupported dtype '" + name + "': gradlab supports float32 and float64");
}

}  // namespace gradlab
