// Row loops over SLEEF's deterministic families (see cvecmath.h), and, with FMA, over a pow of
// our own (pow.c). Every element goes through a full-width vector call:
// a row's last, partial chunk is copied into a padded buffer, so a single element (the reference
// evaluator's calls) runs exactly the code a full chunk runs.
//
// NaN results follow the rule the CPU applies to its own arithmetic, so a NaN's sign does not
// depend on which function made it: a NaN argument comes back quieted (the first NaN argument
// for pow), and a NaN made from numbers is the x86 default NaN (sign bit set).
#include "rows_common.h"
#include "cvecmath.h"
#include "pow_rows.h"

#if defined(__x86_64__)
// The 512- and 256-bit functions take their arguments in zmm/ymm registers, but a C compiler
// passes vector arguments by the whole file's ISA (SSE2 here, as no -m flags are allowed), not
// by a function's target attribute: a call from C would put them in memory. So they are called
// from small assembly functions with the plain C ABI, each running a whole stretch of chunks:
// `int f(const double *x, double *y, long chunks)` (pow: `(a, b, y, chunks, b_step_bytes)`,
// step 0 for one broadcast chunk of b). Each returns the OR of its chunks' NaN masks, found by a
// second pass over the results once all chunks are done: reading each chunk back from C right
// after its wide store stalled; testing it in registers right after the SLEEF call (compare into
// a mask register, move to a general one) made each call cost 0.6 ns per element more (exp
// rows: 1.26 ns per element that way, 0.56–0.71 with the pass after); a C call per chunk cost
// about as much as the SLEEF call itself.
//
// Registers: the pointers, the count and the start of the results live in callee-saved
// registers across the SLEEF calls; the stack stays 16-byte aligned at each call (return
// address + pushes + pad).
#define NAN_MASK_zmm "vcmppd $3, %zmm0, %zmm0, %k1\nkmovw %k1, %ecx\n"
#define NAN_MASK_ymm "vcmppd $3, %ymm0, %ymm0, %ymm1\nvmovmskpd %ymm1, %ecx\n"
#define BYTES_zmm "64"
#define BYTES_ymm "32"
// sigmoid's formula 1 / (1 + exp(-x)) around the exp call, in registers: -x flips the sign bit,
// then one addition and one division, each rounded once (bits as the C twins below compute).
#define BROADCAST_zmm(BITS, R) "mov $" BITS ", %rax\nvpbroadcastq %rax, %zmm" #R "\n"
#define BROADCAST_ymm(BITS, R) "mov $" BITS ", %rax\nvmovq %rax, %xmm" #R "\nvpbroadcastq %xmm" #R ", %ymm" #R "\n"
#define BEFORE_plain(REG) ""
#define AFTER_plain(REG) ""
#define BEFORE_sigmoid(REG) BROADCAST_##REG("0x8000000000000000", 1) "vxorpd %" #REG "1, %" #REG "0, %" #REG "0\n"
#define AFTER_sigmoid(REG) BROADCAST_##REG("0x3FF0000000000000", 1)                           \
    "vaddpd %" #REG "0, %" #REG "1, %" #REG "0\nvdivpd %" #REG "0, %" #REG "1, %" #REG "0\n"
#define STUB_HEAD(NAME) ".text\n.p2align 4\n.hidden " #NAME "\n.type " #NAME ",@function\n" #NAME ":\n"
// The NaN pass: %r14 from the first result to %r12 (one past the last), OR of masks in %eax.
#define NAN_PASS(REG)                                                                         \
    "xor %eax, %eax\n2:\nvmovupd (%r14), %" #REG "0\n" NAN_MASK_##REG "or %ecx, %eax\n"       \
    "add $" BYTES_##REG ", %r14\ncmp %r12, %r14\njb 2b\n"
#define UNARY_STUB(NAME, SLEEF, REG, FORM)                                                    \
    __asm__(".globl " #NAME "\n" STUB_HEAD(NAME)                                              \
            "push %rbx\npush %r12\npush %r13\npush %r14\nsub $8, %rsp\n"                      \
            "mov %rdi, %rbx\nmov %rsi, %r12\nmov %rdx, %r13\nmov %rsi, %r14\nxor %eax, %eax\n" \
            "test %r13, %r13\njle 3f\n"                                                       \
            "1:\nvmovupd (%rbx), %" #REG "0\n" BEFORE_##FORM(REG) "call " #SLEEF "@PLT\n"     \
            AFTER_##FORM(REG) "vmovupd %" #REG "0, (%r12)\n"                                  \
            "add $" BYTES_##REG ", %rbx\nadd $" BYTES_##REG ", %r12\ndec %r13\njnz 1b\n"      \
            NAN_PASS(REG)                                                                     \
            "3:\nadd $8, %rsp\npop %r14\npop %r13\npop %r12\npop %rbx\n"                      \
            "vzeroupper\nret\n.size " #NAME ", .-" #NAME "\n");                               \
    int NAME(const double *x, double *y, long chunks);
#define BINARY_STUB(NAME, SLEEF, REG, _)                                                      \
    __asm__(".globl " #NAME "\n" STUB_HEAD(NAME)                                              \
            "push %rbx\npush %rbp\npush %r12\npush %r13\npush %r14\npush %r15\nsub $8, %rsp\n" \
            "mov %rdi, %rbx\nmov %rsi, %r15\nmov %rdx, %r12\nmov %rcx, %r13\nmov %r8, %rbp\n" \
            "mov %rdx, %r14\nxor %eax, %eax\ntest %r13, %r13\njle 3f\n"                       \
            "1:\nvmovupd (%rbx), %" #REG "0\nvmovupd (%r15), %" #REG "1\ncall " #SLEEF "@PLT\n" \
            "vmovupd %" #REG "0, (%r12)\n"                                                    \
            "add $" BYTES_##REG ", %rbx\nadd %rbp, %r15\nadd $" BYTES_##REG ", %r12\n"        \
            "dec %r13\njnz 1b\n"                                                              \
            NAN_PASS(REG)                                                                     \
            "3:\nadd $8, %rsp\npop %r15\npop %r14\npop %r13\npop %r12\n"                      \
            "pop %rbp\npop %rbx\nvzeroupper\nret\n.size " #NAME ", .-" #NAME "\n");           \
    int NAME(const double *a, const double *b, double *y, long chunks, long b_step_bytes);

#define STUBS(NAME, F, KIND, FORM)                                                            \
    KIND##_STUB(NAME##8, Sleef_finz_##F##d8_u10avx512f, zmm, FORM)                            \
    KIND##_STUB(NAME##4, Sleef_finz_##F##d4_u10avx2, ymm, FORM)
STUBS(cvm_sleef_exp, exp, UNARY, plain)
STUBS(cvm_sleef_log, log, UNARY, plain)
STUBS(cvm_sleef_tanh, tanh, UNARY, plain)
STUBS(cvm_sleef_sigmoid, exp, UNARY, sigmoid)
STUBS(cvm_sleef_pow, pow, BINARY, plain)
// All hidden globals: pow.c calls cvm_sleef_pow8/4 and cvm_sleef_log8/4 (pow_rows.h).
// sincos: `int f(const double *x, double *s, double *c, long chunks)`. SLEEF returns the pair (a
// struct of two vectors, over eight eightbytes) through a hidden pointer in %rdi to an aligned
// buffer on the stack, copied to s and c after each call. The NaN pass reads s: sin x is NaN
// exactly where cos x is (x NaN or infinite).
#define SINCOS_STUB(NAME, SLEEF, REG)                                                         \
    __asm__(".globl " #NAME "\n" STUB_HEAD(NAME)                                              \
            "push %rbx\npush %rbp\npush %r12\npush %r13\npush %r14\npush %r15\n"              \
            "mov %rsp, %rbp\nsub $256, %rsp\nand $-64, %rsp\n"                                \
            "mov %rdi, %rbx\nmov %rsi, %r12\nmov %rdx, %r13\nmov %rcx, %r15\nmov %rsi, %r14\n" \
            "xor %eax, %eax\ntest %r15, %r15\njle 3f\n"                                       \
            "1:\nvmovupd (%rbx), %" #REG "0\nmov %rsp, %rdi\ncall " #SLEEF "@PLT\n"             \
            "vmovupd (%rsp), %" #REG "0\nvmovupd %" #REG "0, (%r12)\n"                          \
            "vmovupd " BYTES_##REG "(%rsp), %" #REG "0\nvmovupd %" #REG "0, (%r13)\n"           \
            "add $" BYTES_##REG ", %rbx\nadd $" BYTES_##REG ", %r12\nadd $" BYTES_##REG ", %r13\n" \
            "dec %r15\njnz 1b\n"                                                                \
            NAN_PASS(REG)                                                                     \
            "3:\nmov %rbp, %rsp\npop %r15\npop %r14\npop %r13\npop %r12\npop %rbp\npop %rbx\n" \
            "vzeroupper\nret\n.size " #NAME ", .-" #NAME "\n");                               \
    int NAME(const double *x, double *s, double *c, long chunks);
SINCOS_STUB(cvm_sleef_sincos8, Sleef_finz_sincosd8_u10avx512f, zmm)
SINCOS_STUB(cvm_sleef_sincos4, Sleef_finz_sincosd4_u10avx2, ymm)
#endif
// The portable scalar twins (sleef.h declares them only under __FMA__).
double Sleef_finz_expd1_u10purecfma(double);
double Sleef_finz_logd1_u10purecfma(double);
Sleef_double_2 Sleef_finz_sincosd1_u10purecfma(double);
double Sleef_finz_tanhd1_u10purecfma(double);

/// The rows_fn functions; FN_SINCOS only names sin and cos for `settle` (run_sincos runs them).
enum { FN_EXP, FN_LOG, FN_TANH, FN_SIGMOID, FN_POW, FN_SINCOS, FN_COUNT };
enum { CHUNK_MAX = 8 };

/// Applies function `fn` to `chunks` chunks of the level's width: y = f(a) or, for pow,
/// f(a, b), b advancing `b_step` elements a chunk (0: one chunk of b for all). Returns nonzero
/// when a result lane is NaN.
typedef int (*rows_fn)(int fn, const double *a, const double *b, long b_step, double *y, long chunks);

static const uint64_t default_nan_bits = 0xFFF8000000000000ull;
static double from_bits(uint64_t u) { double x; memcpy(&x, &u, 8); return x; }

#if defined(__x86_64__)
#define DEFINE_STUB_ROWS(NAME, W)                                                             \
    static int NAME(int fn, const double *a, const double *b, long b_step, double *y, long chunks) { \
        switch (fn) {                                                                         \
        case FN_EXP: return cvm_sleef_exp##W(a, y, chunks);                                   \
        case FN_LOG: return cvm_sleef_log##W(a, y, chunks);                                   \
        case FN_TANH: return cvm_sleef_tanh##W(a, y, chunks);                                 \
        case FN_SIGMOID: return cvm_sleef_sigmoid##W(a, y, chunks);                           \
        default: return pow_rows##W(a, b, b_step, y, chunks);                                 \
        }                                                                                     \
    }
DEFINE_STUB_ROWS(rows8, 8)
DEFINE_STUB_ROWS(rows4, 4)

// 128-bit vectors travel in xmm registers under the baseline ABI, so these are called from C.
#define DEFINE_ROWS2(NAME, ATTR, F, OWN_POW)                                                  \
    ATTR static int NAME(int fn, const double *a, const double *b, long b_step, double *y, long chunks) { \
        if (OWN_POW && fn == FN_POW) return pow_rows2(a, b, b_step, y, chunks);               \
        const __m128d one = _mm_set1_pd(1.0);                                                 \
        int nan = 0;                                                                          \
        for (long k = 0; k < chunks; k++, a += 2, b += b_step, y += 2) {                      \
            __m128d x = _mm_loadu_pd(a), r;                                                   \
            switch (fn) {                                                                     \
            case FN_EXP: r = F(exp)(x); break;                                                \
            case FN_SIGMOID:                                                                  \
                r = F(exp)(_mm_xor_pd(x, _mm_set1_pd(-0.0)));                                 \
                r = _mm_div_pd(one, _mm_add_pd(one, r));                                      \
                break;                                                                        \
            case FN_LOG: r = F(log)(x); break;                                                \
            case FN_TANH: r = F(tanh)(x); break;                                              \
            default: r = F(pow)(x, _mm_loadu_pd(b)); break;                                   \
            }                                                                                 \
            _mm_storeu_pd(y, r);                                                              \
            nan |= _mm_movemask_pd(_mm_cmpunord_pd(r, r));                                    \
        }                                                                                     \
        return nan;                                                                           \
    }
#define FINZ2(f) Sleef_finz_##f##d2_u10avx2128
#define CINZ2(f) Sleef_cinz_##f##d2_u10sse2
DEFINE_ROWS2(rows2, AVX2, FINZ2, 1)
DEFINE_ROWS2(rows2_nofma, , CINZ2, 0)
#endif

static int rows1(int fn, const double *a, const double *b, long b_step, double *y, long chunks) {
    if (fn == FN_POW) return pow_rows1(a, b, b_step, y, chunks);
    int nan = 0;
    for (long k = 0; k < chunks; k++, a++, b += b_step, y++) {
        double r;
        switch (fn) {
        case FN_EXP: r = Sleef_finz_expd1_u10purecfma(*a); break;
        case FN_LOG: r = Sleef_finz_logd1_u10purecfma(*a); break;
        case FN_TANH: r = Sleef_finz_tanhd1_u10purecfma(*a); break;
        default: r = 1.0 / (1.0 + Sleef_finz_expd1_u10purecfma(-*a)); break; // FN_SIGMOID
        }
        *y = r;
        nan |= r != r;
    }
    return nan;
}

/// sin and cos of `chunks` chunks of the level's width, both at once (SLEEF's sincos; its sin
/// and cos are the op's values everywhere). Returns nonzero when a lane of s (and so of c) is NaN.
typedef int (*sincos_fn)(const double *x, double *s, double *c, long chunks);
static int sincos1(const double *x, double *s, double *c, long chunks) {
    int nan = 0;
    for (long k = 0; k < chunks; k++) {
        const Sleef_double_2 r = Sleef_finz_sincosd1_u10purecfma(x[k]);
        s[k] = r.x;
        c[k] = r.y;
        nan |= r.x != r.x;
    }
    return nan;
}
#if defined(__x86_64__)
#define DEFINE_SINCOS2(NAME, ATTR, F)                                                         \
    ATTR static int NAME(const double *x, double *s, double *c, long chunks) {                \
        int nan = 0;                                                                          \
        for (long k = 0; k < chunks; k++, x += 2, s += 2, c += 2) {                           \
            const Sleef___m128d_2 r = F(_mm_loadu_pd(x));                                     \
            _mm_storeu_pd(s, r.x);                                                            \
            _mm_storeu_pd(c, r.y);                                                            \
            nan |= _mm_movemask_pd(_mm_cmpunord_pd(r.x, r.x));                                \
        }                                                                                     \
        return nan;                                                                           \
    }
DEFINE_SINCOS2(sincos2, AVX2, Sleef_finz_sincosd2_u10avx2128)
DEFINE_SINCOS2(sincos2_nofma, , Sleef_cinz_sincosd2_u10sse2)
#endif
/// pow with its derivatives' rows (pow_keep_rows in pow_rows.h).
typedef int (*keep_fn)(const double *a, const double *b, long b_step, double *y, double *d, double *l, long chunks);
/// The implementations: row function, sin and cos, pow with its derivatives' rows (NULL without
/// FMA, whose pow is SLEEF's), lanes, whether it is the FMA family.
static const struct { rows_fn rows; sincos_fn sincos; keep_fn keep; int width, fma; } levels[] = {
    { rows1, sincos1, pow_keep_rows1, 1, 1 },
#if defined(__x86_64__)
    { rows2, sincos2, pow_keep_rows2, 2, 1 }, { rows4, cvm_sleef_sincos4, pow_keep_rows4, 4, 1 },
    { rows8, cvm_sleef_sincos8, pow_keep_rows8, 8, 1 }, { rows2_nofma, sincos2_nofma, NULL, 2, 0 },
#endif
};
enum { LEVEL_1, LEVEL_2, LEVEL_4, LEVEL_8, LEVEL_2_NOFMA };

/// Index into `levels` chosen at start-up, and the one in use (tests may force another; atomic
/// so that a test switching it while other threads evaluate is not a data race).
static int chosen_level = LEVEL_1;
static int current_level = LEVEL_1;

__attribute__((constructor)) static void choose_width(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f")) chosen_level = LEVEL_8;
    else if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) chosen_level = LEVEL_4;
    else chosen_level = LEVEL_2_NOFMA;
#endif
    __atomic_store_n(&current_level, chosen_level, __ATOMIC_RELAXED);
}

static int level_now(void) { return __atomic_load_n(&current_level, __ATOMIC_RELAXED); }
int cvm_width(void) { return levels[level_now()].width; }
int cvm_uses_fma(void) { return levels[level_now()].fma; }

int cvm_force_width(int width) {
    int level;
    if (width == 0) level = chosen_level;
#if defined(__x86_64__)
    else if (width == 8 && __builtin_cpu_supports("avx512f")) level = LEVEL_8;
    else if (width == 4 && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) level = LEVEL_4;
    else if (width == 2 && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) level = LEVEL_2;
    else if (width == 1 && __builtin_cpu_supports("fma")) level = LEVEL_1;
#else
    else if (width == 1) level = LEVEL_1;
#endif
    else return 0;
    __atomic_store_n(&current_level, level, __ATOMIC_RELAXED);
    return 1;
}

/// The NaN rule (see the top of the file) for one element: `r` computed from `a` and `b`
/// (`b` is a number for one-argument functions, whose callers pass `a` again). Written without
/// branches so that the loops below run in vector registers: most rows of a circuit that meets
/// a log of a negative number are NaN in some lane, and a branch per lane cost 9 % of such a
/// circuit's evaluation.
static inline double settle_nan(double r, double a, double b) {
    const double quiet_b = b != b ? b + b : from_bits(default_nan_bits);
    const double quiet = a != a ? a + a : quiet_b;
    return r == r ? r : quiet;
}

/// Settles NaN results of `m` lanes (see the top of the file), given the rows call's NaN mask;
/// `b` is pow's second argument row, or NULL for the number `c`. A sigmoid lane is settled as
/// its exp(−x) would be: 1 / (1 + s) is s again for a quiet NaN s.
static void settle(int nan, int fn, const double *restrict a, const double *restrict b, double c,
                   double *restrict y, long m) {
    if (!nan) return;
    if (b) for (long j = 0; j < m; j++) y[j] = settle_nan(y[j], a[j], b[j]);
    else if (fn == FN_POW) for (long j = 0; j < m; j++) y[j] = settle_nan(y[j], a[j], c);
    else if (fn == FN_SIGMOID) for (long j = 0; j < m; j++) y[j] = settle_nan(y[j], -a[j], -a[j]);
    else for (long j = 0; j < m; j++) y[j] = settle_nan(y[j], a[j], a[j]);
}

/// Runs `fn` over a row. `b` is the second argument row (pow), or NULL with `c` broadcast.
/// `y` must not overlap `a` or `b`.
static void run_row(int fn, const double *a, const double *b, double c, double *y, long n) {
    const int level = level_now();
    const long w = levels[level].width;
    const rows_fn rows = levels[level].rows;
    double ta[CHUNK_MAX], tb[CHUNK_MAX], ty[CHUNK_MAX];
    for (int j = 0; j < CHUNK_MAX; j++) tb[j] = c;
    const long full = n / w * w;
    if (full > 0) settle(rows(fn, a, b ? b : tb, b ? w : 0, y, full / w), fn, a, b, c, y, full);
    if (full < n) {
        // The last, partial chunk through a padded buffer; padding lanes repeat the first
        // element (lanes do not interact: this only keeps them finite).
        const long m = n - full;
        for (long j = 0; j < w; j++) ta[j] = a[full + (j < m ? j : 0)];
        if (b) for (long j = 0; j < w; j++) tb[j] = b[full + (j < m ? j : 0)];
        settle(rows(fn, ta, tb, 0, ty, 1), fn, ta, b ? tb : NULL, c, ty, m);
        for (long j = 0; j < m; j++) y[full + j] = ty[j];
    }
}

/// sin (into s) and cos (into c) over a row, as run_row runs a function; a NULL output is not
/// kept (its chunks go through a scratch buffer).
static void run_sincos(const double *x, double *s, double *c, long n) {
    if (!s || !c) {
        double scratch[256];
        for (long i = 0; i < n; i += 256) {
            const long m = n - i < 256 ? n - i : 256;
            run_sincos(x + i, s ? s + i : scratch, c ? c + i : scratch, m);
        }
        return;
    }
    const int level = level_now();
    const long w = levels[level].width;
    const sincos_fn sincos = levels[level].sincos;
    const long full = n / w * w;
    if (full > 0 && sincos(x, s, c, full / w)) {
        settle(1, FN_SINCOS, x, NULL, 0, s, full);
        settle(1, FN_SINCOS, x, NULL, 0, c, full);
    }
    if (full < n) {
        // The last, partial chunk through padded buffers, as in run_row.
        double tx[CHUNK_MAX], ts[CHUNK_MAX], tc[CHUNK_MAX];
        const long m = n - full;
        for (long j = 0; j < w; j++) tx[j] = x[full + (j < m ? j : 0)];
        if (sincos(tx, ts, tc, 1)) {
            settle(1, FN_SINCOS, tx, NULL, 0, ts, m);
            settle(1, FN_SINCOS, tx, NULL, 0, tc, m);
        }
        for (long j = 0; j < m; j++) {
            s[full + j] = ts[j];
            c[full + j] = tc[j];
        }
    }
}
/// Settles the NaN lanes of pow_keep_rows's outputs (its mask `nan`) as run_row settles pow's
/// and log's: y's from (a, b), d's from (a, b − 1), l's from a.
static void settle_keep(int nan, const double *restrict a, const double *restrict b, double c, double *restrict y,
                        double *restrict d, double *restrict l, long m) {
    settle(nan & 1, FN_POW, a, b, c, y, m);
    if (nan & 2) {
        if (b) for (long j = 0; j < m; j++) d[j] = settle_nan(d[j], a[j], b[j] - 1.0);
        else for (long j = 0; j < m; j++) d[j] = settle_nan(d[j], a[j], c - 1.0);
    }
    settle(nan & 4, FN_LOG, a, NULL, 0, l, m);
}
/// pow's value and derivative rows over a row (cvm_pow_keep): b is a row, or NULL with `c`
/// broadcast; NULL outputs are skipped. Without FMA, the rows of SLEEF's pow and log.
static void run_pow_keep(const double *a, const double *b, double c, double *y, double *d, double *l, long n) {
    const int level = level_now();
    const keep_fn keep = levels[level].keep;
    if (!keep) {
        if (y) run_row(FN_POW, a, b, c, y, n);
        if (l) run_row(FN_LOG, a, 0, 0, l, n);
        if (!d) return;
        if (!b) { run_row(FN_POW, a, 0, c - 1.0, d, n); return; }
        double b1[64];
        for (long i = 0; i < n; i += 64) {
            const long m = n - i < 64 ? n - i : 64;
            for (long j = 0; j < m; j++) b1[j] = b[i + j] - 1.0;
            run_row(FN_POW, a + i, b1, 0, d + i, m);
        }
        return;
    }
    const long w = levels[level].width;
    double ta[CHUNK_MAX], tb[CHUNK_MAX], ty[CHUNK_MAX], td[CHUNK_MAX], tl[CHUNK_MAX];
    for (int j = 0; j < CHUNK_MAX; j++) tb[j] = c;
    const long full = n / w * w;
    if (full > 0) settle_keep(keep(a, b ? b : tb, b ? w : 0, y, d, l, full / w), a, b, c, y, d, l, full);
    if (full < n) {
        // The last, partial chunk through padded buffers, as in run_row.
        const long m = n - full;
        for (long j = 0; j < w; j++) ta[j] = a[full + (j < m ? j : 0)];
        if (b) for (long j = 0; j < w; j++) tb[j] = b[full + (j < m ? j : 0)];
        const int nan = keep(ta, tb, 0, y ? ty : NULL, d ? td : NULL, l ? tl : NULL, 1);
        settle_keep(nan, ta, b ? tb : NULL, c, ty, td, tl, m);
        for (long j = 0; j < m; j++) {
            if (y) y[full + j] = ty[j];
            if (d) d[full + j] = td[j];
            if (l) l[full + j] = tl[j];
        }
    }
}
void cvm_exp(const double *x, double *y, long n) { run_row(FN_EXP, x, 0, 0, y, n); }
void cvm_log(const double *x, double *y, long n) { run_row(FN_LOG, x, 0, 0, y, n); }
void cvm_sin(const double *x, double *y, long n) { run_sincos(x, y, 0, n); }
void cvm_cos(const double *x, double *y, long n) { run_sincos(x, 0, y, n); }
void cvm_sincos(const double *x, double *s, double *c, long n) { run_sincos(x, s, c, n); }
void cvm_tanh(const double *x, double *y, long n) { run_row(FN_TANH, x, 0, 0, y, n); }
void cvm_sigmoid(const double *x, double *y, long n) { run_row(FN_SIGMOID, x, 0, 0, y, n); }
void cvm_pow(const double *a, const double *b, double *y, long n) { run_row(FN_POW, a, b, 0, y, n); }
void cvm_powc(const double *a, double c, double *y, long n) { run_row(FN_POW, a, 0, c, y, n); }
void cvm_pow_keep(const double *a, const double *b, double *y, double *d, double *l, long n) {
    run_pow_keep(a, b, 0, y, d, l, n);
}
void cvm_powc_keep(const double *a, double c, double *y, double *d, long n) { run_pow_keep(a, 0, c, y, d, 0, n); }
void cvm_pow_log(const double *a, double *l, long n) { run_pow_keep(a, 0, 1.0, 0, 0, l, n); }
