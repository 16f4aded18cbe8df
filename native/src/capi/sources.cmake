# Owned by the capi area; list its sources here.
list(APPEND PIXELLM_SOURCES ${CMAKE_CURRENT_LIST_DIR}/api_core.cpp)
list(APPEND PIXELLM_SOURCES ${CMAKE_CURRENT_LIST_DIR}/api_gguf.cpp)
list(APPEND PIXELLM_SOURCES ${CMAKE_CURRENT_LIST_DIR}/api_gguf_writer.cpp)
list(APPEND PIXELLM_SOURCES ${CMAKE_CURRENT_LIST_DIR}/api_cpu.cpp)
list(APPEND PIXELLM_SOURCES ${CMAKE_CURRENT_LIST_DIR}/api_tensor_type.cpp)

# pxl_version_string() reports the version the top-level project() declares.
set_source_files_properties(${CMAKE_CURRENT_LIST_DIR}/api_core.cpp PROPERTIES
  COMPILE_DEFINITIONS "PIXELLM_VERSION=\"${PROJECT_VERSION}\"")
list(APPEND PIXELLM_SOURCES ${CMAKE_CURRENT_LIST_DIR}/api_model.cpp)
list(APPEND PIXELLM_SOURCES ${CMAKE_CURRENT_LIST_DIR}/api_pixel.cpp)
list(APPEND PIXELLM_SOURCES ${CMAKE_CURRENT_LIST_DIR}/api_image.cpp)
