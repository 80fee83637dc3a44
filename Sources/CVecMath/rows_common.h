// What each C file of the elementary rows starts with: arithmetic exactly as written (no a·b + c
// fused into an FMA behind the code's back: the bits must not depend on the vector width), the
// headers, and the target attribute of the AVX2 functions. Private to CVecMath.
#ifndef CVECMATH_ROWS_COMMON_H
#define CVECMATH_ROWS_COMMON_H
#pragma STDC FP_CONTRACT OFF
#if defined(__GNUC__) && !defined(__clang__)
// GCC ignores the STDC pragma and fuses a·b + c into an FMA wherever the target has one
// (scripts/vecmath-accuracy builds with cc, which may be GCC).
#pragma GCC optimize("fp-contract=off")
#endif
#include <stdint.h>
#include <string.h>
#include <sleef.h>

#if defined(__x86_64__)
#include <immintrin.h>
#define AVX2 __attribute__((target("avx2,fma")))
#endif
#endif
