# Tests that are not Catch2 files: compile-fail checks, a build without exceptions/RTTI/nlohmann,
# and the overflow handler of exception-free builds. Included by tests/CMakeLists.txt.

# --- Must not compile. Each source is an OBJECT library outside "all"; the test builds it and
# passes only when the output holds the expected diagnostic (so an unrelated error fails).
function(deepseek_config_compile_fail name source regex)
  add_library(${name} OBJECT EXCLUDE_FROM_ALL ${source})
  target_link_libraries(${name} PRIVATE deepseek_config::deepseek_config)
  add_test(NAME ${name}
    COMMAND ${CMAKE_COMMAND} --build ${CMAKE_BINARY_DIR} --target ${name} --config $<CONFIG>)
  # Two builds of one tree at once could race on its regeneration step: one at a time.
  set_tests_properties(${name} PROPERTIES PASS_REGULAR_EXPRESSION "${regex}" RESOURCE_LOCK build_tree)
endfunction()

# GCC: "call to non-'constexpr' function '... report_overflow ...'"; Clang: "non-constexpr
# function 'report_overflow' cannot be used in a constant expression".
deepseek_config_compile_fail(compile_fail_constexpr_overflow
  ${CMAKE_CURRENT_SOURCE_DIR}/compile_fail/constexpr_overflow.cpp
  "constexpr[^ ]* function[^\n]*report_overflow")
deepseek_config_compile_fail(compile_fail_non_config_type
  ${CMAKE_CURRENT_SOURCE_DIR}/compile_fail/non_config_type.cpp
  "memory helpers take a DeepSeek config type")

# --- The std-only headers build with -fno-exceptions -fno-rtti and no nlohmann include path.
add_library(compile_ok_no_exceptions OBJECT ${CMAKE_CURRENT_SOURCE_DIR}/compile_ok/no_exceptions.cpp)
target_include_directories(compile_ok_no_exceptions PRIVATE ${PROJECT_SOURCE_DIR}/include)
target_compile_features(compile_ok_no_exceptions PRIVATE cxx_std_17)
target_link_libraries(compile_ok_no_exceptions PRIVATE deepseek_config_warnings)
if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
  target_compile_options(compile_ok_no_exceptions PRIVATE -fno-exceptions -fno-rtti)
endif()

# --- Without exceptions an overflow at run time calls the replaceable handler.
add_executable(overflow_handler_no_exceptions ${CMAKE_CURRENT_SOURCE_DIR}/compile_ok/overflow_handler_main.cpp)
target_include_directories(overflow_handler_no_exceptions PRIVATE ${PROJECT_SOURCE_DIR}/include)
target_compile_features(overflow_handler_no_exceptions PRIVATE cxx_std_17)
target_link_libraries(overflow_handler_no_exceptions PRIVATE deepseek_config_warnings)
if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
  target_compile_options(overflow_handler_no_exceptions PRIVATE -fno-exceptions -fno-rtti)
  add_test(NAME overflow_handler_no_exceptions COMMAND overflow_handler_no_exceptions)
  set_tests_properties(overflow_handler_no_exceptions PROPERTIES
    PASS_REGULAR_EXPRESSION "handled: tensor elements")
endif()

# The DeepSeek-OCR page budget refuses a DeepSeek-OCR-2 config at compile time.
deepseek_config_compile_fail(compile_fail_ocr2_page_budget
  ${CMAKE_CURRENT_SOURCE_DIR}/compile_fail/ocr2_page_budget.cpp
  "DeepSeek-OCR-2 lays pages out differently")

# Discarding a result (a try_ function's return) is an error under -Werror=unused-result. GCC:
# "ignoring return value of '...', declared with attribute 'nodiscard'"; Clang: "ignoring return
# value of function declared with 'nodiscard' attribute".
if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
  deepseek_config_compile_fail(compile_fail_discarded_result
    ${CMAKE_CURRENT_SOURCE_DIR}/compile_fail/discarded_result.cpp
    "ignoring return(ed)? value[^\n]*nodiscard")
  target_compile_options(compile_fail_discarded_result PRIVATE -Werror=unused-result)
  deepseek_config_compile_fail(compile_fail_discarded_size
    ${CMAKE_CURRENT_SOURCE_DIR}/compile_fail/discarded_size.cpp
    "ignoring return(ed)? value[^\n]*nodiscard")
  target_compile_options(compile_fail_discarded_size PRIVATE -Werror=unused-result)
endif()

# The entry points name what their T may be.
deepseek_config_compile_fail(compile_fail_load_non_config
  ${CMAKE_CURRENT_SOURCE_DIR}/compile_fail/load_non_config.cpp
  "T must be deepseek::AnyConfig or a config type")

# --- validate.hpp needs the standard library only: built with include/ alone, a folder whose
# nlohmann/json.hpp (and json_fwd.hpp) is an #error first on the include path (the system's would
# be found in /usr/include), and without exceptions or RTTI; run, it validates every preset.
set(_dsc_validate_poison "${CMAKE_CURRENT_BINARY_DIR}/validate_std_only_poison")
foreach(_f json.hpp json_fwd.hpp)
  file(GENERATE OUTPUT "${_dsc_validate_poison}/nlohmann/${_f}" CONTENT
    "// Generated: first on the include path of validate_std_only.\n#error \"deepseek/validate.hpp must not include nlohmann/${_f}\"\n")
endforeach()
add_executable(validate_std_only ${CMAKE_CURRENT_SOURCE_DIR}/compile_ok/validate_std_only.cpp)
target_include_directories(validate_std_only BEFORE PRIVATE "${_dsc_validate_poison}" "${PROJECT_SOURCE_DIR}/include")
target_compile_features(validate_std_only PRIVATE cxx_std_17)
target_link_libraries(validate_std_only PRIVATE deepseek_config_warnings)
if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
  target_compile_options(validate_std_only PRIVATE -fno-exceptions -fno-rtti)
endif()
add_test(NAME validate_std_only COMMAND validate_std_only)
set_tests_properties(validate_std_only PROPERTIES PASS_REGULAR_EXPRESSION "validate_std_only: 0 problems")

# --- The exceptions switch is ABI-safe: one program links a TU built with exceptions and one
# built without; each side must behave as its own build says (see tests/abi/abi_ex.cpp). At -O0
# so that the shared figures are real calls, not inlined copies.
if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
  add_executable(abi_mixed_exceptions ${CMAKE_CURRENT_SOURCE_DIR}/abi/abi_ex.cpp
                                      ${CMAKE_CURRENT_SOURCE_DIR}/abi/abi_noex.cpp)
  target_include_directories(abi_mixed_exceptions PRIVATE ${PROJECT_SOURCE_DIR}/include)
  target_compile_features(abi_mixed_exceptions PRIVATE cxx_std_17)
  target_link_libraries(abi_mixed_exceptions PRIVATE deepseek_config_warnings)
  target_compile_options(abi_mixed_exceptions PRIVATE -O0)
  set_source_files_properties(${CMAKE_CURRENT_SOURCE_DIR}/abi/abi_noex.cpp PROPERTIES
    COMPILE_OPTIONS "-fno-exceptions")
  add_test(NAME abi_mixed_exceptions COMMAND abi_mixed_exceptions)
  set_tests_properties(abi_mixed_exceptions PROPERTIES
    PASS_REGULAR_EXPRESSION "ex: caught [^\n]*tensor elements\nnoex: handled tensor elements")
endif()
