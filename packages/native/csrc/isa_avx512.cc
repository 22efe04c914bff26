// AVX-512F kernels (16-float vectors, 32-column panels); used only when the CPU reports avx512f.
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "common.h"

#if defined(__x86_64__) || defined(__i386__)
#pragma GCC target("avx512f,avx2,fma")
#define SGN_NS sgn_avx512
#define SGN_VW 16
#define SGN_ISA "avx512"
#include "kernels.inc"
namespace sgn {
const Ops* ops_avx512() { return &SGN_NS::ops; }
}  // namespace sgn
#else
namespace sgn {
const Ops* ops_avx512() { return nullptr; }
}  // namespace sgn
#endif
