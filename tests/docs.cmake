# Documentation tests (included by tests/CMakeLists.txt): every ```cpp block of README.md and
# docs/*.md becomes a translation unit of its own, built with "all" against the library and the
# strict warnings, so an example that no longer compiles breaks the build. A #line directive
# points errors at the markdown file and line. (tests/docs_test.cpp runs the ```console examples.)

set(_dsc_doc_files "${PROJECT_SOURCE_DIR}/README.md")
file(GLOB _dsc_doc_pages CONFIGURE_DEPENDS "${PROJECT_SOURCE_DIR}/docs/*.md")
list(SORT _dsc_doc_pages)
list(APPEND _dsc_doc_files ${_dsc_doc_pages})
# Editing a page re-runs the extraction.
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${_dsc_doc_files})

set(_dsc_doc_tus "")
set(_dsc_doc_blocks 0)
set(_dsc_doc_out "${CMAKE_CURRENT_BINARY_DIR}/docs_cpp")
foreach(_md IN LISTS _dsc_doc_files)
  file(READ "${_md}" _text)
  file(RELATIVE_PATH _rel "${PROJECT_SOURCE_DIR}" "${_md}")
  string(MAKE_C_IDENTIFIER "${_rel}" _stem) # docs/cli.md -> docs_cli_md
  # Walk the text with string(FIND) rather than as a CMake list: C++ is full of ';', '[' and ']'.
  # A block opens with a line that is exactly ```cpp and closes at the next line that is ```.
  set(_rest "\n${_text}")
  set(_nl 0) # newlines of "\n${_text}" before _rest: the k-th newline starts line k
  set(_n 0)
  while(TRUE)
    string(FIND "${_rest}" "\n```cpp\n" _open)
    if(_open EQUAL -1)
      break()
    endif()
    math(EXPR _body_at "${_open} + 8")
    string(SUBSTRING "${_rest}" 0 ${_body_at} _before)
    string(SUBSTRING "${_rest}" ${_body_at} -1 _rest)
    string(REGEX MATCHALL "\n" _newlines "${_before}")
    list(LENGTH _newlines _count)
    math(EXPR _nl "${_nl} + ${_count}")
    set(_first ${_nl}) # the first line of code, after the ```cpp line
    string(FIND "${_rest}" "\n```\n" _close)
    if(_close EQUAL -1)
      string(LENGTH "${_rest}" _len)
      math(EXPR _end "${_len} - 4")
      string(FIND "${_rest}" "\n```" _close REVERSE)
      if(_close EQUAL -1 OR NOT _close EQUAL _end)
        math(EXPR _fence "${_first} - 1")
        message(FATAL_ERROR "${_rel}:${_fence}: a ```cpp block that is never closed")
      endif()
    endif()
    string(SUBSTRING "${_rest}" 0 ${_close} _code)
    string(SUBSTRING "${_rest}" ${_close} -1 _rest)
    string(REGEX MATCHALL "\n" _newlines "${_code}")
    list(LENGTH _newlines _count)
    math(EXPR _nl "${_nl} + ${_count}")
    math(EXPR _n "${_n} + 1")
    set(_tu "${_dsc_doc_out}/${_stem}_block${_n}.cpp")
    # Written through a temporary so an unchanged block is not rebuilt.
    file(WRITE "${_tu}.in"
      "// Generated from ${_rel}, ```cpp block ${_n} (line ${_first}): edit the markdown, not this.\n#line ${_first} \"${_md}\"\n${_code}\n")
    configure_file("${_tu}.in" "${_tu}" COPYONLY)
    list(APPEND _dsc_doc_tus "${_tu}")
  endwhile()
  math(EXPR _dsc_doc_blocks "${_dsc_doc_blocks} + ${_n}")
endforeach()

# Finding nothing would prove nothing: a change to the fence syntax must not turn this off.
if(_dsc_doc_blocks EQUAL 0)
  message(FATAL_ERROR "deepseek_config: no ```cpp block found in README.md and docs/*.md")
endif()
message(STATUS "deepseek_config: ${_dsc_doc_blocks} ```cpp blocks of the documentation are compiled (target docs_cpp_blocks)")

add_library(docs_cpp_blocks OBJECT ${_dsc_doc_tus})
target_link_libraries(docs_cpp_blocks PRIVATE deepseek_config::deepseek_config deepseek_config_warnings)
# docs_test (in the tests_tool batch) checks that it counts as many blocks as were compiled here.
if(TARGET tests_tool)
  target_compile_definitions(tests_tool PRIVATE DEEPSEEK_CONFIG_DOCS_CPP_BLOCKS=${_dsc_doc_blocks})
endif()
