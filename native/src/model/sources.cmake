# Model code: hyper-parameters and weights bound from GGUF files, then the forward passes.
list(APPEND PIXELLM_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/gguf_metadata.cpp
  ${CMAKE_CURRENT_LIST_DIR}/weight_binding.cpp
  ${CMAKE_CURRENT_LIST_DIR}/llama/llama_hparams.cpp
  ${CMAKE_CURRENT_LIST_DIR}/llama/llama_weights.cpp
  ${CMAKE_CURRENT_LIST_DIR}/llama/llama_model.cpp
  ${CMAKE_CURRENT_LIST_DIR}/llama/kv_cache.cpp
  ${CMAKE_CURRENT_LIST_DIR}/llama/llama_context.cpp
  ${CMAKE_CURRENT_LIST_DIR}/llama/llama_forward.cpp
  ${CMAKE_CURRENT_LIST_DIR}/pixel/mask_head.cpp
  ${CMAKE_CURRENT_LIST_DIR}/pixel/mask_head_weights.cpp
  ${CMAKE_CURRENT_LIST_DIR}/pixel/pixel_hparams.cpp
  ${CMAKE_CURRENT_LIST_DIR}/pixel/pixel_model.cpp
  ${CMAKE_CURRENT_LIST_DIR}/pixel/pixel_context.cpp
  ${CMAKE_CURRENT_LIST_DIR}/pixel/two_way_transformer.cpp
  ${CMAKE_CURRENT_LIST_DIR}/pixel/vision_encoder.cpp
  ${CMAKE_CURRENT_LIST_DIR}/pixel/vision_weights.cpp
)
