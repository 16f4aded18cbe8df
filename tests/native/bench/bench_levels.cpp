#include "bench_levels.h"

#include "cpu/cpu_features.h"

namespace pxl::bench {

std::vector<const cpu::kernel_table*> levels() {
    std::vector<const cpu::kernel_table*> result;
    for (const pxl_cpu_isa isa : {PXL_CPU_ISA_SCALAR, PXL_CPU_ISA_AVX2, PXL_CPU_ISA_AVX512}) {
        const cpu::kernel_table* table = cpu::kernels_for(isa);
        if (table != nullptr && isa <= cpu::active_isa()) result.push_back(table);
    }
    return result;
}

} // namespace pxl::bench
