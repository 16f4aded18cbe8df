// core/thread_pool.h.
#include "core/error.h"
#include "core/thread_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <stdexcept>
#include <thread>
#include <vector>

#ifdef __linux__
#include <ctime>
#endif

namespace pxl::test {
namespace {

const int k_thread_counts[] = {1, 2, 3, 7};

TEST(thread_pool, rejects_fewer_than_one_thread) {
    for (const int n : {0, -1}) {
        try {
            thread_pool pool(n);
            FAIL() << "no exception for " << n;
        } catch (const pxl::error& e) {
            EXPECT_EQ(e.status(), PXL_STATUS_INVALID_ARGUMENT);
        }
    }
}

TEST(thread_pool, visits_every_item_once_in_contiguous_chunks) {
    for (const int threads : k_thread_counts) {
        thread_pool pool(threads);
        EXPECT_EQ(pool.size(), threads);
        for (const int64_t n : {0, 1, 2, 3, 6, 7, 8, 100, 1001}) {
            SCOPED_TRACE("threads " + std::to_string(threads) + ", n " + std::to_string(n));
            std::vector<std::atomic<int>> visits(static_cast<size_t>(n));
            std::vector<std::atomic<int>> chunks_per_worker(static_cast<size_t>(threads));
            std::atomic<int> calls{0};
            pool.parallel_for(n, [&](int64_t begin, int64_t end, int worker) {
                ASSERT_LT(begin, end);
                ASSERT_GE(worker, 0);
                ASSERT_LT(worker, threads);
                ++chunks_per_worker[static_cast<size_t>(worker)];
                ++calls;
                for (int64_t i = begin; i < end; ++i) ++visits[static_cast<size_t>(i)];
            });
            for (int64_t i = 0; i < n; ++i) EXPECT_EQ(visits[static_cast<size_t>(i)].load(), 1) << "item " << i;
            for (const auto& count : chunks_per_worker) EXPECT_LE(count.load(), 1);
            EXPECT_EQ(calls.load(), n < threads ? n : threads);
        }
    }
}

TEST(thread_pool, chunks_are_balanced_and_ordered_by_worker) {
    thread_pool pool(3);
    std::vector<std::pair<int64_t, int64_t>> ranges(3);
    pool.parallel_for(10, [&](int64_t begin, int64_t end, int worker) { ranges[static_cast<size_t>(worker)] = {begin, end}; });
    EXPECT_EQ(ranges[0], std::make_pair(int64_t{0}, int64_t{4}));
    EXPECT_EQ(ranges[1], std::make_pair(int64_t{4}, int64_t{7}));
    EXPECT_EQ(ranges[2], std::make_pair(int64_t{7}, int64_t{10}));
}

TEST(thread_pool, rethrows_an_exception_from_a_worker_or_the_caller) {
    for (const int threads : k_thread_counts) {
        thread_pool pool(threads);
        for (int thrower = 0; thrower < threads; ++thrower) {
            try {
                pool.parallel_for(threads, [&](int64_t, int64_t, int worker) {
                    if (worker == thrower) throw std::runtime_error("chunk " + std::to_string(worker));
                });
                FAIL() << "no exception";
            } catch (const std::runtime_error& e) {
                EXPECT_EQ(std::string(e.what()), "chunk " + std::to_string(thrower));
            }
        }
        // Still usable afterwards.
        std::atomic<int64_t> sum{0};
        pool.parallel_for(100, [&](int64_t begin, int64_t end, int) {
            for (int64_t i = begin; i < end; ++i) sum += i;
        });
        EXPECT_EQ(sum.load(), 4950);
    }
}

TEST(thread_pool, rethrows_one_exception_when_every_chunk_throws) {
    thread_pool pool(7);
    try {
        pool.parallel_for(7, [](int64_t, int64_t, int) { pxl::fail(PXL_STATUS_IO_ERROR, "all"); });
        FAIL() << "no exception";
    } catch (const pxl::error& e) {
        EXPECT_EQ(e.status(), PXL_STATUS_IO_ERROR);
    }
}

TEST(thread_pool, nested_use_throws_invalid_state) {
    for (const int threads : k_thread_counts) {
        thread_pool pool(threads);
        std::atomic<int> rejected{0};
        pool.parallel_for(threads, [&](int64_t, int64_t, int) {
            try {
                pool.parallel_for(4, [](int64_t, int64_t, int) {});
            } catch (const pxl::error& e) {
                if (e.status() == PXL_STATUS_INVALID_STATE) ++rejected;
            }
        });
        EXPECT_EQ(rejected.load(), threads);
    }
}

TEST(thread_pool, concurrent_use_from_another_thread_throws_invalid_state) {
    thread_pool pool(2);
    std::atomic<bool> inside{false}, attempted{false};
    pxl_status seen = PXL_STATUS_OK;
    std::thread intruder([&] {
        while (!inside) std::this_thread::yield();
        try {
            pool.parallel_for(2, [](int64_t, int64_t, int) {});
        } catch (const pxl::error& e) {
            seen = e.status();
        }
        attempted = true;
    });
    pool.parallel_for(2, [&](int64_t, int64_t, int worker) {
        if (worker != 0) return;
        inside = true;
        while (!attempted) std::this_thread::yield();
    });
    intruder.join();
    EXPECT_EQ(seen, PXL_STATUS_INVALID_STATE);
}

TEST(thread_pool, destruction_while_idle_or_never_used) {
    for (int round = 0; round < 50; ++round) {
        thread_pool unused(1 + round % 8);
        thread_pool used(1 + round % 5);
        used.parallel_for(3, [](int64_t, int64_t, int) {});
    }
}

TEST(thread_pool, many_short_calls) {
    thread_pool pool(3);
    int64_t total = 0;
    std::vector<int64_t> per_worker(3);
    for (int call = 0; call < 20000; ++call) {
        pool.parallel_for(3, [&](int64_t begin, int64_t end, int worker) { per_worker[static_cast<size_t>(worker)] += end - begin; });
    }
    for (const int64_t count : per_worker) total += count;
    EXPECT_EQ(total, 60000);
}

TEST(thread_pool, negative_item_count_is_invalid) {
    thread_pool pool(2);
    EXPECT_THROW(pool.parallel_for(-1, [](int64_t, int64_t, int) {}), pxl::error);
}

#ifdef __linux__
// Idle workers sleep: a pool that waits between calls uses (almost) no CPU time.
TEST(thread_pool, idle_workers_do_not_spin) {
    thread_pool pool(7);
    pool.parallel_for(7, [](int64_t, int64_t, int) {});
    timespec before{}, after{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &before);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &after);
    const double cpu_seconds = static_cast<double>(after.tv_sec - before.tv_sec) + 1e-9 * static_cast<double>(after.tv_nsec - before.tv_nsec);
    EXPECT_LT(cpu_seconds, 0.05) << "6 idle workers burned " << cpu_seconds << " s of CPU in 0.3 s";
}
#endif

} // namespace
} // namespace pxl::test
