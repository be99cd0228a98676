// Calls from native code, argument binding with CPython's TypeError texts (shared with the
// VM's frames), and calling a type (__new__, then __init__).
#include <cstring>

#include "python/runtime.hpp"
#include "python/vm.hpp"

namespace gradlab::py {

namespace {

std::string quoted_list(const std::vector<std::string>& names) {
  std::string s;
  const std::size_t n = names.size();
  for (std::size_t i = 0; i < n; ++i) {
    if (i) s += n == 2 ? " and " : (i == n - 1 ? ", and " : ", ");
    s += "'" + names[i] + "'";
  }
  return s;
}

}  // namespace

void bind_args(const binder_spec& s, value* args, std::size_t nargs, const value& kwnames,
               value* out) {
  runtime& r = rt();
  const int* slots = s.slots;
  auto at = [&](std::size_t i) -> value& { return out[slots ? slots[i] : static_cast<int>(i)]; };
  const auto* kn = kwnames.is_null() ? nullptr : static_cast<tuple_object*>(kwnames.as_object());
  const std::size_t nkw = kn ? kn->items.size() : 0;
  const std::size_t npos_given = nargs - nkw;
  const std::size_t npos = static_cast<std::size_t>(s.npos);
  const std::size_t n = npos_given < npos ? npos_given : npos;
  for (std::size_t i = 0; i < n; ++i) at(i) = args[i];
  if (s.varargs >= 0) {
    std::vector<value> extra;
    for (std::size_t i = n; i < npos_given; ++i) extra.push_back(args[i]);
    out[s.varargs] = make_tuple(std::move(extra));
  }
  dict_object* kwdict = nullptr;
  if (s.varkw >= 0) {
    auto d = make_dict();
    kwdict = d.get();
    out[s.varkw] = value(std::move(d));
  }
  const std::size_t total = npos + static_cast<std::size_t>(s.nkwonly);
  std::vector<std::string> posonly_kw;
  for (std::size_t k = 0; k < nkw; ++k) {
    const value& name = kn->items[k];
    if (!is_str(name)) raise(r.e_type, "keywords must be strings");
    std::size_t j = static_cast<std::size_t>(s.posonly);
    for (; j < total; ++j)
      if (s.names[j].is(name) || str_of(s.names[j]) == str_of(name)) break;
    if (j == total) {
      if (kwdict) {
        kwdict->table.set(name, args[npos_given + k]);
        continue;
      }
      bool posonly = false;
      for (std::size_t p = 0; p < static_cast<std::size_t>(s.posonly); ++p)
        if (str_of(s.names[p]) == str_of(name)) posonly = true;
      if (posonly) {
        posonly_kw.push_back(str_of(name));
        continue;
      }
      raisef(r.e_type, "%s() got an unexpected keyword argument '%s'", s.qualname.c_str(),
             (str_of(name)).c_str());
    }
    if (!at(j).is_null())
      raisef(r.e_type, "%s() got multiple values for argument '%s'", s.qualname.c_str(),
             (str_of(name)).c_str());
    at(j) = args[npos_given + k];
  }
  if (!posonly_kw.empty()) {
    std::string names;
    for (std::size_t i = 0; i < posonly_kw.size(); ++i) names += (i ? ", " : "") + posonly_kw[i];
    raisef(r.e_type, "%s() got some positional-only arguments passed as keyword arguments: '%s'",
           s.qualname.c_str(), names.c_str());
  }
  if (npos_given > npos && s.varargs < 0) {
    std::size_t kwonly_given = 0;
    for (std::size_t i = npos; i < total; ++i) kwonly_given += !at(i).is_null();
    const std::size_t ndef = s.native ? s.native_optional_positional() : s.ndefaults;
    std::string sig;
    bool plural;
    if (ndef) {
      plural = true;
      sig = "from " + std::to_string(npos - ndef) + " to " + std::to_string(npos);
    } else {
      plural = npos != 1;
      sig = std::to_string(npos);
    }
    std::string kw;
    if (kwonly_given)
      kw = std::string(" positional argument") + (npos_given != 1 ? "s" : "") + " (and " +
           std::to_string(kwonly_given) + " keyword-only argument" +
           (kwonly_given != 1 ? "s" : "") + ")";
    raisef(r.e_type, "%s() takes %s positional argument%s but %lld%s %s given", s.qualname.c_str(),
           sig.c_str(), (plural ? "s" : ""), static_cast<long long>(npos_given), kw.c_str(),
           (npos_given == 1 && !kwonly_given ? "was" : "were"));
  }
  // defaults, then what is still missing
  std::vector<std::string> missing;
  for (std::size_t i = 0; i < npos; ++i) {
    if (!at(i).is_null()) continue;
    if (s.native) {
      if ((*s.optional)[i]) {
        at(i) = s.param_defaults[i];
        continue;
      }
    } else if (i + s.ndefaults >= npos) {
      at(i) = s.pos_defaults[i + s.ndefaults - npos];
      continue;
    }
    missing.push_back(str_of(s.names[i]));
  }
  if (!missing.empty())
    raisef(r.e_type, "%s() missing %lld required positional argument%s: %s", s.qualname.c_str(),
           static_cast<long long>(missing.size()), (missing.size() == 1 ? "" : "s"),
           (quoted_list(missing)).c_str());
  for (std::size_t i = npos; i < total; ++i) {
    if (!at(i).is_null()) continue;
    if (s.native) {
      if ((*s.optional)[i]) {
        at(i) = s.param_defaults[i];
        continue;
      }
    } else if (s.kwdefaults) {
      if (value* d = s.kwdefaults->table.get(s.names[i])) {
        at(i) = *d;
        continue;
      }
    }
    missing.push_back(str_of(s.names[i]));
  }
  if (!missing.empty())
    raisef(r.e_type, "%s() missing %lld required keyword-only argument%s: %s", s.qualname.c_str(),
           static_cast<long long>(missing.size()), (missing.size() == 1 ? "" : "s"),
           (quoted_list(missing)).c_str());
}

std::size_t binder_spec::native_optional_positional() const {
  std::size_t n = 0;
  for (int i = 0; i < npos; ++i) n += (*optional)[static_cast<std::size_t>(i)];
  return n;
}

binder_spec native_spec(const signature* sig) {
  binder_spec s;
  s.qualname = sig->name;
  s.names = sig->names.data();
  s.npos = sig->positional;
  s.posonly = sig->positional_only;
  s.nkwonly = sig->keyword_only;
  s.varargs = sig->varargs;
  s.varkw = sig->varkw;
  s.native = true;
  s.param_defaults = sig->defaults.data();
  s.optional = &sig->optional;
  s.slots = sig->slots.data();
  return s;
}

/// CPython's messages for a built-in's arguments (Argument Clinic's and getargs.c's), which
/// depend on the shape of its parameters; what they leave to bind_args gets a def's texts.
void check_builtin_args(native_function* f, std::size_t n, const value& kwnames) {
  runtime& r = rt();
  const signature* s = f->sig;
  const bool is_new = f->name == "__new__";
  const char* bare = is_new ? f->owner->name.c_str() : f->name.c_str();
  const char* qual = is_new ? bare : s->name.c_str();
  const int self_n = f->owner && s->positional > 0 ? 1 : 0;
  const auto* kn = kwnames.is_null() ? nullptr : static_cast<tuple_object*>(kwnames.as_object());
  const std::size_t nkw = kn ? kn->items.size() : 0;
  const auto np = static_cast<long long>(n - nkw) - self_n;
  const int p = s->positional - self_n, all = s->positional + s->keyword_only;
  int req = 0;
  for (int i = self_n; i < s->positional; ++i) req += !s->optional[static_cast<std::size_t>(i)];
  auto find_kw = [&](const value& name) {
    for (std::size_t k = 0; k < nkw; ++k)
      if (kn->items[k].is(name) || str_of(kn->items[k]) == str_of(name)) return true;
    return false;
  };
  if (s->varargs >= 0) {  // print(*values, sep=...), max(*args, key=...), range(*args)
    if (s->varkw >= 0 || !nkw) return;
    if (s->keyword_only == 0) raisef(r.e_type, "%s() takes no keyword arguments", bare);
    for (std::size_t k = 0; k < nkw; ++k) {
      int j = s->positional;
      while (j < all && !s->names[static_cast<std::size_t>(j)].is(kn->items[k]) &&
             str_of(s->names[static_cast<std::size_t>(j)]) != str_of(kn->items[k]))
        ++j;
      if (j == all)
        raisef(r.e_type, "'%s' is an invalid keyword argument for %s()",
               str_of(kn->items[k]).c_str(), bare);
    }
    return;
  }
  // a few use getargs.c's older texts, or PyArg_CheckPositional's without being METH_O
  bool old_style = false;
  if (f->owner == r.t_str)
    for (const char* m : {"find", "rfind", "index", "rindex", "count", "startswith", "endswith"})
      old_style |= f->name == m;
  const bool expected = is_new || f->name == "sorted" || f->name == "reversed";
  if (s->name == "math.log" && (np < 1 || np > 2))
    raise(r.e_type, "math.log requires 1 to 2 arguments");
  if (f->name == "sorted" && np != 1) raisef(r.e_type, "sorted expected 1 argument, got %lld", np);
  if (s->positional_only == s->positional && s->keyword_only == 0) {  // f(a, b=..., /)
    if (nkw && s->varkw < 0) raisef(r.e_type, "%s() takes no keyword arguments", qual);
    if (p == 0 && np > 0) raisef(r.e_type, "%s() takes no arguments (%lld given)", qual, np);
    if (old_style && (np < req || np > p))
      raisef(r.e_type, "%s() takes at %s %d argument%s (%lld given)", bare,
             np < req ? "least" : "most", np < req ? req : p, (np < req ? req : p) == 1 ? "" : "s",
             np);
    if (p == 1 && req == 1 && np != 1 && !expected)
      raisef(r.e_type, "%s() takes exactly one argument (%lld given)", qual, np);
    if (np < req || np > p) {
      const int k = np < req ? req : p;
      raisef(r.e_type, "%s expected %s%d argument%s, got %lld", bare,
             req == p   ? ""
             : np < req ? "at least "
                        : "at most ",
             k, k == 1 ? "" : "s", np);
    }
    return;
  }
  if (s->varkw >= 0) return;
  // keyword arguments allowed: _PyArg_UnpackKeywords's order of checks
  const int total = all - self_n;
  if (p == 0 && np > 0) raisef(r.e_type, "%s() takes no positional arguments", bare);
  if (np + static_cast<long long>(nkw) > total || np > p) {
    if (s->keyword_only && np > p)
      raisef(r.e_type, "%s() takes %s %d positional argument%s (%lld given)", bare,
             req == p ? "exactly" : "at most", p, p == 1 ? "" : "s", np);
    raisef(r.e_type, "%s() takes at most %d argument%s (%lld given)", bare, total,
           total == 1 ? "" : "s", np + static_cast<long long>(nkw));
  }
  int req_posonly = 0;
  for (int i = self_n; i < s->positional_only; ++i)
    req_posonly += !s->optional[static_cast<std::size_t>(i)];
  if (np < req_posonly)
    raisef(r.e_type, "%s() takes %s %d positional argument%s (%lld given)", bare,
           req_posonly < p ? "at least" : "exactly", req_posonly, req_posonly == 1 ? "" : "s", np);
  for (int i = self_n + static_cast<int>(np); i < all; ++i) {
    const auto ui = static_cast<std::size_t>(i);
    if (!s->optional[ui] && !find_kw(s->names[ui]))
      raisef(r.e_type,
             is_new || f->name == "enumerate" ? "%s() missing required argument '%s'"
                                              : "%s() missing required argument '%s' (pos %d)",
             bare, str_of(s->names[ui]).c_str(), i - self_n + 1);
  }
  for (std::size_t k = 0; k < nkw; ++k) {
    const std::string& name = str_of(kn->items[k]);
    int j = s->positional_only;
    while (j < all && str_of(s->names[static_cast<std::size_t>(j)]) != name) ++j;
    if (j < all && j - self_n < np)
      raisef(r.e_type, "argument for %s() given by name ('%s') and position (%d)", bare,
             name.c_str(), j - self_n + 1);
  }
  for (std::size_t k = 0; k < nkw; ++k) {
    const std::string& name = str_of(kn->items[k]);
    int j = s->positional_only;
    while (j < all && str_of(s->names[static_cast<std::size_t>(j)]) != name) ++j;
    if (j == all)  // sorted() passes its keywords on to list.sort()
      raisef(r.e_type, "'%s' is an invalid keyword argument for %s()", name.c_str(),
             f->name == "sorted" ? "sort" : bare);
  }
}

value call_native(native_function* f, value* args, std::size_t n, const value& kwnames) {
  runtime& r = rt();
  const signature* sig = f->sig;
  if (!sig) {
    if (!kwnames.is_null() && !static_cast<tuple_object*>(kwnames.as_object())->items.empty())
      raisef(r.e_type, "%s() takes no keyword arguments", f->name.c_str());
    return f->fn(*r.ip, args, n, f);
  }
  const std::size_t np = sig->size();
  value small[8];
  std::vector<value> big;
  value* out = small;
  if (np > 8) {
    big.resize(np);
    out = big.data();
  }
  // fast path: positional arguments only, within the positional parameters
  if (kwnames.is_null() && sig->varargs < 0 && sig->varkw < 0 && sig->keyword_only == 0 &&
      n <= static_cast<std::size_t>(sig->positional)) {
    std::size_t i = 0;
    for (; i < n; ++i) out[i] = args[i];
    for (; i < np; ++i) {
      if (!sig->optional[i]) break;
      out[i] = sig->defaults[i];
    }
    if (i == np) return f->fn(*r.ip, out, np, f);
    for (std::size_t k = n; k < np; ++k) out[k] = value();
  }
  if (sig->builtin) check_builtin_args(f, n, kwnames);
  bind_args(native_spec(sig), args, n, kwnames, out);
  return f->fn(*r.ip, out, np, f);
}

value call_args(const value& f, value* args, std::size_t n, const value& kwnames) {
  runtime& r = rt();
  if (f.is_object()) {
    object* o = f.as_object();
    switch (o->type->kind) {
      case layout::native_function:
        return call_native(static_cast<native_function*>(o), args, n, kwnames);
      case layout::function:
        return run_nested(f, args, n, kwnames);
      case layout::method: {
        auto* m = static_cast<method_object*>(o);
        std::vector<value> a;
        a.reserve(n + 1);
        a.push_back(m->self);
        for (std::size_t i = 0; i < n; ++i) a.push_back(args[i]);
        return call_args(m->func, a.data(), a.size(), kwnames);
      }
      case layout::type:
        return type_call(static_cast<type_object*>(o), args, n, kwnames);
      default:
        break;
    }
    if (value c = o->type->get_slot(slot::call); !c.is_null()) {
      std::vector<value> a;
      a.reserve(n + 1);
      a.push_back(f);
      for (std::size_t i = 0; i < n; ++i) a.push_back(args[i]);
      return call_args(c, a.data(), a.size(), kwnames);
    }
  }
  raisef(r.e_type, "'%s' object is not callable", tname(f));
}

/// __new__ of a type: the slot if overridden, else object.__new__ (null).
value type_new(type_object* t) {
  value n = t->get_slot(slot::new_);
  if (n.is_object() && n.as_object()->type == rt().t_staticmethod)
    n = static_cast<wrapper_object*>(n.as_object())->func;
  return n;
}

value alloc_instance(type_object* t, bool has_args, const value& kwnames) {
  runtime& r = rt();
  if (!t->alloc) raisef(r.e_type, "cannot create '%s' instances", t->name.c_str());
  const bool kw =
      !kwnames.is_null() && !static_cast<tuple_object*>(kwnames.as_object())->items.empty();
  if ((has_args || kw) && t->get_slot(slot::init).is_null())
    raisef(r.e_type, "%s() takes no arguments", t->qualname.c_str());
  return value::steal(t->alloc(t));
}

value type_call(type_object* t, value* args, std::size_t n, const value& kwnames) {
  runtime& r = rt();
  const std::size_t nkw =
      kwnames.is_null() ? 0 : static_cast<tuple_object*>(kwnames.as_object())->items.size();
  if (t == r.t_type) {
    if (n == 1 && !nkw) return value::borrow(args[0].type());
    if (n == 3 && !nkw) return make_class(args[0], args[1], args[2], value());
    raise(r.e_type, "type() takes 1 or 3 arguments");
  }
  value obj;
  if (value nw = type_new(t); !nw.is_null()) {
    std::vector<value> a;
    a.reserve(n + 1);
    a.push_back(value::borrow(t));
    for (std::size_t i = 0; i < n; ++i) a.push_back(args[i]);
    obj = call_args(nw, a.data(), a.size(), kwnames);
    if (!obj.type()->is_subtype(t)) return obj;
  } else {
    obj = alloc_instance(t, n - nkw > 0, kwnames);
  }
  value init = obj.type()->get_slot(slot::init);
  if (!init.is_null()) {
    std::vector<value> a;
    a.reserve(n + 1);
    a.push_back(obj);
    for (std::size_t i = 0; i < n; ++i) a.push_back(args[i]);
    value res = call_args(init, a.data(), a.size(), kwnames);
    if (!res.is_none()) raisef(r.e_type, "__init__() should return None, not '%s'", tname(res));
  }
  return obj;
}

}  // namespace gradlab::py
