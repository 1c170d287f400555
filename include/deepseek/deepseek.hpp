// deepseek-config: typed DeepSeek model configs and exact memory arithmetic.
// SPDX-License-Identifier: MIT
//
// The umbrella header: every public header of the library. Needs nlohmann_json (through
// json.hpp and document.hpp); an engine that only wants the types and sizes includes config.hpp and memory.hpp.
#ifndef DEEPSEEK_CONFIG_DEEPSEEK_HPP
#define DEEPSEEK_CONFIG_DEEPSEEK_HPP

#include "version.hpp"

#include "any_config.hpp"
#include "config.hpp"
#include "config_file.hpp"
#include "deployment.hpp"
#include "dispatch.hpp"
#include "document.hpp"
#include "dtypes.hpp"
#include "engine_kv.hpp"
#include "enums.hpp"
#include "error.hpp"
#include "gpu_weights.hpp"
#include "index_check.hpp"
#include "json.hpp"
#include "limits.hpp"
#include "memory.hpp"
#include "ocr.hpp"
#include "ocr_budget.hpp"
#include "overflow.hpp"
#include "presets.hpp"
#include "report.hpp"
#include "report_json.hpp"
#include "safetensors_json.hpp"
#include "sglang_fraction.hpp"
#include "sglang_v4_deployment.hpp"
#include "sglang_v4_pool.hpp"
#include "tensor_spec.hpp"
#include "tensor_walk.hpp"
#include "tensors.hpp"
#include "validate.hpp"
#include "verify.hpp"

#endif // DEEPSEEK_CONFIG_DEEPSEEK_HPP
