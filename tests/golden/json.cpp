#include "json.hpp"

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <sstream>
#include <stdexcept>

namespace gradlab::json {

namespace {
[[noreturn]] void fail(const std::string& what, std::size_t at) {
  throw std::runtime_error("JSON: " + what + " at offset " + std::to_string(at));
}

class parser {
 public:
  parser(const std::string& t, std::size_t max_depth) : t_(t), max_depth_(max_depth) {}

  value parse_document() {
    value v = parse_value(0);
    skip_ws();
    if (i_ != t_.size()) fail("trailing characters", i_);
    return v;
  }

 private:
  const std::string& t_;
  std::size_t i_ = 0;
  std::size_t max_depth_;

  void skip_ws() {
    while (i_ < t_.size() && (t_[i_] == ' ' || t_[i_] == '\n' || t_[i_] == '\r' || t_[i_] == '\t')) ++i_;
  }
  bool eat(char c) {
    skip_ws();
    if (i_ < t_.size() && t_[i_] == c) {
      ++i_;
      return true;
    }
    return false;
  }
  void expect(char c) {
    if (!eat(c)) fail(std::string("expected '") + c + "'", i_);
  }
  bool literal(const char* word) {
    std::size_t n = std::char_traits<char>::length(word);
    if (t_.compare(i_, n, word) == 0) {
      i_ += n;
      return true;
    }
    return false;
  }

  value parse_value(std::size_t depth) {
    if (depth > max_depth_) fail("nesting deeper than " + std::to_string(max_depth_), i_);
    skip_ws();
    if (i_ >= t_.size()) fail("unexpected end of input", i_);
    const char c = t_[i_];
    if (c == '{') return parse_object(depth);
    if (c == '[') return parse_array(depth);
    if (c == '"') return value::make_string(parse_string());
    if (literal("true")) return value::make_bool(true);
    if (literal("false")) return value::make_bool(false);
    if (literal("null")) return value::make_null();
    if (literal("NaN")) return value::make_number(std::numeric_limits<double>::quiet_NaN());
    if (literal("Infinity")) return value::make_number(HUGE_VAL);
    if (literal("-Infinity")) return value::make_number(-HUGE_VAL);
    return value::make_number(parse_number());
  }

  double parse_number() {
    const std::size_t start = i_;
    if (i_ < t_.size() && t_[i_] == '-') ++i_;
    auto digits = [&] {
      const std::size_t s = i_;
      while (i_ < t_.size() && t_[i_] >= '0' && t_[i_] <= '9') ++i_;
      return i_ > s;
    };
    if (!digits()) fail("invalid value", start);
    if (i_ < t_.size() && t_[i_] == '.') {
      ++i_;
      if (!digits()) fail("invalid number", start);
    }
    if (i_ < t_.size() && (t_[i_] == 'e' || t_[i_] == 'E')) {
      ++i_;
      if (i_ < t_.size() && (t_[i_] == '+' || t_[i_] == '-')) ++i_;
      if (!digits()) fail("invalid number", start);
    }
    return std::strtod(t_.substr(start, i_ - start).c_str(), nullptr);
  }

  static void put_utf8(std::string& out, unsigned cp) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }

  unsigned hex4() {
    if (i_ + 4 > t_.size()) fail("truncated \\u escape", i_);
    unsigned v = 0;
    for (int k = 0; k < 4; ++k) {
      const char h = t_[i_++];
      v <<= 4;
      if (h >= '0' && h <= '9') v |= static_cast<unsigned>(h - '0');
      else if (h >= 'a' && h <= 'f') v |= static_cast<unsigned>(h - 'a' + 10);
      else if (h >= 'A' && h <= 'F') v |= static_cast<unsigned>(h - 'A' + 10);
      else fail("bad \\u escape", i_ - 1);
    }
    return v;
  }

  std::string parse_string() {
    ++i_;  // opening quote
    std::string out;
    while (true) {
      if (i_ >= t_.size()) fail("unterminated string", i_);
      const char c = t_[i_++];
      if (c == '"') return out;
      if (static_cast<unsigned char>(c) < 0x20) fail("control character in string", i_ - 1);
      if (c != '\\') {
        out += c;
        continue;
      }
      if (i_ >= t_.size()) fail("unterminated escape", i_);
      const char e = t_[i_++];
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          unsigned cp = hex4();
          if (cp >= 0xD800 && cp < 0xDC00 && t_.compare(i_, 2, "\\u") == 0) {
            i_ += 2;
            const unsigned lo = hex4();
            if (lo >= 0xDC00 && lo < 0xE000) cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          }
          put_utf8(out, cp);
          break;
        }
        default: fail("bad escape", i_ - 1);
      }
    }
  }

  value parse_array(std::size_t depth) {
    ++i_;
    std::vector<value> items;
    if (eat(']')) return value::make_array(std::move(items));
    do items.push_back(parse_value(depth + 1));
    while (eat(','));
    expect(']');
    return value::make_array(std::move(items));
  }

  value parse_object(std::size_t depth) {
    ++i_;
    std::map<std::string, value> members;
    if (eat('}')) return value::make_object(std::move(members));
    do {
      skip_ws();
      if (i_ >= t_.size() || t_[i_] != '"') fail("expected a key", i_);
      std::string key = parse_string();
      expect(':');
      members[key] = parse_value(depth + 1);
    } while (eat(','));
    expect('}');
    return value::make_object(std::move(members));
  }
};

}  // namespace

value value::make_bool(bool b) { value v; v.kind_ = kind::boolean; v.b_ = b; return v; }
value value::make_number(double d) { value v; v.kind_ = kind::number; v.n_ = d; return v; }
value value::make_string(std::string s) { value v; v.kind_ = kind::string; v.s_ = std::move(s); return v; }
value value::make_array(std::vector<value> a) {
  value v;
  v.kind_ = kind::array;
  v.a_ = std::make_shared<std::vector<value>>(std::move(a));
  return v;
}
value value::make_object(std::map<std::string, value> o) {
  value v;
  v.kind_ = kind::object;
  v.o_ = std::make_shared<std::map<std::string, value>>(std::move(o));
  return v;
}

bool value::boolean() const {
  if (kind_ != kind::boolean) throw std::runtime_error("JSON: expected a boolean");
  return b_;
}
double value::number() const {
  if (kind_ != kind::number) throw std::runtime_error("JSON: expected a number");
  return n_;
}
double value::real() const {
  if (kind_ == kind::string) {
    if (s_ == "inf") return HUGE_VAL;
    if (s_ == "-inf") return -HUGE_VAL;
    if (s_ == "nan") return std::numeric_limits<double>::quiet_NaN();
  }
  return number();
}
const std::string& value::str() const {
  if (kind_ != kind::string) throw std::runtime_error("JSON: expected a string");
  return s_;
}
const std::vector<value>& value::array() const {
  if (kind_ != kind::array) throw std::runtime_error("JSON: expected an array");
  return *a_;
}
const std::map<std::string, value>& value::object() const {
  if (kind_ != kind::object) throw std::runtime_error("JSON: expected an object");
  return *o_;
}
bool value::has(const std::string& key) const { return kind_ == kind::object && o_->count(key); }
const value& value::operator[](const std::string& key) const {
  const auto& o = object();
  auto it = o.find(key);
  if (it == o.end()) throw std::runtime_error("JSON: missing key '" + key + "'");
  return it->second;
}
const value& value::operator[](std::size_t i) const {
  const auto& a = array();
  if (i >= a.size()) throw std::runtime_error("JSON: index " + std::to_string(i) + " out of range");
  return a[i];
}
std::size_t value::size() const {
  if (kind_ == kind::array) return a_->size();
  if (kind_ == kind::object) return o_->size();
  return 0;
}

value parse(const std::string& text, std::size_t max_depth) {
  return parser(text, max_depth).parse_document();
}

value parse_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return parse(ss.str());
}

}  // namespace gradlab::json
