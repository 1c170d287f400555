// Must NOT compile under -Werror=unused-result: a memory figure discarded unchecked hides a
// failure (a layout the model lacks, tp not dividing it, an overflow). Core headers only.
#include <deepseek/memory.hpp>
#include <deepseek/presets.hpp>

void size_and_forget() { deepseek::kv_cache_bytes(deepseek::presets::deepseek_v3, deepseek::KvQuery{}); }
