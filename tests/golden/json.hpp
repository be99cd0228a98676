#pragma once
// A small JSON reader for the golden files (and anything else in their format). It never
// recurses without bound and reports errors with their byte offset.
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace gradlab::json {

class value {
 public:
  enum class kind { null, boolean, number, string, array, object };

  value() = default;
  kind type() const { return kind_; }
  bool is_null() const { return kind_ == kind::null; }
  bool is_number() const { return kind_ == kind::number; }
  bool is_string() const { return kind_ == kind::string; }
  bool is_array() const { return kind_ == kind::array; }
  bool is_object() const { return kind_ == kind::object; }
  bool is_bool() const { return kind_ == kind::boolean; }

  bool boolean() const;
  double number() const;
  /// A number, or one of the strings "inf", "-inf", "nan" that the golden files use.
  double real() const;
  const std::string& str() const;
  const std::vector<value>& array() const;
  const std::map<std::string, value>& object() const;
  bool has(const std::string& key) const;
  /// Member access; throws with the key name when it is missing.
  const value& operator[](const std::string& key) const;
  const value& operator[](std::size_t i) const;
  std::size_t size() const;

  static value make_null() { return value(); }
  static value make_bool(bool b);
  static value make_number(double d);
  static value make_string(std::string s);
  static value make_array(std::vector<value> a);
  static value make_object(std::map<std::string, value> o);

 private:
  kind kind_ = kind::null;
  bool b_ = false;
  double n_ = 0;
  std::string s_;
  std::shared_ptr<std::vector<value>> a_;
  std::shared_ptr<std::map<std::string, value>> o_;
};

/// Parses text; throws std::runtime_error("JSON: ... at offset N") on malformed input.
value parse(const std::string& text, std::size_t max_depth = 256);
/// Reads and parses a file.
value parse_file(const std::string& path);

}  // namespace gradlab::json
