# The GGUF reader, writer and file access, through the internal classes.
pixellm_add_test(format_test
  ${CMAKE_CURRENT_LIST_DIR}/file_mapping_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/gguf_reader_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/gguf_roundtrip_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/gguf_writer_test.cpp
)
