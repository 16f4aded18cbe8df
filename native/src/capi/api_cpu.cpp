// C ABI: CPU feature queries.
#include "capi/enum_arg.h"
#include "core/api_guard.h"
#include "cpu/cpu_features.h"

// These return values rather than a status; a failure (only conceivable as out-of-memory while
// reading the topology) leaves the conservative default and the message in pxl_last_error().

extern "C" PXL_API pxl_cpu_isa pxl_cpu_best_isa(void) {
    pxl_cpu_isa isa = PXL_CPU_ISA_SCALAR;
    PXL_API_GUARD({ isa = pxl::cpu::best_isa(); });
    return isa;
}

extern "C" PXL_API pxl_cpu_isa pxl_cpu_active_isa(void) {
    pxl_cpu_isa isa = PXL_CPU_ISA_SCALAR;
    PXL_API_GUARD({ isa = pxl::cpu::active_isa(); });
    return isa;
}

extern "C" PXL_API const char* pxl_cpu_isa_name(pxl_cpu_isa isa) {
    const char* name = "unknown";
    // Read as an int: a C host may pass any value, and loading it as the enum would be UB.
    const int32_t raw = pxl::enum_arg(isa);
    if (raw < PXL_CPU_ISA_SCALAR || raw > PXL_CPU_ISA_AVX512) return name;
    PXL_API_GUARD({ name = pxl::cpu::isa_name(static_cast<pxl_cpu_isa>(raw)); });
    return name;
}

extern "C" PXL_API int32_t pxl_cpu_physical_cores(void) {
    int32_t cores = 1;
    PXL_API_GUARD({ cores = pxl::cpu::physical_cores(); });
    return cores;
}
