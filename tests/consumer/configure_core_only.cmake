# Run by CTest (cmake -P): configure the source tree with DEEPSEEK_CONFIG_JSON=OFF into a fresh
# build folder, as on a machine without nlohmann_json: find_package(nlohmann_json) disabled and
# FetchContent disconnected (DEEPSEEK_CONFIG_FETCH_DEPS stays ON, its default), so a look for
# nlohmann_json would fail the configure. Passes when it succeeds and nothing looked.
# Arguments: -DSOURCE_DIR= -DBUILD_DIR= -DGENERATOR= -DMAKE_PROGRAM= -DOPTIONS=<-D...|-D...>
cmake_minimum_required(VERSION 3.14)
file(REMOVE_RECURSE "${BUILD_DIR}")
string(REPLACE "|" ";" OPTIONS "${OPTIONS}")
execute_process(
  COMMAND "${CMAKE_COMMAND}" -S "${SOURCE_DIR}" -B "${BUILD_DIR}" -G "${GENERATOR}"
    "-DCMAKE_MAKE_PROGRAM=${MAKE_PROGRAM}" ${OPTIONS}
    -DDEEPSEEK_CONFIG_JSON=OFF -DDEEPSEEK_CONFIG_FETCH_DEPS=ON
    -DCMAKE_DISABLE_FIND_PACKAGE_nlohmann_json=ON -DFETCHCONTENT_FULLY_DISCONNECTED=ON
  RESULT_VARIABLE _rc OUTPUT_VARIABLE _out ERROR_VARIABLE _err)
message("${_out}${_err}")
if(NOT _rc EQUAL 0)
  message(FATAL_ERROR "configuring with DEEPSEEK_CONFIG_JSON=OFF failed: ${_rc}")
endif()
# Neither find_package(nlohmann_json) nor FetchContent ran: CMake reports both variables unused.
string(REGEX MATCH "Manually-specified variables were not used by the project:[^-]*" _unused "${_err}")
foreach(_v CMAKE_DISABLE_FIND_PACKAGE_nlohmann_json FETCHCONTENT_FULLY_DISCONNECTED)
  if(NOT _unused MATCHES "${_v}")
    message(FATAL_ERROR "with DEEPSEEK_CONFIG_JSON=OFF the configure read ${_v}: it looked for nlohmann_json")
  endif()
endforeach()
file(STRINGS "${BUILD_DIR}/CMakeCache.txt" _nlohmann_cache REGEX "^nlohmann_json")
if(_nlohmann_cache OR IS_DIRECTORY "${BUILD_DIR}/_deps")
  message(FATAL_ERROR "with DEEPSEEK_CONFIG_JSON=OFF the configure found or fetched nlohmann_json")
endif()
message(STATUS "configured with DEEPSEEK_CONFIG_JSON=OFF: deepseek_config::core only, nlohmann_json never looked for")
