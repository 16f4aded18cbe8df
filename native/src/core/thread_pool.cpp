#include "core/thread_pool.h"

#include "core/error.h"

namespace pxl {

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
        pending_ = static_cast<int>(workers_.size());
        ++generation_;
    }
    if (!workers_.empty()) work_ready_.notify_all();

    run_chunk(0);

    std::exception_ptr error;
    {
        std::unique_lock<std::mutex> lock(mutex_);
        work_done_.wait(lock, [this] { return pending_ == 0; });
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
        {
            std::unique_lock<std::mutex> lock(mutex_);
            work_ready_.wait(lock, [&] { return stopping_ || generation_ != seen; });
            if (stopping_) return;
            seen = generation_;
        }
        // The call's fields stay fixed until every worker has decremented pending_.
        run_chunk(worker);
        bool last = false;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            last = --pending_ == 0;
        }
        if (last) work_done_.notify_one();
    }
}

} // namespace pxl
