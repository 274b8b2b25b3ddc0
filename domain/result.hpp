#pragma once

#include <utility>
#include <variant>

#include "domain/error.hpp"

namespace chatd::domain {

/// A value or the api_error that prevented it; what every validating function returns.
template<class T> class result {
public:
  result(T value) : v_(std::move(value)) {}
  result(api_error err) : v_(std::move(err)) {}

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() { return std::get<0>(v_); }
  const T& value() const { return std::get<0>(v_); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() { return value(); }

  const api_error& error() const { return std::get<1>(v_); }

private:
  std::variant<T, api_error> v_;
};

} // namespace chatd::domain
