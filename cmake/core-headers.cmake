# The std-only "core" headers (deepseek_config::core): every header under include/deepseek/,
# detail/ too, except the ones that reach nlohmann_json, listed here. A new header is core unless
# it is added to this list, and the core_headers_std_only test fails the build if a core header
# includes <nlohmann/json.hpp>. Used by the install rules (DEEPSEEK_CONFIG_JSON=OFF installs the
# core headers only), the tests, and tests/consumer/stage_install.cmake (cmake -P).
set(DEEPSEEK_CONFIG_JSON_HEADERS
  deepseek/deepseek.hpp
  deepseek/document.hpp
  deepseek/index_check.hpp
  deepseek/json.hpp
  deepseek/report_json.hpp
  deepseek/safetensors_json.hpp
  deepseek/verify.hpp)
set(DEEPSEEK_CONFIG_JSON_HEADERS_REGEX "^deepseek/detail/json_[^/]*\\.hpp$")

# deepseek_config_core_headers(<include dir> <out var>): the core headers, relative to the
# include dir ("deepseek/config.hpp", "deepseek/detail/file_io.hpp", ...), sorted.
function(deepseek_config_core_headers include_dir out)
  if(CMAKE_SCRIPT_MODE_FILE)
    file(GLOB_RECURSE _headers RELATIVE "${include_dir}" "${include_dir}/deepseek/*.hpp")
  else()
    file(GLOB_RECURSE _headers CONFIGURE_DEPENDS RELATIVE "${include_dir}" "${include_dir}/deepseek/*.hpp")
  endif()
  if(_headers)
    list(REMOVE_ITEM _headers ${DEEPSEEK_CONFIG_JSON_HEADERS})
    list(FILTER _headers EXCLUDE REGEX "${DEEPSEEK_CONFIG_JSON_HEADERS_REGEX}")
    list(SORT _headers)
  endif()
  set(${out} "${_headers}" PARENT_SCOPE)
endfunction()
