// The untyped part of the declared optimizers (declare.hpp), compiled once: the checks as
// data, the registry entry's option list, the decoding helpers, and the loop over a group's
// parameters with its typed-options cache.
#include "declare.hpp"

#include <cstring>

#include "gradlab/int_cast.hpp"

namespace gradlab::optim {

namespace checks {

namespace {
[[noreturn]] void fail(const option_check& c, double v) {
  value_error(c.text + detail::num_repr(v));
}
}  // namespace

void test_at_least(const option_check& c, const options& o, const std::string& k) {
  const double v = o.num(k);
  if (!(c.lo <= v)) fail(c, v);
}

void test_not_below(const option_check& c, const options& o, const std::string& k) {
  const double v = o.num(k);
  if (v < c.lo) fail(c, v);
}

void test_at_most(const option_check& c, const options& o, const std::string& k) {
  const double v = o.num(k);
  if (!(v <= c.hi)) fail(c, v);
}

void test_within(const option_check& c, const options& o, const std::string& k) {
  const double v = o.num(k);
  if (!(c.lo <= v && v <= c.hi)) fail(c, v);
}

void test_each_in(const option_check& c, const options& o, const std::string& k) {
  const auto& v = o.vec(k);
  for (std::size_t i = 0; i < v.size(); ++i)
    if (!(c.lo <= v[i] && v[i] < c.hi))
      value_error(c.text + std::to_string(i) + ": " + detail::num_repr(v[i]));
}

}  // namespace checks

namespace detail {

option_value to_value(const option_default& d) {
  switch (d.kind) {
    case option_default::is_bool:
      return d.v[0] != 0;
    case option_default::is_number:
      return d.v[0];
    case option_default::is_tuple:
      return tuple(d.v, d.v + d.n);
    default:
      return std::monostate{};
  }
}

int decode_count(const options& dict, const char* name) {
  return saturating_cast<int>(dict.num(name));
}

const tuple& decode_tuple(const options& dict, const char* name, std::size_t expected) {
  const tuple& t = dict.vec(name);
  check_unpack(expected, t.size());
  return t;
}

std::optional<std::string> decode_name(const options& dict, const char* name) {
  if (dict.is_none(name)) return std::nullopt;
  return dict.str(name);
}

const void* declared_optimizer::typed_options(std::size_t index, const options& dict,
                                              decode_fn decode) {
  if (index >= typed_.size()) typed_.resize(index + 1);
  cached& c = typed_[index];
  if (!c.value || c.stamp != dict.stamp()) {
    c.value.reset();  // a failed decode leaves nothing to reuse
    c.value = decode(dict);
    c.stamp = dict.stamp();
  }
  return c.value.get();
}

void declared_optimizer::update_params(param_group& group, const void* opts, const rule_fn& rule) {
  for (auto& p : group.params) {
    const Tensor g = p.grad();
    if (!g.defined()) continue;  // a parameter without grad is skipped
    if (!rule.sparse_grads) reject_sparse(g, rule.name);
    state_entry& st = entry_of(p);
    const bool fresh = !st.typed;
    if (fresh) {
      const std::size_t n =
          (rule.state_size + sizeof(std::max_align_t) - 1) / sizeof(std::max_align_t);
      st.typed = std::shared_ptr<void>(new std::max_align_t[n > 0 ? n : 1],
                                       [](void* s) { delete[] static_cast<std::max_align_t*>(s); });
    }
    rule.update(opts, p, g, param_slots{st.named, p}, st.typed.get(), fresh);
  }
}

optimizer_info entry_head(const char* name, bool needs_closure,
                          void (*check_groups)(const std::vector<param_group>&),
                          decltype(optimizer_info::make) make) {
  optimizer_info info;
  info.name = name;
  info.needs_closure = needs_closure;
  info.check_groups = check_groups;
  info.make = make;
  return info;
}

void add_spec(optimizer_info& info, const char* name, const option_default& def,
              const option_check& check, int check_order,
              std::initializer_list<std::pair<const char*, option_default>> defaults) {
  option_spec s{name, to_value(def), false, check, check_order};
  for (const auto& [k, v] : defaults)
    if (std::strcmp(k, name) == 0) s.default_value = to_value(v);
  info.specs.push_back(std::move(s));
}

}  // namespace detail
}  // namespace gradlab::optim
