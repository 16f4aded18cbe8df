pixellm_add_test(pixellm_core_tests
  ${CMAKE_CURRENT_LIST_DIR}/aligned_buffer_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/api_guard_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/error_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/log_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/thread_pool_test.cpp
)
