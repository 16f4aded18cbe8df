# CPU kernels: portable dispatch plus one translation unit per ISA level for each kernel family.
list(APPEND PIXELLM_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/attention.cpp
  ${CMAKE_CURRENT_LIST_DIR}/conv.cpp
  ${CMAKE_CURRENT_LIST_DIR}/convert.cpp
  ${CMAKE_CURRENT_LIST_DIR}/cpu_features.cpp
  ${CMAKE_CURRENT_LIST_DIR}/dense_attention.cpp
  ${CMAKE_CURRENT_LIST_DIR}/embedding.cpp
  ${CMAKE_CURRENT_LIST_DIR}/kernels.cpp
  ${CMAKE_CURRENT_LIST_DIR}/gemm.cpp
  ${CMAKE_CURRENT_LIST_DIR}/matmul.cpp
  ${CMAKE_CURRENT_LIST_DIR}/repack.cpp
  ${CMAKE_CURRENT_LIST_DIR}/rope.cpp
  ${CMAKE_CURRENT_LIST_DIR}/row_ops.cpp
  ${CMAKE_CURRENT_LIST_DIR}/sha256_blocks.cpp
  ${CMAKE_CURRENT_LIST_DIR}/sha256_sha_extensions.cpp
  ${CMAKE_CURRENT_LIST_DIR}/scalar/attention_scalar.cpp
  ${CMAKE_CURRENT_LIST_DIR}/scalar/convert_scalar.cpp
  ${CMAKE_CURRENT_LIST_DIR}/scalar/dot_scalar.cpp
  ${CMAKE_CURRENT_LIST_DIR}/scalar/gemm_scalar.cpp
  ${CMAKE_CURRENT_LIST_DIR}/scalar/row_scalar.cpp
)
list(APPEND PIXELLM_AVX2_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/avx2/attention_avx2.cpp
  ${CMAKE_CURRENT_LIST_DIR}/avx2/convert_avx2.cpp
  ${CMAKE_CURRENT_LIST_DIR}/avx2/dot_avx2.cpp
  ${CMAKE_CURRENT_LIST_DIR}/avx2/gemm_avx2.cpp
  ${CMAKE_CURRENT_LIST_DIR}/avx2/row_avx2.cpp
)
list(APPEND PIXELLM_AVX512_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/avx512/attention_avx512.cpp
  ${CMAKE_CURRENT_LIST_DIR}/avx512/convert_avx512.cpp
  ${CMAKE_CURRENT_LIST_DIR}/avx512/dot_avx512.cpp
  ${CMAKE_CURRENT_LIST_DIR}/avx512/gemm_avx512.cpp
  ${CMAKE_CURRENT_LIST_DIR}/avx512/row_avx512.cpp
)
# The SHA extensions, used only where CPUID reports them (sha256_blocks.h).
if(NOT MSVC AND CMAKE_SYSTEM_PROCESSOR MATCHES "x86_64|AMD64|amd64")
  set_source_files_properties(${CMAKE_CURRENT_LIST_DIR}/sha256_sha_extensions.cpp PROPERTIES COMPILE_OPTIONS "-msha;-msse4.1")
endif()
