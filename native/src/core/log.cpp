#include "core/log.h"

#include "core/error.h"

#include <atomic>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>

namespace pxl {

namespace {

struct log_sink {
    pxl_log_callback callback = nullptr;
    void* user_data = nullptr;
    pxl_log_level min_level = PXL_LOG_LEVEL_WARN;
};

pxl_log_level default_level_from_environment() {
    const char* value = std::getenv("PIXELLM_LOG");
    if (value == nullptr) return PXL_LOG_LEVEL_WARN;
    static const struct { const char* name; pxl_log_level level; } names[] = {
        {"debug", PXL_LOG_LEVEL_DEBUG}, {"info", PXL_LOG_LEVEL_INFO}, {"warn", PXL_LOG_LEVEL_WARN},
        {"error", PXL_LOG_LEVEL_ERROR}, {"none", PXL_LOG_LEVEL_NONE},
    };
    for (const auto& entry : names)
        if (std::strcmp(value, entry.name) == 0) return entry.level;
    return PXL_LOG_LEVEL_WARN;
}

// The sink is the library's one process-wide setting (see pxl_log_set_callback). Readers copy it
// under the mutex so a callback swapped concurrently is never half-read.
std::mutex g_sink_mutex;
log_sink g_sink{nullptr, nullptr, default_level_from_environment()};
std::atomic<int> g_min_level{g_sink.min_level};

const char* level_name(pxl_log_level level) {
    switch (level) {
    case PXL_LOG_LEVEL_DEBUG: return "debug";
    case PXL_LOG_LEVEL_INFO: return "info";
    case PXL_LOG_LEVEL_WARN: return "warn";
    case PXL_LOG_LEVEL_ERROR: return "error";
    default: return "log";
    }
}

} // namespace

void set_log_callback(pxl_log_callback callback, void* user_data, pxl_log_level min_level) {
    std::lock_guard<std::mutex> lock(g_sink_mutex);
    g_sink.callback = callback;
    g_sink.user_data = user_data;
    g_sink.min_level = callback != nullptr ? min_level : default_level_from_environment();
    g_min_level.store(g_sink.min_level);
}

bool log_enabled(pxl_log_level level) {
    return level < PXL_LOG_LEVEL_NONE && static_cast<int>(level) >= g_min_level.load(std::memory_order_relaxed);
}

void log(pxl_log_level level, const char* fmt, ...) {
    if (!log_enabled(level)) return;
    va_list args;
    va_start(args, fmt);
    char buffer[1024];
    std::vsnprintf(buffer, sizeof buffer, fmt, args);
    va_end(args);

    log_sink sink;
    {
        std::lock_guard<std::mutex> lock(g_sink_mutex);
        sink = g_sink;
    }
    if (sink.callback != nullptr)
        sink.callback(level, buffer, sink.user_data);
    else
        std::fprintf(stderr, "pixellm %s: %s\n", level_name(level), buffer);
}

} // namespace pxl
