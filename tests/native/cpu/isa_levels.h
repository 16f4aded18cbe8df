// Which kernel levels a test run covers. Every level this CPU supports up to the active one is
// tested side by side in one process, so PIXELLM_ISA=avx2 makes the suite behave as on an AVX2
// machine and PIXELLM_ISA=scalar tests the reference alone.
#pragma once

#include "cpu/cpu_features.h"
#include "cpu/kernels.h"

#include <string>

namespace pxl::test {

inline constexpr pxl_cpu_isa k_all_levels[] = {PXL_CPU_ISA_SCALAR, PXL_CPU_ISA_AVX2, PXL_CPU_ISA_AVX512};

// Empty if `isa` is tested in this run, else the reason it is skipped.
inline std::string skip_reason(pxl_cpu_isa isa) {
    if (!cpu::isa_supported(isa))
        return std::string(cpu::isa_name(isa)) + " is not supported by this CPU (best level: " +
               cpu::isa_name(cpu::best_isa()) + ")";
    if (isa > cpu::active_isa())
        return std::string(cpu::isa_name(isa)) + " is above the active level " + cpu::isa_name(cpu::active_isa()) +
               " chosen by PIXELLM_ISA";
    return {};
}

} // namespace pxl::test
