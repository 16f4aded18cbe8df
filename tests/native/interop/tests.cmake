# Interoperability with llama.cpp's GGUF code, loaded at run time from its npm CPU build.
if(NOT WIN32)
  set(PIXELLM_LLAMA_CPP_DIR "${PROJECT_SOURCE_DIR}/.deps/llama-cpp/bins/linux-x64"
      CACHE PATH "Folder holding llama.cpp's libggml-base.so (fetched by build.sh)")
  pixellm_add_test(llama_cpp_interop_test ${CMAKE_CURRENT_LIST_DIR}/llama_cpp_gguf_test.cpp ABI)
  target_compile_definitions(llama_cpp_interop_test PRIVATE PIXELLM_LLAMA_CPP_DIR="${PIXELLM_LLAMA_CPP_DIR}")
  target_link_libraries(llama_cpp_interop_test PRIVATE ${CMAKE_DL_LIBS})
endif()

# The forward pass against llama.cpp on the same file (links the internal library for the tiny
# model writer of the model tests).
if(NOT WIN32)
  pixellm_add_test(llama_cpp_logits_test ${CMAKE_CURRENT_LIST_DIR}/llama_cpp_logits_test.cpp)
  target_compile_definitions(llama_cpp_logits_test PRIVATE PIXELLM_LLAMA_CPP_DIR="${PIXELLM_LLAMA_CPP_DIR}")
  target_link_libraries(llama_cpp_logits_test PRIVATE ${CMAKE_DL_LIBS})
endif()
