// torch.optim on the interpreter: one Python class per entry of the optimizer registry
// (core/src/optim), whose constructor takes the declared options in the table's order with the
// table's defaults and checks (PyTorch's ValueErrors come from the table). param_groups is a
// list of dicts on the instance, as in PyTorch: edits to it (g['lr'] *= 0.5) are read into
// the engine's groups at the next step(), so a scheduler or a user changing lr changes the run.
#include <cmath>

#include "gradlab/optim/optimizer.hpp"
#include "python/torch/torch_internal.hpp"

namespace gradlab::py::torch {

namespace {

using optim::option_value;
using optimizer_ptr = std::unique_ptr<optim::optimizer>;

}  // namespace

optim::optimizer& engine_of(const value& self) {
  optimizer_ptr& p = native_value<optimizer_ptr>(self);
  if (!p) raise(rt().e_runtime, "the optimizer was not initialised (its __init__ did not run)");
  return *p;
}

namespace {

option_value to_option(const value& v, const std::string& key) {
  if (v.is_none()) return std::monostate{};
  if (v.is_bool()) return v.as_bool();
  if (v.is_int()) return static_cast<double>(v.as_int());
  if (v.is_float()) return v.as_float();
  if (is_tensor(v)) return tensor_arg(v).item();  // a Tensor lr
  if (v.is_object() && v.type() == rt().t_str) return str_s(v);
  if (v.is_object() && (v.type() == rt().t_tuple || v.type() == rt().t_list)) {
    std::vector<double> xs;
    for (const value& x : to_vector(v)) xs.push_back(x.is_none() ? std::nan("") : to_double(x));
    return xs;
  }
  raisef(rt().e_type, "optimizer option '%s' cannot be %s", key.c_str(), tname(v));
}

// Integral numbers become Python ints, as option_repr prints them (momentum=0, max_iter=20).
value number_value(double d) {
  if (std::fabs(d) < 1e15 && d == static_cast<double>(static_cast<long long>(d)))
    return value::from_int(static_cast<std::int64_t>(d));
  return value::from_float(d);
}
value from_option(const option_value& o) {
  struct {
    value operator()(std::monostate) const { return value::none(); }
    value operator()(bool b) const { return value::from_bool(b); }
    value operator()(double d) const { return number_value(d); }
    value operator()(const std::string& s) const { return make_str(s); }
    value operator()(const std::vector<double>& xs) const {
      std::vector<value> items;
      for (double x : xs) items.push_back(std::isnan(x) ? value::none() : number_value(x));
      return make_tuple(std::move(items));
    }
  } visitor;
  return std::visit(visitor, o);
}

const optim::optimizer_info& info_of(native_function* self) {
  const optim::optimizer_info* info = optim::find_optimizer(self->owner->name);
  if (!info) raisef(rt().e_runtime, "no optimizer named %s", self->owner->name.c_str());
  return *info;
}

/// The tensors of a group's 'params' (a tensor or an iterable of tensors).
std::vector<value> param_list(const value& v) {
  if (is_tensor(v)) return {v};
  if (v.is_object() && v.type() == rt().t_set)
    raise(rt().e_type,
          "optimizer parameters need to be organized in ordered collections, but the ordering "
          "of tensors in sets will change between runs. Please use a list instead.");
  std::vector<value> ps = to_vector(v);
  for (const value& p : ps)
    if (!is_tensor(p))
      raisef(rt().e_type, "optimizer can only optimize Tensors, but one of the params is %s",
             tname(p));
  return ps;
}

// __init__(self, params, <the table's options, in order>)
value opt_init(interpreter&, value* a, std::size_t, native_function* self) {
  const optim::optimizer_info& info = info_of(self);
  if (is_tensor(a[1]))
    raise(rt().e_type,
          "params argument given to the optimizer should be an iterable of Tensors or dicts, "
          "but got torch.FloatTensor");
  std::vector<value> given = to_vector(a[1]);
  if (given.empty()) raise(rt().e_value, "optimizer got an empty parameter list");
  // the constructor's options: those given, else the table's defaults
  optim::options opts;
  std::vector<value> option_values;
  for (std::size_t i = 0; i < info.specs.size(); ++i) {
    const auto& spec = info.specs[i];
    value v = a[2 + i];
    if (v.is_null()) {
      if (spec.required)
        raisef(rt().e_type, "%s.__init__() missing required argument: '%s'", info.name.c_str(),
               spec.name.c_str());
      v = from_option(spec.default_value);
    }
    opts.set(spec.name, to_option(v, spec.name));
    option_values.push_back(v);
  }
  // the groups: one of all the tensors, or one per dict
  std::vector<optim::param_group> groups;
  std::vector<value> dicts;
  const bool as_dicts = given[0].is_object() && given[0].type()->is_subtype(rt().t_dict);
  for (const value& g : as_dicts ? given : std::vector<value>{make_list(given)}) {
    ref<dict_object> d = make_dict();
    optim::param_group pg;
    if (as_dicts) {
      if (!(g.is_object() && g.type()->is_subtype(rt().t_dict)))
        raise(rt().e_type, "param groups must be dicts");
      auto* src = static_cast<dict_object*>(g.as_object());
      if (!src->table.get_str("params")) raise(rt().e_key, "'params'");
      for (const auto& e : src->table.entries) {
        if (e.key.is_null()) continue;
        const std::string key = str_s(e.key);
        if (key == "params") {
          d->table.set(e.key, make_list(param_list(e.val)));
        } else {
          pg.opts.set(key, to_option(e.val, key));
          d->table.set(e.key, e.val);
        }
      }
    } else {
      d->table.set(intern("params"), make_list(param_list(g)));
    }
    for (const value& p : to_vector(*d->table.get_str("params")))
      pg.params.push_back(tensor_arg(p));
    groups.push_back(std::move(pg));
    dicts.push_back(value(d));
  }
  optimizer_ptr& engine = native_value<optimizer_ptr>(a[0]);
  engine = optim::make_optimizer(info.name, std::move(groups), opts);
  // each dict then gets the defaults it lacks, as the engine's group holds them (LBFGS's
  // max_eval=None becomes max_iter * 5 // 4 there); a value given as a Python int stays one
  for (std::size_t g = 0; g < dicts.size(); ++g) {
    auto* d = static_cast<dict_object*>(dicts[g].as_object());
    const optim::options& held = engine->param_groups()[g].opts;
    for (std::size_t i = 0; i < info.specs.size(); ++i) {
      const std::string& key = info.specs[i].name;
      if (d->table.get_str(key.c_str()) || !held.has(key)) continue;
      const bool same = to_option(option_values[i], key) == held.get(key);
      d->table.set(intern(key), same ? option_values[i] : from_option(held.get(key)));
    }
  }
  setattr(a[0], intern("param_groups"), make_list(std::move(dicts)));
  return value::none();
}

}  // namespace

void sync_groups(const value& self, optim::optimizer& opt) {
  const std::vector<value> dicts = to_vector(getattr(self, intern("param_groups")));
  auto& groups = opt.param_groups();
  for (std::size_t i = 0; i < dicts.size() && i < groups.size(); ++i) {
    if (!(dicts[i].is_object() && dicts[i].type()->is_subtype(rt().t_dict))) continue;
    auto* d = static_cast<dict_object*>(dicts[i].as_object());
    for (const auto& e : d->table.entries) {
      if (e.key.is_null() || !(e.key.is_object() && e.key.type() == rt().t_str)) continue;
      const std::string key = str_s(e.key);
      // only the algorithm's options: a group may carry keys of the user's own (PyTorch keeps
      // them) and a scheduler's (initial_lr)
      bool known = false;
      for (const auto& spec : opt.info().specs) known = known || spec.name == key;
      if (!known) continue;
      option_value v = to_option(e.val, key);
      if (!groups[i].opts.has(key) || !(groups[i].opts.get(key) == v))
        groups[i].opts.set(key, std::move(v));
    }
  }
}

void write_back_groups(const value& self, const optim::optimizer& opt) {
  const std::vector<value> dicts = to_vector(getattr(self, intern("param_groups")));
  const auto& groups = opt.param_groups();
  for (std::size_t i = 0; i < dicts.size() && i < groups.size(); ++i) {
    for (const auto& e : groups[i].opts.values()) {
      value key = intern(e.first);
      value* have = static_cast<dict_object*>(dicts[i].as_object())->table.get(key);
      if (have && to_option(*have, e.first) == e.second) continue;  // unchanged: keep its type
      value v = std::holds_alternative<double>(e.second)
                    ? value::from_float(std::get<double>(e.second))
                    : from_option(e.second);
      static_cast<dict_object*>(dicts[i].as_object())->table.set(key, v);
    }
  }
}

namespace {

value opt_step(interpreter& ip, value* a, std::size_t, native_function*) {
  optim::optimizer& opt = engine_of(a[0]);
  sync_groups(a[0], opt);
  if (a[1].is_none()) return wrap_or_none(opt.step());
  value closure = a[1];
  value result;
  Tensor loss = opt.step([&ip, &closure, &result]() -> Tensor {
    value r = ip.call(closure, {});
    if (result.is_null()) result = r;  // PyTorch returns the first evaluation's loss
    return is_tensor(r) ? tensor_arg(r) : Tensor();
  });
  return result.is_null() ? value::none() : result;
}

value opt_zero_grad(interpreter& ip, value* a, std::size_t, native_function*) {
  engine_of(a[0]).zero_grad(ip.truthy(a[1]));
  return value::none();
}

// optimizer.state: {param: {name: value}} (made on each access; the tensors are the engine's)
value opt_state(interpreter&, value* a, std::size_t, native_function*) {
  const optim::optimizer& opt = engine_of(a[0]);
  ref<dict_object> out = make_dict();
  for (const value& g : to_vector(getattr(a[0], intern("param_groups"))))
    for (const value& p : to_vector(getitem(g, intern("params")))) {
      const optim::param_state* st = opt.state(tensor_arg(p));
      if (!st || st->empty()) continue;
      ref<dict_object> d = make_dict();
      for (const auto& s : st->scalars)  // PyTorch 2.x keeps 'step' as a float32 tensor
        d->table.set(intern(s.first), s.first == "step" ? wrap(Tensor::scalar(s.second))
                                                        : value::from_float(s.second));
      for (const auto& b : st->buffers) d->table.set(intern(b.first), wrap(b.second));
      out->table.set(p, value(d));
    }
  return value(out);
}

value opt_defaults(interpreter&, value* a, std::size_t, native_function*) {
  ref<dict_object> d = make_dict();
  for (const auto& spec : engine_of(a[0]).info().specs)
    d->table.set(intern(spec.name), from_option(engine_of(a[0]).defaults().get(spec.name)));
  return value(d);
}

// PyTorch's Optimizer.__repr__: each group's options sorted by name
value opt_repr(interpreter&, value* a, std::size_t, native_function*) {
  std::string out = engine_of(a[0]).name() + " (";
  std::size_t i = 0;
  for (const value& g : to_vector(getattr(a[0], intern("param_groups")))) {
    out += "\nParameter Group " + std::to_string(i++) + "\n";
    std::vector<value> keys = to_vector(g);
    std::vector<std::string> names;
    for (const value& k : keys) names.push_back(str_s(k));
    std::sort(names.begin(), names.end());
    for (const std::string& k : names)
      if (k != "params") out += "    " + k + ": " + str_s(getitem(g, intern(k))) + "\n";
  }
  return make_str(out + ")");
}

}  // namespace

void build_optim(interpreter& ip, module_object& m, void*) {
  // torch (and so Tensor's type) is built first: torch imports torch.optim at its end
  type_object* base = ip.def_type(m, "Optimizer", nullptr, alloc_native<optimizer_ptr>);
  base->module = "torch.optim.optimizer";
  method(base, "step", opt_step, "self, closure=None");
  method(base, "zero_grad", opt_zero_grad, "self, set_to_none=True");
  method(base, "__repr__", opt_repr, "self");
  base->update_slots();
  ip.def_property(base, "state", opt_state);
  ip.def_property(base, "defaults", opt_defaults);
  for (const optim::optimizer_info& info : optim::registry()) {
    type_object* t = ip.def_type(m, info.name.c_str(), base, alloc_native<optimizer_ptr>);
    t->module = "torch.optim";
    std::string params = "self, params";
    for (const auto& spec : info.specs) params += ", " + spec.name + "=_missing";
    // the signature is parsed once and kept by the runtime; the string only while parsing
    method(t, "__init__", opt_init, params.c_str());
    t->update_slots();
  }
}

}  // namespace gradlab::py::torch
