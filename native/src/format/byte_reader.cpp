#include "format/byte_reader.h"

namespace pxl {

void byte_reader::fail(const char* field, uint64_t at, const std::string& problem) const {
    throw error(PXL_STATUS_INVALID_FORMAT, format("%s %s at offset %llu: %s", where_.describe().c_str(), field,
                                                  static_cast<unsigned long long>(at), problem.c_str()));
}

std::string byte_reader::end_name() const {
    if (limit_ < size_) return format("max_metadata_bytes (%llu)", static_cast<unsigned long long>(limit_));
    return "the end of the file";
}

void byte_reader::fail_past_end(uint64_t count, const char* field, uint64_t field_at) const {
    // Bytes that exist in the file but lie past the limit are a policy refusal, not truncation.
    const bool truncated = count > size_ - offset_;
    fail(field, field_at,
         format("needs %llu bytes from offset %llu, but only %llu remain before %s",
                static_cast<unsigned long long>(count), static_cast<unsigned long long>(offset_),
                static_cast<unsigned long long>(remaining()), truncated ? "the end of the file" : end_name().c_str()));
}

} // namespace pxl
