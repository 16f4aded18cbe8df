#include "image/jpeg_decode.h"

#include "core/error.h"
#include "core/log.h"
#include "image/exif_orientation.h"

#include <csetjmp>
#include <cstdio>
#include <cstring>
#include <string>

// jpeglib.h needs size_t and FILE declared first.
#include <jerror.h>
#include <jpeglib.h>

namespace pxl {

namespace {

// A progressive JPEG may hold any number of scans, each a full pass over the coefficients; a few
// hundred bytes per scan would otherwise buy seconds of CPU (libjpeg-turbo's own tools cap it too).
constexpr int k_max_progressive_scans = 1000;

// libjpeg reports fatal errors through error_exit, whose default calls exit(). Ours records the
// message and longjmps back to decode_into(); nothing C++ with a destructor lives in the frames
// the jump crosses (they are libjpeg's C frames and these callbacks).
struct jpeg_session {
    jpeg_decompress_struct cinfo{};
    jpeg_error_mgr error_manager{};
    jpeg_progress_mgr progress{};
    std::jmp_buf jump{};
    char message[JMSG_LENGTH_MAX] = {};
    pxl_status status = PXL_STATUS_INVALID_FORMAT;
    bool created = false;

    ~jpeg_session() {
        if (created) jpeg_destroy_decompress(&cinfo);
    }
};

jpeg_session* session_of(j_common_ptr cinfo) { return static_cast<jpeg_session*>(cinfo->client_data); }

[[noreturn]] void on_error_exit(j_common_ptr cinfo) {
    jpeg_session* session = session_of(cinfo);
    const int code = cinfo->err->msg_code;
    if (code == JERR_BAD_PRECISION) {
        session->status = PXL_STATUS_UNSUPPORTED;
        std::snprintf(session->message, sizeof session->message,
                      "%d-bit JPEG samples are not supported; only 8-bit JPEGs are",
                      reinterpret_cast<j_decompress_ptr>(cinfo)->data_precision);
    } else if (code == JERR_SOF_UNSUPPORTED || code == JERR_NOT_COMPILED) {
        // Lossless and hierarchical JPEGs: valid files this libjpeg build does not decode.
        session->status = PXL_STATUS_UNSUPPORTED;
        char text[JMSG_LENGTH_MAX];
        (*cinfo->err->format_message)(cinfo, text);
        std::snprintf(session->message, sizeof session->message, "this kind of JPEG is not supported (%.150s)", text);
    } else if (code == JERR_OUT_OF_MEMORY) {
        session->status = PXL_STATUS_OUT_OF_MEMORY;
        std::snprintf(session->message, sizeof session->message, "out of memory while decoding the JPEG");
    } else {
        (*cinfo->err->format_message)(cinfo, session->message);
    }
    std::longjmp(session->jump, 1);
}

// Warnings (level -1) and trace messages go to our log instead of stderr; a premature end of data
// is promoted to an error, as Pillow refuses truncated JPEGs instead of filling them with grey.
void on_emit_message(j_common_ptr cinfo, int level) {
    if (level == -1 && cinfo->err->msg_code == JWRN_JPEG_EOF) {
        jpeg_session* session = session_of(cinfo);
        std::snprintf(session->message, sizeof session->message, "the JPEG data is truncated (it ends before the image does)");
        std::longjmp(session->jump, 1);
    }
    if (level > 0 || !log_enabled(level < 0 ? PXL_LOG_LEVEL_WARN : PXL_LOG_LEVEL_DEBUG)) return;
    char text[JMSG_LENGTH_MAX];
    (*cinfo->err->format_message)(cinfo, text);
    log(level < 0 ? PXL_LOG_LEVEL_WARN : PXL_LOG_LEVEL_DEBUG, "JPEG decoder: %s", text);
}

void on_progress(j_common_ptr cinfo) {
    auto* dinfo = reinterpret_cast<j_decompress_ptr>(cinfo);
    if (dinfo->input_scan_number > k_max_progressive_scans) {
        jpeg_session* session = session_of(cinfo);
        std::snprintf(session->message, sizeof session->message,
                      "the JPEG has more than %d progressive scans; refusing it as malicious", k_max_progressive_scans);
        std::longjmp(session->jump, 1);
    }
}

int orientation_from_markers(j_decompress_ptr cinfo) {
    // Pillow reads the first APP1 segment that starts with "Exif\0".
    for (jpeg_saved_marker_ptr marker = cinfo->marker_list; marker != nullptr; marker = marker->next) {
        if (marker->marker != JPEG_APP0 + 1 || marker->data_length < 6) continue;
        if (std::memcmp(marker->data, "Exif\0", 5) != 0) continue;
        return read_exif_orientation(marker->data + 6, marker->data_length - 6);
    }
    return 1;
}

// Runs libjpeg. Returns false after a libjpeg error (session.message says why). Locals here are not
// modified after setjmp; everything that changes lives in `session` and `out`.
bool decode_into(jpeg_session& session, const uint8_t* data, size_t size, const decode_options& options,
                 decoded_image& out) {
    jpeg_decompress_struct* cinfo = &session.cinfo;
    cinfo->err = jpeg_std_error(&session.error_manager);
    cinfo->client_data = &session;  // kept by jpeg_create_decompress
    session.error_manager.error_exit = on_error_exit;
    session.error_manager.emit_message = on_emit_message;
    if (setjmp(session.jump) != 0) return false;

    jpeg_create_decompress(cinfo);
    session.created = true;
    session.progress.progress_monitor = on_progress;
    cinfo->progress = &session.progress;
    jpeg_mem_src(cinfo, data, static_cast<unsigned long>(size));
    jpeg_save_markers(cinfo, JPEG_APP0 + 1, 0xffff);
    if (jpeg_read_header(cinfo, TRUE) != JPEG_HEADER_OK) {
        std::snprintf(session.message, sizeof session.message, "the JPEG holds tables only, no image");
        return false;
    }
    switch (cinfo->jpeg_color_space) {
        case JCS_GRAYSCALE:
        case JCS_YCbCr:
        case JCS_RGB: break;
        case JCS_CMYK:
        case JCS_YCCK:
            session.status = PXL_STATUS_UNSUPPORTED;
            std::snprintf(session.message, sizeof session.message,
                          "CMYK JPEGs are not supported (libjpeg-turbo has no CMYK-to-RGB conversion and the engine "
                          "does not guess one); convert the image to RGB first");
            return false;
        default:
            session.status = PXL_STATUS_UNSUPPORTED;
            std::snprintf(session.message, sizeof session.message,
                          "JPEG with %d components in an unknown color space is not supported", cinfo->num_components);
            return false;
    }
    // Throws (a C++ exception from our frame, not through libjpeg's) before anything is allocated.
    check_image_size(cinfo->image_width, cinfo->image_height, options.limits, "JPEG");
    out.exif_orientation = orientation_from_markers(cinfo);

    cinfo->out_color_space = JCS_RGB;
    jpeg_start_decompress(cinfo);
    if (cinfo->output_components != 3) {
        std::snprintf(session.message, sizeof session.message, "libjpeg produced %d components, expected 3",
                      cinfo->output_components);
        return false;
    }
    out.image = allocate_rgb_image(static_cast<int32_t>(cinfo->output_width), static_cast<int32_t>(cinfo->output_height));
    while (cinfo->output_scanline < cinfo->output_height) {
        JSAMPROW row = out.image.row(static_cast<int32_t>(cinfo->output_scanline));
        jpeg_read_scanlines(cinfo, &row, 1);
    }
    return true;
}

} // namespace

decoded_image decode_jpeg(const uint8_t* data, size_t size, const decode_options& options) {
    // libjpeg takes the size as an unsigned long (32 bits on Windows).
    if (size > static_cast<size_t>(static_cast<unsigned long>(-1)))
        fail(PXL_STATUS_UNSUPPORTED, "the JPEG data is %zu bytes; at most %lu are supported", size,
             static_cast<unsigned long>(-1));
    jpeg_session session;
    decoded_image out;
    out.format = PXL_IMAGE_FORMAT_JPEG;
    if (!decode_into(session, data, size, options, out)) {
        if (session.status == PXL_STATUS_INVALID_FORMAT) fail(session.status, "invalid JPEG: %s", session.message);
        fail(session.status, "%s", session.message);
    }
    if (options.apply_exif_orientation) out.image = apply_exif_orientation(std::move(out.image), out.exif_orientation);
    return out;
}

} // namespace pxl
