// The square root over a row, for `sqrt`'s lane kernels. IEEE square root is correctly rounded,
// so every vector width gives the same bits as one `sqrtsd` (Swift's `squareRoot()`, which the
// reference uses). Swift compiled `SIMD8<Double>.squareRoot()` into eight scalar square roots,
// each behind a test that calls libm's `sqrt` for negative arguments (for errno): 2.6–2.8 ns a
// lane on this machine, ten times a vector instruction's cost.
#include "rows_common.h"
#include "cvecmath.h"

#if defined(__x86_64__)
#define AVX512 __attribute__((target("avx512f")))
#define AVX __attribute__((target("avx")))

/// Square roots of the whole 8-lane (4-lane) chunks of the row; returns how many it did.
AVX512 static long sqrt8(const double *x, double *y, long n) {
    long i = 0;
    for (; i + 8 <= n; i += 8) _mm512_storeu_pd(y + i, _mm512_sqrt_pd(_mm512_loadu_pd(x + i)));
    return i;
}
AVX static long sqrt4(const double *x, double *y, long n) {
    long i = 0;
    for (; i + 4 <= n; i += 4) _mm256_storeu_pd(y + i, _mm256_sqrt_pd(_mm256_loadu_pd(x + i)));
    return i;
}
#endif

void cvm_sqrt(const double *x, double *y, long n) {
    long i = 0;
#if defined(__x86_64__)
    // The elementary rows' width (cvecmath.h): 8 means AVX-512F, 4 AVX2 (so AVX); the bits are
    // the same at every width.
    const int width = cvm_width();
    if (width == 8) i = sqrt8(x, y, n);
    else if (width == 4) i = sqrt4(x, y, n);
    for (; i + 2 <= n; i += 2) _mm_storeu_pd(y + i, _mm_sqrt_pd(_mm_loadu_pd(x + i)));
    for (; i < n; i++) {
        const __m128d v = _mm_set_sd(x[i]);
        _mm_store_sd(y + i, _mm_sqrt_sd(v, v));
    }
#else
    for (; i < n; i++) y[i] = __builtin_sqrt(x[i]);
#endif
}
