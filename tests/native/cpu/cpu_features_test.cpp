// cpu/cpu_features.h and the kernel table lookup.
#include "cpu/cpu_features.h"
#include "cpu/kernels.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <thread>

namespace pxl::test {
namespace {

TEST(cpu_features, best_level_is_supported_and_named) {
    const pxl_cpu_isa best = cpu::best_isa();
    EXPECT_GE(best, PXL_CPU_ISA_SCALAR);
    EXPECT_LE(best, PXL_CPU_ISA_AVX512);
    EXPECT_TRUE(cpu::isa_supported(best));
    EXPECT_TRUE(cpu::isa_supported(PXL_CPU_ISA_SCALAR));
    EXPECT_STREQ(cpu::isa_name(PXL_CPU_ISA_SCALAR), "scalar");
    EXPECT_STREQ(cpu::isa_name(PXL_CPU_ISA_AVX2), "avx2");
    EXPECT_STREQ(cpu::isa_name(PXL_CPU_ISA_AVX512), "avx512");
    EXPECT_STREQ(cpu::isa_name(static_cast<pxl_cpu_isa>(3)), "unknown");
}

TEST(cpu_features, choose_isa_honours_a_supported_request) {
    EXPECT_EQ(cpu::choose_isa(nullptr, PXL_CPU_ISA_AVX512).isa, PXL_CPU_ISA_AVX512);
    EXPECT_EQ(cpu::choose_isa("", PXL_CPU_ISA_AVX2).isa, PXL_CPU_ISA_AVX2);
    for (const char* value : {"scalar", "avx2", "avx512"}) {
        const cpu::isa_choice choice = cpu::choose_isa(value, PXL_CPU_ISA_AVX512);
        EXPECT_STREQ(cpu::isa_name(choice.isa), value);
        EXPECT_TRUE(choice.warning.empty()) << choice.warning;
    }
    const cpu::isa_choice scalar = cpu::choose_isa("scalar", PXL_CPU_ISA_AVX2);
    EXPECT_EQ(scalar.isa, PXL_CPU_ISA_SCALAR);
    EXPECT_TRUE(scalar.warning.empty());
}

TEST(cpu_features, choose_isa_warns_about_an_unsupported_level) {
    const cpu::isa_choice choice = cpu::choose_isa("avx512", PXL_CPU_ISA_AVX2);
    EXPECT_EQ(choice.isa, PXL_CPU_ISA_AVX2);
    EXPECT_NE(choice.warning.find("avx512"), std::string::npos) << choice.warning;
    EXPECT_NE(choice.warning.find("using avx2"), std::string::npos) << choice.warning;
}

TEST(cpu_features, choose_isa_warns_about_an_unknown_value) {
    for (const char* value : {"AVX2", "sse4", "avx512 "}) {
        const cpu::isa_choice choice = cpu::choose_isa(value, PXL_CPU_ISA_AVX2);
        EXPECT_EQ(choice.isa, PXL_CPU_ISA_AVX2);
        EXPECT_NE(choice.warning.find(value), std::string::npos) << choice.warning;
        EXPECT_NE(choice.warning.find("using avx2"), std::string::npos) << choice.warning;
    }
}

TEST(cpu_features, active_level_follows_the_environment) {
    const cpu::isa_choice expected = cpu::choose_isa(std::getenv("PIXELLM_ISA"), cpu::best_isa());
    EXPECT_EQ(cpu::active_isa(), expected.isa);
    EXPECT_EQ(cpu::active_kernels().isa, expected.isa);
}

TEST(cpu_features, active_level_is_chosen_once_for_all_threads) {
    pxl_cpu_isa seen[4] = {};
    std::thread threads[4];
    for (int i = 0; i < 4; ++i) threads[i] = std::thread([&seen, i] { seen[i] = cpu::active_isa(); });
    for (std::thread& thread : threads) thread.join();
    for (const pxl_cpu_isa isa : seen) EXPECT_EQ(isa, cpu::active_isa());
}

TEST(cpu_features, kernel_tables_exist_exactly_for_supported_levels) {
    for (const pxl_cpu_isa isa : {PXL_CPU_ISA_SCALAR, PXL_CPU_ISA_AVX2, PXL_CPU_ISA_AVX512}) {
        const cpu::kernel_table* table = cpu::kernels_for(isa);
        EXPECT_EQ(table != nullptr, cpu::isa_supported(isa)) << cpu::isa_name(isa);
        if (table != nullptr) {
            EXPECT_EQ(table->isa, isa);
            ASSERT_NE(table->convert, nullptr);
        }
    }
    EXPECT_EQ(cpu::kernels_for(static_cast<pxl_cpu_isa>(3)), nullptr);
}

TEST(cpu_features, physical_cores_is_positive_and_at_most_the_logical_count) {
    const int cores = cpu::physical_cores();
    EXPECT_GE(cores, 1);
    const unsigned logical = std::thread::hardware_concurrency();
    if (logical != 0) {
        EXPECT_LE(static_cast<unsigned>(cores), logical);
    }
}

} // namespace
} // namespace pxl::test
