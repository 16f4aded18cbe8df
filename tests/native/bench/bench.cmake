# Google Benchmark programs for the CPU kernels. Built with the tests but never registered with
# ctest: performance is measured on purpose, on an idle machine, not as a pass / fail test.
find_package(benchmark QUIET)
if(NOT benchmark_FOUND)
  message(STATUS "Google Benchmark not found (libbenchmark-dev): kernel benchmarks are not built")
  return()
endif()
add_executable(pixellm_kernel_bench
  ${CMAKE_CURRENT_LIST_DIR}/attention_bench.cpp
  ${CMAKE_CURRENT_LIST_DIR}/bench_levels.cpp
  ${CMAKE_CURRENT_LIST_DIR}/matmul_bench.cpp
)
target_link_libraries(pixellm_kernel_bench PRIVATE pixellm_internal benchmark::benchmark_main)
target_include_directories(pixellm_kernel_bench PRIVATE ${CMAKE_CURRENT_LIST_DIR})
