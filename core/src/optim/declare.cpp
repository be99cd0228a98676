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

void decode_field(const options& dict, const option_decl& decl, field_kind kind, void* to) {
  const char* k = decl.name;
  switch (kind) {
    case field_kind::unused:
      break;
    case field_kind::number:
      *static_cast<double*>(to) = dict.num(k);
      break;
    case field_kind::count:
      *static_cast<int*>(to) = saturating_cast<int>(dict.num(k));
      break;
    case field_kind::flag:
      *static_cast<bool*>(to) = dict.flag(k);
      break;
    case field_kind::numbers: {
      const tuple& t = dict.vec(k);
      check_unpack(decl.def.n, t.size());
      *static_cast<tuple*>(to) = t;
      break;
    }
    case field_kind::name:
      *static_cast<std::optional<std::string>*>(to) =
          dict.is_none(k) ? std::nullopt : std::optional<std::string>(dict.str(k));
      break;
  }
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
    const bool fresh = !st.typed_made;
    st.typed_made = true;
    rule.update(opts, p, g, param_slots{st.named, p}, st.typed, fresh);
  }
}

optimizer_info make_entry(const char* name, bool needs_closure,
                          void (*check_groups)(const std::vector<param_group>&),
                          decltype(optimizer_info::make) make, const option_decl* const* rows,
                          std::size_t n,
                          std::initializer_list<std::pair<const char*, option_default>> defaults) {
  optimizer_info info;
  info.name = name;
  info.needs_closure = needs_closure;
  info.check_groups = check_groups;
  info.make = make;
  info.specs.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    const option_decl& r = *rows[i];
    option_spec s{r.name, to_value(r.def), false, r.check, r.check_order};
    for (const auto& [k, v] : defaults)
      if (std::strcmp(k, r.name) == 0) s.default_value = to_value(v);
    info.specs.push_back(std::move(s));
  }
  return info;
}

}  // namespace detail
}  // namespace gradlab::optim
