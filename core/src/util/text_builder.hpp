#pragma once
// A string built with <<, for generated text (the PyTorch export). std::ostringstream would
// do the same, but it drags iostreams and every locale facet into the WebAssembly module
// (about 60 KB of code that nothing else needs).
#include <string>
#include <type_traits>

namespace gradlab {

class text_builder {
 public:
  text_builder& operator<<(const std::string& s) {
    s_ += s;
    return *this;
  }
  text_builder& operator<<(const char* s) {
    s_ += s;
    return *this;
  }
  text_builder& operator<<(char c) {
    s_ += c;
    return *this;
  }
  template <class I, std::enable_if_t<std::is_integral_v<I> && !std::is_same_v<I, char> &&
                                          !std::is_same_v<I, bool>,
                                      int> = 0>
  text_builder& operator<<(I v) {
    s_ += std::to_string(v);
    return *this;
  }
  const std::string& str() const { return s_; }

 private:
  std::string s_;
};

}  // namespace gradlab
