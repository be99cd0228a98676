#pragma once
// Private: what an optimizer file declares, and what turns the declaration into a registry
// entry. A file holds a struct with
//   name       the torch.optim class name, written once
//   options_t  the typed hyper-parameters the update rule reads
//   rows       one row per option: name, PyTorch's default, the options_t field, the check
//   state_t    the rule's pointers into a parameter's named state (see param_slots)
//   update()   the update of one parameter that has a grad
// and one line in registry.cpp. Validation, defaults, the option list (the JS API's and the
// page's fields), decoding a group's dictionary into options_t (again only after the
// dictionary changes: users edit param_groups between steps) and the loop over a group's
// parameters come from here. The rows are constexpr data, and all that is not typed is
// compiled once (declare.cpp) rather than once per algorithm: the WebAssembly module stays
// as small as when each file spelled it out.
#include <array>
#include <initializer_list>
#include <iterator>
#include <limits>
#include <new>
#include <optional>
#include <type_traits>
#include <utility>

#include "elementwise.hpp"

namespace gradlab::optim {

/// The checks PyTorch's constructors make, as option_check data; `text` is the message
/// before the offending value, e.g. "Invalid learning rate: ".
namespace checks {
using test_fn = void (*)(const option_check&, const options&, const std::string&);
void test_at_least(const option_check&, const options&, const std::string&);
void test_not_below(const option_check&, const options&, const std::string&);
void test_at_most(const option_check&, const options&, const std::string&);
void test_within(const option_check&, const options&, const std::string&);
void test_each_in(const option_check&, const options&, const std::string&);

/// not lo <= v (NaN fails, as Python's `not 0.0 <= lr`)
constexpr option_check at_least(double lo, const char* text) {
  return {&test_at_least, text, lo, 0.0};
}
/// v < lo (NaN passes, as Python's `if momentum < 0.0`)
constexpr option_check not_below(double lo, const char* text) {
  return {&test_not_below, text, lo, 0.0};
}
/// not v <= hi
constexpr option_check at_most(double hi, const char* text) {
  return {&test_at_most, text, 0.0, hi};
}
/// not lo <= v <= hi
constexpr option_check within(double lo, double hi, const char* text) {
  return {&test_within, text, lo, hi};
}
/// every element: not lo <= v[i] < hi; text + "{i}: {v[i]}" ("Invalid beta parameter at index ")
constexpr option_check each_in(double lo, double hi, const char* text) {
  return {&test_each_in, text, lo, hi};
}
/// The checks several constructors share, word for word.
inline constexpr option_check learning_rate = at_least(0.0, "Invalid learning rate: ");
inline constexpr option_check epsilon = at_least(0.0, "Invalid epsilon value: ");
inline constexpr option_check weight_decay = at_least(0.0, "Invalid weight_decay value: ");
/// A condition of its own (over several options, or not a bound): `test` throws.
constexpr option_check rule(test_fn test, const char* text = "") { return {test, text, 0.0, 0.0}; }
}  // namespace checks

namespace detail {

using tuple = std::vector<double>;
struct none_t {};
inline constexpr none_t none{};

/// PyTorch's default of an option, as constexpr data: None, a bool, a number or a tuple of
/// up to three numbers (None inside a tuple is NaN).
struct option_default {
  enum kind_t : unsigned char { is_none, is_bool, is_number, is_tuple } kind = is_none;
  double v[3] = {0, 0, 0};
  unsigned char n = 0;  ///< tuple length
  constexpr option_default(none_t) {}
  constexpr option_default(bool b) : kind(is_bool), v{b ? 1.0 : 0.0, 0, 0} {}
  constexpr option_default(double d) : kind(is_number), v{d, 0, 0} {}
  constexpr option_default(std::initializer_list<double> xs) : kind(is_tuple) {
    for (double x : xs) v[n++] = x;
  }
};
option_value to_value(const option_default& d);

/// The kinds of options_t fields an option decodes into.
enum class field_kind : unsigned char { unused, number, count, flag, numbers, name };

/// Where the update rule reads an option: a field of its options_t, decoded from the
/// dictionary. None: accepted and kept in the dictionary only (foreach, fused, ...).
template <class O>
struct field {
  field_kind kind = field_kind::unused;
  union {
    double O::*d;
    int O::*i;
    bool O::*b;
    tuple O::*t;
    std::optional<std::string> O::*s;
  };
  constexpr field() : d(nullptr) {}
  constexpr field(double O::*m) : kind(field_kind::number), d(m) {}
  constexpr field(int O::*m) : kind(field_kind::count), i(m) {}
  constexpr field(bool O::*m) : kind(field_kind::flag), b(m) {}
  constexpr field(tuple O::*m) : kind(field_kind::numbers), t(m) {}
  constexpr field(std::optional<std::string> O::*m) : kind(field_kind::name), s(m) {}
  /// The field's address in `o` (null: unused).
  void* in(O& o) const {
    switch (kind) {
      case field_kind::number:
        return &(o.*d);
      case field_kind::count:
        return &(o.*i);
      case field_kind::flag:
        return &(o.*b);
      case field_kind::numbers:
        return &(o.*t);
      case field_kind::name:
        return &(o.*s);
      default:
        return nullptr;
    }
  }
};

/// An option's declaration: the untyped part of its row.
struct option_decl {
  const char* name;
  option_default def;
  option_check check;
  int check_order;  ///< its place among PyTorch's constructor checks (1 first)
};

/// One option as an optimizer declares it: {name, default[, field[, check, check_order]]}.
template <class O>
struct option_row : option_decl {
  constexpr option_row(const char* name_, option_default default_, field<O> member_ = {},
                       option_check check_ = {}, int check_order_ = 0)
      : option_decl{name_, default_, check_, check_order_}, member(member_) {}
  field<O> member;
};

/// The first N of `a`'s rows, then `b`'s: an algorithm's rows after rows it shares.
template <class O, std::size_t N, std::size_t NA, std::size_t M, std::size_t... I, std::size_t... J>
constexpr std::array<option_row<O>, N + M> join_rows(const option_row<O> (&a)[NA],
                                                     const option_row<O> (&b)[M],
                                                     std::index_sequence<I...>,
                                                     std::index_sequence<J...>) {
  return {{a[I]..., b[J]...}};
}
template <class O, std::size_t N, std::size_t NA, std::size_t M>
constexpr std::array<option_row<O>, N + M> join_rows(const option_row<O> (&a)[NA],
                                                     const option_row<O> (&b)[M]) {
  return join_rows<O, N>(a, b, std::make_index_sequence<N>{}, std::make_index_sequence<M>{});
}

/// Stores the dictionary's value of `decl` into `to`, a field of that kind; a tuple of
/// another length than its default's is Python's unpacking error.
void decode_field(const options& dict, const option_decl& decl, field_kind kind, void* to);

/// The typed options of a dictionary that has every row's key.
template <class O, class Rows>
void decode(const Rows& rows, const options& dict, O& out) {
  for (const auto& r : rows) decode_field(dict, r, r.member.kind, r.member.in(out));
}

/// One parameter's state while its update runs: PyTorch's named entries (shown by the page
/// and recorded by the session), reached through the rule's own pointers after their first
/// use (std::map nodes never move).
struct param_slots {
  param_state& named;
  const Tensor& like;  ///< the parameter: new buffers take its shape and dtype

  /// The buffer `name`, made on first use as torch.full_like(param, fill).
  Tensor& buffer(Tensor*& slot, const char* name, double fill = 0.0) {
    if (!slot) slot = &detail::buffer(named, name, like, fill);
    return *slot;
  }
  /// The scalar `name`, made on first use with the value `init`.
  double& scalar(double*& slot, const char* name, double init = 0.0) {
    if (!slot) slot = &named.scalars.emplace(name, init).first->second;
    return *slot;
  }
  /// The float32 step counter "step", incremented; returns its new value.
  double next_step(double*& slot) {
    double& s = scalar(slot, "step");
    s = f32(s + 1.0);
    return s;
  }
};

/// What a declaration may leave out.
struct declaration {
  /// update() is given sparse grads too (SparseAdam); otherwise they are refused with
  /// "NAME does not support sparse gradients".
  static constexpr bool sparse_grads = false;
  /// step() must be given a closure that re-evaluates the loss (LBFGS).
  static constexpr bool needs_closure = false;
  /// Checks of the parameters beyond their options (Muon: 2-D only).
  static constexpr void (*check_groups)(const std::vector<param_group>&) = nullptr;
  struct state_t {};
};

/// The untyped part of every declared optimizer, compiled once.
class declared_optimizer : public optimizer {
 protected:
  using optimizer::optimizer;
  using decode_fn = std::shared_ptr<void> (*)(const options&);
  /// The typed options of groups[index], decoded by `decode` when the dictionary changed.
  const void* typed_options(std::size_t index, const options& dict, decode_fn decode);
  /// How update_params() runs a rule: `update` gets the typed options, the parameter, its
  /// grad, its named state and the rule's typed state (`fresh`: to be made).
  struct rule_fn {
    const char* name;
    bool sparse_grads;
    void (*update)(const void* opts, Tensor& p, const Tensor& g, param_slots st, void* state,
                   bool fresh);
  };
  /// Updates every parameter of `group` that has a grad.
  void update_params(param_group& group, const void* opts, const rule_fn& rule);

 private:
  struct cached {
    std::uint64_t stamp = 0;
    std::shared_ptr<void> value;
  };
  std::vector<cached> typed_;
};

template <class A>
std::shared_ptr<void> decode_shared(const options& dict) {
  auto o = std::make_shared<typename A::options_t>();
  decode(A::rows, dict, *o);
  return o;
}

/// An optimizer made from a declaration A: step() updates every parameter that has a grad
/// by A::update, with the group's options decoded and each parameter's state held typed.
template <class A>
class algorithm final : public declared_optimizer {
 public:
  algorithm(const optimizer_info& info, std::vector<param_group> groups, const options& given)
      : declared_optimizer(info, std::move(groups), given) {}

 private:
  using options_t = typename A::options_t;
  using state_t = typename A::state_t;
  // made in the state entry's storage, never destroyed: pointers only
  static_assert(std::is_trivially_destructible_v<state_t> &&
                sizeof(state_t) <= sizeof(state_entry::typed) &&
                alignof(state_t) <= alignof(void*));
  static void update_one(const void* o, Tensor& p, const Tensor& g, param_slots st, void* s,
                         bool fresh) {
    state_t* state = fresh ? new (s) state_t{} : std::launder(static_cast<state_t*>(s));
    A::update(*static_cast<const options_t*>(o), p, g, st, *state);
  }
  void update_group(std::size_t index, param_group& group) override {
    const void* o = typed_options(index, group.opts, &decode_shared<A>);
    update_params(group, o, {A::name, A::sparse_grads, &update_one});
  }
};

/// The registry entry: name, properties, factory, and the options `rows` declares, with the
/// defaults that `defaults` names replaced.
optimizer_info make_entry(const char* name, bool needs_closure,
                          void (*check_groups)(const std::vector<param_group>&),
                          decltype(optimizer_info::make) make, const option_decl* const* rows,
                          std::size_t n,
                          std::initializer_list<std::pair<const char*, option_default>> defaults);

template <class A, std::size_t... I>
constexpr std::array<const option_decl*, sizeof...(I)> decls_of(std::index_sequence<I...>) {
  return {{&A::rows[I]...}};
}

/// The registry entry of declaration A, made by Impl (algorithm<A> unless the file defines
/// its own optimizer class). `name` and `defaults` make a variant with other defaults
/// (AdamW is Adam with decoupled weight decay on).
template <class A, class Impl = algorithm<A>>
optimizer_info entry(const char* name = A::name,
                     std::initializer_list<std::pair<const char*, option_default>> defaults = {}) {
  static constexpr auto decls = decls_of<A>(std::make_index_sequence<std::size(A::rows)>{});
  return make_entry(
      name, A::needs_closure, A::check_groups,
      [](const optimizer_info& i, std::vector<param_group> g, const options& o)
          -> std::unique_ptr<optimizer> { return std::make_unique<Impl>(i, std::move(g), o); },
      decls.data(), decls.size(), defaults);
}

}  // namespace detail
}  // namespace gradlab::optim
