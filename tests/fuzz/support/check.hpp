#pragma once

#include <cstdio>
#include <cstdlib>

// A broken invariant must end the run the way a crash does, so that libFuzzer saves the input
// as an artifact; assert() would vanish under NDEBUG (RelWithDebInfo builds).
#define FUZZ_CHECK(cond)                                                                           \
  do {                                                                                             \
    if (!(cond)) {                                                                                 \
      std::fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #cond);            \
      std::abort();                                                                                \
    }                                                                                              \
  } while (0)
