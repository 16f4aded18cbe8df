/* The public header must compile as strict C and work from a C host: this file is built with
 * -std=c99 -pedantic -Werror and calls a few functions through the shared library. */
#include "pixellm.h"

#include <stdio.h>
#include <string.h>

static int check(int condition, const char* what) {
    if (!condition) fprintf(stderr, "c_header_test: %s\n", what);
    return condition ? 0 : 1;
}

int main(void) {
    int failures = 0;
    pxl_gguf* file = NULL;
    pxl_gguf_open_params params = pxl_gguf_default_open_params();
    pxl_status status;

    failures += check(pxl_abi_version() == PXL_ABI_VERSION, "ABI version differs from the header's");
    failures += check(pxl_version_string() != NULL && pxl_version_string()[0] != '\0', "empty version string");
    failures += check(params.struct_size == sizeof(pxl_gguf_open_params), "default params carry the wrong size");

    status = pxl_gguf_open("/nonexistent/pixellm-c-header-test.gguf", &params, &file);
    failures += check(status == PXL_STATUS_IO_ERROR, "opening a missing file is not an I/O error");
    failures += check(file == NULL, "a failed open returned a handle");
    failures += check(strstr(pxl_last_error(), "pixellm-c-header-test.gguf") != NULL,
                      "the error message does not name the file");
    pxl_gguf_free(NULL);
    pxl_gguf_writer_free(NULL);
    return failures == 0 ? 0 : 1;
}
