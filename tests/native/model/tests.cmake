# Model loading: hyper-parameters and weight binding from GGUF files.
pixellm_add_test(model_test
  ${CMAKE_CURRENT_LIST_DIR}/api_model_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/api_vision_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/llama_context_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/llama_loading_test.cpp
)
