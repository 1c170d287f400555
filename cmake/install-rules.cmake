include(CMakePackageConfigHelpers)

set(DEEPSEEK_CONFIG_INSTALL_CMAKEDIR "${CMAKE_INSTALL_DATADIR}/cmake/deepseek_config"
  CACHE STRING "Where the CMake package files are installed")

install(DIRECTORY include/deepseek DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}")
install(TARGETS deepseek_config EXPORT deepseek_configTargets)
install(EXPORT deepseek_configTargets
  NAMESPACE deepseek_config::
  DESTINATION "${DEEPSEEK_CONFIG_INSTALL_CMAKEDIR}")

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
