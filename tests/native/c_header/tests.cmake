# pixellm.h compiles as strict C99 and links against the shared library alone.
add_executable(c_header_test ${CMAKE_CURRENT_LIST_DIR}/c_header_test.c)
set_source_files_properties(${CMAKE_CURRENT_LIST_DIR}/c_header_test.c PROPERTIES LANGUAGE C)
set_target_properties(c_header_test PROPERTIES C_STANDARD 99 C_STANDARD_REQUIRED ON C_EXTENSIONS OFF)
if(NOT MSVC)
  target_compile_options(c_header_test PRIVATE -pedantic -Wall -Wextra -Werror)
endif()
target_link_libraries(c_header_test PRIVATE pixellm)
add_test(NAME c_header.compiles_as_c99_and_links COMMAND c_header_test)
