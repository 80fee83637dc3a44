// pow(a, b) of our own for the elementary rows (vecmath.c dispatches to it; pow_rows.h).
#include "rows_common.h"
#include "pow_rows.h"
#include "pow_tables.h"

// The portable scalar twin (sleef.h declares it only under __FMA__).
double Sleef_finz_powd1_u10purecfma(double, double);
double Sleef_finz_logd1_u10purecfma(double);

// pow(a, b) = exp(b · log a) in double-double, the same operations in the same order in every
// lane at every width (the kernel below is written once, for GCC/clang vector types of W lanes),
// so a lane's bits depend on its own (a, b) only. Lanes outside the fast path (a not a positive
// normal number, b zero or not finite, |b · log a| above 708, where the result may overflow or
// be subnormal) take SLEEF's pow for their chunk, the function every lane took before, chosen
// lane by lane. The constants come from scripts/lib/pow_tables.py (pow_tables.h), which prints
// the error bounds; docs/vector-math.md walks through the steps.
//
// log a: a = 2^k · z with z in [v, 2v), v ≈ 0.705; the top 7 bits of z's mantissa (counted from
// v) pick c, so that z / c = 1 + r with |r| < 2^−8. z · (1/c) − 1 = rhi + rlo exactly (FMA), and
// log a = k·ln 2 + log c + log1p(rhi) + rlo / (1 + rhi), with log1p(rhi) = rhi − rhi²/2 + rhi³·P(rhi),
// summed as hi + lo (relative error about 2^−70). exp(ehi + elo), b · log a as hi + lo: ehi =
// n · ln2/32 + f with n an integer and |f| ≤ ln2/64, 2^(n/32) = 2^⌊n/32⌋ · 2^(j/32) from a table,
// exp(f) = 1 + f + f²·S(f); the last FMA, 2^(n/32) · (1 + m) with m = exp(f)·(1 + tail) − 1,
// rounds the result once (0.505 ULP at most on scripts/vecmath-accuracy's ranges).
#define POW_VTYPES(W)                                                                         \
    typedef double vd##W __attribute__((vector_size(8 * W)));                                 \
    typedef int64_t vi##W __attribute__((vector_size(8 * W)));                                \
    typedef uint64_t vu##W __attribute__((vector_size(8 * W)));
POW_VTYPES(2)
POW_VTYPES(4)
POW_VTYPES(8)
#define SPLAT(W, c) ((c) - (vd##W){0})
#define POW_SHIFT_BITS 0x4338000000000000ull /* the bits of 0x1.8p52 */
// log a as lhi + llo (the first half of pow; also pow's own log, lhi, for its derivative).
#define POW_LOG(W, AP, A, LHI, LLO)                                                           \
    do {                                                                                      \
        const vu##W ia = (vu##W)(A);                                                          \
        const vu##W t = ia - POW_LOG_OFF;                                                     \
        const vi##W li = (vi##W)((t >> (52 - POW_LOG_BITS)) & ((1u << POW_LOG_BITS) - 1));    \
        const vd##W z = (vd##W)(ia - (t & (0xFFFull << 52)));                                 \
        /* k as a double: its 12 bits, offset by 2048, added to 0x1.8p52's bits */            \
        const vd##W kd = (vd##W)(POW_SHIFT_BITS + ((t ^ (1ull << 63)) >> 52)) - (0x1.8p52 + 2048.0); \
        vd##W invc, logc_hi, logc_lo;                                                         \
        LOOKUP_LOG##W(li, AP, invc, logc_hi, logc_lo);                                        \
        const vd##W p = z * invc;                                                             \
        const vd##W rlo = FMA##W(z, invc, -p);                                                \
        const vd##W rhi = p - 1.0;                                                            \
        const vd##W kl = kd * pow_ln2_hi;                                                     \
        const vd##W t1 = kl + logc_hi; /* exact: both are multiples of 2^-42 */               \
        const vd##W t2 = t1 + rhi;                                                            \
        const vd##W e2 = (t1 - t2) + rhi;                                                     \
        const vd##W hr = rhi * -0.5;                                                          \
        const vd##W q = hr * rhi;                                                             \
        const vd##W qlo = FMA##W(hr, rhi, -q);                                                \
        const vd##W h = t2 + q;                                                               \
        const vd##W e3 = (t2 - h) + q;                                                        \
        const vd##W r2 = rhi * rhi;                                                           \
        const vd##W r3 = r2 * rhi;                                                            \
        vd##W poly = FMA##W(rhi, SPLAT(W, pow_log_poly[5]), SPLAT(W, pow_log_poly[4]));       \
        poly = FMA##W(poly, rhi, SPLAT(W, pow_log_poly[3]));                                  \
        poly = FMA##W(poly, rhi, SPLAT(W, pow_log_poly[2]));                                  \
        poly = FMA##W(poly, rhi, SPLAT(W, pow_log_poly[1]));                                  \
        poly = FMA##W(poly, rhi, SPLAT(W, pow_log_poly[0]));                                  \
        const vd##W inv1p = (1.0 - rhi) + r2; /* 1 / (1 + rhi), for rlo */                    \
        vd##W lo = FMA##W(kd, SPLAT(W, pow_ln2_lo), logc_lo);                                 \
        lo = lo + e2;                                                                         \
        lo = lo + e3;                                                                         \
        lo = lo + qlo;                                                                        \
        lo = FMA##W(rlo, inv1p, lo);                                                          \
        lo = FMA##W(r3, poly, lo);                                                            \
        (LHI) = h + lo;                                                                       \
        (LLO) = (h - (LHI)) + lo;                                                             \
    } while (0)
// exp(b · (lhi + llo)), and the fast-path mask of (a, b) (the second half of pow).
#define POW_EXP(W, A, B, LHI, LLO, R, FAST)                                                   \
    do {                                                                                      \
        const vu##W ia = (vu##W)(A), ib = (vu##W)(B);                                         \
        /* b · log a = ehi + elo */                                                           \
        const vd##W ehi = (B) * (LHI);                                                        \
        const vd##W elo = FMA##W((B), (LLO), FMA##W((B), (LHI), -ehi));                       \
        /* exp */                                                                             \
        const vd##W s = FMA##W(ehi, SPLAT(W, pow_exp_inv_ln2_n), SPLAT(W, pow_exp_shift));    \
        const vd##W nd = s - pow_exp_shift;                                                   \
        /* f = fhi + small: fhi exact (Sterbenz), small about 2^-44 at most */                \
        const vd##W fhi = FMA##W(nd, SPLAT(W, -pow_exp_ln2_n_hi), ehi);                       \
        const vd##W small = FMA##W(nd, SPLAT(W, -pow_exp_ln2_n_lo), elo);                     \
        const vd##W f = fhi + small;                                                          \
        const vu##W sb = (vu##W)s;                                                            \
        const vi##W ej = (vi##W)(sb & ((1u << POW_EXP_BITS) - 1));                            \
        vd##W thi, tail;                                                                      \
        LOOKUP_EXP##W(ej, thi, tail);                                                         \
        const vd##W scale = (vd##W)((vu##W)thi                                                \
                                    + ((sb & ~(uint64_t)((1u << POW_EXP_BITS) - 1)) << (52 - POW_EXP_BITS))); \
        const vd##W f2 = f * f;                                                               \
        vd##W ep = FMA##W(f, SPLAT(W, pow_exp_poly[4]), SPLAT(W, pow_exp_poly[3]));           \
        ep = FMA##W(ep, f, SPLAT(W, pow_exp_poly[2]));                                        \
        ep = FMA##W(ep, f, SPLAT(W, pow_exp_poly[1]));                                        \
        ep = FMA##W(ep, f, SPLAT(W, pow_exp_poly[0]));                                        \
        /* exp(f)·(1 + tail) − 1 with two roundings of about 2^-60 (m's and the last FMA's) */ \
        const vd##W m = fhi + FMA##W(f2, ep, tail + small);                                   \
        (R) = FMA##W(scale, m, scale);                                                        \
        /* the fast path: a positive and normal, b finite and not zero, |ehi| <= 708 */       \
        (FAST) = (ia - 0x0010000000000000ull < 0x7FE0000000000000ull)                         \
                 & ((ib << 1) - 1 < 0xFFDFFFFFFFFFFFFFull)                                    \
                 & (((vu##W)ehi & 0x7FFFFFFFFFFFFFFFull) <= 0x4086200000000000ull);           \
    } while (0)
#define POW_KERNEL(W, AP, A, B, R, FAST)                                                      \
    do {                                                                                      \
        vd##W lhi_, llo_;                                                                     \
        POW_LOG(W, AP, A, lhi_, llo_);                                                        \
        POW_EXP(W, A, B, lhi_, llo_, R, FAST);                                                \
    } while (0)
// Lanes outside the fast path whose result C99 fixes without computing (the circuits meet them
// often: NaNs that spread, negative bases, relu's zeros), so that a chunk calls SLEEF's pow only
// for the others: NaN when a is NaN and b is not ±0, when b is NaN and a is not 1, or when a is
// negative and finite and b finite and not an integer (any NaN: `settle` writes every NaN result's
// bits from the arguments, as it did for SLEEF's); pow(+0, b) = +0 for b > 0 and +inf for b < 0.
#define POW_KNOWN(W, A, B, KNOWN, K)                                                          \
    do {                                                                                      \
        const vu##W ua = (vu##W)(A), ub = (vu##W)(B);                                         \
        const vu##W aa = ua & 0x7FFFFFFFFFFFFFFFull, ab = ub & 0x7FFFFFFFFFFFFFFFull;         \
        const vd##W bm = (vd##W)ab;                                                           \
        const vi##W b_integer = (bm >= 0x1p52) | (((bm + 0x1p52) - 0x1p52) == bm);            \
        const vi##W nan_lane = ((aa > 0x7FF0000000000000ull) & (ab != 0))                     \
                               | ((ab > 0x7FF0000000000000ull) & (ua != 0x3FF0000000000000ull)) \
                               | ((ua > 0x8000000000000000ull) & (ua < 0xFFF0000000000000ull) \
                                  & (ab < 0x7FF0000000000000ull) & ~b_integer);               \
        const vi##W zero_lane = (ua == 0) & (ab != 0) & (ab <= 0x7FF0000000000000ull);        \
        (KNOWN) = nan_lane | zero_lane;                                                       \
        /* +0 for b > 0, +inf for b < 0 (b's sign bit); the default NaN */                    \
        (K) = (vd##W)((nan_lane & (vi##W)(0xFFF8000000000000ull - (vu##W){0}))                \
                      | (zero_lane & (vi##W)(-(ub >> 63) & 0x7FF0000000000000ull)));          \
    } while (0)
// Table look-ups: the same table entries whatever the width; GATHER##W(table, i) reads
// table[i] for each lane.
#define LOOKUP_BY_GATHER(W, LI, X, H, L)                                                      \
    do {                                                                                      \
        const vi##W i4 = (LI) << 2;                                                           \
        (X) = GATHER##W(pow_log_tab, i4);                                                     \
        (H) = GATHER##W(pow_log_tab + 1, i4);                                                 \
        (L) = GATHER##W(pow_log_tab + 2, i4);                                                 \
    } while (0)
#define LOOKUP_EXP_BY_GATHER(W, J, T, TAIL)                                                   \
    do {                                                                                      \
        (T) = GATHER##W(pow_exp_hi, (J));                                                     \
        (TAIL) = GATHER##W(pow_exp_tail, (J));                                                \
    } while (0)

/// Completes a chunk's pow results R (fast-path mask FAST) from arguments VA, VB at AP, BP: C99's
/// known lanes set directly, SLEEF's pow (`SLEEF_CHUNK(a, b, out)`, one chunk) for the rest;
/// ORs 1 into NAN when a result lane is NaN.
#define POW_SLOW_LANES(W, ANY, SLEEF_CHUNK, AP, BP, VA, VB, R, FAST, NAN)                     \
    do {                                                                                      \
        if (ANY(~(FAST))) {                                                                   \
            vi##W known;                                                                      \
            vd##W k;                                                                          \
            POW_KNOWN(W, VA, VB, known, k);                                                   \
            (R) = (vd##W)(((vi##W)(R) & (FAST)) | ((vi##W)k & known));                        \
            if (ANY(~((FAST) | known))) {                                                     \
                double out[W];                                                                \
                vd##W slow;                                                                   \
                SLEEF_CHUNK((AP), (BP), out);                                                 \
                memcpy(&slow, out, sizeof slow);                                              \
                (R) = (vd##W)((vi##W)(R) | ((vi##W)slow & ~((FAST) | known)));                \
            }                                                                                 \
            for (int l = 0; l < W; l++) (NAN) |= (R)[l] != (R)[l];                            \
        }                                                                                     \
    } while (0)

/// A row of pow (the rows_fn contract) at width W: the kernel for every chunk, then
/// POW_SLOW_LANES.
#define DEFINE_POW_ROWS(W, ATTR, ANY, SLEEF_CHUNK)                                            \
    ATTR CVM_HIDDEN int pow_rows##W(const double *a, const double *b, long b_step, double *y, long chunks) { \
        int nan = 0;                                                                          \
        for (long c = 0; c < chunks; c++, a += W, b += b_step, y += W) {                      \
            vd##W va, vb, r;                                                                  \
            vi##W fast;                                                                       \
            memcpy(&va, a, sizeof va);                                                        \
            memcpy(&vb, b, sizeof vb);                                                        \
            POW_KERNEL(W, a, va, vb, r, fast);                                                \
            POW_SLOW_LANES(W, ANY, SLEEF_CHUNK, a, b, va, vb, r, fast, nan);                  \
            memcpy(y, &r, sizeof r);                                                          \
        }                                                                                     \
        return nan;                                                                           \
    }

/// pow_keep_rows (pow_rows.h) at width W: log a once, then exp for b and for b − 1, each
/// completed as pow_rows completes it, so y and d are pow_rows's bits for (a, b) and (a, b − 1).
/// l is lhi where a is positive and normal, else SLEEF's log (`LOG_CHUNK(a, out)`, one chunk).
/// NULL rows are skipped.
#define DEFINE_POW_KEEP_ROWS(W, ATTR, ANY, SLEEF_CHUNK, LOG_CHUNK)                            \
    ATTR CVM_HIDDEN int pow_keep_rows##W(const double *a, const double *b, long b_step, double *y, \
                                         double *d, double *l, long chunks) {                 \
        int nan_y = 0, nan_d = 0, nan_l = 0;                                                  \
        for (long c = 0; c < chunks; c++, a += W, b += b_step) {                              \
            vd##W va, vb, lhi, llo;                                                           \
            memcpy(&va, a, sizeof va);                                                        \
            memcpy(&vb, b, sizeof vb);                                                        \
            POW_LOG(W, a, va, lhi, llo);                                                      \
            if (y) {                                                                          \
                vd##W r;                                                                      \
                vi##W fast;                                                                   \
                POW_EXP(W, va, vb, lhi, llo, r, fast);                                        \
                POW_SLOW_LANES(W, ANY, SLEEF_CHUNK, a, b, va, vb, r, fast, nan_y);            \
                memcpy(y, &r, sizeof r);                                                      \
                y += W;                                                                       \
            }                                                                                 \
            if (d) {                                                                          \
                const vd##W vb1 = vb - 1.0;                                                   \
                double b1[W];                                                                 \
                vd##W r;                                                                      \
                vi##W fast;                                                                   \
                memcpy(b1, &vb1, sizeof b1);                                                  \
                POW_EXP(W, va, vb1, lhi, llo, r, fast);                                       \
                POW_SLOW_LANES(W, ANY, SLEEF_CHUNK, a, b1, va, vb1, r, fast, nan_d);          \
                memcpy(d, &r, sizeof r);                                                      \
                d += W;                                                                       \
            }                                                                                 \
            if (l) {                                                                          \
                const vu##W ia = (vu##W)va;                                                   \
                const vi##W normal = (vi##W)(ia - 0x0010000000000000ull < 0x7FE0000000000000ull); \
                vd##W r = lhi;                                                                \
                if (ANY(~normal)) {                                                           \
                    double out[W];                                                            \
                    vd##W slow;                                                               \
                    LOG_CHUNK(a, out);                                                        \
                    memcpy(&slow, out, sizeof slow);                                          \
                    r = (vd##W)(((vi##W)r & normal) | ((vi##W)slow & ~normal));               \
                    for (int k = 0; k < W; k++) nan_l |= r[k] != r[k];                        \
                }                                                                             \
                memcpy(l, &r, sizeof r);                                                      \
                l += W;                                                                       \
            }                                                                                 \
        }                                                                                     \
        return nan_y | nan_d << 1 | nan_l << 2;                                               \
    }

/// Width 1, portable C: the kernel on two-lane vectors (type suffix G) that hold the element
/// twice, FMA by __builtin_fma per lane. (On one-lane vectors GCC 12 at -O2 lost POW_KNOWN's
/// value in some lanes; two-lane vectors are the common case every compiler gets right.)
typedef double vdG __attribute__((vector_size(16)));
typedef int64_t viG __attribute__((vector_size(16)));
typedef uint64_t vuG __attribute__((vector_size(16)));
#define FMAG(x, y, z) ((vdG){__builtin_fma((x)[0], (y)[0], (z)[0]), __builtin_fma((x)[1], (y)[1], (z)[1])})
#define GATHERG(table, i) ((vdG){(table)[(i)[0]], (table)[(i)[1]]})
#define LOOKUP_LOGG(LI, AP, X, H, L) LOOKUP_BY_GATHER(G, LI, X, H, L)
#define LOOKUP_EXPG(J, T, TAIL) LOOKUP_EXP_BY_GATHER(G, J, T, TAIL)
/// One lane's pow from the kernel's result r: r where the fast path holds, else C99's known
/// value or SLEEF's scalar pow.
static inline double pow_complete1(vdG r, viG fast, double a, double b) {
    if (fast[0]) return r[0];
    const vdG va = {a, a}, vb = {b, b};
    viG known;
    vdG k;
    POW_KNOWN(G, va, vb, known, k);
    return known[0] ? k[0] : Sleef_finz_powd1_u10purecfma(a, b);
}
CVM_HIDDEN int pow_rows1(const double *a, const double *b, long b_step, double *y, long chunks) {
    int nan = 0;
    for (long c = 0; c < chunks; c++, a++, b += b_step, y++) {
        const vdG va = {*a, *a}, vb = {*b, *b};
        vdG r;
        viG fast;
        POW_KERNEL(G, a, va, vb, r, fast);
        const double v = pow_complete1(r, fast, *a, *b);
        *y = v;
        nan |= v != v;
    }
    return nan;
}
CVM_HIDDEN int pow_keep_rows1(const double *a, const double *b, long b_step, double *y, double *d,
                              double *l, long chunks) {
    int nan_y = 0, nan_d = 0, nan_l = 0;
    for (long c = 0; c < chunks; c++, a++, b += b_step) {
        const vdG va = {*a, *a}, vb = {*b, *b};
        vdG lhi, llo, r;
        viG fast;
        POW_LOG(G, a, va, lhi, llo);
        if (y) {
            POW_EXP(G, va, vb, lhi, llo, r, fast);
            const double v = pow_complete1(r, fast, *a, *b);
            *y++ = v;
            nan_y |= v != v;
        }
        if (d) {
            const double b1 = *b - 1.0;
            const vdG vb1 = {b1, b1};
            POW_EXP(G, va, vb1, lhi, llo, r, fast);
            const double v = pow_complete1(r, fast, *a, b1);
            *d++ = v;
            nan_d |= v != v;
        }
        if (l) {
            uint64_t ia;
            memcpy(&ia, a, 8);
            const double v = ia - 0x0010000000000000ull < 0x7FE0000000000000ull ? lhi[0] : Sleef_finz_logd1_u10purecfma(*a);
            *l++ = v;
            nan_l |= v != v;
        }
    }
    return nan_y | nan_d << 1 | nan_l << 2;
}

#if defined(__x86_64__)
#define AVX512 __attribute__((target("avx512f")))
#define FMA8(x, y, z) ((vd8)_mm512_fmadd_pd((__m512d)(x), (__m512d)(y), (__m512d)(z)))
#define FMA4(x, y, z) ((vd4)_mm256_fmadd_pd((__m256d)(x), (__m256d)(y), (__m256d)(z)))
#define FMA2(x, y, z) ((vd2)_mm_fmadd_pd((__m128d)(x), (__m128d)(y), (__m128d)(z)))
#define GATHER4(table, i) ((vd4)_mm256_i64gather_pd((const double *)(table), (__m256i)(i), 8))
#define GATHER2(table, i) ((vd2)_mm_i64gather_pd((const double *)(table), (__m128i)(i), 8))
#define LOOKUP_LOG2(LI, AP, X, H, L) LOOKUP_BY_GATHER(2, LI, X, H, L)
#define LOOKUP_EXP2(J, T, TAIL) LOOKUP_EXP_BY_GATHER(2, J, T, TAIL)
// At width 8, a gather of 8 lanes costs about 13 cycles here (five of them took half of pow's
// time). So log's table row of each lane, its index computed again from a's bits in a general
// register, is read whole (256 bits) and the rows are transposed into the vectors: unpacking
// pairs of rows leaves entries in lane order 0 2 1 3, which one two-source permutation per
// vector puts right. exp's 32-entry tables are four registers each: two two-source permutations
// (16 entries each) and a blend on bit 4 of the index.
_Static_assert(POW_EXP_BITS == 5, "LOOKUP_EXP8 reads tables of 32 entries");
static const vi8 pow_pick_even = {0, 4, 1, 5, 8, 12, 9, 13}, pow_pick_odd = {2, 6, 3, 7, 10, 14, 11, 15};
/// Lane l's row of the log table, its index computed from a's bits in a general register: the
/// empty asm keeps clang from loading the eight numbers as a vector (the same numbers as LI's,
/// taken out of a vector register one extraction each, which cost more than the whole index).
static inline const double *pow_log_row(const double *ap, int l) {
    uint64_t u;
    memcpy(&u, ap + l, 8);
    __asm__("" : "+r"(u));
    return pow_log_tab + 4 * (((u - POW_LOG_OFF) >> (52 - POW_LOG_BITS)) & ((1u << POW_LOG_BITS) - 1));
}
#define ROW256(AP, l) _mm256_load_pd(pow_log_row((AP), (l)))
#define PAIR256(x, y) _mm512_insertf64x4(_mm512_castpd256_pd512(x), (y), 1)
#define LOOKUP_LOG8(LI, AP, X, H, L)                                                          \
    do {                                                                                      \
        const double *ap_ = (AP);                                                             \
        (void)(LI); /* the same indices, computed again from ap_ */                           \
        const __m512d r01 = PAIR256(ROW256(ap_, 0), ROW256(ap_, 1)), r23 = PAIR256(ROW256(ap_, 2), ROW256(ap_, 3)); \
        const __m512d r45 = PAIR256(ROW256(ap_, 4), ROW256(ap_, 5)), r67 = PAIR256(ROW256(ap_, 6), ROW256(ap_, 7)); \
        const __m512d lo03 = _mm512_unpacklo_pd(r01, r23), hi03 = _mm512_unpackhi_pd(r01, r23); \
        const __m512d lo47 = _mm512_unpacklo_pd(r45, r67), hi47 = _mm512_unpackhi_pd(r45, r67); \
        (X) = (vd8)_mm512_permutex2var_pd(lo03, (__m512i)pow_pick_even, lo47);                \
        (L) = (vd8)_mm512_permutex2var_pd(lo03, (__m512i)pow_pick_odd, lo47);                 \
        (H) = (vd8)_mm512_permutex2var_pd(hi03, (__m512i)pow_pick_even, hi47);                \
    } while (0)
// Width 4: log the same way (four rows, a 4×4 transpose by unpacks and 128-bit permutations), and
// exp's entries one scalar load each: 3.9 ns per element instead of 4.7 with five 256-bit gathers.
#define LOOKUP_LOG4(LI, AP, X, H, L)                                                          \
    do {                                                                                      \
        const double *ap_ = (AP);                                                             \
        (void)(LI); /* the same indices, computed again from ap_ */                           \
        const __m256d r0 = ROW256(ap_, 0), r1 = ROW256(ap_, 1), r2 = ROW256(ap_, 2), r3 = ROW256(ap_, 3); \
        const __m256d lo01 = _mm256_unpacklo_pd(r0, r1), hi01 = _mm256_unpackhi_pd(r0, r1);   \
        const __m256d lo23 = _mm256_unpacklo_pd(r2, r3), hi23 = _mm256_unpackhi_pd(r2, r3);   \
        (X) = (vd4)_mm256_permute2f128_pd(lo01, lo23, 0x20);                                  \
        (L) = (vd4)_mm256_permute2f128_pd(lo01, lo23, 0x31);                                  \
        (H) = (vd4)_mm256_permute2f128_pd(hi01, hi23, 0x20);                                  \
    } while (0)
#define LOOKUP_EXP4(J, T, TAIL)                                                               \
    do {                                                                                      \
        (T) = (vd4){pow_exp_hi[(J)[0]], pow_exp_hi[(J)[1]], pow_exp_hi[(J)[2]], pow_exp_hi[(J)[3]]}; \
        (TAIL) = (vd4){pow_exp_tail[(J)[0]], pow_exp_tail[(J)[1]], pow_exp_tail[(J)[2]], pow_exp_tail[(J)[3]]}; \
    } while (0)
#define TABLE32(T, J, UPPER)                                                                  \
    _mm512_mask_blend_pd((UPPER),                                                             \
                         _mm512_permutex2var_pd(_mm512_load_pd((T)), (J), _mm512_load_pd((T) + 8)), \
                         _mm512_permutex2var_pd(_mm512_load_pd((T) + 16), (J), _mm512_load_pd((T) + 24)))
#define LOOKUP_EXP8(J, T, TAIL)                                                               \
    do {                                                                                      \
        const __m512i j_ = (__m512i)(J);                                                      \
        const __mmask8 upper = _mm512_test_epi64_mask(j_, _mm512_set1_epi64(16));             \
        (T) = (vd8)TABLE32(pow_exp_hi, j_, upper);                                            \
        (TAIL) = (vd8)TABLE32(pow_exp_tail, j_, upper);                                       \
    } while (0)
#define ANY8(m) (_mm512_test_epi64_mask((__m512i)(m), (__m512i)(m)) != 0)
#define ANY4(m) (_mm256_movemask_pd((__m256d)(m)) != 0)
#define ANY2(m) (_mm_movemask_pd((__m128d)(m)) != 0)
#define SLEEF_CHUNK8(a, b, out) cvm_sleef_pow8((a), (b), (out), 1, 0)
#define SLEEF_CHUNK4(a, b, out) cvm_sleef_pow4((a), (b), (out), 1, 0)
#define SLEEF_CHUNK2(a, b, out) _mm_storeu_pd((out), Sleef_finz_powd2_u10avx2128(_mm_loadu_pd(a), _mm_loadu_pd(b)))
#define LOG_CHUNK8(a, out) cvm_sleef_log8((a), (out), 1)
#define LOG_CHUNK4(a, out) cvm_sleef_log4((a), (out), 1)
#define LOG_CHUNK2(a, out) _mm_storeu_pd((out), Sleef_finz_logd2_u10avx2128(_mm_loadu_pd(a)))
DEFINE_POW_ROWS(8, AVX512, ANY8, SLEEF_CHUNK8)
DEFINE_POW_ROWS(4, AVX2, ANY4, SLEEF_CHUNK4)
DEFINE_POW_ROWS(2, AVX2, ANY2, SLEEF_CHUNK2)
DEFINE_POW_KEEP_ROWS(8, AVX512, ANY8, SLEEF_CHUNK8, LOG_CHUNK8)
DEFINE_POW_KEEP_ROWS(4, AVX2, ANY4, SLEEF_CHUNK4, LOG_CHUNK4)
DEFINE_POW_KEEP_ROWS(2, AVX2, ANY2, SLEEF_CHUNK2, LOG_CHUNK2)
#endif

