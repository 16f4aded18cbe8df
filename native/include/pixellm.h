/*
 * pixellm.h: the C ABI of PixelLM.Native, its only public native surface.
 *
 * Usage (error handling shortened; every fallible call returns a pxl_status):
 *
 *     pxl_gguf* file = NULL;
 *     if (pxl_gguf_open("model.gguf", NULL, &file) != PXL_STATUS_OK) {
 *         fprintf(stderr, "%s\n", pxl_last_error());
 *         return 1;
 *     }
 *     int64_t index = 0;
 *     pxl_gguf_tensor_find(file, "token_embd.weight", &index);
 *     pxl_gguf_tensor_info info = { sizeof(pxl_gguf_tensor_info) };
 *     pxl_gguf_tensor_get_info(file, index, &info);
 *     float* values = malloc(info.element_count * sizeof(float));
 *     pxl_gguf_tensor_read_f32(file, index, values, info.element_count);
 *     pxl_gguf_free(file);
 *
 * Conventions:
 * - Every fallible call returns pxl_status; PXL_STATUS_OK is 0. On failure pxl_last_error() holds a
 *   human-readable message for the calling thread. Nothing aborts, exits or throws across this
 *   boundary, whatever the input.
 * - Strings are UTF-8. Strings passed in are borrowed for the duration of the call.
 * - Objects come back through out-parameters. The caller owns what a _create or _open function
 *   returns and frees it with the matching _free; every _free accepts NULL.
 * - Structs passed by pointer carry their own size in the first field (`struct_size`); set it to
 *   sizeof the struct you compiled against, or start from the matching _default_ function. New
 *   fields are only ever added at the end.
 * - Thread safety: a pxl_gguf and a pxl_model are immutable after open/load and may be used from
 *   many threads at once; a pxl_gguf_writer and a pxl_context are used by one thread at a time.
 */
#ifndef PIXELLM_H
#define PIXELLM_H

#include <stddef.h>
#include <stdint.h>

#if defined(_WIN32)
#  if defined(PIXELLM_BUILD)
#    define PXL_API __declspec(dllexport)
#  else
#    define PXL_API __declspec(dllimport)
#  endif
#else
#  define PXL_API __attribute__((visibility("default")))
#endif

#ifdef __cplusplus
extern "C" {
#endif

/** ABI version. Bumped on every incompatible change to this header; checked by the bindings. */
#define PXL_ABI_VERSION 1

/** The largest number of dimensions a tensor can have (as in GGUF). */
#define PXL_MAX_DIMS 4

/* ---------------------------------------------------------------------------------------------
 * Status, errors, logging
 * ------------------------------------------------------------------------------------------- */

/** Result of every fallible call. New codes are only ever added at the end. */
typedef enum pxl_status {
    PXL_STATUS_OK = 0,
    /** An argument is NULL, out of range or inconsistent with another argument. */
    PXL_STATUS_INVALID_ARGUMENT = 1,
    /** A file could not be opened, read, written or renamed. */
    PXL_STATUS_IO_ERROR = 2,
    /** A file or buffer is malformed, truncated or hostile; the message names the field and offset. */
    PXL_STATUS_INVALID_FORMAT = 3,
    /** Well-formed input that this build cannot handle (for example a tensor type it cannot dequantize). */
    PXL_STATUS_UNSUPPORTED = 4,
    /** A memory allocation failed. */
    PXL_STATUS_OUT_OF_MEMORY = 5,
    /** A caller-provided buffer is smaller than the result. */
    PXL_STATUS_BUFFER_TOO_SMALL = 6,
    /** A named key or tensor does not exist. */
    PXL_STATUS_NOT_FOUND = 7,
    /** A value has another type than the call expects. */
    PXL_STATUS_TYPE_MISMATCH = 8,
    /** A call came at the wrong point of an object's life (for example writing before the header). */
    PXL_STATUS_INVALID_STATE = 9,
    /** A long call was cancelled by its callback. */
    PXL_STATUS_CANCELLED = 10,
    /** A bug in the library; the message says where. */
    PXL_STATUS_INTERNAL_ERROR = 11,
    /** A sequence's KV cache has no room for the positions a batch adds. */
    PXL_STATUS_CONTEXT_FULL = 12
} pxl_status;

/** The ABI version the library was built with (PXL_ABI_VERSION of its header). */
PXL_API uint32_t pxl_abi_version(void);

/** The library version as "major.minor.patch". Static string, never freed. */
PXL_API const char* pxl_version_string(void);

/** A short stable name for a status ("ok", "invalid_argument", ...). Static string; unknown codes give "unknown". */
PXL_API const char* pxl_status_name(pxl_status status);

/**
 * The message of the last failed call on this thread, or "" if none failed yet.
 * Borrowed: valid until the next call into the library on this thread.
 */
PXL_API const char* pxl_last_error(void);

/** Severity of a log message. */
typedef enum pxl_log_level {
    PXL_LOG_LEVEL_DEBUG = 0,
    PXL_LOG_LEVEL_INFO = 1,
    PXL_LOG_LEVEL_WARN = 2,
    PXL_LOG_LEVEL_ERROR = 3,
    PXL_LOG_LEVEL_NONE = 4
} pxl_log_level;

/**
 * Receives log messages. `message` is borrowed for the call only and carries no trailing newline.
 * It may be called from any thread the library runs, concurrently; it must not call back into
 * the library.
 */
typedef void (*pxl_log_callback)(pxl_log_level level, const char* message, void* user_data);

/**
 * Sends messages at `min_level` or above to `callback` (the one process-wide setting of the
 * library). A NULL callback restores the default: warnings and errors to stderr, or the level
 * named by the environment variable PIXELLM_LOG (debug, info, warn, error, none).
 */
PXL_API void pxl_log_set_callback(pxl_log_callback callback, void* user_data, pxl_log_level min_level);

/* ---------------------------------------------------------------------------------------------
 * CPU
 * ------------------------------------------------------------------------------------------- */

/** Instruction-set levels of the CPU kernels. */
typedef enum pxl_cpu_isa {
    PXL_CPU_ISA_SCALAR = 0,
    /** AVX2 with FMA and F16C. */
    PXL_CPU_ISA_AVX2 = 1,
    /** AVX-512 F/BW/DQ/VL with VNNI and BF16. */
    PXL_CPU_ISA_AVX512 = 2
} pxl_cpu_isa;

/** The best level this CPU and operating system support. */
PXL_API pxl_cpu_isa pxl_cpu_best_isa(void);

/**
 * The level the kernels run at: the best supported, or the one named by the environment variable
 * PIXELLM_ISA (scalar, avx2, avx512) when it is set and supported. Chosen once per process.
 */
PXL_API pxl_cpu_isa pxl_cpu_active_isa(void);

/** "scalar", "avx2", "avx512"; "unknown" for other values. Static string. */
PXL_API const char* pxl_cpu_isa_name(pxl_cpu_isa isa);

/** Physical cores this process may run on (affinity mask, SMT siblings counted once); at least 1. */
PXL_API int32_t pxl_cpu_physical_cores(void);

/* ---------------------------------------------------------------------------------------------
 * Tensor element types (GGUF / ggml numbering)
 * ------------------------------------------------------------------------------------------- */

/** Tensor element types, numbered as in GGUF. Values not listed here are reported as unknown. */
typedef enum pxl_tensor_type {
    PXL_TENSOR_TYPE_F32 = 0,
    PXL_TENSOR_TYPE_F16 = 1,
    PXL_TENSOR_TYPE_Q4_0 = 2,
    PXL_TENSOR_TYPE_Q4_1 = 3,
    PXL_TENSOR_TYPE_Q5_0 = 6,
    PXL_TENSOR_TYPE_Q5_1 = 7,
    PXL_TENSOR_TYPE_Q8_0 = 8,
    PXL_TENSOR_TYPE_Q8_1 = 9,
    PXL_TENSOR_TYPE_Q2_K = 10,
    PXL_TENSOR_TYPE_Q3_K = 11,
    PXL_TENSOR_TYPE_Q4_K = 12,
    PXL_TENSOR_TYPE_Q5_K = 13,
    PXL_TENSOR_TYPE_Q6_K = 14,
    PXL_TENSOR_TYPE_Q8_K = 15,
    PXL_TENSOR_TYPE_IQ2_XXS = 16,
    PXL_TENSOR_TYPE_IQ2_XS = 17,
    PXL_TENSOR_TYPE_IQ3_XXS = 18,
    PXL_TENSOR_TYPE_IQ1_S = 19,
    PXL_TENSOR_TYPE_IQ4_NL = 20,
    PXL_TENSOR_TYPE_IQ3_S = 21,
    PXL_TENSOR_TYPE_IQ2_S = 22,
    PXL_TENSOR_TYPE_IQ4_XS = 23,
    PXL_TENSOR_TYPE_I8 = 24,
    PXL_TENSOR_TYPE_I16 = 25,
    PXL_TENSOR_TYPE_I32 = 26,
    PXL_TENSOR_TYPE_I64 = 27,
    PXL_TENSOR_TYPE_F64 = 28,
    PXL_TENSOR_TYPE_IQ1_M = 29,
    PXL_TENSOR_TYPE_BF16 = 30,
    PXL_TENSOR_TYPE_TQ1_0 = 34,
    PXL_TENSOR_TYPE_TQ2_0 = 35,
    PXL_TENSOR_TYPE_MXFP4 = 39
} pxl_tensor_type;

/** The GGUF name of a type ("f32", "q4_0", ...), or NULL for a number that is not a known type. Static string. */
PXL_API const char* pxl_tensor_type_name(int32_t type);

/**
 * Storage layout of a type: `*out_block_elements` values are stored in `*out_block_bytes` bytes.
 * PXL_STATUS_UNSUPPORTED for an unknown type number.
 */
PXL_API pxl_status pxl_tensor_type_layout(int32_t type, int64_t* out_block_elements, int64_t* out_block_bytes);

/** 1 if this build can convert the type to and from f32 (F32, F16, BF16, Q8_0, Q4_0), else 0. */
PXL_API int32_t pxl_tensor_type_is_convertible(int32_t type);

/**
 * Converts `count` f32 values to `type` (rounding and block scales as GGUF's reference
 * quantizers compute them). `count` must be a multiple of the type's block size and `dst_bytes`
 * at least the encoded size. Buffers are borrowed for the call.
 */
PXL_API pxl_status pxl_tensor_quantize(pxl_tensor_type type, const float* src, uint64_t count, void* dst,
                                       uint64_t dst_bytes);

/** Converts `count` values stored as `type` in `src` (`src_bytes` long) to f32 in `dst`. */
PXL_API pxl_status pxl_tensor_dequantize(pxl_tensor_type type, const void* src, uint64_t src_bytes, float* dst,
                                         uint64_t count);

/* ---------------------------------------------------------------------------------------------
 * GGUF files: reading
 * ------------------------------------------------------------------------------------------- */

/** Type tags of GGUF metadata values, numbered as in GGUF. */
typedef enum pxl_gguf_type {
    PXL_GGUF_TYPE_UINT8 = 0,
    PXL_GGUF_TYPE_INT8 = 1,
    PXL_GGUF_TYPE_UINT16 = 2,
    PXL_GGUF_TYPE_INT16 = 3,
    PXL_GGUF_TYPE_UINT32 = 4,
    PXL_GGUF_TYPE_INT32 = 5,
    PXL_GGUF_TYPE_FLOAT32 = 6,
    PXL_GGUF_TYPE_BOOL = 7,
    PXL_GGUF_TYPE_STRING = 8,
    PXL_GGUF_TYPE_ARRAY = 9,
    PXL_GGUF_TYPE_UINT64 = 10,
    PXL_GGUF_TYPE_INT64 = 11,
    PXL_GGUF_TYPE_FLOAT64 = 12
} pxl_gguf_type;

/** "uint8", ..., "array", "float64"; NULL for other values. Static string. */
PXL_API const char* pxl_gguf_type_name(int32_t type);

/** An open GGUF file: parsed, validated, memory-mapped. Immutable; shareable between threads. */
typedef struct pxl_gguf pxl_gguf;

/** Options for opening a GGUF file. */
typedef struct pxl_gguf_open_params {
    /** sizeof(pxl_gguf_open_params). */
    uint64_t struct_size;
    /** 1 (default): map the file; 0: read it into memory (for file systems without mmap). */
    int32_t use_mmap;
    /** Largest accepted metadata section in bytes (everything before the tensor data); default 1 GiB. */
    uint64_t max_metadata_bytes;
} pxl_gguf_open_params;

/** The defaults for pxl_gguf_open_params, with struct_size set. */
PXL_API pxl_gguf_open_params pxl_gguf_default_open_params(void);

/**
 * Opens, maps and validates a GGUF file (versions 2 and 3). Every count, length, offset and size
 * is checked against the file before use; on failure nothing is left open and the message names
 * the field and its byte offset. `params` may be NULL for the defaults.
 * Caller owns `*out_file`; free with pxl_gguf_free.
 */
PXL_API pxl_status pxl_gguf_open(const char* path, const pxl_gguf_open_params* params, pxl_gguf** out_file);

/**
 * Parses a GGUF image held in memory, with the same checks as pxl_gguf_open. The bytes are
 * copied, so `data` is borrowed for the call only. Caller owns `*out_file`; free with pxl_gguf_free.
 */
PXL_API pxl_status pxl_gguf_open_memory(const void* data, uint64_t size, const pxl_gguf_open_params* params,
                                        pxl_gguf** out_file);

/** Closes the file and unmaps it; every pointer borrowed from it becomes invalid. NULL is a no-op. */
PXL_API void pxl_gguf_free(pxl_gguf* file);

/** The GGUF version of the file (2 or 3). */
PXL_API uint32_t pxl_gguf_version(const pxl_gguf* file);

/** The alignment of tensor data in bytes (`general.alignment`, 32 when absent). */
PXL_API uint64_t pxl_gguf_alignment(const pxl_gguf* file);

/** Byte offset in the file where tensor data starts. */
PXL_API uint64_t pxl_gguf_data_offset(const pxl_gguf* file);

/** Size of the file in bytes. */
PXL_API uint64_t pxl_gguf_file_size(const pxl_gguf* file);

/** Number of metadata key-value pairs. */
PXL_API int64_t pxl_gguf_metadata_count(const pxl_gguf* file);

/**
 * One metadata value, or one element of a metadata array. Which fields are meaningful depends on
 * `type`; the others are zero.
 */
typedef struct pxl_gguf_value {
    /** sizeof(pxl_gguf_value), set by the caller. */
    uint64_t struct_size;
    /** The value's type. */
    pxl_gguf_type type;
    /** ARRAY: the type of its elements. */
    pxl_gguf_type element_type;
    /** ARRAY: number of elements. STRING: length in bytes. Scalars: 1. */
    uint64_t count;
    /** UINT8, UINT16, UINT32, UINT64 and BOOL (0 or 1). */
    uint64_t uint_value;
    /** INT8, INT16, INT32, INT64. */
    int64_t int_value;
    /** FLOAT32 (widened exactly) and FLOAT64. */
    double float_value;
    /** STRING: `count` bytes of UTF-8, not NUL-terminated. Borrowed: valid until pxl_gguf_free. */
    const char* string_data;
    /** ARRAY: identifies the array for pxl_gguf_array_get and pxl_gguf_array_copy. */
    uint64_t array_id;
} pxl_gguf_value;

/** Finds a metadata key. PXL_STATUS_NOT_FOUND if absent (not an error worth logging). */
PXL_API pxl_status pxl_gguf_metadata_find(const pxl_gguf* file, const char* key, int64_t* out_index);

/**
 * The key of metadata pair `index` (0 <= index < pxl_gguf_metadata_count) as a NUL-terminated
 * string. Borrowed: valid until pxl_gguf_free.
 */
PXL_API pxl_status pxl_gguf_metadata_key(const pxl_gguf* file, int64_t index, const char** out_key);

/** The value of metadata pair `index`. */
PXL_API pxl_status pxl_gguf_metadata_get(const pxl_gguf* file, int64_t index, pxl_gguf_value* out_value);

/** Element `element_index` of the array `array_id` (from a value of type ARRAY). */
PXL_API pxl_status pxl_gguf_array_get(const pxl_gguf* file, uint64_t array_id, uint64_t element_index,
                                      pxl_gguf_value* out_value);

/**
 * Copies elements [first, first + count) of a numeric or BOOL array into `dst` as packed values of
 * the element type (BOOL as one byte each). `dst_bytes` must hold them all. For arrays of STRING
 * or ARRAY use pxl_gguf_array_get.
 */
PXL_API pxl_status pxl_gguf_array_copy(const pxl_gguf* file, uint64_t array_id, uint64_t first, uint64_t count,
                                       void* dst, uint64_t dst_bytes);

/** Number of tensors. */
PXL_API int64_t pxl_gguf_tensor_count(const pxl_gguf* file);

/** Finds a tensor by name. PXL_STATUS_NOT_FOUND if absent. */
PXL_API pxl_status pxl_gguf_tensor_find(const pxl_gguf* file, const char* name, int64_t* out_index);

/** Description of one tensor of a GGUF file. */
typedef struct pxl_gguf_tensor_info {
    /** sizeof(pxl_gguf_tensor_info), set by the caller. */
    uint64_t struct_size;
    /** NUL-terminated UTF-8 name. Borrowed: valid until pxl_gguf_free. */
    const char* name;
    /** Element type (a pxl_tensor_type value; known to the library, or the file would not open). */
    int32_t type;
    /** Number of dimensions, 1..PXL_MAX_DIMS. */
    int32_t n_dims;
    /** Product of the dimensions. */
    uint64_t element_count;
    /** Bytes the tensor's data occupies. */
    uint64_t byte_size;
    /** Absolute byte offset of the data in the file. */
    uint64_t file_offset;
} pxl_gguf_tensor_info;

/** Describes tensor `index` (0 <= index < pxl_gguf_tensor_count). */
PXL_API pxl_status pxl_gguf_tensor_get_info(const pxl_gguf* file, int64_t index, pxl_gguf_tensor_info* out_info);

/**
 * Writes the tensor's dimensions to `dims` (capacity `capacity`, at least its n_dims), in GGUF
 * order: dims[0] is the innermost, fastest-varying dimension (the length of a row).
 */
PXL_API pxl_status pxl_gguf_tensor_get_dims(const pxl_gguf* file, int64_t index, int64_t* dims, int32_t capacity);

/** The tensor's stored bytes, zero-copy. Borrowed: valid until pxl_gguf_free. */
PXL_API pxl_status pxl_gguf_tensor_data(const pxl_gguf* file, int64_t index, const void** out_data,
                                        uint64_t* out_size);

/**
 * Reads the tensor converted to f32 into `dst`, which holds `dst_count` floats (at least the
 * element count). PXL_STATUS_UNSUPPORTED for types pxl_tensor_type_is_convertible rejects.
 */
PXL_API pxl_status pxl_gguf_tensor_read_f32(const pxl_gguf* file, int64_t index, float* dst, uint64_t dst_count);

/* ---------------------------------------------------------------------------------------------
 * GGUF files: writing
 *
 * Life of a writer: set metadata and declare tensors (any order), then pxl_gguf_writer_begin
 * writes the header, then the data of every tensor in declaration order, then
 * pxl_gguf_writer_finish. The output goes to a temporary file beside `path` and is renamed into
 * place by finish, so a failed or abandoned write leaves nothing behind.
 * ------------------------------------------------------------------------------------------- */

/** A GGUF file being written (version 3). One thread at a time. */
typedef struct pxl_gguf_writer pxl_gguf_writer;

/** Creates an empty writer. Caller owns `*out_writer`; free with pxl_gguf_writer_free. */
PXL_API pxl_status pxl_gguf_writer_create(pxl_gguf_writer** out_writer);

/** Frees the writer; if it was not finished, its temporary file is deleted. NULL is a no-op. */
PXL_API void pxl_gguf_writer_free(pxl_gguf_writer* writer);

/*
 * Metadata setters. Setting a key again replaces its value in place. `general.alignment` (UINT32,
 * a power of two) sets the data alignment of the file being written.
 */
PXL_API pxl_status pxl_gguf_writer_set_u8(pxl_gguf_writer* writer, const char* key, uint8_t value);
PXL_API pxl_status pxl_gguf_writer_set_i8(pxl_gguf_writer* writer, const char* key, int8_t value);
PXL_API pxl_status pxl_gguf_writer_set_u16(pxl_gguf_writer* writer, const char* key, uint16_t value);
PXL_API pxl_status pxl_gguf_writer_set_i16(pxl_gguf_writer* writer, const char* key, int16_t value);
PXL_API pxl_status pxl_gguf_writer_set_u32(pxl_gguf_writer* writer, const char* key, uint32_t value);
PXL_API pxl_status pxl_gguf_writer_set_i32(pxl_gguf_writer* writer, const char* key, int32_t value);
PXL_API pxl_status pxl_gguf_writer_set_u64(pxl_gguf_writer* writer, const char* key, uint64_t value);
PXL_API pxl_status pxl_gguf_writer_set_i64(pxl_gguf_writer* writer, const char* key, int64_t value);
PXL_API pxl_status pxl_gguf_writer_set_f32(pxl_gguf_writer* writer, const char* key, float value);
PXL_API pxl_status pxl_gguf_writer_set_f64(pxl_gguf_writer* writer, const char* key, double value);
/** `value` is 0 or 1. */
PXL_API pxl_status pxl_gguf_writer_set_bool(pxl_gguf_writer* writer, const char* key, int32_t value);
/** `length` bytes of UTF-8 (need not be NUL-terminated). */
PXL_API pxl_status pxl_gguf_writer_set_string(pxl_gguf_writer* writer, const char* key, const char* value,
                                              uint64_t length);

/** An array of `count` numeric or BOOL values, packed as `element_type` (BOOL: one byte, 0 or 1). */
PXL_API pxl_status pxl_gguf_writer_set_array(pxl_gguf_writer* writer, const char* key, pxl_gguf_type element_type,
                                             const void* elements, uint64_t count);

/** An array of `count` strings; string i is `lengths[i]` bytes at `strings[i]`. */
PXL_API pxl_status pxl_gguf_writer_set_string_array(pxl_gguf_writer* writer, const char* key,
                                                    const char* const* strings, const uint64_t* lengths,
                                                    uint64_t count);

/**
 * Declares a tensor. `dims` has `n_dims` entries (1..PXL_MAX_DIMS), innermost first, and dims[0]
 * must be a multiple of the type's block size. Names must be unique.
 */
PXL_API pxl_status pxl_gguf_writer_add_tensor(pxl_gguf_writer* writer, const char* name, pxl_tensor_type type,
                                              const int64_t* dims, int32_t n_dims);

/** Writes the header, metadata and tensor table to a temporary file beside `path`. */
PXL_API pxl_status pxl_gguf_writer_begin(pxl_gguf_writer* writer, const char* path);

/** Writes the stored bytes of the next tensor (declaration order); `size` must equal its byte size. */
PXL_API pxl_status pxl_gguf_writer_write_tensor(pxl_gguf_writer* writer, const void* data, uint64_t size);

/** Writes the next tensor from f32 values, converting to its type; `count` must equal its element count. */
PXL_API pxl_status pxl_gguf_writer_write_tensor_f32(pxl_gguf_writer* writer, const float* values, uint64_t count);

/** Checks that every tensor was written, flushes, and renames the file into place. */
PXL_API pxl_status pxl_gguf_writer_finish(pxl_gguf_writer* writer);

/* ---------------------------------------------------------------------------------------------
 * Models and contexts
 *
 * A pxl_model holds the weights: loaded once, immutable, shared by any number of threads and
 * contexts. A pxl_context holds what one caller's inference needs: the KV cache of up to n_seq
 * sequences, scratch memory and its own thread pool; it is used by one caller at a time.
 * ------------------------------------------------------------------------------------------- */

/** A loaded model (the language model of a PixelLM GGUF pair). Immutable; shareable between threads. */
typedef struct pxl_model pxl_model;

/** Options for loading a model. */
typedef struct pxl_model_params {
    /** sizeof(pxl_model_params). */
    uint64_t struct_size;
    /** 1 (default): map the weights; 0: read them into memory. */
    int32_t use_mmap;
} pxl_model_params;

/** The defaults for pxl_model_params, with struct_size set. */
PXL_API pxl_model_params pxl_model_default_params(void);

/**
 * Loads the language model from a GGUF file in llama.cpp's `llama` layout (what `pixellm convert`
 * writes as llm.gguf), checking every hyper-parameter and every weight's shape and type. `params`
 * may be NULL. Caller owns `*out_model`; free with pxl_model_free after every context made from it.
 */
PXL_API pxl_status pxl_model_load(const char* llm_path, const pxl_model_params* params, pxl_model** out_model);

/** Frees the model. Contexts made from it must be freed first. NULL is a no-op. */
PXL_API void pxl_model_free(pxl_model* model);

/** The hyper-parameters of a loaded model. */
typedef struct pxl_model_info {
    /** sizeof(pxl_model_info), set by the caller. */
    uint64_t struct_size;
    int64_t n_vocab;
    /** Width of the residual stream, of hidden states and of input embeddings. */
    int64_t n_embd;
    int64_t n_layer;
    int64_t n_head;
    int64_t n_head_kv;
    int64_t n_ff;
    /** Positions the model was trained for. */
    int64_t n_ctx_train;
} pxl_model_info;

/** Describes a loaded model. */
PXL_API pxl_status pxl_model_get_info(const pxl_model* model, pxl_model_info* out_info);

/** One caller's inference state for a model: KV cache, scratch, thread pool. One caller at a time. */
typedef struct pxl_context pxl_context;

/** Element type of the KV cache. */
typedef enum pxl_kv_type {
    PXL_KV_TYPE_F16 = 0,
    PXL_KV_TYPE_F32 = 1
} pxl_kv_type;

/** Options for creating a context. */
typedef struct pxl_context_params {
    /** sizeof(pxl_context_params). */
    uint64_t struct_size;
    /** Threads of the context's own pool, the calling thread included; 0 (default): the physical cores this process may use. */
    int32_t n_threads;
    /** Positions each sequence can hold; 0 (default): the model's trained context. */
    int32_t n_ctx;
    /** Sequence slots, each with its own KV cache (default 1). */
    int32_t n_seq;
    /** The most batch entries computed together; larger batches are split (default 512). */
    int32_t n_batch;
    /** Element type of the KV cache (default F16). */
    pxl_kv_type kv_type;
} pxl_context_params;

/** The defaults for pxl_context_params, with struct_size set. */
PXL_API pxl_context_params pxl_context_default_params(void);

/**
 * Creates a context for `model`, which must outlive it. All memory (KV cache, scratch) is
 * allocated here, none while decoding. `params` may be NULL.
 * Caller owns `*out_context`; free with pxl_context_free.
 */
PXL_API pxl_status pxl_context_create(const pxl_model* model, const pxl_context_params* params,
                                      pxl_context** out_context);

/** Frees the context and joins its threads. NULL is a no-op. */
PXL_API void pxl_context_free(pxl_context* context);

/** The token id that marks a batch entry whose input is an embedding row instead of a token. */
#define PXL_TOKEN_EMBEDDING (-1)

/**
 * Positions to run through the model in one call, for one or many sequences. Every array has
 * n_entries elements unless noted and is borrowed for the call. Within a sequence, entries must be
 * in order and continue it: the first entry of sequence s has position pxl_context_seq_length(s),
 * the next one more, and so on.
 */
typedef struct pxl_batch {
    /** sizeof(pxl_batch). */
    uint64_t struct_size;
    /** Number of entries (>= 1). */
    int32_t n_entries;
    /** Width of the rows in `embeddings`; must equal the model's n_embd when any entry is an embedding. */
    int32_t embedding_width;
    /** Token id of each entry, or PXL_TOKEN_EMBEDDING for an entry whose input is the next row of `embeddings`. */
    const int32_t* tokens;
    /** One row of embedding_width floats per PXL_TOKEN_EMBEDDING entry, in entry order; NULL if there are none. */
    const float* embeddings;
    /** Sequence slot of each entry, 0..n_seq-1. */
    const int32_t* seq_ids;
    /** Position of each entry within its sequence. */
    const int32_t* positions;
    /**
     * Nonzero: this entry's key is hidden from every query of its sequence, now and later
     * (PixelLM's padded image tokens). NULL: no entry is hidden.
     */
    const int8_t* hidden_keys;
    /** Nonzero: keep this entry's logits and final hidden state. NULL: only the last entry's. */
    const int8_t* outputs;
} pxl_batch;

/**
 * Runs the batch: appends every entry to its sequence's KV cache and computes the outputs asked
 * for. The whole batch is checked before anything changes: an out-of-range token, an unknown
 * sequence, a position that does not continue its sequence, a wrong embedding width
 * (PXL_STATUS_INVALID_ARGUMENT) or a sequence without room (PXL_STATUS_CONTEXT_FULL) leaves every
 * sequence as it was.
 */
PXL_API pxl_status pxl_context_decode(pxl_context* context, const pxl_batch* batch);

/** Number of outputs the last successful pxl_context_decode kept. */
PXL_API int32_t pxl_context_output_count(const pxl_context* context);

/**
 * Logits (n_vocab floats) of output `output_index` (the entries with outputs set, in entry order).
 * Borrowed: valid until the next pxl_context_decode or pxl_context_free.
 */
PXL_API pxl_status pxl_context_get_logits(const pxl_context* context, int32_t output_index, const float** out_logits);

/**
 * Final hidden state (n_embd floats, after the last RMSNorm: what the LM head and PixelLM's
 * codebook projection read) of output `output_index`. Borrowed like the logits.
 */
PXL_API pxl_status pxl_context_get_hidden(const pxl_context* context, int32_t output_index, const float** out_hidden);

/** Number of positions sequence `seq_id` holds. */
PXL_API pxl_status pxl_context_seq_length(const pxl_context* context, int32_t seq_id, int32_t* out_length);

/** Keeps the first `n_keep` positions of a sequence and drops the rest (undo, branching). */
PXL_API pxl_status pxl_context_seq_truncate(pxl_context* context, int32_t seq_id, int32_t n_keep);

/** Replaces sequence `dst_seq` with a copy of `src_seq` (prefix reuse). */
PXL_API pxl_status pxl_context_seq_copy(pxl_context* context, int32_t src_seq, int32_t dst_seq);

/* -------------------------------------------------------------------------------------------
 * Images: decoding (JPEG, PNG) and the CLIP preprocessing (spec §2.2, §2.5). A pxl_image is 8-bit
 * RGB, immutable once made and shareable between threads.
 * ------------------------------------------------------------------------------------------- */

/** A decoded image: 8-bit RGB, EXIF orientation applied (unless asked not to). Immutable. */
typedef struct pxl_image pxl_image;

/** Where an image's pixels came from. */
typedef enum pxl_image_format {
    /** Raw RGB24 pixels given to pxl_image_from_rgb24 (or made by pxl_image_resize). */
    PXL_IMAGE_FORMAT_RGB24 = 0,
    /** Decoded from a JPEG file. */
    PXL_IMAGE_FORMAT_JPEG = 1,
    /** Decoded from a PNG file. */
    PXL_IMAGE_FORMAT_PNG = 2
} pxl_image_format;

/** What happens to an alpha channel (PNG alpha or transparency chunks). */
typedef enum pxl_image_alpha_mode {
    /** Dropped: the colour is kept as stored, as the reference's decoder does (spec §15.2). */
    PXL_IMAGE_ALPHA_DROP = 0,
    /** Composited onto background_rgb: out = (c*a + bg*(255-a)) / 255, rounded. */
    PXL_IMAGE_ALPHA_COMPOSITE = 1
} pxl_image_alpha_mode;

/** Options for decoding and for pxl_image_from_rgb24 (which uses only the limits). */
typedef struct pxl_image_decode_params {
    /** sizeof(pxl_image_decode_params). */
    uint64_t struct_size;
    /**
     * Largest accepted width * height (default 64,000,000). Checked from the file's header before
     * any pixel buffer is allocated; larger images fail with PXL_STATUS_UNSUPPORTED.
     */
    int64_t max_pixels;
    /** Largest accepted width or height (default 16384), checked the same way. */
    int32_t max_side;
    /** Nonzero (default): turn the image as its EXIF orientation says; 0: keep the stored pixel order. */
    int32_t apply_exif_orientation;
    /** A pxl_image_alpha_mode (default PXL_IMAGE_ALPHA_DROP). */
    int32_t alpha_mode;
    /** Background for PXL_IMAGE_ALPHA_COMPOSITE as 0xRRGGBB (default 0xFFFFFF, white). */
    uint32_t background_rgb;
} pxl_image_decode_params;

/** The defaults for pxl_image_decode_params, with struct_size set. */
PXL_API pxl_image_decode_params pxl_image_default_decode_params(void);

/**
 * Decodes a JPEG (8-bit grey, YCbCr or RGB; baseline or progressive) or a PNG (any bit depth and
 * colour type) held in memory to 8-bit RGB: grey and palette expanded, 16-bit samples reduced to
 * their high byte, alpha per params->alpha_mode, EXIF orientation per params. `data` is borrowed for
 * the call; `params` may be NULL (defaults). Caller owns `*out_image`; free with pxl_image_free.
 * Errors (nothing is allocated for a refused image; `*out_image` is NULL): PXL_STATUS_INVALID_FORMAT
 * for empty, truncated or damaged data; PXL_STATUS_UNSUPPORTED for other formats (the message lists
 * the supported ones), CMYK and 12-bit JPEGs, and images over the limits.
 */
PXL_API pxl_status pxl_image_decode(const void* data, uint64_t size, const pxl_image_decode_params* params,
                                    pxl_image** out_image);

/**
 * Makes an image from packed RGB24 pixels: `height` rows of `width` R,G,B bytes, top row first;
 * `size` must be exactly width * height * 3. The pixels are copied. `params` (limits only) may be
 * NULL. Caller owns `*out_image`; free with pxl_image_free. PXL_STATUS_INVALID_ARGUMENT for a
 * non-positive side or a size mismatch, PXL_STATUS_UNSUPPORTED over the limits.
 */
PXL_API pxl_status pxl_image_from_rgb24(const void* pixels, uint64_t size, int32_t width, int32_t height,
                                        const pxl_image_decode_params* params, pxl_image** out_image);

/** Frees an image. NULL is a no-op. */
PXL_API void pxl_image_free(pxl_image* image);

/** What is known about an image. */
typedef struct pxl_image_info {
    /** sizeof(pxl_image_info), set by the caller. */
    uint64_t struct_size;
    /** Size of the pixels, after the EXIF orientation was applied: the original size of spec §2.1. */
    int32_t width;
    int32_t height;
    /** A pxl_image_format. */
    int32_t format;
    /** The EXIF orientation stored in the file, 1..8 (1 when absent), whether it was applied or not. */
    int32_t exif_orientation;
    /** Bits per sample of the encoded image (1..16; 8 for RGB24). */
    int32_t bits_per_channel;
    /** Nonzero when the encoded image had an alpha channel or transparency. */
    int32_t had_alpha;
} pxl_image_info;

/** Describes an image. */
PXL_API pxl_status pxl_image_get_info(const pxl_image* image, pxl_image_info* out_info);

/**
 * The pixels: height rows of width * 3 bytes (R, G, B), top row first, no padding; `*out_size` is
 * width * height * 3. Borrowed: valid until the image is freed.
 */
PXL_API pxl_status pxl_image_pixels(const pxl_image* image, const uint8_t** out_pixels, uint64_t* out_size);

/**
 * Resizes with Pillow's antialiased BILINEAR filter, bit-exact with Pillow's Image.resize (the
 * resample step of spec §2.2). Caller owns `*out_image`; free with pxl_image_free.
 */
PXL_API pxl_status pxl_image_resize(const pxl_image* image, int32_t width, int32_t height, pxl_image** out_image);

/** Parameters of the CLIP preprocessing (spec §2.2). Defaults are the released model's. */
typedef struct pxl_image_preprocess_params {
    /** sizeof(pxl_image_preprocess_params). */
    uint64_t struct_size;
    /** Side of the square, padded output (448). */
    int32_t image_size;
    /** ViT patch side (14); must divide image_size. */
    int32_t patch_size;
    /** Side of the LLM token grid (16); must divide image_size / patch_size. */
    int32_t token_grid;
    /** Per-channel mean and std on the 0..255 scale (ImageNet's: 123.675, 116.28, 103.53 / 58.395, 57.12, 57.375). */
    float mean_r;
    float mean_g;
    float mean_b;
    float std_r;
    float std_g;
    float std_b;
} pxl_image_preprocess_params;

/** The defaults for pxl_image_preprocess_params, with struct_size set. */
PXL_API pxl_image_preprocess_params pxl_image_default_preprocess_params(void);

/**
 * Caller-owned buffers that pxl_image_preprocess fills, and the sizes it reports. Let S = image_size,
 * G = image_size / patch_size, T = token_grid.
 */
typedef struct pxl_image_preprocess_output {
    /** sizeof(pxl_image_preprocess_output). */
    uint64_t struct_size;
    /** [3, S, S] f32, planar R, G, B: (v - mean) / std where v is the resized pixel, 0 in the padding. */
    float* pixels;
    uint64_t pixels_count;
    /** [G, G] 0/1, row-major: patch (i, j) holds image, i.e. patch_size*i < h' and patch_size*j < w' (spec §2.5). */
    uint8_t* patch_valid;
    uint64_t patch_valid_count;
    /** [T, T] 0/1, row-major: patch_valid[s*u, s*v] with s = G / T (spec §2.5). */
    uint8_t* token_valid;
    uint64_t token_valid_count;
    /** Receives the cache key: 64 hex digits and a terminating NUL (capacity >= 65); may be NULL. */
    char* cache_key;
    uint64_t cache_key_capacity;
    /** Set by the call: the resized size (h', w') of spec §2.2 and the image's own (original) size. */
    int32_t resized_width;
    int32_t resized_height;
    int32_t original_width;
    int32_t original_height;
} pxl_image_preprocess_output;

/**
 * Preprocesses an image for the vision tower (spec §2.2): longest side to image_size with Pillow's
 * BILINEAR, (v - mean) / std in f32, zero padding at the bottom and right; fills the validity masks
 * (§2.5) and the cache key: a SHA-256 over the pixels, their size and these parameters, equal for
 * equal results. `params` may be NULL (defaults). PXL_STATUS_INVALID_ARGUMENT when a buffer is NULL
 * or its count differs from the size above (the message names it) or a parameter is inconsistent;
 * PXL_STATUS_UNSUPPORTED when the image is so thin that a side would resize to 0 pixels.
 */
PXL_API pxl_status pxl_image_preprocess(const pxl_image* image, const pxl_image_preprocess_params* params,
                                        pxl_image_preprocess_output* out);

/* -------------------------------------------------------------------------------------------
 * Pixel models: the second file of a PixelLM pair (pixel.gguf): the CLIP vision tower, the two
 * projectors, the codebook MLP and the pixel decoder. A pxl_pixel_model is immutable and
 * shareable; a pxl_pixel_context (thread pool, scratch) is used by one caller at a time.
 * ------------------------------------------------------------------------------------------- */

/** A loaded pixel file. Immutable; shareable between threads. */
typedef struct pxl_pixel_model pxl_pixel_model;

/**
 * Loads a pixel file (architecture `pixellm`, what `pixellm convert` writes as pixel.gguf),
 * checking its hyper-parameters and weights. `params` may be NULL (pxl_model_default_params).
 * Caller owns `*out_model`; free with pxl_pixel_model_free after every pixel context made from it.
 */
PXL_API pxl_status pxl_pixel_model_load(const char* pixel_path, const pxl_model_params* params,
                                        pxl_pixel_model** out_model);

/** Frees the pixel model. Pixel contexts made from it must be freed first. NULL is a no-op. */
PXL_API void pxl_pixel_model_free(pxl_pixel_model* model);

/** The hyper-parameters of a loaded pixel model. */
typedef struct pxl_pixel_model_info {
    /** sizeof(pxl_pixel_model_info), set by the caller. */
    uint64_t struct_size;
    /** Side of the square, padded tower input in pixels (448). */
    int32_t image_size;
    /** ViT patch side (14); the patch grid is image_size / patch_size on a side. */
    int32_t patch_size;
    int32_t vision_n_embd;
    int32_t vision_n_layer;
    int32_t vision_n_head;
    /** Side of the pooled grid of LLM image tokens (16: 256 tokens). */
    int32_t image_token_grid;
    /** Width of the language model this file belongs to (image tokens, codebook hidden states). */
    int32_t llm_n_embd;
    /** Vocabulary size of that language model. */
    int32_t llm_n_vocab;
    /** Width of the mask prompts and of the decoder (256 in the release). */
    int32_t decoder_n_embd;
    /** Codebook tokens per scale (3) and scales (2); each target takes their product. */
    int32_t seg_token_num;
    int32_t scale_num;
    /** Ids of the image markers around the image tokens. */
    int32_t im_start_id;
    int32_t im_end_id;
    /** Width of the mask features the image-feature neck reads (the mask projector's output, spec §4.3). */
    int32_t mask_feature_n_embd;
    /** Mask tokens of the pixel decoder (4): IoU predictions per target and level. */
    int32_t decoder_n_mask_tokens;
    /** Width of the vision tower's MLP (4096 for ViT-L). */
    int32_t vision_n_ff;
} pxl_pixel_model_info;

/** Describes a loaded pixel model. */
PXL_API pxl_status pxl_pixel_model_get_info(const pxl_pixel_model* model, pxl_pixel_model_info* out_info);

/**
 * Copies the codebook token ids in order (seg_token_num * scale_num of them) into `out_ids`,
 * which holds `capacity` entries; PXL_STATUS_INVALID_ARGUMENT if it is too small.
 */
PXL_API pxl_status pxl_pixel_model_seg_ids(const pxl_pixel_model* model, int32_t* out_ids, int32_t capacity);

/** Copies the per-channel (R, G, B) mean and std of the input normalization, on the 0..255 scale (spec §2.2). */
PXL_API pxl_status pxl_pixel_model_normalization(const pxl_pixel_model* model, float* out_mean3, float* out_std3);

/**
 * Checks that a language model and a pixel model belong together: the pixel file's LLM width and
 * vocabulary size equal the language model's, and its codebook and image-marker ids lie in the
 * vocabulary. PXL_STATUS_INVALID_ARGUMENT with a message naming the mismatch otherwise.
 */
PXL_API pxl_status pxl_pixel_model_check_pair(const pxl_model* llm, const pxl_pixel_model* pixel);

/** One caller's state for a pixel model: thread pool and scratch. One caller at a time. */
typedef struct pxl_pixel_context pxl_pixel_context;

/** Arithmetic of the vision tower's and the projectors' matrix products. */
typedef enum pxl_compute_type {
    /** f32 products (the default; the reference's precision). */
    PXL_COMPUTE_TYPE_F32 = 0,
    /**
     * Inputs and weights rounded to bf16, products accumulated in f32 (AVX512_BF16 vdpbf16ps), about
     * twice the f32 rate; the released PixelLM ran its tower in bf16. Needs the avx512 kernel level:
     * pxl_pixel_context_create returns PXL_STATUS_UNSUPPORTED elsewhere.
     */
    PXL_COMPUTE_TYPE_BF16 = 1
} pxl_compute_type;

/** Options for creating a pixel context. */
typedef struct pxl_pixel_context_params {
    /** sizeof(pxl_pixel_context_params). */
    uint64_t struct_size;
    /** Threads of the context's own pool, the calling thread included; 0 (default): the physical cores. */
    int32_t n_threads;
    /**
     * Targets (masks) the pixel decoder computes in one batch; 0 (default): 16. A decode call with
     * more runs in batches of this size, with the same results. The decoder's scratch, allocated at
     * creation, grows with it: about 12 MiB per target for the release models (width 256).
     */
    int32_t max_targets;
    /** Arithmetic of the vision tower and the projectors (default PXL_COMPUTE_TYPE_F32). */
    pxl_compute_type vision_compute_type;
} pxl_pixel_context_params;

/** The defaults for pxl_pixel_context_params, with struct_size set. */
PXL_API pxl_pixel_context_params pxl_pixel_context_default_params(void);

/**
 * Creates a pixel context for `model`, which must outlive it. `params` may be NULL.
 * Caller owns `*out_context`; free with pxl_pixel_context_free.
 */
PXL_API pxl_status pxl_pixel_context_create(const pxl_pixel_model* model, const pxl_pixel_context_params* params,
                                            pxl_pixel_context** out_context);

/** Frees the pixel context. NULL is a no-op. */
PXL_API void pxl_pixel_context_free(pxl_pixel_context* context);

/*
 * The pixel decoder (spec §6.4-§8). Sizes below: g = image_size / patch_size (the patch grid, 32),
 * C = decoder_n_embd, Dm = mask_feature_n_embd, D = llm_n_embd, S = seg_token_num * scale_num (the
 * codebook tokens of one target, 6), M = decoder_n_mask_tokens (4), all from pxl_pixel_model_info.
 * Images are row-major; "channels-last" means [pixels][channels].
 */

/**
 * Runs the image-feature neck (Conv1x1, LayerNorm2d, Conv3x3, LayerNorm2d; spec §7.3) over both
 * feature scales. `mask_features` [2][g * g][Dm]: the mask projector's output for F_deep, then for
 * F_mid (spec §4.3). Writes `out_neck` [2][g * g][C], channels-last, to pass to
 * pxl_pixel_decode_masks for any number of calls. Both buffers are the caller's, borrowed for the call.
 */
PXL_API pxl_status pxl_pixel_prepare_mask_features(pxl_pixel_context* context, const float* mask_features,
                                                   float* out_neck);

/**
 * Where pxl_pixel_decode_masks writes, all caller-owned. level0 and level1 are required; every
 * other buffer is optional (NULL: not computed or not copied). The debug buffers expose the
 * intermediates the parity tests compare with the reference.
 */
typedef struct pxl_mask_outputs {
    /** sizeof(pxl_mask_outputs). */
    uint64_t struct_size;
    /** [n_targets][2g][2g] level-0 mask logits m0 (64 x 64 in the release). */
    float* level0;
    /** [n_targets][4g][4g] level-1 mask logits m1 (128 x 128), conditioned on m0. */
    float* level1;
    /** [n_targets][2][M] IoU predictions of both levels (the original discards them). */
    float* iou;
    /** Debug: [n_targets * S][C] text_hidden_fcs of the codebook states (spec §7.1). */
    float* text_fcs;
    /** Debug: [n_targets][2][C] fused queries, one per scale (spec §6.4). */
    float* queries;
    /** Debug: [g * g][C] and [4 g * g][C] the image PEs of level 0 and level 1 (spec §7.2, §8.4). */
    float* pe_level0;
    float* pe_level1;
    /** Debug, level 0: [n][g * g][C] decoder input, [n][6][C] tokens T0, [n][6][C] token outputs, [n][g * g][C] image outputs. */
    float* level0_src;
    float* level0_tokens;
    float* level0_queries;
    float* level0_keys;
    /** Debug, level 1: the same on the 2g x 2g grid. */
    float* level1_src;
    float* level1_tokens;
    float* level1_queries;
    float* level1_keys;
} pxl_mask_outputs;

/** An outputs struct with struct_size set and every buffer NULL. */
PXL_API pxl_mask_outputs pxl_mask_outputs_default(void);

/**
 * Decodes the masks of `n_targets` (>= 1) targets in one call (spec §6.4 steps 3-4, §7, §8): the
 * codebook MLP and fusion, then both decoder levels for all targets together. `neck` [2][g * g][C]
 * is pxl_pixel_prepare_mask_features' output. `seg_hidden` [n_targets * S][hidden_width] are the
 * final-norm hidden states that predict each codebook token, in generation order (target, then
 * scale, then token; spec §6.4); hidden_width must equal D. The level logits are raw: their fusion
 * (spec §8.5) is the caller's. Inputs are borrowed for the call.
 * PXL_STATUS_INVALID_ARGUMENT for a NULL buffer, n_targets < 1 or a wrong hidden_width.
 */
PXL_API pxl_status pxl_pixel_decode_masks(pxl_pixel_context* context, const float* neck, const float* seg_hidden,
                                          int32_t n_targets, int32_t hidden_width, const pxl_mask_outputs* outputs);

/**
 * Where pxl_vision_encode writes its results: caller-owned f32 buffers, row-major, written in full.
 * Sizes come from pxl_pixel_model_info: S = image_size, G = S / patch_size (the patch grid),
 * n_patches = G * G, n_positions = n_patches + 1 (the class token first), T = image_token_grid^2
 * (256), Cv = vision_n_embd, D = llm_n_embd. Every pointer but image_tokens may be NULL: that
 * output is skipped (mask_features is then not computed at all).
 */
typedef struct pxl_vision_outputs {
    /** sizeof(pxl_vision_outputs). */
    uint64_t struct_size;
    /** Required. [T][D]: the LLM image tokens, mm_projector of the 2x2-pooled deep features (spec §4.2). */
    float* image_tokens;
    /**
     * [2][n_patches][D]: the mask-branch features, out_mm_projector of the deep features, then of the
     * mid features, padded patches included (spec §4.3); what the pixel decoder consumes.
     */
    float* mask_features;
    /** Parity outputs. [n_positions][Cv]: hs[0], the embeddings after the pre-LayerNorm. */
    float* hs0;
    /** [n_positions][Cv]: the hidden states of the deep selected layer (hs[-2]), class token first. */
    float* hs_deep;
    /** [n_positions][Cv]: the hidden states of the mid selected layer (hs[-11]), class token first. */
    float* hs_mid;
    /** [T][Cv]: the deep patch features pooled 2x2, before mm_projector. */
    float* pooled;
} pxl_vision_outputs;

/**
 * Runs the vision tower and both projectors on one image (spec §3-4). `pixels` is [3][S][S] f32,
 * channel-planar RGB, normalized and zero-padded at the bottom and right (spec §2.2); the image
 * covers its top-left valid_height x valid_width pixels (h', w', each 1..S): patches outside it
 * are hidden from attention as keys (spec §2.5). `pixels` and `outputs` are borrowed for the call.
 * PXL_STATUS_INVALID_ARGUMENT for a NULL pointer, a missing image_tokens buffer or a valid size out
 * of range. Allocates nothing; uses the context's pool and scratch, so one call per context at a time.
 */
PXL_API pxl_status pxl_vision_encode(pxl_pixel_context* context, const float* pixels, int32_t valid_height,
                                     int32_t valid_width, const pxl_vision_outputs* outputs);

#ifdef __cplusplus
}
#endif

#endif /* PIXELLM_H */
