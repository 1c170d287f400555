// The KV caches of SGLang, TensorRT-LLM and llama.cpp. The expected entries are the engines'
// own (../shared/reference/next-capabilities.md §3.4 and §4, and the engines' code: SGLang's
// MLATokenToKVPool / MLATokenToKVPoolFP4 / DSATokenToKVPool, TensorRT-LLM's
// get_cache_size_per_token and DSACacheManager, llama.cpp's llama_kv_cache), with the reference's
// per-token totals over V3's 61 layers; the allocations are worked out by hand from each
// engine's allocation rule.
#include <deepseek/engine_kv.hpp>
#include <deepseek/presets.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "catch.hpp"

// One namespace per test file: the files of a batch share a translation unit (tests/CMakeLists.txt).
namespace engine_kv_test {

using namespace deepseek;
namespace P = deepseek::presets;

namespace {
constexpr std::uint64_t v3_layers = 61;

std::uint64_t entry_bytes(const DeepseekV3Config& c, EngineKvFormat f) { return engine_kv_entry(c, f).value().bytes; }
} // namespace

static_assert(engine_kv_entry(P::deepseek_v3, EngineKvFormat::sglang_fp4).value().bytes == 324);
static_assert(engine_kv_cache_bytes(P::deepseek_v3, EngineKvFormat::trtllm, 100).value() == 128 * 1152 * v3_layers);

TEST_CASE("Engine KV entries for DeepSeek-V3: the engines' bytes per token per layer", "[engine_kv]") {
    // r_kv 512 + d_rope 64 = 576 values per token per layer in every engine.
    CHECK(entry_bytes(P::deepseek_v3, EngineKvFormat::sglang) == 576 * 2);      // bf16
    CHECK(entry_bytes(P::deepseek_v3, EngineKvFormat::sglang_fp8) == 576);      // uint8 storage
    CHECK(entry_bytes(P::deepseek_v3, EngineKvFormat::sglang_fp4) == 288 + 36); // k // 2 + k // 16
    CHECK(entry_bytes(P::deepseek_v3, EngineKvFormat::trtllm) == 1152);
    CHECK(entry_bytes(P::deepseek_v3, EngineKvFormat::trtllm_fp8) == 576);
    CHECK(entry_bytes(P::deepseek_v3, EngineKvFormat::trtllm_nvfp4) == 324); // ceil(576/2) + ceil(576/16)
    CHECK(entry_bytes(P::deepseek_v3, EngineKvFormat::llama_cpp) == 1152);   // K only, f16
    CHECK(entry_bytes(P::deepseek_v3, EngineKvFormat::llama_cpp_kv) == (576 + 512) * 2);
    // The reference's per-token totals over 61 layers (next-capabilities.md §4).
    CHECK(entry_bytes(P::deepseek_v3, EngineKvFormat::sglang) * v3_layers == 70'272);
    CHECK(entry_bytes(P::deepseek_v3, EngineKvFormat::trtllm_fp8) * v3_layers == 35'136);
    CHECK(entry_bytes(P::deepseek_v3, EngineKvFormat::trtllm_nvfp4) * v3_layers == 19'764);
    CHECK(entry_bytes(P::deepseek_v3, EngineKvFormat::llama_cpp_kv) * v3_layers == 132'736);
    // Allocation units: SGLang's default page_size 1, TensorRT-LLM's tokens_per_block 32,
    // llama.cpp's context padding 256; no indexer.
    CHECK(engine_kv_entry(P::deepseek_v3, EngineKvFormat::sglang).value().block == 1);
    CHECK(engine_kv_entry(P::deepseek_v3, EngineKvFormat::trtllm_fp8).value().block == 32);
    CHECK(engine_kv_entry(P::deepseek_v3, EngineKvFormat::llama_cpp).value().block == 256);
    CHECK(engine_kv_entry(P::deepseek_v3, EngineKvFormat::sglang).value().indexer_bytes == 0);
    CHECK(engine_of(EngineKvFormat::trtllm_nvfp4) == Engine::trtllm);
    CHECK(to_string(Engine::llama_cpp) == "llama.cpp");
}

TEST_CASE("Engine KV entries for DeepSeek-V3.2: the indexer key beside the latent", "[engine_kv]") {
    // SGLang's DSA pool: FlashMLA's FP8 layout, 512 e4m3 + 4 float32 scales + 64 bf16 = 656, and
    // the indexer key (128 e4m3 + one float32 scale = 132) in pages of its own; page_size 64.
    const EngineKvEntry s = engine_kv_entry(P::deepseek_v32, EngineKvFormat::sglang_fp8).value();
    CHECK(s.bytes == 512 + 16 + 128);
    CHECK(s.indexer_bytes == 128 + 4);
    CHECK(s.block == 64);
    CHECK(engine_kv_entry(P::deepseek_v32, EngineKvFormat::sglang).value().bytes == 1152);
    // TensorRT-LLM keeps the indexer key in blocks of the cache's own size: added to the entry.
    CHECK(entry_bytes(P::deepseek_v32, EngineKvFormat::trtllm_fp8) == 576 + 132);
    CHECK(entry_bytes(P::deepseek_v32, EngineKvFormat::trtllm) == 1152 + 132);
    // llama.cpp's DSA cache: a second K-only cache of index_head_dim (128) at f16.
    CHECK(engine_kv_entry(P::deepseek_v32, EngineKvFormat::llama_cpp).value().indexer_bytes == 128 * 2);
    // Not checked for V3.2: the FP4 caches, and llama.cpp's K-and-V cache (it had no V3.2 then).
    for (const EngineKvFormat f :
         {EngineKvFormat::sglang_fp4, EngineKvFormat::trtllm_nvfp4, EngineKvFormat::llama_cpp_kv}) {
        const auto e = engine_kv_entry(P::deepseek_v32, f);
        REQUIRE_FALSE(e.has_value());
        CHECK(e.error() == MemoryError::format_not_modelled);
    }
    CHECK(error_kind_of(MemoryError::format_not_modelled) == ErrorKind::not_modelled);
    CHECK(error_message(MemoryError::format_not_modelled).find("DeepSeek-V3.2's indexer") != std::string_view::npos);
}

TEST_CASE("What each engine allocates for a number of tokens: pages, padding and blocks", "[engine_kv]") {
    // SGLang, page 1: 100 tokens and the padding page, in each layer.
    CHECK(engine_kv_cache_bytes(P::deepseek_v3, EngineKvFormat::sglang, 100).value() == (100 + 1) * 1152 * v3_layers);
    // SGLang's DSA pool for V3.2, page 64: 100 tokens take 2 pages (128 rows) and the padding page,
    // 192 rows of 656 B; the indexer keys (128 + 64 + 1) / 64 = 3 pages of 64 x 132 B.
    CHECK(engine_kv_cache_bytes(P::deepseek_v32, EngineKvFormat::sglang_fp8, 100).value() ==
          (192 * 656 + 3 * 64 * 132) * v3_layers);
    // TensorRT-LLM: whole blocks of 32 (100 -> 128 tokens).
    CHECK(engine_kv_cache_bytes(P::deepseek_v3, EngineKvFormat::trtllm_fp8, 100).value() == 128 * 576 * v3_layers);
    // llama.cpp: the context padded to 256 cells, with V3.2's indexer cache beside the K cache.
    CHECK(engine_kv_cache_bytes(P::deepseek_v3, EngineKvFormat::llama_cpp, 100).value() == 256 * 1152 * v3_layers);
    CHECK(engine_kv_cache_bytes(P::deepseek_v32, EngineKvFormat::llama_cpp, 257).value() ==
          512 * (1152 + 256) * v3_layers);
    // A whole number of units is not rounded further; 0 tokens keep SGLang's padding page.
    CHECK(engine_kv_cache_bytes(P::deepseek_v3, EngineKvFormat::trtllm, 4096).value() == 4096 * 1152 * v3_layers);
    CHECK(engine_kv_cache_bytes(P::deepseek_v3, EngineKvFormat::sglang_fp8, 0).value() == 576 * v3_layers);
    // Beyond 64 bits: an error, not a wrapped figure.
    CHECK(engine_kv_cache_bytes(P::deepseek_v3, EngineKvFormat::sglang, UINT64_MAX / 2).error() ==
          MemoryError::overflow);
}

TEST_CASE("SGLang's MHA pool for its DeepSeek-V1 code: K and V of each GPU's KV heads", "[engine_kv]") {
    // DeepSeek-OCR (10 heads, 10 KV heads, hidden 1280: heads of 128; v_head_dim 0, which SGLang
    // takes as 128): 2 x 10 x 128 values per token per layer, 5,120 B at bf16, 2,560 at fp8_e4m3;
    // at tp 2 five heads a GPU. Pages of 1.
    CHECK(engine_kv_entry(P::deepseek_ocr, EngineKvFormat::sglang).value().bytes == 2 * 10 * 128 * 2);
    CHECK(engine_kv_entry(P::deepseek_ocr, EngineKvFormat::sglang_fp8).value().bytes == 2 * 10 * 128);
    CHECK(engine_kv_entry(P::deepseek_ocr, EngineKvFormat::sglang, 2).value().bytes == 2 * 5 * 128 * 2);
    CHECK(engine_kv_entry(P::deepseek_ocr, EngineKvFormat::sglang, 2).value().block == 1);
    CHECK(engine_kv_entry(P::deepseek_vl2_tiny, EngineKvFormat::sglang).value().bytes == 5'120);
    CHECK(engine_kv_entry(P::deepseek_ocr2, EngineKvFormat::sglang_fp8, 2).value().bytes == 1'280);
    // The pool: 100 tokens and SGLang's padding page, in each of 12 layers.
    CHECK(engine_kv_cache_bytes(P::deepseek_ocr, EngineKvFormat::sglang, 100, 2).value() == (100 + 1) * 2'560 * 12);
    // One KV head over 10 GPUs: each holds the head (get_num_kv_heads: max(1, 1 / 10)).
    DeepseekOCRConfig mqa = P::deepseek_ocr;
    mqa.num_key_value_heads = 1;
    CHECK(engine_kv_entry(mqa, EngineKvFormat::sglang, 10).value().bytes == 2 * 128 * 2);
    // Refused: tp not dividing the heads (4 of 10), or 0; 3 KV heads over 2 GPUs; a v_head_dim
    // other than the head width (SGLang sizes the pool by it, the attention writes 128); the FP4
    // pool without MLA.
    CHECK(engine_kv_entry(P::deepseek_ocr, EngineKvFormat::sglang, 4).error() == MemoryError::tp_does_not_divide);
    CHECK(engine_kv_entry(P::deepseek_ocr, EngineKvFormat::sglang, 0).error() == MemoryError::tp_zero);
    DeepseekOCRConfig three = P::deepseek_ocr;
    three.num_key_value_heads = 3;
    CHECK(engine_kv_entry(three, EngineKvFormat::sglang, 2).error() == MemoryError::tp_does_not_divide);
    DeepseekOCRConfig v64 = P::deepseek_ocr;
    v64.v_head_dim = 64;
    CHECK(engine_kv_entry(v64, EngineKvFormat::sglang).error() == MemoryError::format_not_modelled);
    v64.v_head_dim = 128; // the head width: as 0
    CHECK(engine_kv_entry(v64, EngineKvFormat::sglang).value().bytes == 5'120);
    CHECK(engine_kv_entry(P::deepseek_ocr, EngineKvFormat::sglang_fp4).error() == MemoryError::format_not_modelled);
    CHECK(error_message(MemoryError::format_not_modelled).find("SGLang's FP4 pool") != std::string_view::npos);
}

TEST_CASE("Models the engine formats do not model are refused with their reason", "[engine_kv]") {
    // Without MLA: TensorRT-LLM's and llama.cpp's MHA caches are not modelled, nor SGLang's pool
    // for a DeepSeek-V2 config (which SGLang's DeepseekV2ForCausalLM takes as MLA).
    CHECK(engine_kv_entry(P::deepseek_ocr, EngineKvFormat::trtllm).error() == MemoryError::layout_needs_mla);
    CHECK(engine_kv_entry(P::deepseek_ocr, EngineKvFormat::llama_cpp).error() == MemoryError::layout_needs_mla);
    DeepseekV2Config lite_mha = P::deepseek_v2_lite;
    lite_mha.use_mla = false;
    CHECK(engine_kv_entry(lite_mha, EngineKvFormat::sglang).error() == MemoryError::layout_needs_mla);
    // DeepSeek-V4: its cache has its own formats (kv_v4.hpp).
    CHECK(engine_kv_entry(P::deepseek_v4_flash, EngineKvFormat::trtllm).error() == MemoryError::layout_not_for_v4);
}

TEST_CASE("kv_cache_by_engine: every format that applies, side by side", "[engine_kv]") {
    const auto names = [](const FixedVector<EngineKvRow, 16>& rows) {
        std::vector<std::string> out;
        for (const EngineKvRow& r : rows) out.emplace_back(r.format);
        return out;
    };
    using S = std::vector<std::string>;
    // DeepSeek-V3: vLLM's dense MLA formats and every other engine's.
    const auto v3 = kv_cache_by_engine(P::deepseek_v3, 32'768).value();
    CHECK(names(v3) == S{"flashmla", "flashmla_fp8", "cutlass_mla", "cutlass_mla_fp8", "sglang", "sglang_fp8",
                         "sglang_fp4", "trtllm", "trtllm_fp8", "trtllm_nvfp4", "llama_cpp", "llama_cpp_kv"});
    CHECK(v3[0].bytes == 32'768 * 1152 * v3_layers); // 512 blocks of 64
    CHECK(v3[4].bytes == (32'768 + 1) * 1152 * v3_layers);
    CHECK(v3[4].engine == Engine::sglang);
    // DeepSeek-V3.2: vLLM's sparse formats (bf16 FlashMLA with the indexer key in its blocks).
    const auto v32 = kv_cache_by_engine(P::deepseek_v32, 32'768).value();
    CHECK(names(v32) ==
          S{"flashmla", "fp8_ds_mla", "nvfp4_ds_mla", "sglang", "sglang_fp8", "trtllm", "trtllm_fp8", "llama_cpp"});
    CHECK(v32[1].bytes_per_token_per_layer == 656 + 132);
    // DeepSeek-OCR: vLLM's FlashAttention cache and SGLang's MHA pool; DeepSeek-V4: none.
    CHECK(names(kv_cache_by_engine(P::deepseek_ocr, 8'192).value()) ==
          S{"flash_attn", "flash_attn_fp8", "sglang", "sglang_fp8"});
    CHECK(kv_cache_by_engine(P::deepseek_v4_flash, 8'192).value().empty());
}

} // namespace engine_kv_test
