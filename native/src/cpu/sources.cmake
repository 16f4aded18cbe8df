# CPU kernels: portable dispatch plus one translation unit per ISA level for each kernel family.
list(APPEND PIXELLM_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/convert.cpp
  ${CMAKE_CURRENT_LIST_DIR}/cpu_features.cpp
  ${CMAKE_CURRENT_LIST_DIR}/kernels.cpp
  ${CMAKE_CURRENT_LIST_DIR}/scalar/convert_scalar.cpp
)
list(APPEND PIXELLM_AVX2_SOURCES ${CMAKE_CURRENT_LIST_DIR}/avx2/convert_avx2.cpp)
list(APPEND PIXELLM_AVX512_SOURCES ${CMAKE_CURRENT_LIST_DIR}/avx512/convert_avx512.cpp)
