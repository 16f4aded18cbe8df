// What the CPU can run, and which kernel level this process uses.
#pragma once

#include "pixellm.h"

#include <string>

namespace pxl::cpu {

// The best level the CPU and the operating system support (the OS must save YMM / ZMM state).
pxl_cpu_isa best_isa();

// The level the kernels run at, chosen once per process: best_isa(), or the level PIXELLM_ISA
// names when the CPU supports it. Thread-safe.
pxl_cpu_isa active_isa();

// True if this machine can run kernels of `isa`.
bool isa_supported(pxl_cpu_isa isa);

// "scalar", "avx2", "avx512"; "unknown" for other values.
const char* isa_name(pxl_cpu_isa isa);

// The level an environment value selects on a machine whose best level is `best`; `warning` is
// empty, or says why the value was not honoured. Pure, so tests can check it without relaunching.
struct isa_choice {
    pxl_cpu_isa isa;
    std::string warning;
};
isa_choice choose_isa(const char* env_value, pxl_cpu_isa best);

// True if the CPU has the SHA-256 instructions (SHA extensions, with the SSE4.1 they build on).
// Independent of the kernel level: the image cache key uses them when the active level is above scalar.
bool has_sha_extensions();

// Physical cores in this process's affinity mask, SMT siblings counted once; at least 1.
int physical_cores();

} // namespace pxl::cpu
