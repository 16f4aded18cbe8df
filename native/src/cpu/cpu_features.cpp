#include "cpu/cpu_features.h"

#include "core/error.h"
#include "core/log.h"

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#ifdef _MSC_VER
#include <intrin.h>
#else
#include <cpuid.h>
#endif

#ifdef _WIN32
#ifndef NOMINMAX
#define NOMINMAX
#endif
#include <windows.h>

#include <vector>
#else
#include <sched.h>

#include <cstdio>
#include <set>
#include <utility>
#endif

namespace pxl::cpu {

namespace {

struct cpuid_regs {
    uint32_t eax = 0, ebx = 0, ecx = 0, edx = 0;
};

cpuid_regs cpuid(uint32_t leaf, uint32_t subleaf) {
    cpuid_regs r;
#ifdef _MSC_VER
    int out[4];
    __cpuidex(out, static_cast<int>(leaf), static_cast<int>(subleaf));
    r = {static_cast<uint32_t>(out[0]), static_cast<uint32_t>(out[1]), static_cast<uint32_t>(out[2]),
         static_cast<uint32_t>(out[3])};
#else
    __cpuid_count(leaf, subleaf, r.eax, r.ebx, r.ecx, r.edx);
#endif
    return r;
}

// XCR0: which register state the OS saves on a context switch. Only valid when OSXSAVE is set.
uint64_t xgetbv0() {
#ifdef _MSC_VER
    return _xgetbv(0);
#else
    uint32_t lo = 0, hi = 0;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    return (static_cast<uint64_t>(hi) << 32) | lo;
#endif
}

bool has(uint32_t reg, int bit) { return ((reg >> bit) & 1u) != 0; }

pxl_cpu_isa detect_best_isa() {
    if (cpuid(0, 0).eax < 7) return PXL_CPU_ISA_SCALAR;
    const cpuid_regs leaf1 = cpuid(1, 0);
    if (!has(leaf1.ecx, 27)) return PXL_CPU_ISA_SCALAR;  // OSXSAVE: XCR0 is readable
    const uint64_t xcr0 = xgetbv0();
    const cpuid_regs leaf7 = cpuid(7, 0);

    const bool os_ymm = (xcr0 & 0x6) == 0x6;    // SSE + AVX state
    const bool os_zmm = (xcr0 & 0xe6) == 0xe6;  // + opmask, ZMM0-15 upper halves, ZMM16-31
    const bool avx2 = os_ymm && has(leaf1.ecx, 28) && has(leaf1.ecx, 12) && has(leaf1.ecx, 29) &&
                      has(leaf7.ebx, 5);  // AVX, FMA, F16C, AVX2
    if (!avx2) return PXL_CPU_ISA_SCALAR;

    const bool bf16 = leaf7.eax >= 1 && has(cpuid(7, 1).eax, 5);
    const bool avx512 = os_zmm && has(leaf7.ebx, 16) && has(leaf7.ebx, 30) && has(leaf7.ebx, 17) &&
                        has(leaf7.ebx, 31) && has(leaf7.ecx, 11) && bf16;  // F, BW, DQ, VL, VNNI, BF16
    return avx512 ? PXL_CPU_ISA_AVX512 : PXL_CPU_ISA_AVX2;
}

} // namespace

bool has_sha_extensions() {
    if (cpuid(0, 0).eax < 7) return false;
    const cpuid_regs leaf1 = cpuid(1, 0);
    return has(cpuid(7, 0).ebx, 29) && has(leaf1.ecx, 19) && has(leaf1.ecx, 9);  // SHA, SSE4.1, SSSE3
}

namespace {

#ifdef _WIN32
// Cores of the calling thread's processor group with at least one logical processor in the
// process affinity mask. Processes spanning several groups are counted by their current group only.
int count_physical_cores() {
    DWORD_PTR process_mask = 0, system_mask = 0;
    if (!GetProcessAffinityMask(GetCurrentProcess(), &process_mask, &system_mask)) return 1;
    int logical = 0;
    for (DWORD_PTR mask = process_mask; mask != 0; mask &= mask - 1) ++logical;
    DWORD length = 0;
    GetLogicalProcessorInformationEx(RelationProcessorCore, nullptr, &length);
    std::vector<uint64_t> buffer((length + sizeof(uint64_t) - 1) / sizeof(uint64_t));  // 8-byte aligned records
    auto* bytes = reinterpret_cast<char*>(buffer.data());
    if (length == 0 ||
        !GetLogicalProcessorInformationEx(RelationProcessorCore,
                                          reinterpret_cast<SYSTEM_LOGICAL_PROCESSOR_INFORMATION_EX*>(bytes), &length))
        return logical;
    PROCESSOR_NUMBER current;
    GetCurrentProcessorNumberEx(&current);
    int cores = 0;
    for (DWORD offset = 0; offset < length;) {
        const auto* entry = reinterpret_cast<const SYSTEM_LOGICAL_PROCESSOR_INFORMATION_EX*>(bytes + offset);
        const GROUP_AFFINITY& group = entry->Processor.GroupMask[0];
        if (group.Group == current.Group && (group.Mask & process_mask) != 0) ++cores;
        offset += entry->Size;
    }
    return cores;
}
#else
bool read_int(const char* path, int* out) {
    std::FILE* file = std::fopen(path, "r");
    if (file == nullptr) return false;
    const bool ok = std::fscanf(file, "%d", out) == 1;
    std::fclose(file);
    return ok;
}

// Logical CPUs in the affinity mask, grouped by (package, core) from sysfs. When sysfs cannot be
// read (containers sometimes hide it) every allowed logical CPU counts as a core.
int count_physical_cores() {
    int set_size = CPU_SETSIZE;
    cpu_set_t* set = nullptr;
    for (;;) {
        set = CPU_ALLOC(set_size);
        if (set == nullptr) return 1;
        if (sched_getaffinity(0, CPU_ALLOC_SIZE(set_size), set) == 0) break;
        CPU_FREE(set);
        if (errno != EINVAL || set_size >= (1 << 20)) return 1;
        set_size *= 2;  // the kernel's mask is larger than ours
    }
    const size_t bytes = CPU_ALLOC_SIZE(set_size);
    const int logical = CPU_COUNT_S(bytes, set);
    std::set<std::pair<int, int>> cores;
    bool sysfs_ok = true;
    for (int cpu = 0; cpu < set_size && sysfs_ok; ++cpu) {
        if (!CPU_ISSET_S(static_cast<size_t>(cpu), bytes, set)) continue;
        char path[128];
        int package = 0, core = 0;
        std::snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu%d/topology/physical_package_id", cpu);
        sysfs_ok = read_int(path, &package);
        std::snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu%d/topology/core_id", cpu);
        sysfs_ok = sysfs_ok && read_int(path, &core);
        cores.emplace(package, core);
    }
    CPU_FREE(set);
    return sysfs_ok ? static_cast<int>(cores.size()) : logical;
}
#endif

} // namespace

pxl_cpu_isa best_isa() {
    static const pxl_cpu_isa best = detect_best_isa();
    return best;
}

bool isa_supported(pxl_cpu_isa isa) {
    return isa >= PXL_CPU_ISA_SCALAR && isa <= PXL_CPU_ISA_AVX512 && isa <= best_isa();
}

const char* isa_name(pxl_cpu_isa isa) {
    switch (isa) {
    case PXL_CPU_ISA_SCALAR: return "scalar";
    case PXL_CPU_ISA_AVX2: return "avx2";
    case PXL_CPU_ISA_AVX512: return "avx512";
    }
    return "unknown";
}

isa_choice choose_isa(const char* env_value, pxl_cpu_isa best) {
    if (env_value == nullptr || env_value[0] == '\0') return {best, {}};
    for (const pxl_cpu_isa isa : {PXL_CPU_ISA_SCALAR, PXL_CPU_ISA_AVX2, PXL_CPU_ISA_AVX512}) {
        if (std::strcmp(env_value, isa_name(isa)) != 0) continue;
        if (isa <= best) return {isa, {}};
        return {best, format("PIXELLM_ISA=%s is not supported by this CPU; using %s", env_value, isa_name(best))};
    }
    return {best, format("PIXELLM_ISA=%s is not one of scalar, avx2, avx512; using %s", env_value, isa_name(best))};
}

pxl_cpu_isa active_isa() {
    static const pxl_cpu_isa active = [] {
        const isa_choice choice = choose_isa(std::getenv("PIXELLM_ISA"), best_isa());
        if (!choice.warning.empty()) log(PXL_LOG_LEVEL_WARN, "%s", choice.warning.c_str());
        return choice.isa;
    }();
    return active;
}

int physical_cores() {
    const int cores = count_physical_cores();
    return cores >= 1 ? cores : 1;
}

} // namespace pxl::cpu
