// AVX2 + FMA kernels. The target pragma comes after every system header, so only
// this file's own code (plain pointers, no std templates) is built for AVX2; the
// addon calls it only when the CPU reports avx2 and fma.
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "common.h"

#if defined(__x86_64__) || defined(__i386__)
#pragma GCC target("avx2,fma")
#define SGN_NS sgn_avx2
#define SGN_VW 8
#define SGN_ISA "avx2"
#include "kernels.inc"
namespace sgn {
const Ops* ops_avx2() { return &SGN_NS::ops; }
}  // namespace sgn
#else
namespace sgn {
const Ops* ops_avx2() { return nullptr; }
}  // namespace sgn
#endif
