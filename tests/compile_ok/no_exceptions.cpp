// Compiled with -fno-exceptions -fno-rtti and without nlohmann on the include path: the
// standard-library-only headers and their compile-time figures.
#include <deepseek/config.hpp>
#include <deepseek/memory.hpp>
#include <deepseek/presets.hpp>

#include "../expected_figures.hpp"

namespace P = deepseek::presets;
static_assert(deepseek::parameter_count(P::deepseek_v2_lite) == expected::v2_lite_params, "V2-Lite params");
static_assert(deepseek::checkpoint_bytes(P::deepseek_v3) == expected::v3_checkpoint_bytes, "V3 checkpoint bytes");
static_assert(deepseek::kv_bytes_per_token(P::deepseek_v3, deepseek::KvLayout::latent, deepseek::Dtype::bf16).value() ==
                  expected::v3_kv_latent_bf16_bytes_per_token,
              "V3 latent KV per token");
#if defined(__cpp_exceptions) || defined(__EXCEPTIONS)
#error "this file must be compiled with -fno-exceptions"
#endif
