// deepseek-config: typed DeepSeek model configs and exact memory arithmetic.
// SPDX-License-Identifier: MIT
#ifndef DEEPSEEK_CONFIG_VERSION_HPP
#define DEEPSEEK_CONFIG_VERSION_HPP

/// The library version: the single source of truth, read by CMake.
#define DEEPSEEK_CONFIG_VERSION_MAJOR 0
#define DEEPSEEK_CONFIG_VERSION_MINOR 2
#define DEEPSEEK_CONFIG_VERSION_PATCH 0

#define DEEPSEEK_CONFIG_STRINGIFY_IMPL(x) #x
#define DEEPSEEK_CONFIG_STRINGIFY(x) DEEPSEEK_CONFIG_STRINGIFY_IMPL(x)

/// The version as a string literal, e.g. "0.1.0".
#define DEEPSEEK_CONFIG_VERSION_STRING                                                                                 \
    DEEPSEEK_CONFIG_STRINGIFY(DEEPSEEK_CONFIG_VERSION_MAJOR)                                                           \
    "." DEEPSEEK_CONFIG_STRINGIFY(DEEPSEEK_CONFIG_VERSION_MINOR) "." DEEPSEEK_CONFIG_STRINGIFY(                        \
        DEEPSEEK_CONFIG_VERSION_PATCH)

#endif // DEEPSEEK_CONFIG_VERSION_HPP
