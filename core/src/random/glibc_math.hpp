#pragma once
// The double-precision log, log1p, sin and cos that PyTorch's CPU normal draws call, with
// the bits they have under glibc on x86-64 (the libm every Linux PyTorch wheel uses; checked
// against glibc 2.36, Debian 12's). PyTorch calls the C library, and glibc's results are not
// correctly rounded (measured on the inputs the draws use: log misrounds about 3 in 10^4,
// sin and cos 7 in 10^4, log1p 7 in 100), so neither WebAssembly's libm nor a correctly
// rounded function gives PyTorch's bits. These follow glibc's algorithms operation by
// operation, with a fused multiply-add exactly where the x86-64 FMA build of glibc has one
// (glibc selects that build on every CPU with FMA, i.e. every AVX2 CPU).

namespace gradlab::random::detail {

/// glibc's log (Szabolcs Nagy's table-driven log, FMA build). Natively this is the C
/// library's own log; in WebAssembly the same algorithm runs on the C library's table.
double glibc_log(double x);
/// glibc's log1p (fdlibm's, FMA build).
double glibc_log1p(double x);
/// glibc's sin and cos (IBM's Accurate Mathematical Library, FMA build) for |x| < 105414350,
/// which covers every angle the draws use (2 pi u, u in [0, 1)). Larger |x| falls back to
/// the platform's function.
double glibc_sin(double x);
double glibc_cos(double x);

}  // namespace gradlab::random::detail
