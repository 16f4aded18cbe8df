#include "cpu/kernels.h"

#include "cpu/cpu_features.h"

namespace pxl::cpu {

namespace {

// Constant-initialized (addresses only), so no SIMD code runs before a level has been checked.
constexpr kernel_table k_tables[] = {
    {PXL_CPU_ISA_SCALAR, &scalar_convert_kernels, &scalar_dot_kernels, &scalar_row_kernels, &scalar_attention_kernels, &scalar_gemm_kernels},
    {PXL_CPU_ISA_AVX2, &avx2_convert_kernels, &avx2_dot_kernels, &avx2_row_kernels, &avx2_attention_kernels, &avx2_gemm_kernels},
    {PXL_CPU_ISA_AVX512, &avx512_convert_kernels, &avx512_dot_kernels, &avx512_row_kernels, &avx512_attention_kernels,
     &avx512_gemm_kernels},
};

} // namespace

const kernel_table* kernels_for(pxl_cpu_isa isa) {
    if (!isa_supported(isa)) return nullptr;
    for (const kernel_table& table : k_tables)
        if (table.isa == isa) return &table;
    return nullptr;
}

const kernel_table& active_kernels() {
    static const kernel_table* const active = kernels_for(active_isa());
    return active != nullptr ? *active : k_tables[0];
}

} // namespace pxl::cpu
