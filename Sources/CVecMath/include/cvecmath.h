// Elementary functions over rows of doubles, for the engine's lane rows and, one element at
// a time, for the reference evaluator. Every call runs the same deterministic SLEEF family
// (at most 1 ULP) — pow, with FMA, the file's own kernel, written once for every width, and
// SLEEF's pow for its special lanes — so an element's result does not depend on the row length,
// its position in the row, its neighbours, or which vector width was chosen at start-up.
#ifndef CVECMATH_H
#define CVECMATH_H

/// y[i] = exp(x[i]) for i < n. In every function y must not overlap the argument rows.
void cvm_exp(const double *x, double *y, long n);
/// y[i] = log(x[i]).
void cvm_log(const double *x, double *y, long n);
/// y[i] = sin(x[i]).
void cvm_sin(const double *x, double *y, long n);
/// y[i] = cos(x[i]).
void cvm_cos(const double *x, double *y, long n);
/// s[i] = sin(x[i]) and c[i] = cos(x[i]), the bits of cvm_sin and cvm_cos (both are SLEEF's
/// sincos); s and c must not overlap.
void cvm_sincos(const double *x, double *s, double *c, long n);
/// y[i] = tanh(x[i]).
void cvm_tanh(const double *x, double *y, long n);
/// y[i] = 1 / (1 + exp(-x[i])), each operation rounded once, in that order.
void cvm_sigmoid(const double *x, double *y, long n);
/// y[i] = √x[i], correctly rounded (the bits of one scalar square root at every width).
void cvm_sqrt(const double *x, double *y, long n);
/// y[i] = pow(a[i], b[i]) (at most 0.52 ULP where a is positive and normal, b finite and not zero
/// and |b·ln a| ≤ 708; SLEEF's pow, and C99's special values, elsewhere).
void cvm_pow(const double *a, const double *b, double *y, long n);
/// y[i] = pow(a[i], c).
void cvm_powc(const double *a, double c, double *y, long n);
/// pow and what its derivatives need, from one log of a[i] per element: y[i] = pow(a[i], b[i]),
/// d[i] = pow(a[i], b[i] − 1) and l[i] = ln a[i], each with the bits of cvm_pow (given b[i] − 1)
/// and cvm_pow_log. Any of y, d, l may be NULL.
void cvm_pow_keep(const double *a, const double *b, double *y, double *d, double *l, long n);
/// y[i] = pow(a[i], c) and d[i] = pow(a[i], c − 1), the bits of cvm_powc; either may be NULL.
void cvm_powc_keep(const double *a, double c, double *y, double *d, long n);
/// ln a[i] as pow's derivatives take it: pow's own double-double log rounded once (within about
/// 0.5 ULP) where a[i] is positive and normal, cvm_log's result elsewhere (everywhere without FMA).
void cvm_pow_log(const double *a, double *l, long n);

/// Lanes per SLEEF call chosen at start-up: 8 (AVX-512F), 4 (AVX2 and FMA), 2 (SSE2 without
/// FMA: SLEEF's no-FMA family, whose bits may differ from the FMA family's), 1 (portable C).
int cvm_width(void);
/// Whether the chosen family uses FMA (the bits promised across machines are those of the FMA family).
int cvm_uses_fma(void);
/// Chooses the width for testing: 8, 4, 2 or 1 in the FMA family, or 0 for the start-up choice.
/// Returns 0 when this CPU cannot run that width (nothing changes then), else 1. Not thread-safe:
/// call it only while no evaluation runs.
int cvm_force_width(int width);

/// Adam's scaling (optax `scale_by_adam`) of `n` parameters, in place: with g = u[i],
/// m[i] = beta1·m[i] + (1 − beta1)·g, v[i] = beta2·v[i] + (1 − beta2)·(g·g), then
/// u[i] = (m[i] / correction1) / (√(v[i] / correction2) + epsilon), each operation rounded on
/// its own in that order. `width` 8, 4, 2 or 1 asks for that many parameters per instruction
/// (less when the CPU lacks it), 0 the widest the CPU has; the bits are the same at every width.
void cvm_adam_scale(double *m, double *v, double *u, long n, double beta1, double beta2,
                    double correction1, double correction2, double epsilon, int width);

#endif
