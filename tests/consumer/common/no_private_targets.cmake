# Included by the FetchContent consumers after the snippet: fetched as a subproject,
# deepseek_config adds no tests and none of its private targets.
get_property(_tests DIRECTORY "${deepseek_config_SOURCE_DIR}" PROPERTY TESTS)
foreach(_t tests_configs deepseek_config_warnings deepseek-config)
  if(TARGET ${_t} OR _tests)
    message(FATAL_ERROR "deepseek_config added tests or private targets as a subproject")
  endif()
endforeach()
