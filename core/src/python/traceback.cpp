// Printing exceptions as CPython 3.11 does (Python/traceback.c and pythonrun.c): frames
// outermost first with their source line and carets (anchored under the operator of a
// binary operation or the brackets of a subscript), "[Previous line repeated N more
// times]", chained exceptions, SyntaxErrors, and "Did you mean" suggestions.
#include <algorithm>
#include <climits>

#include "python/vm.hpp"

namespace gradlab::py {

std::vector<std::string> dir_of(const value& obj);

namespace {

// CPython's suggestion distance: Levenshtein with moves costing 2 and case flips 1.
constexpr std::size_t kMove = 2, kCase = 1, kMaxString = 40, kMaxCandidates = 750;

std::size_t substitution(char a, char b) {
  if ((a & 31) != (b & 31)) return kMove;
  if (a == b) return 0;
  if (a >= 'A' && a <= 'Z') a = static_cast<char>(a + 32);
  if (b >= 'A' && b <= 'Z') b = static_cast<char>(b + 32);
  return a == b ? kCase : kMove;
}

std::size_t levenshtein(std::string a, std::string b, std::size_t max_cost) {
  if (a == b) return 0;
  std::size_t pre = 0;
  while (pre < a.size() && pre < b.size() && a[pre] == b[pre]) ++pre;
  a = a.substr(pre);
  b = b.substr(pre);
  while (!a.empty() && !b.empty() && a.back() == b.back()) {
    a.pop_back();
    b.pop_back();
  }
  if (a.empty() || b.empty()) return (a.size() + b.size()) * kMove;
  if (a.size() > kMaxString || b.size() > kMaxString) return max_cost + 1;
  if (b.size() < a.size()) std::swap(a, b);
  if ((b.size() - a.size()) * kMove > max_cost) return max_cost + 1;
  std::vector<std::size_t> buffer(a.size());
  std::size_t tmp = kMove;
  for (std::size_t i = 0; i < a.size(); ++i) {
    buffer[i] = tmp;
    tmp += kMove;
  }
  std::size_t result = 0;
  for (std::size_t bi = 0; bi < b.size(); ++bi) {
    const char code = b[bi];
    std::size_t distance = result = bi * kMove;
    std::size_t minimum = SIZE_MAX;
    for (std::size_t i = 0; i < a.size(); ++i) {
      const std::size_t substitute = distance + substitution(code, a[i]);
      distance = buffer[i];
      const std::size_t insert_delete = std::min(result, distance) + kMove;
      result = std::min(insert_delete, substitute);
      buffer[i] = result;
      if (result < minimum) minimum = result;
    }
    if (minimum > max_cost) return max_cost + 1;
  }
  return result;
}

std::string best_match(const std::vector<std::string>& dir, const std::string& name) {
  if (dir.size() >= kMaxCandidates) return "";
  std::size_t best_d = SIZE_MAX;
  std::string best;
  for (const std::string& item : dir) {
    if (item == name) continue;
    std::size_t max_d = (name.size() + item.size() + 3) * kMove / 6;
    if (best_d != SIZE_MAX) max_d = std::min(max_d, best_d - 1);
    const std::size_t d = levenshtein(name, item, max_d);
    if (d > max_d) continue;
    if (best.empty() || d < best_d) {
      best = item;
      best_d = d;
    }
  }
  return best;
}

value attr_of(const value& exc, const char* n) {
  object* o = exc.as_object();
  if (!o->attrs) return value();
  value* v = o->attrs->table.get_str(n);
  return v ? *v : value();
}

std::string suggestion(const value& exc) {
  runtime& r = rt();
  auto* e = static_cast<exception_object*>(exc.as_object());
  type_object* t = e->type;
  if (t->is_subtype(r.e_name) && !t->is_subtype(r.e_unbound)) {
    value name = attr_of(exc, "name");
    if (!is_str(name) || e->traceback.empty()) return "";
    auto* code = static_cast<code_object*>(e->traceback.front().code);
    std::vector<std::string> dir;
    for (std::size_t i = 0; i < code->varnames.size(); ++i)
      dir.push_back(str_of(code->varnames[i]));
    std::string s = best_match(dir, str_of(name));
    if (!s.empty()) return s;
    dir.clear();
    value m = attr_of(exc, "__module__");
    if (m.is_object()) {
      auto* mod = static_cast<module_object*>(m.as_object());
      for (std::size_t i = 0; i < mod->slot_names.size(); ++i)
        if (!mod->globals[i].is_null()) dir.push_back(str_of(mod->slot_names[i]));
      s = best_match(dir, str_of(name));
      if (!s.empty()) return s;
    }
    dir.clear();
    for (std::size_t i = 0; i < r.builtins->slot_names.size(); ++i)
      if (!r.builtins->globals[i].is_null()) dir.push_back(str_of(r.builtins->slot_names[i]));
    return best_match(dir, str_of(name));
  }
  if (t->is_subtype(r.e_attr)) {
    value name = attr_of(exc, "name");
    value obj = attr_of(exc, "obj");
    if (!is_str(name) || obj.is_null()) return "";
    return best_match(dir_of(obj), str_of(name));
  }
  return "";
}

std::size_t leading_ws(const std::string& s) {
  std::size_t i = 0;
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\f')) ++i;
  return i;
}

void frame_lines(std::string& out, code_object* code, std::uint32_t lasti) {
  const position p = lasti < code->positions.size() ? code->positions[lasti] : position{};
  const int line = p.line > 0 ? p.line : code->first_line;
  const std::string& file = code->source->filename;
  out +=
      "  File \"" + file + "\", line " + std::to_string(line) + ", in " + str_of(code->name) + "\n";
  if (!file.empty() && file.front() == '<' && file.back() == '>') return;
  const std::string text = code->source->line(line);
  if (static_cast<std::size_t>(line) > code->source->line_starts.size()) return;
  const std::size_t ws = leading_ws(text);  // bytes; the indentation is ASCII
  out += "    " + text.substr(ws) + "\n";
  if (p.line <= 0 || p.col < 0 || p.end_col < 0) return;
  const auto len = static_cast<long>(utf8_length(text));
  const auto indent = static_cast<long>(ws);
  long start = p.col, end = p.end_col;
  long left = -1, right = -1;
  if (p.line == p.end_line) {
    left = p.anchor_left;
    right = p.anchor_right;
  } else {
    // a multi-line location: underline up to the last non-blank character of this line
    long i = static_cast<long>(text.size());
    while (--i >= 0)
      if (text[static_cast<std::size_t>(i)] != ' ' && text[static_cast<std::size_t>(i)] != '\t' &&
          text[static_cast<std::size_t>(i)] != '\f')
        break;
    end = static_cast<long>(utf8_length(text.substr(0, static_cast<std::size_t>(i + 1))));
  }
  const bool secondary = left != -1 || right != -1;
  if (end - start == len - indent && !secondary) return;
  std::string carets = "    ";
  for (long k = indent; k < end; ++k) {
    if (k < start)
      carets += ' ';
    else if (secondary && left <= k && k < right)
      carets += '^';
    else
      carets += secondary ? '~' : '^';
  }
  out += carets + "\n";
}

void print_one(std::string& out, const value& exc) {
  runtime& r = rt();
  auto* e = static_cast<exception_object*>(exc.as_object());
  if (!e->traceback.empty()) {
    out += "Traceback (most recent call last):\n";
    std::string last_file;
    int last_line = -1;
    const std::string* last_name = nullptr;
    long count = 0;
    auto repeated = [&]() {
      if (count > 3) {
        const long n = count - 3;
        out += "  [Previous line repeated " + std::to_string(n) +
               (n > 1 ? " more times]\n" : " more time]\n");
      }
    };
    for (std::size_t k = e->traceback.size(); k-- > 0;) {
      auto* code = static_cast<code_object*>(e->traceback[k].code);
      const std::uint32_t lasti = e->traceback[k].lasti;
      const int line = lasti < code->positions.size() && code->positions[lasti].line > 0
                           ? code->positions[lasti].line
                           : code->first_line;
      const std::string& file = code->source->filename;
      const std::string& name = str_of(code->name);
      if (!last_name || file != last_file || line != last_line || name != *last_name) {
        repeated();
        last_file = file;
        last_line = line;
        last_name = &name;
        count = 0;
      }
      if (++count <= 3) frame_lines(out, code, lasti);
    }
    repeated();
  }
  type_object* t = e->type;
  // a SyntaxError raised while importing a module: its location block
  if (t->is_subtype(r.e_syntax)) {
    value text = attr_of(exc, "text");
    value line = attr_of(exc, "lineno");
    if (line.is_int()) {
      syntax_error se;
      se.type = t->name;
      auto& args = static_cast<tuple_object*>(e->args.as_object())->items;
      se.message = args.empty() ? "" : str_s(args[0]);
      se.line = static_cast<int>(line.as_int());
      value off = attr_of(exc, "offset"), eline = attr_of(exc, "end_lineno"),
            eoff = attr_of(exc, "end_offset");
      se.offset = off.is_int() ? static_cast<int>(off.as_int()) : 0;
      se.end_line = eline.is_int() ? static_cast<int>(eline.as_int()) : se.line;
      se.end_offset = eoff.is_int() ? static_cast<int>(eoff.as_int()) : 0;
      se.text = is_str(text) ? str_of(text) : "";
      value fn = attr_of(exc, "filename");
      out += format_syntax_error(se, is_str(fn) ? str_of(fn) : "<string>");
      return;
    }
  }
  std::string name = t->module == "builtins" || t->module == "__main__"
                         ? t->qualname
                         : t->module + "." + t->qualname;
  std::string s;
  try {
    s = str_s(exc);
  } catch (...) {
    out += name + ": <exception str() failed>\n";
    return;
  }
  out += name;
  if (!s.empty()) out += ": " + s;
  const std::string sug = suggestion(exc);
  if (!sug.empty()) out += ". Did you mean: '" + sug + "'?";
  out += "\n";
}

void print_chain(std::string& out, const value& exc, std::vector<object*>& seen) {
  seen.push_back(exc.as_object());
  auto* e = static_cast<exception_object*>(exc.as_object());
  auto unseen = [&](const value& v) {
    return v.is_object() && std::find(seen.begin(), seen.end(), v.as_object()) == seen.end();
  };
  if (!e->cause.is_null() && !e->cause.is_none()) {
    if (unseen(e->cause)) {
      print_chain(out, e->cause, seen);
      out += "\nThe above exception was the direct cause of the following exception:\n\n";
    }
  } else if (!e->context.is_null() && !e->context.is_none() && !e->suppress_context &&
             unseen(e->context)) {
    print_chain(out, e->context, seen);
    out += "\nDuring handling of the above exception, another exception occurred:\n\n";
  }
  print_one(out, exc);
}

}  // namespace

std::string format_traceback(const value& exc) {
  std::string out;
  std::vector<object*> seen;
  print_chain(out, exc, seen);
  return out;
}

// pythonrun.c's print_error_text
std::string format_syntax_error(const syntax_error& e, const std::string& filename) {
  if (e.line <= 0) return e.type + ": " + e.message + "\n";
  std::string out = "  File \"" + filename + "\", line " + std::to_string(e.line) + "\n";
  if (!e.text.empty() &&
      !(filename.size() > 1 && filename.front() == '<' && filename.back() == '>' && false)) {
    long offset = e.offset, end_offset = e.end_offset;
    std::string text = e.text;
    const long line_size =
        static_cast<long>(text.size() && text.back() == '\n' ? text.size() - 1 : text.size());
    if (e.type != "SyntaxError") end_offset = -1;  // subclasses show one caret
    if (e.end_line > e.line) end_offset = line_size;
    if (end_offset > line_size + 1) end_offset = line_size + 1;
    const long reps = (end_offset > 0 && end_offset > offset) ? end_offset - offset : 1;
    --offset;
    std::size_t i = 0;
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\f')) {
      ++i;
      --offset;
    }
    text = text.substr(i);
    long len = static_cast<long>(text.size());
    if (len > 0 && text[static_cast<std::size_t>(len) - 1] == '\n') --len;
    if (offset > len) offset = len;
    out += "    " + text;
    if (text.empty() || text.back() != '\n') out += "\n";
    if (offset >= 0)
      out += "    " + std::string(static_cast<std::size_t>(offset), ' ') +
             std::string(static_cast<std::size_t>(reps), '^') + "\n";
  }
  return out + e.type + ": " + e.message + "\n";
}

value suggestion_for(const value& exc) { return make_str(suggestion(exc)); }

}  // namespace gradlab::py
