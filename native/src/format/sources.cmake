list(APPEND PIXELLM_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/byte_reader.cpp
  ${CMAKE_CURRENT_LIST_DIR}/file_mapping.cpp
  ${CMAKE_CURRENT_LIST_DIR}/gguf_file.cpp
  ${CMAKE_CURRENT_LIST_DIR}/gguf_types.cpp
  ${CMAKE_CURRENT_LIST_DIR}/gguf_value.cpp
  ${CMAKE_CURRENT_LIST_DIR}/gguf_writer.cpp
  ${CMAKE_CURRENT_LIST_DIR}/output_file.cpp
)
