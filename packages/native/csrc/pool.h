// A small persistent thread pool: the caller and (threads − 1) workers run the
// tasks of one job; workers spin briefly between jobs (a recurrent step hands off
// work every few tens of microseconds), then sleep.
#pragma once
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

namespace sgn {

class Pool {
 public:
  explicit Pool(int threads);
  ~Pool();
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;
  int threads() const { return threads_; }
  // Runs fn(ctx, i) for i in [0, n); returns when every task is done. Thread-safe (jobs are serialized).
  void run(int n, void (*fn)(void*, int), void* ctx);

 private:
  void work(int id);
  void tasks(int id);
  int threads_;
  std::vector<std::thread> workers_;
  std::mutex call_;
  std::mutex m_;
  std::condition_variable cv_;
  std::atomic<uint64_t> gen_{0};
  std::atomic<int> acks_{0};
  std::atomic<bool> stop_{false};
  void (*fn_)(void*, int) = nullptr;
  void* ctx_ = nullptr;
  int n_ = 0;
};

}  // namespace sgn
