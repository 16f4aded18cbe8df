// A fixed team of threads for data-parallel loops. Owned by whoever creates it (a context); there
// is no global pool, so two contexts never share or fight over one.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <mutex>
#include <thread>
#include <type_traits>
#include <vector>

namespace pxl {

// parallel_for splits [0, n_items) into one contiguous chunk per thread; the calling thread runs
// chunk 0 and n_threads - 1 workers run the others. Between calls a worker spins for a few
// microseconds (a decode step issues dozens of calls back to back, and waking a sleeping thread
// costs tens of microseconds), then sleeps on a condition variable, so an idle pool burns no CPU. Not reentrant: a parallel_for that starts while another is running on the same pool
// (nested inside a callback, or from a second thread) throws pxl::error INVALID_STATE instead of
// deadlocking. Destroy the pool only when no parallel_for is running.
class thread_pool {
public:
    // n_threads >= 1 (INVALID_ARGUMENT otherwise), the caller included.
    explicit thread_pool(int n_threads);
    ~thread_pool();

    thread_pool(const thread_pool&) = delete;
    thread_pool& operator=(const thread_pool&) = delete;

    int size() const { return n_threads_; }

    // Calls body(begin, end, worker_index) once per non-empty chunk, worker_index in [0, size()),
    // and returns when all chunks are done. The chunk of worker i is the same for equal n_items and
    // size(), so per-worker scratch and results are deterministic. If bodies throw, the first
    // exception is rethrown here after every chunk has finished. No allocation per call.
    template <class Body>
    void parallel_for(int64_t n_items, Body&& body) {
        using body_type = std::remove_reference_t<Body>;
        run(n_items, &call_body<body_type>, const_cast<void*>(static_cast<const void*>(&body)));
    }

private:
    using chunk_function = void (*)(void* body, int64_t begin, int64_t end, int worker);

    template <class B>
    static void call_body(void* body, int64_t begin, int64_t end, int worker) {
        (*static_cast<B*>(body))(begin, end, worker);
    }

    void run(int64_t n_items, chunk_function function, void* body);
    void run_chunk(int worker) noexcept;
    void worker_main(int worker);
    void stop_workers() noexcept;

    int n_threads_;
    std::vector<std::thread> workers_;

    std::mutex mutex_;
    std::condition_variable work_ready_;
    std::condition_variable work_done_;
    bool busy_ = false;          // a parallel_for is in flight
    std::atomic<bool> stopping_{false};
    std::atomic<uint64_t> generation_{0}; // bumped per call (under mutex_); workers wait for a new value
    std::atomic<int> pending_{0};         // workers that have not finished the current call
    chunk_function function_ = nullptr;
    void* body_ = nullptr;
    int64_t n_items_ = 0;
    std::exception_ptr error_;   // first exception of the current call
};

} // namespace pxl
