#include "pool.h"

namespace sgn {

namespace {
inline void relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#else
  std::this_thread::yield();
#endif
}
// About 20–50 µs of spinning: enough to bridge one recurrent step, short enough not to steal a busy machine.
constexpr int kSpin = 1000;
}  // namespace

Pool::Pool(int threads) : threads_(threads < 1 ? 1 : threads) {
  for (int i = 1; i < threads_; i++) workers_.emplace_back([this, i] { work(i); });
}

Pool::~Pool() {
  {
    std::lock_guard<std::mutex> lock(m_);
    stop_.store(true);
  }
  cv_.notify_all();
  for (auto& t : workers_) t.join();
}

void Pool::tasks(int id) {
  for (int i = id; i < n_; i += threads_) fn_(ctx_, i);
}

void Pool::work(int id) {
  uint64_t seen = 0;
  for (;;) {
    int spins = 0;
    while (gen_.load(std::memory_order_acquire) == seen && !stop_.load(std::memory_order_relaxed)) {
      if (++spins < kSpin) {
        relax();
        continue;
      }
      std::unique_lock<std::mutex> lock(m_);
      cv_.wait(lock, [&] { return gen_.load(std::memory_order_acquire) != seen || stop_.load(); });
    }
    if (stop_.load()) return;
    seen = gen_.load(std::memory_order_acquire);
    tasks(id);
    acks_.fetch_add(1, std::memory_order_acq_rel);
  }
}

void Pool::run(int n, void (*fn)(void*, int), void* ctx) {
  std::lock_guard<std::mutex> call(call_);
  if (n <= 0) return;
  if (workers_.empty() || n == 1) {
    for (int i = 0; i < n; i++) fn(ctx, i);
    return;
  }
  fn_ = fn;
  ctx_ = ctx;
  n_ = n;
  acks_.store(0, std::memory_order_relaxed);
  {
    std::lock_guard<std::mutex> lock(m_);
    gen_.fetch_add(1, std::memory_order_acq_rel);
  }
  cv_.notify_all();
  tasks(0);
  // Every worker acknowledges every job, so none can still be reading this one when the next starts.
  const int expected = static_cast<int>(workers_.size());
  int spins = 0;
  while (acks_.load(std::memory_order_acquire) != expected) {
    if (++spins < kSpin)
      relax();
    else
      std::this_thread::yield();
  }
}

}  // namespace sgn
