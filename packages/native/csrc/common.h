// Shared declarations between the N-API layer (generic code) and the per-ISA
// kernel translation units. Only plain C types cross this boundary, so that
// nothing compiled for AVX2/AVX-512 can be merged into the generic code.
#pragma once
#include <cstddef>

namespace sgn {

// Runs fn(ctx, i) for i in [0, n) on the thread pool and returns when all are done.
struct Runner {
  int threads;
  void (*run)(int n, void (*fn)(void*, int), void* ctx);
};

enum Kind { KIND_LSTM = 1, KIND_GRU = 2, KIND_RNN = 3 };

// What a forward pass keeps for its backward pass (time-major buffers).
struct Saved {
  int kind;
  int B, T, I, H;
  int reverse;
  int relu;       // RNN activation
  float* buf[10];  // malloc'ed; see each kernel for the meaning of each slot
  size_t bytes;
};

struct SeqArgs {
  int B, T, I, H;
  int reverse;
  int relu;
  const float* x;    // [B, T, I]
  const float* W;    // [I, G·H]
  const float* U;    // [H, G·H]
  const float* b;    // [G·H]
  const float* rb;   // GRU recurrent bias [3H]
  const float* h0;   // [B, H]
  const float* c0;   // [B, H] (LSTM)
  const float* mask; // [B, T] or null
};

// Gradients, each [B,T,I], [I,GH], [H,GH], [GH], ([3H] GRU), [B,H], ([B,H] LSTM).
struct Grads {
  float* dx;
  float* dW;
  float* dU;
  float* db;
  float* drb;
  float* dh0;
  float* dc0;
};

// Weights packed once for batch-1/small-batch steps (generation).
struct StepWeights {
  int kind, I, H, G;
  int relu;
  float* W;  // packed [I, G·H]
  float* U;  // packed [H, G·H]
  float* b;  // [G·H]
  float* rb; // [G·H] or null
  size_t bytes;
  int KH;    // rows of U (= H, except for a column part: the full layer's units)
};

// A ConvLSTM layer over a whole sequence: NHWC frames, 'same' padding, stride 1, odd kernels.
struct ConvArgs {
  int B, T, Hh, Ww, C, F, kh, kw;
  const float* x;   // [B, T, Hh, Ww, C]
  const float* W;   // [kh, kw, C, 4F]
  const float* U;   // [kh, kw, F, 4F]
  const float* b;   // [4F]
  const float* h0;  // [B, Hh, Ww, F]
  const float* c0;  // [B, Hh, Ww, F]
};

// What a ConvLSTM forward pass keeps for its backward pass (shape has null pointers).
struct ConvSaved {
  ConvArgs shape;
  float* buf[8];  // malloc'ed; see conv_forward for the meaning of each slot
  size_t bytes;
};

// ConvLSTM gradients: dx [B,T,Hh,Ww,C], dW, dU, db, dh0, dc0 (the shapes of the inputs).
struct ConvGrads {
  float* dx;
  float* dW;
  float* dU;
  float* db;
  float* dh0;
  float* dc0;
};

// Adam's per-step constants, each the float32 the tfjs op path multiplies or divides by.
struct AdamConstants {
  float lr, beta1, one_minus_beta1, beta2, one_minus_beta2, c1, c2, epsilon, decay;
};

struct Ops {
  const char* isa;
  // out: [B, T + S, H] where S = 2 (LSTM) or 1; returns saved state (or null when !save).
  Saved* (*forward)(const Runner& r, int kind, const SeqArgs& a, float* out, int save);
  void (*backward)(const Runner& r, const Saved& s, const float* dy, const Grads& g);
  StepWeights* (*pack_step)(int kind, int I, int H, int relu, const float* W, const float* U, const float* b,
                            const float* rb);
  // x [B, I], h/c [B, H] updated in place.
  void (*step)(const Runner& r, const StepWeights& w, int B, const float* x, float* h, float* c);
  // C[M, N] = A[M, K] · B[K, N] (+C if acc), row-major; for tests and benchmarks.
  void (*gemm)(const Runner& r, int M, int N, int K, const float* A, int transA, const float* Bm, int transB, float* C,
               int acc);
  // B (K × N, or N × K when trans) packed for matmul_packed; free with std::free.
  float* (*pack)(int K, int N, const float* Bm, int trans);
  // C[M, N] = A[M, K] · packed B.
  void (*matmul_packed)(const Runner& r, int M, int N, int K, const float* A, const float* PB, float* C);
  // Units [u0, u1) of a layer of KH units (every gate's columns of them), packed for step_part.
  StepWeights* (*pack_part)(int kind, int I, int KH, int u0, int u1, int relu, const float* W, const float* U,
                            const float* b, const float* rb);
  // Batch 1, on the calling thread: x [I], hfull [KH] (the layer's previous h), c_own/hprev_own the part's
  // units of c and previous h; writes the part's new h to hout (not aliasing hfull); z: 2·G floats scratch.
  void (*step_part)(const StepWeights& w, const float* x, const float* hfull, const float* hprev_own, float* c_own,
                    float* hout, float* z);
  // y[N] = x[K] · packed B, on the calling thread.
  void (*gemv)(int N, int K, const float* x, const float* PB, float* y);
  // out: time-major [T + 2, B, Hh, Ww, F] (every step's h, then the final h and c); saved state or null when !save.
  ConvSaved* (*conv_forward)(const Runner& r, const ConvArgs& a, float* out, int save);
  void (*conv_backward)(const Runner& r, const ConvSaved& s, const float* dy, const ConvGrads& g);
  // One additive-attention step: tanh(keys + q) [B, S, U] and out [B, S + D] (weights, then context).
  void (*attn_forward)(const Runner& r, int B, int S, int U, int D, const float* keys, const float* q, const float* v,
                       const float* mask, const float* memory, float* tanh, float* out);
  // Its gradients from dy [B, S + D], the forward's tanh and out: dkeys, dq [B, U], dv [U], dmemory.
  void (*attn_backward)(const Runner& r, int B, int S, int U, int D, const float* dy, const float* tanh,
                        const float* out, const float* v, const float* memory, float* dkeys, float* dq, float* dv,
                        float* dmemory);
  // Label-smoothed softmax cross-entropy of logits [rows, V]: the softmax of counted rows to probs, the sum of the
  // weighted row losses returned; and its gradient grad = scale · w · (probs − ε/V − (1 − ε)·onehot).
  double (*xent_forward)(const Runner& r, int rows, int V, const float* logits, const float* targets,
                         const float* weights, float epsilon, float* probs);
  void (*xent_backward)(const Runner& r, int rows, int V, const float* probs, const float* targets,
                        const float* weights, float epsilon, float scale, float* grad);
  // One Adam/AdamW update of n values: new param, m and v (outputs do not alias inputs).
  void (*adam_update)(const Runner& r, size_t n, const float* param, const float* grad, const float* m,
                      const float* v, float* param_out, float* m_out, float* v_out, const AdamConstants& k);
};

[[noreturn]] void sgn_throw_oom(size_t bytes);

const Ops* ops_generic();
const Ops* ops_avx2();
const Ops* ops_avx512();

void free_saved(Saved* s);
void free_conv_saved(ConvSaved* s);
void free_step(StepWeights* w);

}  // namespace sgn
