#pragma once
// The golden checker: replays PyTorch's reference runs (../shared/golden format) through
// gradlab and says PASS, FAIL or SKIP per case.
#include <functional>
#include <string>
#include <vector>

#include "gradlab/optim/options.hpp"
#include "gradlab/tensor.hpp"
#include "json.hpp"

namespace gradlab::golden {

enum class outcome { pass, fail, skip };

struct verdict {
  outcome result;
  std::string name;
  std::string why;
};

class report {
 public:
  void pass(const std::string& name) { items_.push_back({outcome::pass, name, ""}); }
  void fail(const std::string& name, const std::string& why) { items_.push_back({outcome::fail, name, why}); }
  void skip(const std::string& name, const std::string& why) { items_.push_back({outcome::skip, name, why}); }
  /// Runs one case: an exception becomes a FAIL with its message; a returned non-empty
  /// string is a FAIL reason; "SKIP:..." marks it skipped.
  void run(const std::string& name, const std::function<std::string()>& body);
  const std::vector<verdict>& items() const { return items_; }
  std::size_t count(outcome o) const;

 private:
  std::vector<verdict> items_;
};

/// The reason prefix a case body returns to be reported as skipped.
inline std::string skip_because(const std::string& why) { return "SKIP:" + why; }
inline const char* kNotImplemented = "not implemented";

/// {"shape", "dtype", "data"} -> Tensor (non-finite values as "inf"/"-inf"/"nan").
Tensor tensor_from(const json::value& v, bool requires_grad = false);
Tensor tensor_from(const json::value& v, dtype d, bool requires_grad);

/// A JSON option value (null, bool, number, string, tuple) as an optimizer/scheduler option.
optim::option_value option_from_json(const json::value& v);
/// Every member of a JSON object as options.
optim::options options_from_json(const json::value& obj);

/// |got - want| <= atol + rtol * |want|, with nan == nan and equal infinities.
bool close(double got, double want, double rtol, double atol);
/// Empty when every element is close; otherwise what differs and where.
std::string compare(const Tensor& got, const json::value& want, double rtol, double atol,
                    const std::string& what);
std::string compare_value(double got, double want, double rtol, double atol, const std::string& what);

void check_book(const json::value& book, report& r);
void check_traps(const json::value& traps, const json::value& book, report& r);
void check_autograd(const json::value& autograd, report& r);
void check_optim(const json::value& optim, report& r);
void check_schedulers(const json::value& schedulers, report& r);

/// Checks every known file in dir; a missing file is reported as a FAIL.
report check_dir(const std::string& dir);

}  // namespace gradlab::golden
