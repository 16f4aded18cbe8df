#include "core/thread_pool.h"

#include "core/error.h"

#include <chrono>

#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>
#define PXL_CPU_RELAX() _mm_pause()
#else
#define PXL_CPU_RELAX() std::this_thread::yield()
#endif

namespace pxl {

namespace {

// How long a thread polls before it blocks: longer than the gap between the parallel calls of one
// decode step, far shorter than anything a user could notice as idle CPU.
constexpr auto k_spin_time = std::chrono::microseconds(50);

// Polls `ready` until it holds or the spin time is over; true if it holds.
template <class Ready>
bool spin_until(Ready&& ready) {
    const auto deadline = std::chrono::steady_clock::now() + k_spin_time;
    for (int i = 0;; ++i) {
        if (ready()) return true;
        PXL_CPU_RELAX();
        if ((i & 63) == 63 && std::chrono::steady_clock::now() >= deadline) return false;
    }
}

} // namespace

thread_pool::thread_pool(int n_threads) : n_threads_(n_threads) {
    PXL_CHECK_ARG(n_threads >= 1, "thread_pool: n_threads is %d, must be at least 1", n_threads);
    workers_.reserve(static_cast<size_t>(n_threads - 1));
    try {
        for (int worker = 1; worker < n_threads; ++worker) workers_.emplace_back(&thread_pool::worker_main, this, worker);
    } catch (...) {
        stop_workers();  // the destructor will not run for a half-built pool
        throw;
    }
}

thread_pool::~thread_pool() { stop_workers(); }

void thread_pool::stop_workers() noexcept {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stopping_ = true;
    }
    work_ready_.notify_all();
    for (std::thread& worker : workers_) worker.join();
    workers_.clear();
}

void thread_pool::run(int64_t n_items, chunk_function function, void* body) {
    PXL_CHECK_ARG(n_items >= 0, "thread_pool::parallel_for: n_items is %lld", static_cast<long long>(n_items));
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (busy_)
            fail(PXL_STATUS_INVALID_STATE,
                 "thread_pool::parallel_for: the pool is already running a parallel_for (nested or concurrent use)");
        busy_ = true;
        function_ = function;
        body_ = body;
        n_items_ = n_items;
        error_ = nullptr;
        pending_.store(static_cast<int>(workers_.size()), std::memory_order_relaxed);
        generation_.fetch_add(1, std::memory_order_release);
    }
    if (!workers_.empty()) work_ready_.notify_all();

    run_chunk(0);

    std::exception_ptr error;
    spin_until([this] { return pending_.load(std::memory_order_acquire) == 0; });
    {
        std::unique_lock<std::mutex> lock(mutex_);
        work_done_.wait(lock, [this] { return pending_.load(std::memory_order_acquire) == 0; });
        error = std::move(error_);
        error_ = nullptr;
        busy_ = false;
    }
    if (error) std::rethrow_exception(error);
}

// Chunk `worker` of the current call: the first n % size() chunks are one item longer.
void thread_pool::run_chunk(int worker) noexcept {
    const int64_t base = n_items_ / n_threads_;
    const int64_t longer = n_items_ % n_threads_;
    const int64_t begin = worker * base + (worker < longer ? worker : longer);
    const int64_t end = begin + base + (worker < longer ? 1 : 0);
    if (begin == end) return;
    try {
        function_(body_, begin, end, worker);
    } catch (...) {
        std::lock_guard<std::mutex> lock(mutex_);
        if (!error_) error_ = std::current_exception();
    }
}

void thread_pool::worker_main(int worker) {
    uint64_t seen = 0;
    for (;;) {
        auto has_news = [&] { return stopping_.load(std::memory_order_acquire) || generation_.load(std::memory_order_acquire) != seen; };
        if (!spin_until(has_news)) {
            std::unique_lock<std::mutex> lock(mutex_);
            work_ready_.wait(lock, has_news);
        }
        if (stopping_.load(std::memory_order_acquire)) return;
        seen = generation_.load(std::memory_order_acquire);
        // The call's fields stay fixed until every worker has decremented pending_.
        run_chunk(worker);
        if (pending_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
            // Taking the mutex orders this with a caller that checked pending_ and is about to wait.
            { std::lock_guard<std::mutex> lock(mutex_); }
            work_done_.notify_one();
        }
    }
}

} // namespace pxl
