// Elementwise kernels: unary, binary (with broadcasting through stride-0 descs), casts/copies,
// fills and where. Semantics follow ops/UnaryOp and ops/BinaryOp (the reference backend).
#include "tessera_kernels.cuh"
#include <math.h>

// ---- unary ------------------------------------------------------------------------------------
// Float ops evaluate in the dtype's own precision with CUDA's libm (PyTorch's CUDA kernels do the
// same); results can differ from the double-evaluated reference by a few ulp.
#define UNARY_FLOAT_OPS(X) \
    X(neg, -x) X(abs, fabs(x)) X(relu, isnan(x) ? x : (x > 0 ? x : T(0))) \
    X(sign, isnan(x) ? x : (T)((x > 0) - (x < 0))) X(floor, floor(x)) X(ceil, ceil(x)) \
    X(trunc, trunc(x)) X(round, rint(x)) X(square, x * x) X(exp, exp(x)) X(expm1, expm1(x)) \
    X(log, log(x)) X(log1p, log1p(x)) X(log2, log2(x)) X(log10, log10(x)) X(sqrt, sqrt(x)) \
    X(rsqrt, rsqrt(x)) X(reciprocal, T(1) / x) X(sin, sin(x)) X(cos, cos(x)) X(tan, tan(x)) \
    X(tanh, tanh(x)) X(sigmoid, T(1) / (T(1) + exp(-x))) X(silu, x / (T(1) + exp(-x))) \
    X(erf, erf(x)) X(gelu, T(0.5) * x * (T(1) + erf(x * T(0.70710678118654752440))))

// Ops that keep integers (UnaryOp.keepsIntegers): exact int64 forms.
#define UNARY_INT_OPS(X) \
    X(neg, -x) X(abs, x < 0 ? -x : x) X(relu, x > 0 ? x : 0) X(sign, (T)((x > 0) - (x < 0))) \
    X(floor, x) X(ceil, x) X(trunc, x) X(round, x) X(square, x * x)

#define DEF_UNARY(op, expr, T, sfx) \
    TS_KERNEL void tessera_unary_##op##_##sfx(T *out, TS_DESC od, const T *in, TS_DESC id, int64_t n) { \
        TS_GRID_LOOP(i, n) { T x = in[ts_offset(id, i)]; out[ts_offset(od, i)] = (expr); } }

#define UF32(op, expr) DEF_UNARY(op, expr, float, f32)
#define UF64(op, expr) DEF_UNARY(op, expr, double, f64)
#define UI64(op, expr) DEF_UNARY(op, expr, int64_t, i64)
// float overloads of the libm names resolve to the float versions (expf, ...) through CUDA's math headers
#define T float
UNARY_FLOAT_OPS(UF32)
#undef T
#define T double
UNARY_FLOAT_OPS(UF64)
#undef T
#define T int64_t
UNARY_INT_OPS(UI64)
#undef T

// ---- binary -----------------------------------------------------------------------------------
// Operands arrive in the compute dtype (the host casts mixed inputs first); comparisons and logical
// ops write b8. Every binary kernel has the same signature, including the err word (only the int64
// floor_divide / remainder write it).
template <typename T> __device__ __forceinline__ T ts_maximum(T a, T b) { return a != a || b != b ? a + b : (a > b ? a : b); }
template <typename T> __device__ __forceinline__ T ts_minimum(T a, T b) { return a != a || b != b ? a + b : (a < b ? a : b); }

// Python-style modulo and floor division, evaluated in double like the reference so float32
// results are the double result rounded once.
__device__ __forceinline__ double ts_fremainder(double a, double b) {
    double r = fmod(a, b);
    return (r != 0 && ((r < 0) != (b < 0))) ? r + b : r;
}
__device__ __forceinline__ int64_t ts_ipow(int64_t a, int64_t b) {
    // negative exponents: 1 and -1 have exact answers, others truncate to 0 (PyTorch's tensor pow;
    // the host rejects negative scalar exponents as the CPU backend does)
    if (b < 0) return a == 1 ? 1 : a == -1 ? ((b & 1) ? -1 : 1) : 0;
    int64_t r = 1;
    while (b > 0) { if (b & 1) r *= a; a *= a; b >>= 1; }
    return r;
}

#define BIN_FLOAT_OPS(X) \
    X(add, T, a + b) X(sub, T, a - b) X(mul, T, a * b) X(div, T, a / b) X(pow, T, pow(a, b)) \
    X(maximum, T, ts_maximum(a, b)) X(minimum, T, ts_minimum(a, b)) \
    X(remainder, T, (T)ts_fremainder((double)a, (double)b)) X(floor_divide, T, (T)floor((double)a / (double)b)) \
    X(eq, uint8_t, a == b) X(ne, uint8_t, a != b) X(lt, uint8_t, a < b) X(le, uint8_t, a <= b) \
    X(gt, uint8_t, a > b) X(ge, uint8_t, a >= b) X(logical_and, uint8_t, a != 0 && b != 0) \
    X(logical_or, uint8_t, a != 0 || b != 0)

#define BIN_INT_OPS(X) \
    X(add, T, a + b) X(sub, T, a - b) X(mul, T, a * b) X(pow, T, ts_ipow(a, b)) \
    X(maximum, T, a > b ? a : b) X(minimum, T, a < b ? a : b) \
    X(remainder, T, b == 0 ? (ts_report(err, TESSERA_ERR_ZERO_DIV), T(0)) : ((a % b != 0 && ((a % b < 0) != (b < 0))) ? a % b + b : a % b)) \
    X(floor_divide, T, b == 0 ? (ts_report(err, TESSERA_ERR_ZERO_DIV), T(0)) : (a / b - ((a % b != 0) && ((a < 0) != (b < 0))))) \
    X(eq, uint8_t, a == b) X(ne, uint8_t, a != b) X(lt, uint8_t, a < b) X(le, uint8_t, a <= b) \
    X(gt, uint8_t, a > b) X(ge, uint8_t, a >= b) X(logical_and, uint8_t, a != 0 && b != 0) \
    X(logical_or, uint8_t, a != 0 || b != 0)

#define DEF_BINARY(op, R, expr, sfx) \
    TS_KERNEL void tessera_binary_##op##_##sfx(R *out, TS_DESC od, const T *pa, TS_DESC ad, \
                                               const T *pb, TS_DESC bd, int64_t n, int32_t *err) { \
        TS_GRID_LOOP(i, n) { T a = pa[ts_offset(ad, i)], b = pb[ts_offset(bd, i)]; out[ts_offset(od, i)] = (R)(expr); } }

#define BF32(op, R, expr) DEF_BINARY(op, R, expr, f32)
#define BF64(op, R, expr) DEF_BINARY(op, R, expr, f64)
#define BI64(op, R, expr) DEF_BINARY(op, R, expr, i64)
#define T float
BIN_FLOAT_OPS(BF32)
#undef T
#define T double
BIN_FLOAT_OPS(BF64)
#undef T
#define T int64_t
BIN_INT_OPS(BI64)
#undef T

// ---- casts (strided copy with conversion), fills, where ---------------------------------------
// Conversions are C++ casts (float -> int truncates toward zero), except to b8: v != 0.
template <typename D, typename S> __device__ __forceinline__ D ts_convert(S v) { return (D)v; }
template <> __device__ __forceinline__ bool ts_convert<bool, float>(float v) { return v != 0; }

#define CAST_TYPES(X, S, ssfx) \
    X(S, ssfx, float, f32) X(S, ssfx, double, f64) X(S, ssfx, int64_t, i64) \
    X(S, ssfx, int32_t, i32) X(S, ssfx, uint8_t, u8) X(S, ssfx, bool, b8)

// bool is stored as one byte 0/1 (C++ bool conversion yields exactly that)
#define DEF_CAST(S, ssfx, D, dsfx) \
    TS_KERNEL void tessera_cast_##ssfx##_##dsfx(D *out, TS_DESC od, const S *in, TS_DESC id, int64_t n) { \
        TS_GRID_LOOP(i, n) { out[ts_offset(od, i)] = (D)in[ts_offset(id, i)]; } }

CAST_TYPES(DEF_CAST, float, f32)
CAST_TYPES(DEF_CAST, double, f64)
CAST_TYPES(DEF_CAST, int64_t, i64)
CAST_TYPES(DEF_CAST, int32_t, i32)
CAST_TYPES(DEF_CAST, uint8_t, u8)
CAST_TYPES(DEF_CAST, bool, b8)

// Fills: floating types take a double value, integer types an int64 value (exact beyond 2^53).
#define DEF_FILL(T, sfx, V) \
    TS_KERNEL void tessera_fill_##sfx(T *out, TS_DESC od, int64_t n, V value) { \
        T v = (T)value; TS_GRID_LOOP(i, n) { out[ts_offset(od, i)] = v; } }
DEF_FILL(float, f32, double)
DEF_FILL(double, f64, double)
DEF_FILL(int64_t, i64, int64_t)
DEF_FILL(int32_t, i32, int64_t)
DEF_FILL(uint8_t, u8, int64_t)
DEF_FILL(bool, b8, int64_t)

// out = cond ? a : b; cond is b8, a and b already in out's dtype.
#define DEF_WHERE(T, sfx) \
    TS_KERNEL void tessera_where_##sfx(T *out, TS_DESC od, const bool *cond, TS_DESC cd, \
                                       const T *a, TS_DESC ad, const T *b, TS_DESC bd, int64_t n) { \
        TS_GRID_LOOP(i, n) { out[ts_offset(od, i)] = cond[ts_offset(cd, i)] ? a[ts_offset(ad, i)] : b[ts_offset(bd, i)]; } }
DEF_WHERE(float, f32)
DEF_WHERE(double, f64)
DEF_WHERE(int64_t, i64)
DEF_WHERE(bool, b8)
