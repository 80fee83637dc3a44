// pow's rows (pow.c) for the row dispatch in vecmath.c, and the SLEEF stubs of vecmath.c that
// pow.c calls for lanes outside its fast path. Private to CVecMath.
#ifndef CVECMATH_POW_ROWS_H
#define CVECMATH_POW_ROWS_H

#define CVM_HIDDEN __attribute__((visibility("hidden")))

/// y = pow(a, b) over `chunks` chunks of W lanes (W = 1, 2, 4, 8 by the name), b advancing
/// `b_step` elements a chunk (0: one chunk of b for all); returns nonzero when a result lane is
/// NaN (vecmath.c's `rows_fn` contract). Widths 2 and 4 need AVX2 and FMA, width 8 AVX-512F.
CVM_HIDDEN int pow_rows1(const double *a, const double *b, long b_step, double *y, long chunks);
/// pow's rows with what its derivatives need, from one log of a per lane: y = pow(a, b),
/// d = pow(a, b − 1) (b − 1 rounded first), l = pow's own log of a (rounded from its
/// double-double log where a is positive and normal, SLEEF's log elsewhere). y and d have
/// pow_rows's bits for those arguments. Any of y, d, l may be NULL (not computed). Returns bit 0
/// (1, 2) set when a lane of y (d, l) is NaN.
CVM_HIDDEN int pow_keep_rows1(const double *a, const double *b, long b_step, double *y, double *d,
                              double *l, long chunks);
#if defined(__x86_64__)
CVM_HIDDEN int pow_rows2(const double *a, const double *b, long b_step, double *y, long chunks);
CVM_HIDDEN int pow_rows4(const double *a, const double *b, long b_step, double *y, long chunks);
CVM_HIDDEN int pow_rows8(const double *a, const double *b, long b_step, double *y, long chunks);
CVM_HIDDEN int pow_keep_rows2(const double *a, const double *b, long b_step, double *y, double *d,
                              double *l, long chunks);
CVM_HIDDEN int pow_keep_rows4(const double *a, const double *b, long b_step, double *y, double *d,
                              double *l, long chunks);
CVM_HIDDEN int pow_keep_rows8(const double *a, const double *b, long b_step, double *y, double *d,
                              double *l, long chunks);

/// SLEEF's finz pow over `chunks` chunks of 8 (4) lanes, b advancing `b_step_bytes` a chunk:
/// vecmath.c's assembly stubs. Returns nonzero when a result lane is NaN.
CVM_HIDDEN int cvm_sleef_pow8(const double *a, const double *b, double *y, long chunks, long b_step_bytes);
CVM_HIDDEN int cvm_sleef_pow4(const double *a, const double *b, double *y, long chunks, long b_step_bytes);
/// SLEEF's finz log over `chunks` chunks of 8 (4) lanes (vecmath.c's stubs).
CVM_HIDDEN int cvm_sleef_log8(const double *x, double *y, long chunks);
CVM_HIDDEN int cvm_sleef_log4(const double *x, double *y, long chunks);
#endif

#endif
