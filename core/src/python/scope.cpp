// The symbol tables: which names each function, class body, lambda and comprehension
// binds, declares global/nonlocal or only uses; then CPython's analysis: a name used in a
// function and bound in an enclosing function is free there and a cell where it is bound.
#include <algorithm>

#include "python/compiler.hpp"

namespace gradlab::py {

symbol* scope::find(const std::string& n) {
  for (auto& s : syms)
    if (s.name == n) return &s;
  return nullptr;
}

symbol& scope::add(const std::string& n) {
  if (symbol* s = find(n)) return *s;
  syms.push_back(symbol{n});
  return syms.back();
}

namespace {

[[noreturn]] void fail(const program& p, int node, const std::string& msg) {
  syntax_error e;
  const span& s = p.at(node).where;
  e.message = msg;
  e.line = s.line;
  e.offset = s.col;
  e.end_line = s.end_line;
  e.end_offset = s.end_col;
  e.text = source_line(p.source, s.line) + "\n";
  throw e;
}

class builder {
 public:
  explicit builder(const program& p) : p_(p) {}

  std::unique_ptr<scope> run() {
    auto top = std::make_unique<scope>();
    top->kind = scope_kind::module;
    top->node = p_.root;
    top->name = "<module>";
    cur_ = top.get();
    for (int s : p_.at(p_.root).kids) stmt(s);
    analyze(top.get(), {});
    return top;
  }

 private:
  void def(scope* sc, const std::string& n, std::uint16_t flag, int node) {
    symbol& s = sc->add(n);
    if ((s.flags & s_global) && (flag & s_param))
      fail(p_, node, "name '" + n + "' is parameter and global");
    s.flags |= flag;
  }

  void use(const std::string& n) {
    cur_->add(n).flags |= s_use;
    // super() in a method needs the class: CPython makes __class__ implicitly free
    if (n == "super" && cur_->kind == scope_kind::function) cur_->add("__class__").flags |= s_use;
  }

  std::string qual(const std::string& n) const {
    if (cur_->kind == scope_kind::module) return n;
    if (cur_->kind == scope_kind::function && !cur_->comprehension)
      return cur_->qualname + ".<locals>." + n;
    if (cur_->comprehension) return cur_->qualname + ".<locals>." + n;
    return cur_->qualname + "." + n;
  }

  scope* child(scope_kind k, int node, const std::string& name) {
    auto c = std::make_unique<scope>();
    c->kind = k;
    c->node = node;
    c->name = name;
    c->qualname = qual(name);
    c->parent = cur_;
    scope* raw = c.get();
    cur_->children.push_back(std::move(c));
    return raw;
  }

  void params(scope* sc, int args_node) {
    const node& a = p_.at(args_node);
    for (int pass = 0; pass < 4; ++pass)
      for (int k : a.kids) {
        const node& arg = p_.at(k);
        const auto kind = static_cast<arg_kind>(arg.op);
        const bool positional = kind == arg_kind::positional_only || kind == arg_kind::normal;
        const bool take = pass == 0   ? positional
                          : pass == 1 ? kind == arg_kind::keyword_only
                          : pass == 2 ? kind == arg_kind::varargs
                                      : kind == arg_kind::varkw;
        if (!take) continue;
        sc->params.push_back(arg.text);
        def(sc, arg.text, s_param, k);
        if (positional) ++sc->argcount;
        if (kind == arg_kind::positional_only) ++sc->posonly;
        if (kind == arg_kind::keyword_only) ++sc->kwonly;
        if (kind == arg_kind::varargs) sc->varargs = true;
        if (kind == arg_kind::varkw) sc->varkw = true;
      }
  }

  void block(int b) {
    if (b < 0) return;
    for (int s : p_.at(b).kids) stmt(s);
  }

  void declare(int s, bool global) {
    for (int k : p_.at(s).kids) {
      const std::string& n = p_.at(k).text;
      if (!global && cur_->kind == scope_kind::module)
        fail(p_, s, "nonlocal declaration not allowed at module level");
      symbol* sym = cur_->find(n);
      const std::uint16_t f = sym ? sym->flags : 0;
      const char* what = global ? "global" : "nonlocal";
      if (f & s_param) fail(p_, s, "name '" + n + "' is parameter and " + what);
      if (global && (f & s_nonlocal)) fail(p_, s, "name '" + n + "' is nonlocal and global");
      if (!global && (f & s_global)) fail(p_, s, "name '" + n + "' is nonlocal and global");
      if (f & s_local)
        fail(p_, s, "name '" + n + "' is assigned to before " + what + " declaration");
      if (f & s_use) fail(p_, s, "name '" + n + "' is used prior to " + what + " declaration");
      cur_->add(n).flags |= global ? s_global : s_nonlocal;
    }
  }

  void stmt(int s) {
    check_stack_compiling();
    const node& n = p_.at(s);
    switch (n.kind) {
      case node_kind::def: {
        for (std::size_t i = 3; i < n.kids.size(); ++i) expr(n.kids[i]);  // decorators
        defaults(n.kids[0]);
        if (n.kids[2] >= 0) {
        }  // the return annotation is not evaluated
        def(cur_, n.text, s_local, s);
        scope* sc = child(scope_kind::function, s, n.text);
        scope* saved = cur_;
        cur_ = sc;
        params(sc, n.kids[0]);
        block(n.kids[1]);
        cur_ = saved;
        break;
      }
      case node_kind::class_def: {
        const auto ndec = static_cast<std::size_t>(n.ival);
        for (std::size_t i = 1; i < n.kids.size(); ++i) {
          const node& k = p_.at(n.kids[i]);
          expr(k.kind == node_kind::keyword ? k.kids[0] : n.kids[i]);
        }
        (void)ndec;
        def(cur_, n.text, s_local, s);
        scope* sc = child(scope_kind::class_body, s, n.text);
        scope* saved = cur_;
        cur_ = sc;
        block(n.kids[0]);
        cur_ = saved;
        break;
      }
      case node_kind::global_stmt:
        declare(s, true);
        break;
      case node_kind::nonlocal_stmt:
        declare(s, false);
        break;
      case node_kind::import_stmt:
        for (int a : n.kids) {
          const node& al = p_.at(a);
          if (al.kids[0] >= 0)
            def(cur_, p_.at(al.kids[0]).text, s_local, a);
          else
            def(cur_, al.text.substr(0, al.text.find('.')), s_local, a);
        }
        break;
      case node_kind::import_from:
        for (int a : n.kids) {
          const node& al = p_.at(a);
          if (al.text == "*") {
            if (cur_->kind != scope_kind::module)
              fail(p_, s, "import * only allowed at module level");
            continue;
          }
          def(cur_, al.kids[0] >= 0 ? p_.at(al.kids[0]).text : al.text, s_local, a);
        }
        break;
      case node_kind::try_stmt:
        block(n.kids[0]);
        for (std::size_t i = 3; i < n.kids.size(); ++i) {
          const node& h = p_.at(n.kids[i]);
          if (h.kids[0] >= 0) expr(h.kids[0]);
          if (!h.text.empty()) def(cur_, h.text, s_local, n.kids[i]);
          block(h.kids[1]);
        }
        block(n.kids[1]);
        block(n.kids[2]);
        break;
      case node_kind::param:
        def(cur_, n.text, s_local, s);
        if (n.kids[0] >= 0) expr(n.kids[0]);
        break;
      case node_kind::annassign:
        if (n.kids[2] >= 0) expr(n.kids[2]);
        expr(n.kids[0]);
        break;
      default:
        for (int k : n.kids) {
          if (k < 0) continue;
          const node_kind kk = p_.at(k).kind;
          if (kk == node_kind::block)
            block(k);
          else if (kk == node_kind::handler || kk == node_kind::with_item || kk == node_kind::alias)
            sub(k);
          else
            expr(k);
        }
    }
  }

  void sub(int k) {
    for (int c : p_.at(k).kids)
      if (c >= 0) {
        if (p_.at(c).kind == node_kind::block)
          block(c);
        else
          expr(c);
      }
  }

  void defaults(int args_node) {
    for (int k : p_.at(args_node).kids)
      if (p_.at(k).kids[0] >= 0) expr(p_.at(k).kids[0]);
  }

  // Expressions: an explicit stack (left-deep chains can be long); new scopes recurse.
  void expr(int root) {
    check_stack_compiling();
    std::vector<int> todo = {root};
    while (!todo.empty()) {
      const int e = todo.back();
      todo.pop_back();
      if (e < 0) continue;
      const node& n = p_.at(e);
      switch (n.kind) {
        case node_kind::name:
          if (n.ctx == expr_ctx::load)
            use(n.text);
          else
            def(cur_, n.text, s_local, e);
          break;
        case node_kind::lambda: {
          defaults(n.kids[0]);
          scope* sc = child(scope_kind::function, e, "<lambda>");
          scope* saved = cur_;
          cur_ = sc;
          params(sc, n.kids[0]);
          expr(n.kids[1]);
          cur_ = saved;
          break;
        }
        case node_kind::listcomp:
        case node_kind::setcomp:
        case node_kind::dictcomp:
        case node_kind::genexp:
          comprehension(e);
          break;
        default:
          for (auto it = n.kids.rbegin(); it != n.kids.rend(); ++it) todo.push_back(*it);
      }
    }
  }

  void comprehension(int e) {
    const node& n = p_.at(e);
    const std::size_t first = n.kind == node_kind::dictcomp ? 2 : 1;
    const node& gen0 = p_.at(n.kids[first]);
    expr(gen0.kids[1]);  // the first iterable is evaluated outside
    const char* name = n.kind == node_kind::listcomp   ? "<listcomp>"
                       : n.kind == node_kind::setcomp  ? "<setcomp>"
                       : n.kind == node_kind::dictcomp ? "<dictcomp>"
                                                       : "<genexpr>";
    scope* sc = child(scope_kind::function, e, name);
    sc->comprehension = true;
    scope* saved = cur_;
    cur_ = sc;
    sc->params.push_back(".0");
    def(sc, ".0", s_param, e);
    sc->argcount = 1;
    for (std::size_t g = first; g < n.kids.size(); ++g) {
      const node& gen = p_.at(n.kids[g]);
      expr(gen.kids[0]);
      if (g != first) expr(gen.kids[1]);
      for (std::size_t c = 2; c < gen.kids.size(); ++c) expr(gen.kids[c]);
    }
    for (std::size_t k = 0; k < first; ++k) expr(n.kids[k]);
    cur_ = saved;
  }

  // Resolution. `bound`: names bound by enclosing function scopes. Returns the names free
  // in this scope (which its parent must provide).
  std::vector<std::string> analyze(scope* sc, const std::vector<std::string>& bound) {
    const bool fn = sc->kind == scope_kind::function;
    std::vector<std::string> free;
    for (auto& s : sc->syms) {
      if (s.flags & s_global) {
        s.b = binding::global_explicit;
      } else if (s.flags & s_nonlocal) {
        if (std::find(bound.begin(), bound.end(), s.name) == bound.end())
          fail(p_, nonlocal_node(sc, s.name), "no binding for nonlocal '" + s.name + "' found");
        s.b = binding::free;
        free.push_back(s.name);
      } else if (s.flags & (s_local | s_param)) {
        s.b = binding::local;
      } else if (std::find(bound.begin(), bound.end(), s.name) != bound.end() &&
                 sc->kind != scope_kind::module) {
        s.b = binding::free;
        free.push_back(s.name);
      } else {
        s.b = binding::global_implicit;
      }
    }
    std::vector<std::string> inner = bound;
    if (fn)
      for (auto& s : sc->syms)
        if (s.b == binding::local) inner.push_back(s.name);
    if (sc->kind == scope_kind::class_body) inner.push_back("__class__");
    for (auto& c : sc->children) {
      for (const std::string& n : analyze(c.get(), inner)) {
        symbol* s = sc->find(n);
        if (sc->kind == scope_kind::class_body && n == "__class__" &&
            (!s || !(s->flags & (s_local | s_global)))) {
          sc->class_cell = true;
          sc->add("__class__").b = binding::cell;
          continue;
        }
        if (fn && s && s->b == binding::local) {
          s->b = binding::cell;
        } else if (!s || s->b == binding::global_implicit) {
          sc->add(n).b = binding::free;  // passes through to an outer function
          if (std::find(free.begin(), free.end(), n) == free.end()) free.push_back(n);
        } else if (s->b == binding::free && std::find(free.begin(), free.end(), n) == free.end()) {
          free.push_back(n);
        }
      }
    }
    return free;
  }

  int nonlocal_node(scope* sc, const std::string& name) {
    int found = sc->node;
    std::vector<int> todo = {sc->node};
    while (!todo.empty()) {
      const int k = todo.back();
      todo.pop_back();
      if (k < 0) continue;
      const node& n = p_.at(k);
      if (n.kind == node_kind::nonlocal_stmt)
        for (int c : n.kids)
          if (p_.at(c).text == name) return k;
      if (k != sc->node && (n.kind == node_kind::def || n.kind == node_kind::class_def ||
                            n.kind == node_kind::lambda))
        continue;
      for (int c : n.kids) todo.push_back(c);
    }
    return found;
  }

  const program& p_;
  scope* cur_ = nullptr;
};

}  // namespace

std::unique_ptr<scope> build_scopes(const program& prog) { return builder(prog).run(); }

}  // namespace gradlab::py
