#pragma once
/// \file value.hpp
/// Python values: None, bool, int (int64) and float (double) held inline, everything else
/// a reference-counted heap object. Reference counting frees temporaries (tensors) the
/// moment the last reference goes; cycles are broken when the interpreter is torn down.
#include <cstdint>
#include <utility>

namespace gradlab::py {

struct object;
struct type_object;
struct dict_object;

/// The base of every heap object. `refs` counts owners; `attrs` is the instance __dict__
/// (created on first use, for types whose instances have one).
struct object {
  explicit object(type_object* t) noexcept;
  object(const object&) = delete;
  object& operator=(const object&) = delete;
  virtual ~object();
  /// Drops every reference this object holds to other objects: how the interpreter breaks
  /// reference cycles when it is torn down. Overrides call the base.
  virtual void clear() noexcept;

  std::int32_t refs = 1;  ///< a new object belongs to its creator
  type_object* type;
  dict_object* attrs = nullptr;
  object* prev_ = nullptr;  ///< the runtime's list of live objects
  object* next_ = nullptr;
};

void object_free(object* o) noexcept;
inline void incref(object* o) noexcept { ++o->refs; }
inline void decref(object* o) noexcept {
  if (--o->refs == 0) object_free(o);
}

/// An owning pointer to an object of class T.
template <class T>
class ref {
 public:
  ref() noexcept = default;
  ref(std::nullptr_t) noexcept {}
  /// Takes over a reference the caller owns (a new object's).
  static ref adopt(T* p) noexcept {
    ref r;
    r.p_ = p;
    return r;
  }
  /// Adds a reference to an object owned elsewhere.
  static ref borrow(T* p) noexcept {
    if (p) incref(p);
    return adopt(p);
  }
  ref(const ref& o) noexcept : p_(o.p_) {
    if (p_) incref(p_);
  }
  ref(ref&& o) noexcept : p_(o.p_) { o.p_ = nullptr; }
  template <class U>
  ref(ref<U>&& o) noexcept : p_(o.release()) {}
  template <class U>
  ref(const ref<U>& o) noexcept : p_(o.get()) {
    if (p_) incref(p_);
  }
  ~ref() {
    if (p_) decref(p_);
  }
  ref& operator=(ref o) noexcept {
    std::swap(p_, o.p_);
    return *this;
  }
  T* get() const noexcept { return p_; }
  T* operator->() const noexcept { return p_; }
  T& operator*() const noexcept { return *p_; }
  explicit operator bool() const noexcept { return p_ != nullptr; }
  T* release() noexcept {
    T* p = p_;
    p_ = nullptr;
    return p;
  }

 private:
  T* p_ = nullptr;
};

template <class T, class... A>
ref<T> make(A&&... a) {
  return ref<T>::adopt(new T(std::forward<A>(a)...));
}

/// A Python value. The default value is `null`: no value at all (an unbound local, a
/// missing optional argument), distinct from None.
class value {
 public:
  enum class tag : std::uint8_t { null, none, boolean, integer, floating, object };

  value() noexcept { u_.i = 0; }
  static value none() noexcept { return value(tag::none); }
  static value from_bool(bool b) noexcept {
    value v(tag::boolean);
    v.u_.b = b;
    return v;
  }
  static value from_int(std::int64_t i) noexcept {
    value v(tag::integer);
    v.u_.i = i;
    return v;
  }
  static value from_float(double d) noexcept {
    value v(tag::floating);
    v.u_.f = d;
    return v;
  }
  /// Adds a reference to o.
  static value borrow(object* o) noexcept {
    incref(o);
    return steal(o);
  }
  /// Takes over a reference the caller owns.
  static value steal(object* o) noexcept {
    value v(tag::object);
    v.u_.o = o;
    return v;
  }
  template <class T>
  value(const ref<T>& r) noexcept : value(borrow(r.get())) {}
  template <class T>
  value(ref<T>&& r) noexcept : value(steal(r.release())) {}

  value(const value& o) noexcept : tag_(o.tag_), u_(o.u_) {
    if (tag_ == tag::object) incref(u_.o);
  }
  value(value&& o) noexcept : tag_(o.tag_), u_(o.u_) { o.tag_ = tag::null; }
  value& operator=(const value& o) noexcept {
    value t(o);
    swap(t);
    return *this;
  }
  value& operator=(value&& o) noexcept {
    value t(std::move(o));
    swap(t);
    return *this;
  }
  ~value() {
    if (tag_ == tag::object) decref(u_.o);
  }
  void swap(value& o) noexcept {
    std::swap(tag_, o.tag_);
    std::swap(u_, o.u_);
  }

  tag kind() const noexcept { return tag_; }
  bool is_null() const noexcept { return tag_ == tag::null; }
  bool is_none() const noexcept { return tag_ == tag::none; }
  bool is_bool() const noexcept { return tag_ == tag::boolean; }
  bool is_int() const noexcept { return tag_ == tag::integer; }
  bool is_float() const noexcept { return tag_ == tag::floating; }
  bool is_object() const noexcept { return tag_ == tag::object; }
  bool as_bool() const noexcept { return u_.b; }
  std::int64_t as_int() const noexcept { return u_.i; }
  double as_float() const noexcept { return u_.f; }
  object* as_object() const noexcept { return u_.o; }
  /// The object pointer, or nullptr for an immediate value.
  object* ptr() const noexcept { return tag_ == tag::object ? u_.o : nullptr; }
  /// Python's type(v).
  type_object* type() const noexcept;
  /// Same object / same immediate bits (Python's `is`).
  bool is(const value& o) const noexcept;

 private:
  explicit value(tag t) noexcept : tag_(t) { u_.i = 0; }
  tag tag_ = tag::null;
  union {
    bool b;
    std::int64_t i;
    double f;
    object* o;
  } u_;
};

}  // namespace gradlab::py
