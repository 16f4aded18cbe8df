/* Calls made the way a C host makes them: in C any int converts to an enum parameter, so these pass
 * values outside the declared enumerators. C++ tests cannot do that without undefined behaviour of
 * their own, hence this file. */
#include "pixellm.h"

const char* c_host_status_name(int32_t status) { return pxl_status_name(status); }

pxl_status c_host_set_array(pxl_gguf_writer* writer, int32_t element_type) {
    static const uint8_t elements[1] = {0};
    return pxl_gguf_writer_set_array(writer, "k", element_type, elements, 1);
}

pxl_status c_host_add_tensor(pxl_gguf_writer* writer, int32_t type) {
    static const int64_t dims[1] = {256};
    return pxl_gguf_writer_add_tensor(writer, "t", type, dims, 1);
}

void c_host_log_set_callback(int32_t min_level) { pxl_log_set_callback(NULL, NULL, min_level); }
