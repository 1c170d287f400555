# nlohmann_json: an existing target, else an installed package (>= 3.11), else a pinned release.
include(GNUInstallDirs)
if(NOT TARGET nlohmann_json::nlohmann_json)
  find_package(nlohmann_json 3.11 QUIET)
  if(NOT nlohmann_json_FOUND)
    if(NOT DEEPSEEK_CONFIG_FETCH_DEPS)
      message(FATAL_ERROR
        "deepseek_config: nlohmann_json >= 3.11 was not found and DEEPSEEK_CONFIG_FETCH_DEPS is OFF. "
        "Install it (Debian: apt-get install nlohmann-json3-dev) or set nlohmann_json_DIR.")
    endif()
    message(STATUS "deepseek_config: fetching nlohmann_json 3.11.3")
    # Installing us installs the fetched nlohmann_json too: our exported target names it, and
    # install(EXPORT) needs it in an export set. (nlohmann sets CMP0077, so a variable will do.)
    if(DEEPSEEK_CONFIG_INSTALL AND NOT DEFINED JSON_Install)
      message(STATUS "deepseek_config: the fetched nlohmann_json will be installed with deepseek_config")
      set(JSON_Install ON)
    endif()
    include(FetchContent)
    FetchContent_Declare(nlohmann_json
      URL https://github.com/nlohmann/json/releases/download/v3.11.3/json.tar.xz
      URL_HASH SHA256=d6c65aca6b1ed68e7a182f4757257b107ae403032760ed6ef121c9d55e81757d)
    FetchContent_MakeAvailable(nlohmann_json)
  endif()
endif()
