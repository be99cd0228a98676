// PyTorch's tensor repr (torch/_tensor_str.py, default print options: precision 4,
// linewidth 80), so that printed tensors read exactly as in the book.
#include <cmath>
#include <cstdio>
#include <string>

#include "gradlab/autograd.hpp"
#include "gradlab/tensor.hpp"

namespace gradlab {

namespace {
constexpr int kPrecision = 4;
constexpr std::size_t kLineWidth = 80;

std::string fmt(const char* f, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, kPrecision, v);
  return buf;
}

std::string whole(double v) {
  char buf[400];
  std::snprintf(buf, sizeof buf, "%.0f", v);
  return buf;
}

std::string nonfinite(double v) { return std::isnan(v) ? "nan" : (v > 0 ? "inf" : "-inf"); }

/// Chooses fixed, integer or scientific layout and one width for every element.
struct Formatter {
  bool int_mode = true, sci_mode = false;
  std::size_t width = 1;

  explicit Formatter(const std::vector<double>& vals) {
    double lo = 0, hi = 0;
    bool any = false;
    for (double v : vals) {
      if (!std::isfinite(v) || v == 0) continue;
      const double a = std::fabs(v);
      lo = any ? std::min(lo, a) : a;
      hi = any ? std::max(hi, a) : a;
      any = true;
      if (v != std::ceil(v)) int_mode = false;
    }
    if (!any) return;
    if (int_mode)
      sci_mode = hi / lo > 1000.0 || hi > 1.0e8;
    else
      sci_mode = hi / lo > 1000.0 || hi > 1.0e8 || lo < 1.0e-4;
    for (double v : vals) {
      if (!std::isfinite(v) || v == 0) continue;
      const std::size_t len = sci_mode   ? fmt("%.*e", v).size()
                              : int_mode ? whole(v).size() + 1  // room for the trailing "."
                                         : fmt("%.*f", v).size();
      width = std::max(width, len);
    }
  }

  std::string format(double v) const {
    std::string s;
    if (!std::isfinite(v))
      s = nonfinite(v);
    else if (sci_mode)
      s = fmt("%.*e", v);
    else if (int_mode)
      s = whole(v) + ".";
    else
      s = fmt("%.*f", v);
    if (s.size() < width) s.insert(0, width - s.size(), ' ');
    return s;
  }
};

std::string format_block(const std::vector<double>& vals, const shape_t& shape, std::size_t dim,
                         std::size_t offset, std::size_t indent, const Formatter& f) {
  if (shape.empty()) return f.format(vals[offset]);
  const std::size_t n = shape[dim];
  std::size_t inner = 1;
  for (std::size_t i = dim + 1; i < shape.size(); ++i) inner *= shape[i];
  std::string out = "[";
  if (dim + 1 == shape.size()) {
    const std::size_t per_line =
        std::max<std::size_t>(1, (kLineWidth - std::min(indent, kLineWidth)) / (f.width + 2));
    for (std::size_t i = 0; i < n; ++i) {
      if (i) out += (i % per_line == 0) ? ",\n" + std::string(indent + 1, ' ') : ", ";
      out += f.format(vals[offset + i]);
    }
  } else {
    const std::string sep = "," + std::string(shape.size() - dim - 1, '\n') + std::string(indent + 1, ' ');
    for (std::size_t i = 0; i < n; ++i) {
      if (i) out += sep;
      out += format_block(vals, shape, dim + 1, offset + i * inner, indent + 1, f);
    }
  }
  return out + "]";
}
}  // namespace

std::string Tensor::repr() const {
  const std::string prefix = "tensor(";
  const std::vector<double> vals = to_vector();
  const shape_t s = shape();
  std::string body = vals.empty() ? "[]" : format_block(vals, s, 0, 0, prefix.size(), Formatter(vals));
  std::vector<std::string> suffixes;
  if (vals.empty() && s.size() != 1) suffixes.push_back("size=(" + shape_str(s).substr(1, shape_str(s).size() - 2) + ")");
  if (dtype() != dtype::float32) suffixes.push_back(std::string("dtype=torch.") + dtype_name(dtype()));
  if (grad_fn())
    suffixes.push_back("grad_fn=<" + grad_fn()->name() + ">");
  else if (requires_grad())
    suffixes.push_back("requires_grad=True");
  std::string out = prefix + body;
  const auto nl = out.rfind('\n');
  std::size_t last = nl == std::string::npos ? out.size() + 2 : out.size() - nl + 1;
  for (const auto& suf : suffixes) {
    if (last + suf.size() + 2 > kLineWidth) {
      out += ",\n" + std::string(prefix.size(), ' ') + suf;
      last = prefix.size() + suf.size();
    } else {
      out += ", " + suf;
      last += suf.size() + 2;
    }
  }
  return out + ")";
}

}  // namespace gradlab
