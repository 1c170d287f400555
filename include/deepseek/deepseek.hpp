// deepseek-config: typed DeepSeek model configs and exact memory arithmetic.
// SPDX-License-Identifier: MIT
//
// The umbrella header: every public header of the library. Needs nlohmann_json (through
// json.hpp); an engine that only wants the types and sizes includes config.hpp and memory.hpp.
#ifndef DEEPSEEK_CONFIG_DEEPSEEK_HPP
#define DEEPSEEK_CONFIG_DEEPSEEK_HPP

#include "version.hpp"

#include "any_config.hpp"
#include "config.hpp"
#include "json.hpp"
#include "memory.hpp"
#include "ocr.hpp"
#include "presets.hpp"
#include "report.hpp"
#include "tensors.hpp"

#endif // DEEPSEEK_CONFIG_DEEPSEEK_HPP
