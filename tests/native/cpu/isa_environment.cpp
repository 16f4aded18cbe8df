// Prints the kernel levels once per run, so a log shows what PIXELLM_ISA selected.
#include "cpu/cpu_features.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>

namespace {

class isa_environment : public testing::Environment {
public:
    void SetUp() override {
        const char* env = std::getenv("PIXELLM_ISA");
        std::printf("[ pixellm  ] active ISA: %s (best: %s, PIXELLM_ISA=%s)\n", pxl::cpu::isa_name(pxl::cpu::active_isa()),
                    pxl::cpu::isa_name(pxl::cpu::best_isa()), env != nullptr ? env : "<unset>");
    }
};

[[maybe_unused]] testing::Environment* const g_isa_environment = testing::AddGlobalTestEnvironment(new isa_environment);

} // namespace
