#include <cmath>
#include <cstdio>

#include "golden.hpp"

namespace gradlab::golden {

void report::run(const std::string& name, const std::function<std::string()>& body) {
  try {
    const std::string why = body();
    if (why.empty()) pass(name);
    else if (why.rfind("SKIP:", 0) == 0) skip(name, why.substr(5));
    else fail(name, why);
  } catch (const std::exception& e) {
    fail(name, std::string("threw: ") + e.what());
  }
}

std::size_t report::count(outcome o) const {
  std::size_t n = 0;
  for (const auto& v : items_) n += v.result == o;
  return n;
}

Tensor tensor_from(const json::value& v, dtype d, bool requires_grad) {
  shape_t shape;
  for (const auto& s : v["shape"].array()) shape.push_back(static_cast<std::size_t>(s.number()));
  std::vector<double> data;
  for (const auto& x : v["data"].array()) data.push_back(x.real());
  return Tensor::from_values(data, shape, d, requires_grad);
}

Tensor tensor_from(const json::value& v, bool requires_grad) {
  const dtype d = v.has("dtype") ? parse_dtype(v["dtype"].str()) : dtype::float64;
  return tensor_from(v, d, requires_grad);
}

optim::option_value option_from_json(const json::value& v) {
  if (v.is_null()) return std::monostate{};
  if (v.is_bool()) return v.boolean();
  if (v.is_number()) return v.number();
  if (v.is_string()) return v.str();
  std::vector<double> xs;  // a tuple; None inside one (Adafactor's eps) is kept as NaN
  for (const auto& x : v.array()) xs.push_back(x.is_null() ? std::nan("") : x.real());
  return xs;
}

optim::options options_from_json(const json::value& obj) {
  optim::options o;
  for (const auto& [k, v] : obj.object()) o.set(k, option_from_json(v));
  return o;
}

bool close(double got, double want, double rtol, double atol) {
  if (std::isnan(want) || std::isnan(got)) return std::isnan(want) && std::isnan(got);
  if (std::isinf(want) || std::isinf(got)) return got == want;
  return std::fabs(got - want) <= atol + rtol * std::fabs(want);
}

namespace {
std::string num(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}
}  // namespace

std::string compare_value(double got, double want, double rtol, double atol, const std::string& what) {
  if (close(got, want, rtol, atol)) return "";
  const double rel = want != 0 ? std::fabs(got - want) / std::fabs(want) : std::fabs(got - want);
  return what + " = " + num(got) + ", PyTorch " + num(want) + " (rel. error " + num(rel) +
         ", rtol " + num(rtol) + ")";
}

std::string compare(const Tensor& got, const json::value& want, double rtol, double atol,
                    const std::string& what) {
  if (!got.defined()) return what + " is None, PyTorch has a tensor";
  shape_t shape;
  for (const auto& s : want["shape"].array()) shape.push_back(static_cast<std::size_t>(s.number()));
  if (got.shape() != shape)
    return what + " has shape " + shape_str(got.shape()) + ", PyTorch " + shape_str(shape);
  const auto& data = want["data"].array();
  for (std::size_t i = 0; i < data.size(); ++i) {
    std::string e = compare_value(got.at(i), data[i].real(), rtol, atol, what + "[" + std::to_string(i) + "]");
    if (!e.empty()) return e;
  }
  return "";
}

report check_dir(const std::string& dir) {
  report r;
  auto load = [&](const std::string& file, json::value& out) {
    try {
      out = json::parse_file(dir + "/" + file);
      return true;
    } catch (const std::exception& e) {
      r.fail(file, e.what());
      return false;
    }
  };
  json::value book, traps, autograd, optim, sched;
  const bool have_book = load("book.json", book);
  if (have_book) check_book(book, r);
  if (load("traps.json", traps) && have_book) check_traps(traps, book, r);
  if (load("autograd.json", autograd)) check_autograd(autograd, r);
  if (load("optim.json", optim)) check_optim(optim, r);
  if (load("schedulers.json", sched)) check_schedulers(sched, r);
  return r;
}

}  // namespace gradlab::golden
