include(CMakePackageConfigHelpers)

set(DEEPSEEK_CONFIG_INSTALL_CMAKEDIR "${CMAKE_INSTALL_DATADIR}/cmake/deepseek_config"
  CACHE STRING "Where the CMake package files are installed")

# Two export sets, so a core-only consumer never loads a target that names nlohmann_json:
# deepseek_configCoreTargets.cmake (deepseek_config::core, component "core") and
# deepseek_configTargets.cmake (deepseek_config::deepseek_config, component "json").
install(TARGETS deepseek_config_core EXPORT deepseek_configCoreTargets)
install(EXPORT deepseek_configCoreTargets
  NAMESPACE deepseek_config::
  DESTINATION "${DEEPSEEK_CONFIG_INSTALL_CMAKEDIR}")
if(DEEPSEEK_CONFIG_JSON)
  install(DIRECTORY include/deepseek DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}")
  install(TARGETS deepseek_config EXPORT deepseek_configTargets)
  install(EXPORT deepseek_configTargets
    NAMESPACE deepseek_config::
    DESTINATION "${DEEPSEEK_CONFIG_INSTALL_CMAKEDIR}")
else()
  # A core-only install holds the core headers only: none that would need nlohmann_json.
  include("${PROJECT_SOURCE_DIR}/cmake/core-headers.cmake")
  deepseek_config_core_headers("${PROJECT_SOURCE_DIR}/include" _dsc_core_headers)
  foreach(_h IN LISTS _dsc_core_headers)
    get_filename_component(_dir "${_h}" DIRECTORY)
    install(FILES "include/${_h}" DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}/${_dir}")
  endforeach()
endif()

# The package config loads the core targets always, and the full ones (after
# find_dependency(nlohmann_json)) only when the "json" component is asked for (or none is).
configure_package_config_file(cmake/deepseek_configConfig.cmake.in
  "${PROJECT_BINARY_DIR}/deepseek_configConfig.cmake"
  INSTALL_DESTINATION "${DEEPSEEK_CONFIG_INSTALL_CMAKEDIR}")
# While the version is 0.x, minor versions may break compatibility: SameMinorVersion.
write_basic_package_version_file("${PROJECT_BINARY_DIR}/deepseek_configConfigVersion.cmake"
  COMPATIBILITY SameMinorVersion
  ARCH_INDEPENDENT)
install(FILES
  "${PROJECT_BINARY_DIR}/deepseek_configConfig.cmake"
  "${PROJECT_BINARY_DIR}/deepseek_configConfigVersion.cmake"
  DESTINATION "${DEEPSEEK_CONFIG_INSTALL_CMAKEDIR}")
