// N-API binding of @seqgen/native: whole-sequence LSTM / GRU / RNN and ConvLSTM
// forward and backward, a batch step for generation, an additive-attention step, a softmax cross-entropy and a GEMM, on Float32Arrays. Shapes are
// validated again here (the TypeScript layer validates first and throws seqgen's
// typed errors); a mismatch throws a RangeError, never reads out of bounds.
#include <napi.h>

#include <algorithm>
#include <atomic>
#include <thread>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <string>
#include <vector>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "common.h"
#include "pool.h"

namespace sgn {

[[noreturn]] void sgn_throw_oom(size_t) { throw std::bad_alloc(); }

void free_saved(Saved* s) {
  if (!s) return;
  for (float* p : s->buf) std::free(p);
  std::free(s);
}
void free_conv_saved(ConvSaved* s) {
  if (!s) return;
  for (float* p : s->buf) std::free(p);
  std::free(s);
}
void free_step(StepWeights* w) {
  if (!w) return;
  std::free(w->W), std::free(w->U), std::free(w->b), std::free(w->rb);
  std::free(w);
}

namespace {

const Ops* g_ops = nullptr;
std::string g_isa_reason;
std::unique_ptr<Pool> g_pool;
std::atomic<long long> g_live_saved{0};
std::atomic<long long> g_live_bytes{0};
std::atomic<long long> g_live_steps{0};

bool cpu_has(const char* feature) {
#if (defined(__x86_64__) || defined(__i386__)) && defined(__GNUC__)
  __builtin_cpu_init();
  if (!std::strcmp(feature, "avx2")) return __builtin_cpu_supports("avx2");
  if (!std::strcmp(feature, "fma")) return __builtin_cpu_supports("fma");
  if (!std::strcmp(feature, "avx512f")) return __builtin_cpu_supports("avx512f");
#else
  (void)feature;
#endif
  return false;
}

// Picks the best kernel set this CPU runs, capped by `want` ("auto", "avx512", "avx2", "generic").
const Ops* pick(const std::string& want, std::string* reason) {
  const bool avx2 = cpu_has("avx2") && cpu_has("fma") && ops_avx2();
  const bool avx512 = avx2 && cpu_has("avx512f") && ops_avx512();
  if (want == "generic") {
    *reason = "forced by SEQGEN_NATIVE_ISA=generic";
    return ops_generic();
  }
  if (want == "avx512" && avx512) {
    *reason = "forced by SEQGEN_NATIVE_ISA=avx512";
    return ops_avx512();
  }
  if (want == "avx2" || want == "avx512") {
    if (avx2) {
      *reason = want == "avx2" ? "forced by SEQGEN_NATIVE_ISA=avx2" : "avx512f not available, using avx2";
      return ops_avx2();
    }
    *reason = "CPU lacks avx2/fma, using generic";
    return ops_generic();
  }
  // auto: the widest set the CPU has. Chosen from the CPU's features alone, never by timing: the two sets
  // round differently (vector widths, reduction order), so a choice that could differ between processes
  // on one machine would break reproducible seeds and exact resume across processes.
  if (avx512) {
    *reason = "CPU has avx512f";
    return ops_avx512();
  }
  if (avx2) {
    *reason = "CPU has avx2 and fma";
    return ops_avx2();
  }
  *reason = "CPU lacks avx2/fma (or not x86-64)";
  return ops_generic();
}

int default_threads() {
  const char* env = std::getenv("SEQGEN_NATIVE_THREADS");
  if (env && *env) {
    int n = std::atoi(env);
    if (n >= 1 && n <= 64) return n;
  }
  unsigned hc = std::thread::hardware_concurrency();
  int n = hc == 0 ? 1 : static_cast<int>(hc);
  return n > 8 ? 8 : n;
}

Pool& pool() {
  if (!g_pool) g_pool = std::make_unique<Pool>(default_threads());
  return *g_pool;
}

void pool_run(int n, void (*fn)(void*, int), void* ctx) { pool().run(n, fn, ctx); }

Runner runner() { return Runner{pool().threads(), pool_run}; }

const Ops& ops() {
  if (!g_ops) {
    const char* env = std::getenv("SEQGEN_NATIVE_ISA");
    g_ops = pick(env && *env ? env : "auto", &g_isa_reason);
  }
  return *g_ops;
}

// ---- argument helpers

[[noreturn]] void fail(Napi::Env env, const std::string& msg) { throw Napi::RangeError::New(env, msg); }

int int_arg(const Napi::CallbackInfo& info, size_t i, const char* name, int lo) {
  if (!info[i].IsNumber()) throw Napi::TypeError::New(info.Env(), std::string(name) + " must be a number");
  double d = info[i].As<Napi::Number>().DoubleValue();
  if (!(d >= lo) || d > 1e9 || d != static_cast<double>(static_cast<long long>(d)))
    fail(info.Env(), std::string(name) + " must be an integer >= " + std::to_string(lo));
  return static_cast<int>(d);
}

float* f32(const Napi::CallbackInfo& info, size_t i, const char* name, size_t expected, bool optional = false) {
  Napi::Value v = info[i];
  if (optional && (v.IsNull() || v.IsUndefined())) return nullptr;
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_float32_array)
    throw Napi::TypeError::New(info.Env(), std::string(name) + " must be a Float32Array");
  Napi::Float32Array a = v.As<Napi::Float32Array>();
  if (a.ElementLength() != expected)
    fail(info.Env(), std::string(name) + " must have " + std::to_string(expected) + " elements, got " +
                         std::to_string(a.ElementLength()));
  return a.Data();
}

Napi::Float32Array new_f32(Napi::Env env, size_t n) { return Napi::Float32Array::New(env, n); }

int gates_of(int kind) { return kind == KIND_LSTM ? 4 : kind == KIND_GRU ? 3 : 1; }

// What one forward pass kept: a recurrent layer's (s) or a ConvLSTM layer's (conv).
struct SavedBox {
  Saved* s = nullptr;
  ConvSaved* conv = nullptr;
};

void release_box(Napi::Env env, SavedBox* box) {
  long long bytes = 0;
  if (box->s) {
    bytes = static_cast<long long>(box->s->bytes);
    free_saved(box->s);
    box->s = nullptr;
  } else if (box->conv) {
    bytes = static_cast<long long>(box->conv->bytes);
    free_conv_saved(box->conv);
    box->conv = nullptr;
  } else {
    return;
  }
  g_live_saved--;
  g_live_bytes -= bytes;
  Napi::MemoryManagement::AdjustExternalMemory(env, -bytes);
}

Napi::External<SavedBox> saved_handle(Napi::Env env, SavedBox* box, size_t bytes) {
  g_live_saved++;
  g_live_bytes += static_cast<long long>(bytes);
  Napi::MemoryManagement::AdjustExternalMemory(env, static_cast<int64_t>(bytes));
  return Napi::External<SavedBox>::New(env, box, [](Napi::Env e, SavedBox* bx) {
    release_box(e, bx);
    delete bx;
  });
}

// ---- exports

// forward(kind, x, W, U, b, rb, h0, c0, mask, B, T, I, H, reverse, relu, save) -> { out, saved }
Napi::Value Forward(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 16) throw Napi::TypeError::New(env, "forward: 16 arguments expected");
  const int kind = int_arg(info, 0, "kind", 1);
  if (kind > 3) fail(env, "kind must be 1 (lstm), 2 (gru) or 3 (rnn)");
  SeqArgs a{};
  a.B = int_arg(info, 9, "B", 1);
  a.T = int_arg(info, 10, "T", 1);
  a.I = int_arg(info, 11, "I", 1);
  a.H = int_arg(info, 12, "H", 1);
  const size_t B = a.B, T = a.T, I = a.I, H = a.H, G = gates_of(kind) * H;
  if (B * T * (I + 4 * G) > (size_t)1 << 33) fail(env, "sequence too large for native kernels");
  a.x = f32(info, 1, "x", B * T * I);
  a.W = f32(info, 2, "kernel", I * G);
  a.U = f32(info, 3, "recurrentKernel", H * G);
  a.b = f32(info, 4, "bias", G);
  a.rb = f32(info, 5, "recurrentBias", G, kind != KIND_GRU);
  a.h0 = f32(info, 6, "h0", B * H);
  a.c0 = f32(info, 7, "c0", B * H, kind != KIND_LSTM);
  a.mask = f32(info, 8, "mask", B * T, true);
  a.reverse = info[13].ToBoolean().Value() ? 1 : 0;
  a.relu = info[14].ToBoolean().Value() ? 1 : 0;
  const bool save = info[15].ToBoolean().Value();
  const size_t S = kind == KIND_LSTM ? 2 : 1;
  Napi::Float32Array out = new_f32(env, B * (T + S) * H);
  Saved* s = nullptr;
  try {
    s = ops().forward(runner(), kind, a, out.Data(), save ? 1 : 0);
  } catch (const std::bad_alloc&) {
    throw Napi::Error::New(env, "native forward: out of memory");
  }
  Napi::Object result = Napi::Object::New(env);
  result.Set("out", out);
  if (s) {
    result.Set("saved", saved_handle(env, new SavedBox{s, nullptr}, s->bytes));
  } else {
    result.Set("saved", env.Null());
  }
  return result;
}

SavedBox* saved_arg(const Napi::CallbackInfo& info, size_t i) {
  if (!info[i].IsExternal()) throw Napi::TypeError::New(info.Env(), "saved must be a handle returned by forward");
  return info[i].As<Napi::External<SavedBox>>().Data();
}

// backward(saved, dy) -> [dx, dW, dU, db, drb | null, dh0, dc0 | null]; frees the saved buffers.
Napi::Value Backward(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  SavedBox* box = saved_arg(info, 0);
  if (box->conv) throw Napi::TypeError::New(env, "backward: saved comes from convLstmForward (use convLstmBackward)");
  if (!box->s) throw Napi::Error::New(env, "backward: this forward pass was already released (backward runs once)");
  const Saved& s = *box->s;
  const size_t B = s.B, T = s.T, I = s.I, H = s.H, G = gates_of(s.kind) * H;
  const size_t S = s.kind == KIND_LSTM ? 2 : 1;
  const float* dy = f32(info, 1, "dy", B * (T + S) * H);
  Napi::Float32Array dx = new_f32(env, B * T * I), dW = new_f32(env, I * G), dU = new_f32(env, H * G),
                     db = new_f32(env, G), dh0 = new_f32(env, B * H);
  Napi::Value drb = env.Null(), dc0 = env.Null();
  Grads g{dx.Data(), dW.Data(), dU.Data(), db.Data(), nullptr, dh0.Data(), nullptr};
  if (s.kind == KIND_GRU) {
    Napi::Float32Array a = new_f32(env, G);
    g.drb = a.Data();
    drb = a;
  }
  if (s.kind == KIND_LSTM) {
    Napi::Float32Array a = new_f32(env, B * H);
    g.dc0 = a.Data();
    dc0 = a;
  }
  try {
    ops().backward(runner(), s, dy, g);
  } catch (const std::bad_alloc&) {
    throw Napi::Error::New(env, "native backward: out of memory");
  }
  release_box(env, box);
  Napi::Array result = Napi::Array::New(env, 7);
  result.Set(0u, dx), result.Set(1u, dW), result.Set(2u, dU), result.Set(3u, db);
  result.Set(4u, drb), result.Set(5u, dh0), result.Set(6u, dc0);
  return result;
}

// convLstmForward(x, W, U, b, h0, c0, B, T, Hh, Ww, C, F, kh, kw, save) -> { out, saved }
Napi::Value ConvLstmForward(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 15) throw Napi::TypeError::New(env, "convLstmForward: 15 arguments expected");
  ConvArgs a{};
  a.B = int_arg(info, 6, "B", 1);
  a.T = int_arg(info, 7, "T", 1);
  a.Hh = int_arg(info, 8, "height", 1);
  a.Ww = int_arg(info, 9, "width", 1);
  a.C = int_arg(info, 10, "C", 1);
  a.F = int_arg(info, 11, "F", 1);
  a.kh = int_arg(info, 12, "kh", 1);
  a.kw = int_arg(info, 13, "kw", 1);
  if (a.kh % 2 == 0 || a.kw % 2 == 0) fail(env, "kernel sizes must be odd");
  const size_t B = a.B, T = a.T, P = static_cast<size_t>(a.Hh) * a.Ww, C = a.C, F = a.F, G = 4 * F;
  const size_t taps = static_cast<size_t>(a.kh) * a.kw;
  if (B * T * P * (C + 2 * G + 4 * F) > (size_t)1 << 33 || B * T * P > (size_t)1 << 30)
    fail(env, "sequence too large for native kernels");
  a.x = f32(info, 0, "x", B * T * P * C);
  a.W = f32(info, 1, "kernel", taps * C * G);
  a.U = f32(info, 2, "recurrentKernel", taps * F * G);
  a.b = f32(info, 3, "bias", G);
  a.h0 = f32(info, 4, "h0", B * P * F);
  a.c0 = f32(info, 5, "c0", B * P * F);
  const bool save = info[14].ToBoolean().Value();
  Napi::Float32Array out = new_f32(env, B * (T + 2) * P * F);
  ConvSaved* s = nullptr;
  try {
    s = ops().conv_forward(runner(), a, out.Data(), save ? 1 : 0);
  } catch (const std::bad_alloc&) {
    throw Napi::Error::New(env, "native convLstmForward: out of memory");
  }
  Napi::Object result = Napi::Object::New(env);
  result.Set("out", out);
  if (s)
    result.Set("saved", saved_handle(env, new SavedBox{nullptr, s}, s->bytes));
  else
    result.Set("saved", env.Null());
  return result;
}

// convLstmBackward(saved, dy) -> [dx, dW, dU, db, dh0, dc0]; frees the saved buffers.
Napi::Value ConvLstmBackward(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  SavedBox* box = saved_arg(info, 0);
  if (box->s) throw Napi::TypeError::New(env, "convLstmBackward: saved comes from forward (use backward)");
  if (!box->conv)
    throw Napi::Error::New(env, "convLstmBackward: this forward pass was already released (backward runs once)");
  const ConvArgs& a = box->conv->shape;
  const size_t B = a.B, T = a.T, P = static_cast<size_t>(a.Hh) * a.Ww, C = a.C, F = a.F, G = 4 * F;
  const size_t taps = static_cast<size_t>(a.kh) * a.kw;
  const float* dy = f32(info, 1, "dy", B * (T + 2) * P * F);
  Napi::Float32Array dx = new_f32(env, B * T * P * C), dW = new_f32(env, taps * C * G),
                     dU = new_f32(env, taps * F * G), db = new_f32(env, G), dh0 = new_f32(env, B * P * F),
                     dc0 = new_f32(env, B * P * F);
  ConvGrads g{dx.Data(), dW.Data(), dU.Data(), db.Data(), dh0.Data(), dc0.Data()};
  try {
    ops().conv_backward(runner(), *box->conv, dy, g);
  } catch (const std::bad_alloc&) {
    throw Napi::Error::New(env, "native convLstmBackward: out of memory");
  }
  release_box(env, box);
  Napi::Array result = Napi::Array::New(env, 6);
  result.Set(0u, dx), result.Set(1u, dW), result.Set(2u, dU), result.Set(3u, db);
  result.Set(4u, dh0), result.Set(5u, dc0);
  return result;
}

Napi::Value Release(const Napi::CallbackInfo& info) {
  release_box(info.Env(), saved_arg(info, 0));
  return info.Env().Undefined();
}

struct StepBox {
  StepWeights* w = nullptr;
};

// packStep(kind, I, H, relu, W, U, b, rb) -> handle
Napi::Value PackStep(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int kind = int_arg(info, 0, "kind", 1);
  if (kind > 3) fail(env, "kind must be 1 (lstm), 2 (gru) or 3 (rnn)");
  const int I = int_arg(info, 1, "I", 1), H = int_arg(info, 2, "H", 1);
  const size_t G = gates_of(kind) * static_cast<size_t>(H);
  const bool relu = info[3].ToBoolean().Value();
  const float* W = f32(info, 4, "kernel", I * G);
  const float* U = f32(info, 5, "recurrentKernel", H * G);
  const float* b = f32(info, 6, "bias", G);
  const float* rb = f32(info, 7, "recurrentBias", G, kind != KIND_GRU);
  StepWeights* w = ops().pack_step(kind, I, H, relu ? 1 : 0, W, U, b, rb);
  g_live_steps++;
  Napi::MemoryManagement::AdjustExternalMemory(env, static_cast<int64_t>(w->bytes));
  return Napi::External<StepBox>::New(env, new StepBox{w}, [](Napi::Env e, StepBox* bx) {
    Napi::MemoryManagement::AdjustExternalMemory(e, -static_cast<int64_t>(bx->w->bytes));
    free_step(bx->w);
    g_live_steps--;
    delete bx;
  });
}

// step(handle, B, x, h, c) — h (and c) updated in place.
Napi::Value Step(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsExternal()) throw Napi::TypeError::New(env, "weights must be a handle returned by packStep");
  const StepWeights& w = *info[0].As<Napi::External<StepBox>>().Data()->w;
  const int B = int_arg(info, 1, "B", 1);
  const float* x = f32(info, 2, "x", static_cast<size_t>(B) * w.I);
  float* h = f32(info, 3, "h", static_cast<size_t>(B) * w.H);
  float* c = f32(info, 4, "c", static_cast<size_t>(B) * w.H, w.kind != KIND_LSTM);
  ops().step(runner(), w, B, x, h, c);
  return env.Undefined();
}

// ---- decoder: a whole recurrent language model's generation step (embedding row → every layer's
// step → output projection), so that a token costs one call instead of a dozen tfjs ops.

std::atomic<long long> g_live_decoders{0};

struct Decoder {
  const Ops* ops = nullptr;  // the kernel set that packed the weights (panel widths differ per set)
  int kind = 0, V = 0, E = 0, top = 0;
  // A conditioned model: layer 0 reads [token embedding, condition embedding] (Vc ids of width Ec).
  int Vc = 0, Ec = 0;
  std::vector<StepWeights*> layers;
  float* emb = nullptr;   // [V, E]
  float* cemb = nullptr;  // [Vc, Ec], or null
  float* PO = nullptr;   // packed [top, V]
  float* bo = nullptr;   // [V]
  size_t bytes = 0;
  // Batch 1 on two threads: thread t owns units [cut[l], cut[l+1]) ... of every gate of each layer
  // (parts[l][t]) and head columns [vcut[t], vcut[t+1]) (POpart[t]), so its weights stay in its core's L2.
  bool split = false;
  std::vector<StepWeights*> parts[2];
  std::vector<int> ucut;  // per layer: thread 1's first unit
  float* POpart[2] = {nullptr, nullptr};
  int vcut = 0;
  std::vector<float> hnew;  // per layer's new h (scratch), concatenated
  std::vector<size_t> hoff;
  std::vector<float> z[2];
  ~Decoder() {
    for (StepWeights* w : layers) free_step(w);
    for (auto& v : parts)
      for (StepWeights* w : v) free_step(w);
    std::free(emb), std::free(cemb), std::free(PO), std::free(bo);
    std::free(POpart[0]), std::free(POpart[1]);
  }
};

// Whether batch-1 decoding splits over two threads: SEQGEN_NATIVE_DECODE_SPLIT=0/1 forces it; by default
// when the packed weights are past ~512 KiB (measured on 2 cores: LSTM 2x256 118 -> 36 us/token, 2x128
// 12.0 -> 10.3; 2x64 4.6 -> 6.1, where the hand-off costs more than it saves).
bool decode_split_wanted(size_t bytes) {
  const char* env = std::getenv("SEQGEN_NATIVE_DECODE_SPLIT");
  if (env && *env) return std::atoi(env) != 0;
  return bytes >= (size_t{1} << 19);
}

inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

struct SplitJob {
  const Decoder* d;
  const float* x0;
  float* const* st;
  float* logits;
  std::atomic<int> arrived[66];
};

void split_task(void* p, int t) {
  SplitJob& j = *static_cast<SplitJob*>(p);
  Decoder& d = *const_cast<Decoder*>(j.d);
  const size_t S = d.kind == KIND_LSTM ? 2 : 1;
  const float* x = j.x0;
  float* z = d.z[t].data();
  const size_t L = d.layers.size();
  for (size_t l = 0; l < L; l++) {
    const int H = d.layers[l]->H;
    const int u0 = t == 0 ? 0 : d.ucut[l], u1 = t == 0 ? d.ucut[l] : H;
    float* hl = j.st[l * S];
    float* hn = d.hnew.data() + d.hoff[l];
    if (u1 > u0)
      d.ops->step_part(*d.parts[t][l], x, hl, hl + u0, S == 2 ? j.st[l * S + 1] + u0 : nullptr, hn + u0, z);
    // Both halves of the new h are needed by the next layer (and nobody reads the old h any more).
    j.arrived[l].fetch_add(1, std::memory_order_acq_rel);
    // Spin briefly (the other half is microseconds away on a quiet machine), then yield: when other
    // processes hold the cores, spinning only burns the time slice the other half needs.
    for (int spins = 0; j.arrived[l].load(std::memory_order_acquire) < 2; spins++) {
      if (spins < 4096) cpu_relax();
      else std::this_thread::yield();
    }
    std::memcpy(hl + u0, hn + u0, static_cast<size_t>(u1 - u0) * sizeof(float));
    x = hn;
  }
  const int v0 = t == 0 ? 0 : d.vcut, v1 = t == 0 ? d.vcut : d.V;
  if (v1 > v0) {
    float* out = j.logits + v0;
    d.ops->gemv(v1 - v0, d.top, x, d.POpart[t], out);
    for (int v = 0; v < v1 - v0; v++) out[v] += d.bo[v0 + v];
  }
}

float* copy_floats(const float* p, size_t n) {
  float* q = static_cast<float*>(std::malloc((n ? n : 1) * sizeof(float)));
  if (!q) throw std::bad_alloc();
  std::memcpy(q, p, n * sizeof(float));
  return q;
}

// packDecoder(kind, relu, V, E, layers: [{ I, H, kernel, recurrentKernel, bias, recurrentBias }], embedding,
//             outKernel, outTransposed, outBias[, Vc, Ec, conditionEmbedding]) -> handle
// With Vc > 0 the model is conditioned: layer 0's input is the token's embedding row followed by the
// condition's row of conditionEmbedding [Vc, Ec] (so its I is E + Ec), and decodeStep takes the ids.
Napi::Value PackDecoder(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int kind = int_arg(info, 0, "kind", 1);
  if (kind > 3) fail(env, "kind must be 1 (lstm), 2 (gru) or 3 (rnn)");
  const bool relu = info[1].ToBoolean().Value();
  const int V = int_arg(info, 2, "V", 1), E = int_arg(info, 3, "E", 1);
  if (!info[4].IsArray()) throw Napi::TypeError::New(env, "layers must be an array");
  Napi::Array layers = info[4].As<Napi::Array>();
  if (layers.Length() < 1 || layers.Length() > 64) fail(env, "layers must hold 1 to 64 layers");
  std::unique_ptr<Decoder> d(new Decoder());
  d->ops = &ops();
  d->kind = kind, d->V = V, d->E = E;
  if (info.Length() > 9 && !info[9].IsUndefined() && info[9].ToNumber().Int32Value() > 0) {
    d->Vc = int_arg(info, 9, "Vc", 1);
    d->Ec = int_arg(info, 10, "Ec", 1);
  }
  int in = E + d->Ec;
  try {
    for (uint32_t l = 0; l < layers.Length(); l++) {
      Napi::Object o = layers.Get(l).As<Napi::Object>();
      const int I = o.Get("I").ToNumber().Int32Value(), H = o.Get("H").ToNumber().Int32Value();
      if (I != in || H < 1) fail(env, "layer " + std::to_string(l) + ": input size must be " + std::to_string(in));
      const size_t G = gates_of(kind) * static_cast<size_t>(H);
      auto arr = [&](const char* name, size_t n, bool optional) -> const float* {
        Napi::Value v = o.Get(name);
        if (optional && (v.IsNull() || v.IsUndefined())) return nullptr;
        if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_float32_array ||
            v.As<Napi::Float32Array>().ElementLength() != n)
          fail(env, "layer " + std::to_string(l) + ": " + name + " must be a Float32Array of " + std::to_string(n));
        return v.As<Napi::Float32Array>().Data();
      };
      const float* W = arr("kernel", I * G, false);
      const float* U = arr("recurrentKernel", H * G, false);
      const float* b = arr("bias", G, false);
      const float* rb = arr("recurrentBias", G, kind != KIND_GRU);
      d->layers.push_back(d->ops->pack_step(kind, I, H, relu ? 1 : 0, W, U, b, rb));
      d->bytes += d->layers.back()->bytes;
      in = H;
    }
    d->top = in;
    const float* emb = f32(info, 5, "embedding", static_cast<size_t>(V) * E);
    const float* out = f32(info, 6, "outKernel", static_cast<size_t>(in) * V);
    const bool trans = info[7].ToBoolean().Value();
    const float* bo = f32(info, 8, "outBias", V);
    d->emb = copy_floats(emb, static_cast<size_t>(V) * E);
    d->PO = d->ops->pack(in, V, out, trans ? 1 : 0);
    d->bo = copy_floats(bo, V);
    d->bytes += sizeof(float) * (static_cast<size_t>(V) * E + static_cast<size_t>(in) * V * 2 + V);
    if (d->Vc > 0) {
      const size_t n = static_cast<size_t>(d->Vc) * d->Ec;
      d->cemb = copy_floats(f32(info, 11, "conditionEmbedding", n), n);
      d->bytes += sizeof(float) * n;
    }
    if (runner().threads >= 2 && d->layers.size() <= 64 && decode_split_wanted(d->bytes)) {
      size_t total = 0;
      for (uint32_t l = 0; l < layers.Length(); l++) {
        Napi::Object o = layers.Get(l).As<Napi::Object>();
        const StepWeights& w = *d->layers[l];
        const int H = w.H, cut = (H + 1) / 2;
        const float* W = o.Get("kernel").As<Napi::Float32Array>().Data();
        const float* U = o.Get("recurrentKernel").As<Napi::Float32Array>().Data();
        const float* b = o.Get("bias").As<Napi::Float32Array>().Data();
        Napi::Value rbv = o.Get("recurrentBias");
        const float* rb = kind == KIND_GRU ? rbv.As<Napi::Float32Array>().Data() : nullptr;
        d->ucut.push_back(cut);
        d->parts[0].push_back(d->ops->pack_part(kind, w.I, H, 0, cut, w.relu, W, U, b, rb));
        d->parts[1].push_back(d->ops->pack_part(kind, w.I, H, cut, H, w.relu, W, U, b, rb));
        d->hoff.push_back(total);
        total += H;
        const size_t zn = 2 * static_cast<size_t>(gates_of(kind)) * (H - cut + 1);
        for (auto& zz : d->z)
          if (zz.size() < zn) zz.resize(zn);
      }
      d->hnew.assign(total, 0.f);
      // The head's columns, split at a multiple of 16 (whole register panels for AVX2 and AVX-512).
      d->vcut = std::min(V, (V / 2 + 15) / 16 * 16);
      for (int t = 0; t < 2; t++) {
        const int v0 = t == 0 ? 0 : d->vcut, v1 = t == 0 ? d->vcut : V, nv = v1 - v0;
        if (nv <= 0) continue;
        std::vector<float> cols(static_cast<size_t>(in) * nv);
        for (int k = 0; k < in; k++)
          for (int v = 0; v < nv; v++)
            cols[static_cast<size_t>(k) * nv + v] =
                trans ? out[static_cast<size_t>(v0 + v) * in + k] : out[static_cast<size_t>(k) * V + v0 + v];
        d->POpart[t] = d->ops->pack(in, nv, cols.data(), 0);
      }
      for (int t = 0; t < 2; t++)
        for (StepWeights* w : d->parts[t]) d->bytes += w->bytes;
      d->bytes += sizeof(float) * static_cast<size_t>(in) * V * 2;
      d->split = true;
    }
  } catch (const std::bad_alloc&) {
    throw Napi::Error::New(env, "native packDecoder: out of memory");
  }
  const int64_t bytes = static_cast<int64_t>(d->bytes);
  g_live_decoders++;
  Napi::MemoryManagement::AdjustExternalMemory(env, bytes);
  return Napi::External<Decoder>::New(env, d.release(), [](Napi::Env e, Decoder* dd) {
    Napi::MemoryManagement::AdjustExternalMemory(e, -static_cast<int64_t>(dd->bytes));
    g_live_decoders--;
    delete dd;
  });
}

// decodeStep(handle, B, tokens: Int32Array [B], states: Float32Array[] (h, [c,] per layer, updated in place),
//            logits: Float32Array [B, V][, conditions: Int32Array [B], for a conditioned decoder])
Napi::Value DecodeStep(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsExternal()) throw Napi::TypeError::New(env, "decoder must be a handle returned by packDecoder");
  const Decoder& d = *info[0].As<Napi::External<Decoder>>().Data();
  const int B = int_arg(info, 1, "B", 1);
  if (!info[2].IsTypedArray() || info[2].As<Napi::TypedArray>().TypedArrayType() != napi_int32_array ||
      info[2].As<Napi::Int32Array>().ElementLength() != static_cast<size_t>(B))
    throw Napi::TypeError::New(env, "tokens must be an Int32Array of B elements");
  const int32_t* tokens = info[2].As<Napi::Int32Array>().Data();
  for (int b = 0; b < B; b++)
    if (tokens[b] < 0 || tokens[b] >= d.V) fail(env, "token " + std::to_string(tokens[b]) + " out of range");
  if (!info[3].IsArray()) throw Napi::TypeError::New(env, "states must be an array");
  Napi::Array states = info[3].As<Napi::Array>();
  const size_t S = d.kind == KIND_LSTM ? 2 : 1;
  if (states.Length() != S * d.layers.size()) fail(env, "states must hold " + std::to_string(S * d.layers.size()));
  std::vector<float*> st(states.Length());
  for (uint32_t k = 0; k < states.Length(); k++) {
    Napi::Value v = states.Get(k);
    const size_t n = static_cast<size_t>(B) * d.layers[k / S]->H;
    if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_float32_array ||
        v.As<Napi::Float32Array>().ElementLength() != n)
      fail(env, "states[" + std::to_string(k) + "] must be a Float32Array of " + std::to_string(n));
    st[k] = v.As<Napi::Float32Array>().Data();
  }
  float* logits = f32(info, 4, "logits", static_cast<size_t>(B) * d.V);
  const int32_t* conditions = nullptr;
  if (d.Vc > 0) {
    if (!info[5].IsTypedArray() || info[5].As<Napi::TypedArray>().TypedArrayType() != napi_int32_array ||
        info[5].As<Napi::Int32Array>().ElementLength() != static_cast<size_t>(B))
      throw Napi::TypeError::New(env, "conditions must be an Int32Array of B elements (a conditioned decoder)");
    conditions = info[5].As<Napi::Int32Array>().Data();
    for (int b = 0; b < B; b++)
      if (conditions[b] < 0 || conditions[b] >= d.Vc)
        fail(env, "condition " + std::to_string(conditions[b]) + " out of range");
  }
  try {
    const Runner r = runner();
    // Layer 0's input rows: the embedding rows themselves, or (batch > 1, conditioned) gathered.
    std::vector<float> x0;
    const size_t I0 = static_cast<size_t>(d.E) + d.Ec;
    const float* x = d.emb + static_cast<size_t>(tokens[0]) * d.E;
    if (B > 1 || conditions) {
      x0.resize(static_cast<size_t>(B) * I0);
      for (int b = 0; b < B; b++) {
        float* row = x0.data() + static_cast<size_t>(b) * I0;
        std::memcpy(row, d.emb + static_cast<size_t>(tokens[b]) * d.E, d.E * sizeof(float));
        if (conditions)
          std::memcpy(row + d.E, d.cemb + static_cast<size_t>(conditions[b]) * d.Ec, d.Ec * sizeof(float));
      }
      x = x0.data();
    }
    if (B == 1 && d.split && r.threads >= 2) {
      SplitJob job;
      job.d = &d;
      job.x0 = x;
      job.st = st.data();
      job.logits = logits;
      for (auto& a : job.arrived) a.store(0, std::memory_order_relaxed);
      r.run(2, split_task, &job);
      return env.Undefined();
    }
    for (size_t l = 0; l < d.layers.size(); l++) {
      d.ops->step(r, *d.layers[l], B, x, st[l * S], S == 2 ? st[l * S + 1] : nullptr);
      x = st[l * S];
    }
    d.ops->matmul_packed(r, B, d.V, d.top, x, d.PO, logits);
    for (int b = 0; b < B; b++) {
      float* row = logits + static_cast<size_t>(b) * d.V;
      for (int v = 0; v < d.V; v++) row[v] += d.bo[v];
    }
  } catch (const std::bad_alloc&) {
    throw Napi::Error::New(env, "native decodeStep: out of memory");
  }
  return env.Undefined();
}

// gemm(M, N, K, A, transA, B, transB, C, acc)
Napi::Value Gemm(const Napi::CallbackInfo& info) {
  const int M = int_arg(info, 0, "M", 1), N = int_arg(info, 1, "N", 1), K = int_arg(info, 2, "K", 1);
  const float* A = f32(info, 3, "A", static_cast<size_t>(M) * K);
  const bool tA = info[4].ToBoolean().Value();
  const float* Bm = f32(info, 5, "B", static_cast<size_t>(K) * N);
  const bool tB = info[6].ToBoolean().Value();
  float* C = f32(info, 7, "C", static_cast<size_t>(M) * N);
  ops().gemm(runner(), M, N, K, A, tA, Bm, tB, C, info[8].ToBoolean().Value());
  return info.Env().Undefined();
}

// attentionForward(B, S, U, D, keys, q, v, mask, memory, tanh, out): one additive-attention step; writes
// tanh [B, S, U] and out [B, S + D] (the weights, then the context).
Napi::Value AttentionForward(const Napi::CallbackInfo& info) {
  const int B = int_arg(info, 0, "B", 1), S = int_arg(info, 1, "S", 1), U = int_arg(info, 2, "U", 1),
            D = int_arg(info, 3, "D", 1);
  const size_t bs = static_cast<size_t>(B) * S;
  const float* keys = f32(info, 4, "keys", bs * U);
  const float* q = f32(info, 5, "q", static_cast<size_t>(B) * U);
  const float* v = f32(info, 6, "v", static_cast<size_t>(U));
  const float* mask = f32(info, 7, "mask", bs);
  const float* memory = f32(info, 8, "memory", bs * D);
  float* tanh = f32(info, 9, "tanh", bs * U);
  float* out = f32(info, 10, "out", static_cast<size_t>(B) * (S + D));
  ops().attn_forward(runner(), B, S, U, D, keys, q, v, mask, memory, tanh, out);
  return info.Env().Undefined();
}

// attentionBackward(B, S, U, D, dy, tanh, out, v, memory, dkeys, dq, dv, dmemory): its gradients.
Napi::Value AttentionBackward(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int B = int_arg(info, 0, "B", 1), S = int_arg(info, 1, "S", 1), U = int_arg(info, 2, "U", 1),
            D = int_arg(info, 3, "D", 1);
  const size_t bs = static_cast<size_t>(B) * S;
  const float* dy = f32(info, 4, "dy", static_cast<size_t>(B) * (S + D));
  const float* tanh = f32(info, 5, "tanh", bs * U);
  const float* out = f32(info, 6, "out", static_cast<size_t>(B) * (S + D));
  const float* v = f32(info, 7, "v", static_cast<size_t>(U));
  const float* memory = f32(info, 8, "memory", bs * D);
  float* dkeys = f32(info, 9, "dkeys", bs * U);
  float* dq = f32(info, 10, "dq", static_cast<size_t>(B) * U);
  float* dv = f32(info, 11, "dv", static_cast<size_t>(U));
  float* dmemory = f32(info, 12, "dmemory", bs * D);
  try {
    ops().attn_backward(runner(), B, S, U, D, dy, tanh, out, v, memory, dkeys, dq, dv, dmemory);
  } catch (const std::bad_alloc&) {
    throw Napi::Error::New(env, "native attentionBackward: out of memory");
  }
  return env.Undefined();
}

// Every target an integer id in [0, V): the kernels index rows with them.
void check_targets(const Napi::CallbackInfo& info, const float* targets, int rows, int V) {
  for (int r = 0; r < rows; r++) {
    const float t = targets[r];
    if (!(t >= 0.f && t < static_cast<float>(V)) || t != static_cast<float>(static_cast<int>(t)))
      fail(info.Env(), "targets[" + std::to_string(r) + "] must be an integer in [0, " + std::to_string(V) + ")");
  }
}

// crossEntropyForward(rows, V, logits, targets, weights, epsilon, probs) → Σ weighted row losses.
Napi::Value CrossEntropyForward(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int rows = int_arg(info, 0, "rows", 1), V = int_arg(info, 1, "V", 1);
  const size_t n = static_cast<size_t>(rows) * V;
  const float* logits = f32(info, 2, "logits", n);
  const float* targets = f32(info, 3, "targets", static_cast<size_t>(rows));
  const float* weights = f32(info, 4, "weights", static_cast<size_t>(rows));
  const float epsilon = info[5].ToNumber().FloatValue();
  float* probs = f32(info, 6, "probs", n);
  check_targets(info, targets, rows, V);
  double total = 0.0;
  try {
    total = ops().xent_forward(runner(), rows, V, logits, targets, weights, epsilon, probs);
  } catch (const std::bad_alloc&) {
    throw Napi::Error::New(env, "native crossEntropyForward: out of memory");
  }
  return Napi::Number::New(env, total);
}

// crossEntropyBackward(rows, V, probs, targets, weights, epsilon, scale, grad).
Napi::Value CrossEntropyBackward(const Napi::CallbackInfo& info) {
  const int rows = int_arg(info, 0, "rows", 1), V = int_arg(info, 1, "V", 1);
  const size_t n = static_cast<size_t>(rows) * V;
  const float* probs = f32(info, 2, "probs", n);
  const float* targets = f32(info, 3, "targets", static_cast<size_t>(rows));
  const float* weights = f32(info, 4, "weights", static_cast<size_t>(rows));
  const float epsilon = info[5].ToNumber().FloatValue();
  const float scale = info[6].ToNumber().FloatValue();
  float* grad = f32(info, 7, "grad", n);
  check_targets(info, targets, rows, V);
  ops().xent_backward(runner(), rows, V, probs, targets, weights, epsilon, scale, grad);
  return info.Env().Undefined();
}

// adamUpdate(n, param, grad, m, v, paramOut, mOut, vOut, lr, beta1, oneMinusBeta1, beta2, oneMinusBeta2, c1, c2,
// epsilon, decay).
Napi::Value AdamUpdate(const Napi::CallbackInfo& info) {
  const int n = int_arg(info, 0, "n", 1);
  const size_t len = static_cast<size_t>(n);
  const float* param = f32(info, 1, "param", len);
  const float* grad = f32(info, 2, "grad", len);
  const float* m = f32(info, 3, "m", len);
  const float* v = f32(info, 4, "v", len);
  float* param_out = f32(info, 5, "paramOut", len);
  float* m_out = f32(info, 6, "mOut", len);
  float* v_out = f32(info, 7, "vOut", len);
  AdamConstants k;
  float* fields[] = {&k.lr, &k.beta1, &k.one_minus_beta1, &k.beta2, &k.one_minus_beta2,
                     &k.c1, &k.c2,    &k.epsilon,         &k.decay};
  for (size_t i = 0; i < 9; i++) *fields[i] = info[8 + i].ToNumber().FloatValue();
  ops().adam_update(runner(), len, param, grad, m, v, param_out, m_out, v_out, k);
  return info.Env().Undefined();
}

Napi::Value Info(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const Ops& o = ops();
  Napi::Object r = Napi::Object::New(env);
  r.Set("isa", o.isa);
  r.Set("isaReason", g_isa_reason);
  r.Set("threads", pool().threads());
  Napi::Object cpu = Napi::Object::New(env);
  cpu.Set("avx2", cpu_has("avx2"));
  cpu.Set("fma", cpu_has("fma"));
  cpu.Set("avx512f", cpu_has("avx512f"));
  r.Set("cpu", cpu);
  r.Set("liveSaved", static_cast<double>(g_live_saved.load()));
  r.Set("liveBytes", static_cast<double>(g_live_bytes.load()));
  r.Set("liveStepWeights", static_cast<double>(g_live_steps.load()));
  r.Set("liveDecoders", static_cast<double>(g_live_decoders.load()));
  return r;
}

// configure({ threads?, isa? })
Napi::Value Configure(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsObject()) throw Napi::TypeError::New(env, "configure expects an object");
  Napi::Object o = info[0].As<Napi::Object>();
  if (o.Has("threads") && !o.Get("threads").IsUndefined()) {
    const int n = o.Get("threads").ToNumber().Int32Value();
    if (n < 1 || n > 64) fail(env, "threads must be an integer in [1, 64]");
    g_pool = std::make_unique<Pool>(n);
  }
  if (o.Has("isa") && !o.Get("isa").IsUndefined()) {
    g_ops = pick(o.Get("isa").ToString().Utf8Value(), &g_isa_reason);
  }
  return Info(info);
}

}  // namespace

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  // A training step allocates and frees a few 1–8 MB buffers per layer (saved activations, packed
  // weights, gradients). glibc serves those with mmap and unmaps them on free, so every pass page-faults
  // its buffers in again (≈ 8% of a char-RNN step in the kernel). Keep blocks up to 32 MiB in the heap and
  // trim it only past 128 MiB free: measured LSTM 2x256 forward+backward 92 -> 87 ms, GRU 80 -> 71 ms.
  // SEQGEN_NATIVE_MALLOC_TUNE=0 leaves the allocator as it is.
#if defined(__GLIBC__)
  {
    const char* env_tune = std::getenv("SEQGEN_NATIVE_MALLOC_TUNE");
    if (!(env_tune && env_tune[0] == '0')) {
      mallopt(M_MMAP_THRESHOLD, 32 << 20);
      mallopt(M_TRIM_THRESHOLD, 128 << 20);
    }
  }
#endif
  exports.Set("forward", Napi::Function::New(env, Forward));
  exports.Set("backward", Napi::Function::New(env, Backward));
  exports.Set("release", Napi::Function::New(env, Release));
  exports.Set("convLstmForward", Napi::Function::New(env, ConvLstmForward));
  exports.Set("convLstmBackward", Napi::Function::New(env, ConvLstmBackward));
  exports.Set("packStep", Napi::Function::New(env, PackStep));
  exports.Set("step", Napi::Function::New(env, Step));
  exports.Set("gemm", Napi::Function::New(env, Gemm));
  exports.Set("packDecoder", Napi::Function::New(env, PackDecoder));
  exports.Set("decodeStep", Napi::Function::New(env, DecodeStep));
  exports.Set("attentionForward", Napi::Function::New(env, AttentionForward));
  exports.Set("attentionBackward", Napi::Function::New(env, AttentionBackward));
  exports.Set("crossEntropyForward", Napi::Function::New(env, CrossEntropyForward));
  exports.Set("crossEntropyBackward", Napi::Function::New(env, CrossEntropyBackward));
  exports.Set("adamUpdate", Napi::Function::New(env, AdamUpdate));
  exports.Set("info", Napi::Function::New(env, Info));
  exports.Set("configure", Napi::Function::New(env, Configure));
  return exports;
}

}  // namespace sgn

static Napi::Object InitAddon(Napi::Env env, Napi::Object exports) { return sgn::Init(env, exports); }

NODE_API_MODULE(seqgen_native, InitAddon)
