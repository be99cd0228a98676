#pragma once
// Optimizer and scheduler options between JS values and optim::options (None, bool, number,
// string, tuple), shared by the binding files.
#include <emscripten/val.h>

#include <cmath>
#include <string>
#include <variant>
#include <vector>

#include "gradlab/error.hpp"
#include "gradlab/optim/options.hpp"

namespace gradlab_wasm {

using emscripten::val;
namespace optim = gradlab::optim;

inline optim::option_value to_option(const val& v) {
  const std::string type = v.typeOf().as<std::string>();
  if (v.isNull() || v.isUndefined()) return std::monostate{};
  if (type == "boolean") return v.as<bool>();
  if (type == "number") return v.as<double>();
  if (type == "string") return v.as<std::string>();
  if (v.isArray()) {
    std::vector<double> xs;
    const unsigned n = v["length"].as<unsigned>();
    for (unsigned i = 0; i < n; ++i) xs.push_back(v[i].isNull() ? std::nan("") : v[i].as<double>());
    return xs;
  }
  gradlab::type_error("unsupported option value of type " + type);
}

inline optim::options to_options(const val& obj) {
  optim::options o;
  if (obj.isNull() || obj.isUndefined()) return o;
  val keys = val::global("Object").call<val>("keys", obj);
  const unsigned n = keys["length"].as<unsigned>();
  for (unsigned i = 0; i < n; ++i) {
    const std::string k = keys[i].as<std::string>();
    o.set(k, to_option(obj[k]));
  }
  return o;
}

inline val from_option(const optim::option_value& v) {
  struct {
    val operator()(std::monostate) const { return val::null(); }
    val operator()(bool b) const { return val(b); }
    val operator()(double d) const { return val(d); }
    val operator()(const std::string& s) const { return val(s); }
    val operator()(const std::vector<double>& xs) const {
      val a = val::array();
      for (double x : xs) a.call<void>("push", std::isnan(x) ? val::null() : val(x));
      return a;
    }
  } visitor;
  return std::visit(visitor, v);
}

inline val from_options(const optim::options& o) {
  val out = val::object();
  for (const auto& [k, v] : o.values()) out.set(k, from_option(v));
  return out;
}

}  // namespace gradlab_wasm
