# The GGUF and core calls of pixellm.h, linked against the shared library only, as a host links.
pixellm_add_test(capi_test
  ${CMAKE_CURRENT_LIST_DIR}/api_core_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/api_gguf_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/api_gguf_writer_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/c_host_calls.c
  ABI)
