# Integration tests (included by tests/CMakeLists.txt): every public header on its own, the core
# headers without nlohmann_json, an ODR link of two TUs that include everything, and the consumer
# projects built and run by CTest (find_package of a staged install, with its components and core
# only, add_subdirectory, FetchContent, headers only).

# --- No header over 600 lines (issue 13).
add_test(NAME header_length
  COMMAND ${CMAKE_COMMAND} -DINCLUDE_DIR=${PROJECT_SOURCE_DIR}/include -DMAX_LINES=600
          -P ${CMAKE_CURRENT_SOURCE_DIR}/header_length.cmake)

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

# --- The core headers (cmake/core-headers.cmake: all but the listed JSON ones, so a new header is
# core) need the standard library only: one TU includes every one of them through
# deepseek_config::core alone, with a poisoned nlohmann/json.hpp first on its include path (the
# system's would otherwise be found in /usr/include).
include("${PROJECT_SOURCE_DIR}/cmake/core-headers.cmake")
deepseek_config_core_headers("${PROJECT_SOURCE_DIR}/include" _dsc_core_headers)
if(NOT _dsc_core_headers)
  message(FATAL_ERROR "deepseek_config: no core header found under include/deepseek")
endif()
get_target_property(_dsc_core_links deepseek_config_core INTERFACE_LINK_LIBRARIES)
if(_dsc_core_links)
  message(FATAL_ERROR "deepseek_config::core must link nothing, it links '${_dsc_core_links}'")
endif()
set(_dsc_poison "${CMAKE_CURRENT_BINARY_DIR}/core_poison")
foreach(_f json.hpp json_fwd.hpp)
  file(GENERATE OUTPUT "${_dsc_poison}/nlohmann/${_f}" CONTENT
    "// Generated: first on the include path of the core checks.\n#error \"core headers must not include nlohmann/${_f}\"\n")
endforeach()
set(_dsc_core_tu "// Generated: every core header (cmake/core-headers.cmake), without nlohmann_json.\n")
foreach(_h IN LISTS _dsc_core_headers)
  string(APPEND _dsc_core_tu "#include <${_h}>\n")
endforeach()
string(APPEND _dsc_core_tu "#if defined(INCLUDE_NLOHMANN_JSON_HPP_) || defined(NLOHMANN_JSON_VERSION_MAJOR)\n#error \"a core header included nlohmann_json\"\n#endif\n")
file(GENERATE OUTPUT "${CMAKE_CURRENT_BINARY_DIR}/core_headers/core_headers_std_only.cpp" CONTENT "${_dsc_core_tu}")
add_library(core_headers_std_only OBJECT "${CMAKE_CURRENT_BINARY_DIR}/core_headers/core_headers_std_only.cpp")
target_include_directories(core_headers_std_only BEFORE PRIVATE "${_dsc_poison}")
target_link_libraries(core_headers_std_only PRIVATE deepseek_config::core deepseek_config_warnings)
# Built with "all"; the test names it in CTest's results (one build of the tree at a time).
add_test(NAME core_headers_std_only
  COMMAND ${CMAKE_COMMAND} --build ${CMAKE_BINARY_DIR} --target core_headers_std_only --config $<CONFIG>)
set_tests_properties(core_headers_std_only PROPERTIES RESOURCE_LOCK build_tree)
# The poison itself must work: the same setup including <nlohmann/json.hpp> fails with its message.
file(GENERATE OUTPUT "${CMAKE_CURRENT_BINARY_DIR}/core_headers/core_poison_works.cpp" CONTENT
  "// Generated: must not compile (the poisoned nlohmann/json.hpp comes first).\n#include <nlohmann/json.hpp>\n")
add_library(core_headers_poison_works OBJECT EXCLUDE_FROM_ALL "${CMAKE_CURRENT_BINARY_DIR}/core_headers/core_poison_works.cpp")
target_include_directories(core_headers_poison_works BEFORE PRIVATE "${_dsc_poison}")
target_link_libraries(core_headers_poison_works PRIVATE deepseek_config::core)
add_test(NAME core_headers_poison_works
  COMMAND ${CMAKE_COMMAND} --build ${CMAKE_BINARY_DIR} --target core_headers_poison_works --config $<CONFIG>)
set_tests_properties(core_headers_poison_works PROPERTIES
  PASS_REGULAR_EXPRESSION "core headers must not include nlohmann/json\\.hpp" RESOURCE_LOCK build_tree)

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

# The consumers use this build's compiler, standard and build type (_dsc_consumer_std_options),
# and the nlohmann_json this build found (_dsc_consumer_options).
set(_dsc_consumer_std_options "-DCMAKE_CXX_COMPILER=${CMAKE_CXX_COMPILER}")
foreach(_v CMAKE_BUILD_TYPE CMAKE_CXX_STANDARD CMAKE_CXX_EXTENSIONS)
  if(DEFINED ${_v} AND NOT "${${_v}}" STREQUAL "")
    list(APPEND _dsc_consumer_std_options "-D${_v}=${${_v}}")
  endif()
endforeach()
set(_dsc_consumer_options ${_dsc_consumer_std_options})
if(nlohmann_json_DIR)
  list(APPEND _dsc_consumer_options "-Dnlohmann_json_DIR=${nlohmann_json_DIR}")
endif()

# deepseek_config_consumer_test(<test> <regex> [SOURCE <folder of tests/consumer>] [NO_NLOHMANN]
# [<build options>...]): builds and runs tests/consumer/<folder, default test>'s app as test
# consumer_<test>. NO_NLOHMANN: nlohmann_json_DIR is not passed and find_package(nlohmann_json)
# is disabled in the consumer.
function(deepseek_config_consumer_test name regex)
  cmake_parse_arguments(PARSE_ARGV 2 _arg "NO_NLOHMANN" "SOURCE" "")
  set(_source "${name}")
  if(_arg_SOURCE)
    set(_source "${_arg_SOURCE}")
  endif()
  set(_options ${_dsc_consumer_options})
  if(_arg_NO_NLOHMANN)
    set(_options ${_dsc_consumer_std_options} "-DCMAKE_DISABLE_FIND_PACKAGE_nlohmann_json=ON")
  endif()
  add_test(NAME consumer_${name}
    COMMAND "${CMAKE_CTEST_COMMAND}" --build-and-test
      "${_dsc_consumer_src}/${_source}" "${_dsc_consumer_bin}/${name}"
      --build-generator "${CMAKE_GENERATOR}"
      --build-makeprogram "${CMAKE_MAKE_PROGRAM}"
      --build-options ${_options} ${_arg_UNPARSED_ARGUMENTS}
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

  # Its components: COMPONENTS core json gives both targets; an unknown component fails the
  # configure with the package's reason (the regex is that reason, so another failure fails the
  # test); without nlohmann_json, json is refused and OPTIONAL_COMPONENTS json gives core only.
  deepseek_config_consumer_test(find_package_components
    "COMPONENTS core,json: deepseek_config::core and deepseek_config::deepseek_config.*${_dsc_parsed_re}consumer find_package_components: OK"
    "-DCMAKE_PREFIX_PATH=${_dsc_staging}")
  deepseek_config_consumer_test(find_package_unknown_component
    "deepseek_config_FOUND to FALSE.*Reason given by package:[ \n]*deepseek_config has no component[ \n]+bogus\\."
    SOURCE find_package_components "-DCMAKE_PREFIX_PATH=${_dsc_staging}" "-DDSC_COMPONENTS=core,bogus")
  deepseek_config_consumer_test(find_package_components_no_nlohmann
    "COMPONENTS json refused: deepseek_config could not be found because dependency[ \n]+nlohmann_json.*OPTIONAL_COMPONENTS json without nlohmann_json: deepseek_config::core only.*constexpr parameter_count\\(deepseek_v2_lite\\) = ${_dsc_lite_params}\nconsumer find_package_components \\(core only\\): OK"
    SOURCE find_package_components NO_NLOHMANN "-DCMAKE_PREFIX_PATH=${_dsc_staging}")
  set_tests_properties(consumer_find_package_components consumer_find_package_unknown_component
    consumer_find_package_components_no_nlohmann PROPERTIES FIXTURES_REQUIRED deepseek_config_staged_install)
else()
  message(STATUS "deepseek_config: consumer_find_package(_components) skipped (needs DEEPSEEK_CONFIG_INSTALL and an installed nlohmann_json)")
endif()

# find_package(deepseek_config COMPONENTS core) where nlohmann_json is not: this source tree
# configured with DEEPSEEK_CONFIG_JSON=OFF and find_package(nlohmann_json) disabled (fetching it
# would fail too: FETCHCONTENT_FULLY_DISCONNECTED), installed into a prefix of its own, and a
# consumer that links deepseek_config::core with find_package(nlohmann_json) disabled.
set(_dsc_core_build "${_dsc_consumer_bin}/core_only_build")
set(_dsc_core_staging "${_dsc_consumer_bin}/staging_core")
string(REPLACE ";" "|" _dsc_core_options "${_dsc_consumer_std_options}")
add_test(NAME consumer_configure_core_only
  COMMAND "${CMAKE_COMMAND}" -DSOURCE_DIR=${PROJECT_SOURCE_DIR} -DBUILD_DIR=${_dsc_core_build}
    "-DGENERATOR=${CMAKE_GENERATOR}" "-DMAKE_PROGRAM=${CMAKE_MAKE_PROGRAM}" "-DOPTIONS=${_dsc_core_options}"
    -P "${_dsc_consumer_src}/configure_core_only.cmake")
set_tests_properties(consumer_configure_core_only PROPERTIES
  FIXTURES_SETUP deepseek_config_core_only_build LABELS consumer)
add_test(NAME consumer_stage_core_install
  COMMAND "${CMAKE_COMMAND}" -DBUILD_DIR=${_dsc_core_build} -DPREFIX=${_dsc_core_staging}
    -DCONFIG=$<CONFIG> -DSOURCE_DIR=${PROJECT_SOURCE_DIR} -DVERSION=${PROJECT_VERSION} -DJSON=OFF
    -P "${_dsc_consumer_src}/stage_install.cmake")
set_tests_properties(consumer_stage_core_install PROPERTIES
  FIXTURES_REQUIRED deepseek_config_core_only_build
  FIXTURES_SETUP deepseek_config_staged_core_install LABELS consumer)
deepseek_config_consumer_test(find_package_core
  "COMPONENTS json refused: this install of deepseek_config has no json component.*version ${_dsc_version_re}\npreset deepseek-v2-lite \\(DeepseekV2Config\\) parameter_count = ${_dsc_lite_params}\nconsumer find_package_core: OK"
  NO_NLOHMANN "-DCMAKE_PREFIX_PATH=${_dsc_core_staging}" "-DDSC_STAGING_PREFIX=${_dsc_core_staging}"
  "-DDSC_EXPECT_VERSION=${PROJECT_VERSION}")
set_tests_properties(consumer_find_package_core PROPERTIES FIXTURES_REQUIRED deepseek_config_staged_core_install)

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
