#pragma once

#include <pthread.h>

#include <cstddef>
#include <cstdlib>
#include <type_traits>

namespace chatd::fuzz {

/// A service thread has 8 MiB of stack and the SSE parser takes lines of up to 1 MiB; fuzz
/// inputs are a few KiB. Running the checks on a 256 KiB stack keeps roughly that ratio (ASan's
/// frames are larger too), so recursion that grows with the input, such as JSON nesting depth,
/// overflows at fuzzing sizes the way it would in the service at full size.
inline constexpr std::size_t small_stack_bytes = 256 * 1024;

/// Runs `f` to completion on a thread with a small_stack_bytes stack.
template<class F> void run_on_small_stack(F&& f) {
  using fn = std::remove_reference_t<F>;
  pthread_attr_t attr;
  pthread_t thread;
  if (pthread_attr_init(&attr) != 0 || pthread_attr_setstacksize(&attr, small_stack_bytes) != 0)
    std::abort();
  auto body = [](void* arg) -> void* {
    (*static_cast<fn*>(arg))();
    return nullptr;
  };
  if (pthread_create(&thread, &attr, body, &f) != 0 || pthread_join(thread, nullptr) != 0)
    std::abort();
  pthread_attr_destroy(&attr);
}

} // namespace chatd::fuzz
