// Compiled with -fno-exceptions -fno-rtti and without nlohmann on the include path: the
// standard-library-only headers and their compile-time figures.
#include <deepseek/config.hpp>
#include <deepseek/memory.hpp>
#include <deepseek/presets.hpp>

namespace P = deepseek::presets;
static_assert(deepseek::parameter_count(P::deepseek_v2_lite) == 15'706'484'224ULL,
              "V2-Lite params");
static_assert(deepseek::checkpoint_bytes(P::deepseek_v3) == 688'574'839'360ULL,
              "V3 checkpoint bytes");
static_assert(deepseek::kv_bytes_per_token(P::deepseek_v3, deepseek::KvLayout::latent,
                                           deepseek::Dtype::bf16)
                      .value == 70'272,
              "V3 latent KV per token");
#if defined(__cpp_exceptions) || defined(__EXCEPTIONS)
#error "this file must be compiled with -fno-exceptions"
#endif
