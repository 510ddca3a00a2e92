// Reading the addon's arguments: typed arrays of an expected element type, integers, and the
// RangeError a bad argument raises (the TypeScript callers check first; these checks keep a
// bad call from ever indexing outside the arrays).
#pragma once

#include <node_api.h>

#include <cstddef>
#include <cstdint>

namespace cascadelab {

// True, with the data pointer and element count, if `value` is a typed array of type `want`.
inline bool typedArray(napi_env env, napi_value value, napi_typedarray_type want, void** data, size_t* length) {
  bool is = false;
  if (napi_is_typedarray(env, value, &is) != napi_ok || !is) return false;
  napi_typedarray_type type;
  napi_value buffer;
  size_t byteOffset;
  if (napi_get_typedarray_info(env, value, &type, length, data, &buffer, &byteOffset) != napi_ok) return false;
  return type == want;
}

inline bool integer(napi_env env, napi_value value, int64_t* out) {
  return napi_get_value_int64(env, value, out) == napi_ok;
}

inline napi_value fail(napi_env env, const char* message) {
  napi_throw_range_error(env, nullptr, message);
  return nullptr;
}

}  // namespace cascadelab
