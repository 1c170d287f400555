# Warnings and sanitizers live on a private target that only tests and examples link.
add_library(deepseek_config_warnings INTERFACE)
if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
  target_compile_options(deepseek_config_warnings INTERFACE
    -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion)
  if(DEEPSEEK_CONFIG_WARNINGS_AS_ERRORS)
    target_compile_options(deepseek_config_warnings INTERFACE -Werror)
  endif()
  if(DEEPSEEK_CONFIG_SANITIZE)
    target_compile_options(deepseek_config_warnings INTERFACE
      -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
    target_link_options(deepseek_config_warnings INTERFACE -fsanitize=address,undefined)
  endif()
elseif(MSVC)
  target_compile_options(deepseek_config_warnings INTERFACE /W4 /permissive-)
  if(DEEPSEEK_CONFIG_WARNINGS_AS_ERRORS)
    target_compile_options(deepseek_config_warnings INTERFACE /WX)
  endif()
endif()
