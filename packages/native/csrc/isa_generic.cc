// Kernels for any CPU: plain C++ (SSE2 on x86-64), same algorithms as the AVX builds.
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "common.h"

#define SGN_NS sgn_generic
#define SGN_VW 4
#define SGN_ISA "generic"
#include "kernels.inc"

namespace sgn {
const Ops* ops_generic() { return &SGN_NS::ops; }
}  // namespace sgn
