// Every model config of the real corpus (../shared/configs) loads into the right class, and every
// value read equals the file's.
#include <deepseek/json.hpp>

#include <set>
#include <string>

#include "catch.hpp"
#include "test_support.hpp"

// One namespace per test file: the files of a batch share a translation unit (tests/CMakeLists.txt).
namespace corpus_test {

using namespace deepseek;
using nlohmann::json;

namespace {

struct CorpusFile {
    const char* name;
    std::string_view model_type; // the class the file must load as
};

// Which class each released file is (dispatch facts from config-defaults.md §4 and SOURCES.md).
const CorpusFile corpus[] = {
    {"deepseek-v2.json", "deepseek_v2"},
    {"deepseek-v2-lite.json", "deepseek_v2"},
    {"deepseek-coder-v2-lite.json", "deepseek_v2"},
    {"deepseek-v3.json", "deepseek_v3"},
    {"deepseek-v3-base.json", "deepseek_v3"},
    {"deepseek-r1.json", "deepseek_v3"},
    {"deepseek-r1-0528.json", "deepseek_v3"},
    {"deepseek-v3.2.json", "deepseek_v3"},
    {"nvidia-deepseek-v3.1-nvfp4.json", "deepseek_v3"},
    {"deepseek-ocr.json", "DeepseekOCR"},
    {"deepseek-ocr.resaved-fp32.json", "DeepseekOCR"},
    {"deepseek-ocr-2.json", "DeepseekOCR2"},
    {"unlimited-ocr.json", "DeepseekOCR"},
};

// True when every key of `typed` that the file also has holds an equal value (objects compared
// key by key, so keys the library keeps as extras do not count against it).
bool file_agrees(const json& file_value, const json& typed_value) {
    if (file_value.is_object() && typed_value.is_object()) {
        for (auto it = typed_value.begin(); it != typed_value.end(); ++it) {
            if (file_value.contains(it.key()) && !file_agrees(file_value.at(it.key()), *it)) return false;
        }
        return true;
    }
    return file_value == typed_value;
}

} // namespace

TEST_CASE("The corpus holds every model config we list, and we list every one it holds", "[corpus]") {
    REQUIRE_CORPUS();
    std::set<std::string> listed;
    for (const auto& file : corpus) listed.insert(file.name);
    std::set<std::string> present;
    for (const auto& entry : std::filesystem::directory_iterator(test_support::corpus_dir())) {
        const std::string name = entry.path().filename().string();
        const bool not_a_model_config = name.find(".generation_config.") != std::string::npos ||
                                        name.find(".processor_config.") != std::string::npos ||
                                        name.find("hf_quant_config") != std::string::npos ||
                                        name.find(".safetensors.index.") != std::string::npos;
        if (entry.path().extension() == ".json" && !not_a_model_config) present.insert(name);
    }
    CHECK(present == listed);
}

TEST_CASE("Every corpus config loads as its class, with every value equal to the file's", "[corpus]") {
    REQUIRE_CORPUS();
    for (const auto& file : corpus) {
        INFO(file.name);
        const auto path = test_support::corpus_file(file.name);
        const json original = json::parse(test_support::read_text(path));
        const AnyConfig config = load_config(path);
        CHECK(model_type_of(config) == file.model_type);

        const json typed = config_to_json(config);
        const json* nested = original.contains("language_config") ? &original.at("language_config") : nullptr;
        for (auto it = typed.begin(); it != typed.end(); ++it) {
            if (it.key() == "model_type") continue;
            INFO(it.key());
            // Top level wins; language_config supplies what the top level lacks.
            if (original.contains(it.key())) {
                CHECK(file_agrees(original.at(it.key()), *it));
            } else if (nested != nullptr && nested->contains(it.key())) {
                CHECK(file_agrees(nested->at(it.key()), *it));
            }
        }
    }
}

TEST_CASE("Corpus spot checks, values copied by hand from the files", "[corpus]") {
    REQUIRE_CORPUS();
    SECTION("DeepSeek-V2") {
        const auto c = load_config<DeepseekV2Config>(test_support::corpus_file("deepseek-v2.json"));
        CHECK(c.hidden_size == 5120);
        CHECK(c.num_hidden_layers == 60);
        CHECK(c.n_routed_experts == std::optional<std::uint64_t>(160));
        CHECK(c.topk_method == TopkMethod::group_limited_greedy);
        CHECK(c.routed_scaling_factor == 16.0);
        REQUIRE(c.rope_scaling.has_value());
        CHECK(c.rope_scaling->type == RopeType::yarn);
        CHECK(c.rope_scaling->factor == 40.0);
        CHECK(c.rope_scaling->mscale == std::optional<double>(0.707));
        CHECK(c.rope_scaling->original_max_position_embeddings == std::optional<std::uint64_t>(4096));
        CHECK(c.ep_size == 1); // absent from the file: the class default
    }
    SECTION("DeepSeek-V2-Lite: q_lora_rank null") {
        const auto c = load_config<DeepseekV2Config>(test_support::corpus_file("deepseek-v2-lite.json"));
        CHECK(c.hidden_size == 2048);
        CHECK(c.num_hidden_layers == 27);
        CHECK_FALSE(c.q_lora_rank.has_value());
        CHECK(c.kv_lora_rank == std::optional<std::uint64_t>(512));
        CHECK(c.intermediate_size == 10944);
        CHECK(c.moe_intermediate_size == 1408);
        CHECK(c.torch_dtype == TorchDtype::bfloat16);
    }
    SECTION("DeepSeek-V3-Base: CRLF line endings, FP8 quantization") {
        const auto c = load_config<DeepseekV3Config>(test_support::corpus_file("deepseek-v3-base.json"));
        CHECK(c.num_nextn_predict_layers == 1);
        CHECK(c.first_k_dense_replace == 3);
        REQUIRE(c.quantization_config.has_value());
        CHECK(c.quantization_config->fmt == Fp8Format::e4m3);
        CHECK(c.quantization_config->activation_scheme == ActivationScheme::dynamic);
        CHECK(c.quantization_config->weight_block_size == std::array<std::uint64_t, 2>{128, 128});
        CHECK_FALSE(c.quantization_config->scale_fmt.has_value());
        CHECK(c.rope_scaling->mscale == std::optional<double>(1.0));
    }
    SECTION("DeepSeek-V3.2: model_type deepseek_v32, ue8m0 scales") {
        const auto c = load_config<DeepseekV3Config>(test_support::corpus_file("deepseek-v3.2.json"));
        REQUIRE(c.quantization_config.has_value());
        CHECK(c.quantization_config->scale_fmt == ScaleFormat::ue8m0);
        CHECK(c.index_n_heads == std::optional<std::uint64_t>(64));
        CHECK(c.index_head_dim == std::optional<std::uint64_t>(128));
        CHECK(c.index_topk == std::optional<std::uint64_t>(2048));
    }
    SECTION("DeepSeek-V3 files have no DSA indexer keys, and saving does not add them") {
        const Document doc = load_document(test_support::corpus_file("deepseek-v3.json"));
        CHECK_FALSE(std::get<DeepseekV3Config>(doc.config).index_topk.has_value());
        const json saved = document_to_json(doc);
        CHECK_FALSE(saved.contains("index_topk")); // vLLM treats any index_topk as V3.2
        CHECK_FALSE(saved.contains("index_n_heads"));
    }
    SECTION("NVIDIA V3.1 NVFP4: no quantization_config in config.json") {
        const auto c = load_config<DeepseekV3Config>(test_support::corpus_file("nvidia-deepseek-v3.1-nvfp4.json"));
        CHECK_FALSE(c.quantization_config.has_value());
    }
    SECTION("DeepSeek-OCR: MHA language model, OCR keys typed") {
        const auto c = load_config<DeepseekOCRConfig>(test_support::corpus_file("deepseek-ocr.json"));
        CHECK(c.use_mla == false);
        CHECK_FALSE(c.kv_lora_rank.has_value());
        CHECK(c.qk_rope_head_dim == 0);
        CHECK(c.v_head_dim == 0);
        CHECK(c.hidden_size == 1280);
        CHECK(c.num_hidden_layers == 12);
        CHECK(c.max_position_embeddings == 8192);
        CHECK(c.rms_norm_eps == 1e-6); // absent from the file: the R2m default
        CHECK(c.tile_tag == TileTag::two_d);
        CHECK(c.projector_config.input_dim == 2048);
        CHECK(c.vision_config.mlp_ratio == 3.7362);
        REQUIRE(c.vision_config.width.clip_l_14_224.has_value());
        CHECK(c.vision_config.width.clip_l_14_224->patch_size == 14);
        REQUIRE(c.vision_config.width.sam_vit_b.has_value());
        CHECK(c.vision_config.width.sam_vit_b->downsample_channels == std::array<std::uint64_t, 2>{512, 1024});
        CHECK_FALSE(c.vision_config.width.qwen2_0_5b.has_value());
    }
    SECTION("Re-saved DeepSeek-OCR: top-level torch_dtype wins over language_config's") {
        const auto c = load_config<DeepseekOCRConfig>(test_support::corpus_file("deepseek-ocr.resaved-fp32.json"));
        CHECK(c.torch_dtype == TorchDtype::float32);
        CHECK_FALSE(c.rope_scaling.has_value());
    }
    SECTION("DeepSeek-OCR-2: Qwen2 tower instead of CLIP") {
        const auto c = load_config<DeepseekOCR2Config>(test_support::corpus_file("deepseek-ocr-2.json"));
        CHECK(c.vision_config.model_name == VisionModelName::deepencoderv2);
        CHECK_FALSE(c.vision_config.width.clip_l_14_224.has_value());
        REQUIRE(c.vision_config.width.qwen2_0_5b.has_value());
        CHECK(c.vision_config.width.qwen2_0_5b->dim == 896);
        CHECK(c.projector_config.input_dim == 896);
    }
    SECTION("Unlimited-OCR: dispatched by language_config's architectures") {
        const auto c = load_config<DeepseekOCRConfig>(test_support::corpus_file("unlimited-ocr.json"));
        CHECK(c.v_head_dim == 128);
        CHECK(c.max_position_embeddings == 32768);
    }
}

} // namespace corpus_test
