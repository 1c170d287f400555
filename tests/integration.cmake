# Integration tests (included by tests/CMakeLists.txt): every public header on its own, an ODR
# link of two TUs that include everything, and four consumer projects built and run by CTest
# (find_package of a staged install, add_subdirectory, FetchContent, headers only).

# --- Each public header compiles on its own: one generated TU per header, built with "all".
file(GLOB _dsc_public_headers CONFIGURE_DEPENDS "${PROJECT_SOURCE_DIR}/include/deepseek/*.hpp")
set(_dsc_header_tus "")
foreach(_h IN LISTS _dsc_public_headers)
  get_filename_component(_n "${_h}" NAME_WE)
  set(_tu "${CMAKE_CURRENT_BINARY_DIR}/header_alone/${_n}.cpp")
  file(GENERATE OUTPUT "${_tu}" CONTENT
    "// Generated: deepseek/${_n}.hpp must compile on its own (and twice: its include guard).\n#include <deepseek/${_n}.hpp>\n#include <deepseek/${_n}.hpp>\n")
  list(APPEND _dsc_header_tus "${_tu}")
endforeach()
# And the umbrella includes every one of them (each header's guard is DEEPSEEK_CONFIG_<NAME>_HPP).
set(_dsc_umbrella_check "// Generated: deepseek/deepseek.hpp must include every public header.\n#include <deepseek/deepseek.hpp>\n")
foreach(_h IN LISTS _dsc_public_headers)
  get_filename_component(_n "${_h}" NAME_WE)
  string(TOUPPER "${_n}" _guard)
  string(APPEND _dsc_umbrella_check
    "#ifndef DEEPSEEK_CONFIG_${_guard}_HPP\n#error \"deepseek/deepseek.hpp does not include deepseek/${_n}.hpp\"\n#endif\n")
endforeach()
file(GENERATE OUTPUT "${CMAKE_CURRENT_BINARY_DIR}/header_alone/umbrella_complete.cpp" CONTENT "${_dsc_umbrella_check}")
list(APPEND _dsc_header_tus "${CMAKE_CURRENT_BINARY_DIR}/header_alone/umbrella_complete.cpp")
add_library(header_self_contained OBJECT ${_dsc_header_tus})
target_link_libraries(header_self_contained PRIVATE deepseek_config::deepseek_config deepseek_config_warnings)

# --- ODR: the umbrella TU, a TU of every header one by one, and the one-header TUs, linked.
add_executable(odr_test
  ${CMAKE_CURRENT_SOURCE_DIR}/odr/odr_a.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/odr/odr_b.cpp
  $<TARGET_OBJECTS:header_self_contained>)
target_link_libraries(odr_test PRIVATE deepseek_config::deepseek_config deepseek_config_warnings)
add_test(NAME odr_test COMMAND odr_test) # fails to link on a duplicate symbol (a definition not inline)

# --- Consumer projects. Each prints DeepSeek-V2-Lite's parameter count, 15,706,484,224 (the
# published checkpoint's), parsed from a string and as a constexpr preset; the test passes only
# on that exact output, so a wrong number, a failed configure or build, or a missing line fails.
# The figure is read from tests/expected_figures.hpp, the one place the tests keep it.
file(STRINGS "${CMAKE_CURRENT_SOURCE_DIR}/expected_figures.hpp" _dsc_lite_line
  REGEX "inline constexpr std::uint64_t v2_lite_params = ")
string(REGEX REPLACE ".* = ([0-9']+).*" "\\1" _dsc_lite_params "${_dsc_lite_line}")
string(REPLACE "'" "" _dsc_lite_params "${_dsc_lite_params}")
if(NOT _dsc_lite_params MATCHES "^[0-9]+$")
  message(FATAL_ERROR "tests/expected_figures.hpp: no v2_lite_params figure found")
endif()
set(_dsc_consumer_src "${CMAKE_CURRENT_SOURCE_DIR}/consumer")
set(_dsc_consumer_bin "${CMAKE_CURRENT_BINARY_DIR}/consumer")
string(REPLACE "." "\\." _dsc_version_re "${PROJECT_VERSION}")

# The consumers use this build's compiler, standard and build type.
set(_dsc_consumer_options "-DCMAKE_CXX_COMPILER=${CMAKE_CXX_COMPILER}")
foreach(_v CMAKE_BUILD_TYPE CMAKE_CXX_STANDARD CMAKE_CXX_EXTENSIONS)
  if(DEFINED ${_v} AND NOT "${${_v}}" STREQUAL "")
    list(APPEND _dsc_consumer_options "-D${_v}=${${_v}}")
  endif()
endforeach()
if(nlohmann_json_DIR)
  list(APPEND _dsc_consumer_options "-Dnlohmann_json_DIR=${nlohmann_json_DIR}")
endif()

function(deepseek_config_consumer_test name regex)
  add_test(NAME consumer_${name}
    COMMAND "${CMAKE_CTEST_COMMAND}" --build-and-test
      "${_dsc_consumer_src}/${name}" "${_dsc_consumer_bin}/${name}"
      --build-generator "${CMAKE_GENERATOR}"
      --build-makeprogram "${CMAKE_MAKE_PROGRAM}"
      --build-options ${_dsc_consumer_options} ${ARGN}
      --test-command app)
  set_tests_properties(consumer_${name} PROPERTIES
    PASS_REGULAR_EXPRESSION "${regex}" LABELS consumer)
endfunction()

set(_dsc_parsed_re
  "version ${_dsc_version_re}\nparsed parameter_count = ${_dsc_lite_params}\nconstexpr parameter_count\\(deepseek_v2_lite\\) = ${_dsc_lite_params}\n")

# find_package against an install staged in this build tree (a fixture run first).
if(DEEPSEEK_CONFIG_INSTALL AND nlohmann_json_DIR)
  set(_dsc_staging "${_dsc_consumer_bin}/staging")
  add_test(NAME consumer_stage_install
    COMMAND "${CMAKE_COMMAND}" -DBUILD_DIR=${PROJECT_BINARY_DIR} -DPREFIX=${_dsc_staging}
      -DCONFIG=$<CONFIG> -DSOURCE_DIR=${PROJECT_SOURCE_DIR} -DVERSION=${PROJECT_VERSION}
      -P "${_dsc_consumer_src}/stage_install.cmake")
  set_tests_properties(consumer_stage_install PROPERTIES
    FIXTURES_SETUP deepseek_config_staged_install RESOURCE_LOCK build_tree LABELS consumer)
  deepseek_config_consumer_test(find_package
    "${_dsc_parsed_re}consumer find_package: OK"
    "-DCMAKE_PREFIX_PATH=${_dsc_staging}" "-DDSC_STAGING_PREFIX=${_dsc_staging}"
    "-DDSC_EXPECT_VERSION=${PROJECT_VERSION}")
  set_tests_properties(consumer_find_package PROPERTIES FIXTURES_REQUIRED deepseek_config_staged_install)
else()
  message(STATUS "deepseek_config: consumer_find_package skipped (needs DEEPSEEK_CONFIG_INSTALL and an installed nlohmann_json)")
endif()

if(nlohmann_json_DIR)
  deepseek_config_consumer_test(add_subdirectory
    "deepseek_config as a subproject: no tests, no extra targets, no flags.*${_dsc_parsed_re}consumer add_subdirectory: OK"
    "-DDSC_SOURCE_DIR=${PROJECT_SOURCE_DIR}")
  deepseek_config_consumer_test(fetch_content
    "${_dsc_parsed_re}consumer fetch_content: OK"
    "-DFETCHCONTENT_SOURCE_DIR_DEEPSEEK_CONFIG=${PROJECT_SOURCE_DIR}" "-DFETCHCONTENT_FULLY_DISCONNECTED=ON")
  deepseek_config_consumer_test(fetch_content_url
    "${_dsc_parsed_re}consumer fetch_content_url: OK"
    "-DFETCHCONTENT_SOURCE_DIR_DEEPSEEK_CONFIG=${PROJECT_SOURCE_DIR}" "-DFETCHCONTENT_FULLY_DISCONNECTED=ON")
else()
  message(STATUS "deepseek_config: consumer_add_subdirectory/fetch_content/fetch_content_url skipped (nlohmann_json was fetched, not installed)")
endif()

if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
  deepseek_config_consumer_test(headers_only
    "constexpr parameter_count\\(deepseek_v2_lite\\) = ${_dsc_lite_params}\nconstexpr parameter_count\\(built in code\\) = ${_dsc_lite_params}\nconsumer headers_only: OK"
    "-DDSC_INCLUDE_DIR=${PROJECT_SOURCE_DIR}/include")
endif()
