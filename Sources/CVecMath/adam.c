// Adam's per-parameter scaling (see cvecmath.h) over whole rows, 8, 4 or 2 parameters per
// instruction where the CPU allows, then one at a time. Multiplication, addition, division and
// square root are IEEE operations, correctly rounded lane by lane, and each is written on its
// own (no contraction into fused multiply-adds), so every width gives the same bits.
#pragma STDC FP_CONTRACT OFF
#include "cvecmath.h"

#if defined(__x86_64__)
#include <immintrin.h>

/// One width's loop over the whole chunks; returns how many parameters it did.
#define ADAM_CHUNKS(NAME, ATTR, W, T, P)                                                         \
    ATTR static long NAME(double *m, double *v, double *u, long n, const double *k) {           \
        const T b1 = P##_set1_pd(k[0]), c1 = P##_set1_pd(k[1]), b2 = P##_set1_pd(k[2]);         \
        const T c2 = P##_set1_pd(k[3]), d1 = P##_set1_pd(k[4]), d2 = P##_set1_pd(k[5]);         \
        const T eps = P##_set1_pd(k[6]);                                                         \
        long i = 0;                                                                              \
        for (; i + W <= n; i += W) {                                                             \
            const T g = P##_loadu_pd(u + i);                                                     \
            const T mi = P##_add_pd(P##_mul_pd(b1, P##_loadu_pd(m + i)), P##_mul_pd(c1, g));     \
            const T vi = P##_add_pd(P##_mul_pd(b2, P##_loadu_pd(v + i)),                         \
                                    P##_mul_pd(c2, P##_mul_pd(g, g)));                           \
            P##_storeu_pd(m + i, mi);                                                            \
            P##_storeu_pd(v + i, vi);                                                            \
            const T mHat = P##_div_pd(mi, d1), vHat = P##_div_pd(vi, d2);                        \
            P##_storeu_pd(u + i, P##_div_pd(mHat, P##_add_pd(P##_sqrt_pd(vHat), eps)));          \
        }                                                                                        \
        return i;                                                                                \
    }
ADAM_CHUNKS(adam8, __attribute__((target("avx512f"))), 8, __m512d, _mm512)
ADAM_CHUNKS(adam4, __attribute__((target("avx"))), 4, __m256d, _mm256)
ADAM_CHUNKS(adam2, , 2, __m128d, _mm)
#endif

void cvm_adam_scale(double *m, double *v, double *u, long n, double beta1, double beta2,
                    double correction1, double correction2, double epsilon, int width) {
    const double k[7] = { beta1, 1 - beta1, beta2, 1 - beta2, correction1, correction2, epsilon };
    long i = 0;
#if defined(__x86_64__)
    __builtin_cpu_init();
    if (width == 0) width = __builtin_cpu_supports("avx512f") ? 8 : __builtin_cpu_supports("avx") ? 4 : 2;
    if (width == 8 && __builtin_cpu_supports("avx512f")) i = adam8(m, v, u, n, k);
    else if (width >= 4 && __builtin_cpu_supports("avx")) i = adam4(m, v, u, n, k);
    else if (width >= 2) i = adam2(m, v, u, n, k);
#endif
    for (; i < n; i++) {
        const double g = u[i];
        const double mi = k[0] * m[i] + k[1] * g;
        const double vi = k[2] * v[i] + k[3] * (g * g);
        m[i] = mi;
        v[i] = vi;
        const double mHat = mi / k[4], vHat = vi / k[5];
        u[i] = mHat / (__builtin_sqrt(vHat) + k[6]);
    }
}
