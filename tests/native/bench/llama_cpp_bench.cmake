# llama.cpp's side of tools/bench_llm.py: its CPU library, loaded at run time, on the engine's GGUF
# files, plus the machine's read bandwidth. A program, not a test: measured on purpose on an idle machine.
if(NOT WIN32)
  add_executable(llama_cpp_bench ${CMAKE_CURRENT_LIST_DIR}/llama_cpp_bench.cpp)
  target_compile_definitions(llama_cpp_bench PRIVATE PIXELLM_LLAMA_CPP_DIR="${PIXELLM_LLAMA_CPP_DIR}")
  target_compile_options(llama_cpp_bench PRIVATE -Wall -Wextra -Wshadow -Wconversion -Wno-sign-conversion -Werror)
  find_package(Threads REQUIRED)
  target_link_libraries(llama_cpp_bench PRIVATE ${CMAKE_DL_LIBS} Threads::Threads)
endif()
