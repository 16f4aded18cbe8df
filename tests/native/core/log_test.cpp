// core/log.h: the host callback and its level filter.
#include "core/log.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <vector>

namespace pxl::test {
namespace {

struct received {
    std::vector<std::pair<pxl_log_level, std::string>> messages;
};

void collect(pxl_log_level level, const char* message, void* user_data) {
    static_cast<received*>(user_data)->messages.emplace_back(level, message);
}

class log_test : public testing::Test {
protected:
    void TearDown() override { pxl::set_log_callback(nullptr, nullptr, PXL_LOG_LEVEL_WARN); }
    received sink_;
};

TEST_F(log_test, callback_receives_messages_at_or_above_its_level) {
    pxl::set_log_callback(collect, &sink_, PXL_LOG_LEVEL_INFO);
    pxl::log(PXL_LOG_LEVEL_DEBUG, "hidden %d", 1);
    pxl::log(PXL_LOG_LEVEL_INFO, "info %d", 2);
    pxl::log(PXL_LOG_LEVEL_ERROR, "error %s", "three");
    ASSERT_EQ(sink_.messages.size(), 2u);
    EXPECT_EQ(sink_.messages[0].first, PXL_LOG_LEVEL_INFO);
    EXPECT_EQ(sink_.messages[0].second, "info 2");
    EXPECT_EQ(sink_.messages[1].first, PXL_LOG_LEVEL_ERROR);
    EXPECT_EQ(sink_.messages[1].second, "error three");
    EXPECT_FALSE(pxl::log_enabled(PXL_LOG_LEVEL_DEBUG));
    EXPECT_TRUE(pxl::log_enabled(PXL_LOG_LEVEL_WARN));
}

TEST_F(log_test, level_none_silences_everything) {
    pxl::set_log_callback(collect, &sink_, PXL_LOG_LEVEL_NONE);
    pxl::log(PXL_LOG_LEVEL_ERROR, "dropped");
    EXPECT_TRUE(sink_.messages.empty());
}

TEST_F(log_test, null_callback_stops_delivery) {
    pxl::set_log_callback(collect, &sink_, PXL_LOG_LEVEL_DEBUG);
    pxl::set_log_callback(nullptr, nullptr, PXL_LOG_LEVEL_DEBUG);
    testing::internal::CaptureStderr();
    pxl::log(PXL_LOG_LEVEL_ERROR, "to stderr");
    const std::string err = testing::internal::GetCapturedStderr();
    EXPECT_TRUE(sink_.messages.empty());
    // The default level comes from PIXELLM_LOG; errors reach stderr unless it silences them.
    if (std::getenv("PIXELLM_LOG") == nullptr) {
        EXPECT_NE(err.find("to stderr"), std::string::npos) << err;
    }
}

} // namespace
} // namespace pxl::test
