// What the reader accepts and how: dispatch, nesting, aliases, nulls, number spellings, files.
#include <deepseek/json.hpp>

#include "catch.hpp"
#include "test_support.hpp"

// One namespace per test file: the files of a batch share a translation unit (tests/CMakeLists.txt).
namespace parse_test {

using namespace deepseek;
using nlohmann::json;
namespace fs = std::filesystem;

TEST_CASE("Dispatch by model_type", "[dispatch]") {
    CHECK(std::holds_alternative<DeepseekV2Config>(parse_config(R"({"model_type":"deepseek_v2"})")));
    CHECK(std::holds_alternative<DeepseekV3Config>(parse_config(R"({"model_type":"deepseek_v3"})")));
    CHECK(std::holds_alternative<DeepseekV3Config>(parse_config(R"({"model_type":"deepseek_v32"})")));
    CHECK(std::holds_alternative<DeepseekOCRConfig>(parse_config(R"({"model_type":"DeepseekOCR"})")));
    CHECK(std::holds_alternative<DeepseekOCR2Config>(parse_config(R"({"model_type":"DeepseekOCR2"})")));
}

TEST_CASE("Dispatch by architectures and auto_map when model_type does not decide", "[dispatch]") {
    // kimi_k2 files name DeepseekV3ForCausalLM; their model_type names the Kimi-K2 subtype.
    CHECK(std::holds_alternative<KimiK2Config>(
        parse_config(R"({"model_type":"kimi_k2","architectures":["DeepseekV3ForCausalLM"]})")));
    CHECK(std::holds_alternative<DeepseekV3Config>(parse_config(R"({"architectures":["DeepseekV32ForCausalLM"]})")));
    CHECK(std::holds_alternative<DeepseekOCRConfig>(
        parse_config(R"({"model_type":"deepseek_vl_v2","architectures":["DeepseekOCRForCausalLM"]})")));
    CHECK(std::holds_alternative<DeepseekOCR2Config>(
        parse_config(R"({"model_type":"deepseek_vl_v2","architectures":["DeepseekOCR2ForCausalLM"]})")));
    CHECK(std::holds_alternative<DeepseekV2Config>(
        parse_config(R"({"auto_map":{"AutoConfig":"configuration_deepseek.DeepseekV2Config"}})")));
    CHECK(std::holds_alternative<DeepseekOCRConfig>(parse_config(
        R"({"model_type":"x","architectures":["Other"],"language_config":{"architectures":["DeepseekOCRForCausalLM"]}})")));
}

TEST_CASE("A DeepSeek-VL2 file gives a DeepseekVL2Config: language_config and the vision keys", "[dispatch]") {
    const Document doc = load_document(test_support::data_file("vl2-tiny-like.json"));
    CHECK(doc.layout == DocumentLayout::language_config);
    REQUIRE(std::holds_alternative<DeepseekVL2Config>(doc.config));
    const auto& c = std::get<DeepseekVL2Config>(doc.config);
    CHECK(c.hidden_size == 1280);
    CHECK(c.max_position_embeddings == 4096);
    CHECK(c.use_mla == false);
    CHECK(c.vision_config.width == 1152);
    CHECK(c.vision_config.model_name == VisionModelName::siglip_so400m_patch14_384);
    CHECK(c.projector_config.n_embed == 1280);
    CHECK(c.candidate_resolutions.size() == 3);
    CHECK_FALSE(doc.extra.contains("model_type")); // the class's own: written back on saving
    CHECK(file_model_type(doc) == "deepseek_vl_v2");
    CHECK(doc.extra.at("language_config").at("lm_head") == true);
    CHECK(doc.extra.at("projector_config").at("model_type") == "mlp_projector");
    // The base class reads the same file (a subtype loads as its base).
    CHECK(load_config<DeepseekV2Config>(test_support::data_file("vl2-tiny-like.json")).hidden_size == 1280);
}

TEST_CASE("OCR: top level wins, language_config fills what the top level lacks", "[ocr]") {
    const auto c = parse_config<DeepseekOCRConfig>(R"({
        "architectures": ["DeepseekOCRForCausalLM"],
        "hidden_size": 1280, "num_attention_heads": 10, "num_key_value_heads": 10, "use_mla": false,
        "language_config": {"hidden_size": 999, "num_hidden_layers": 12, "torch_dtype": "bfloat16"},
        "torch_dtype": "float32"})");
    CHECK(c.hidden_size == 1280);
    CHECK(c.num_hidden_layers == 12);
    CHECK(c.torch_dtype == TorchDtype::float32);
}

TEST_CASE("Newer transformers spellings: rope_type, dtype, null num_key_value_heads, q_lora_rank 0", "[aliases]") {
    const Document doc = load_document(test_support::data_file("rope-type-alias.json"));
    const auto& c = std::get<DeepseekV2Config>(doc.config);
    REQUIRE(c.rope_scaling.has_value());
    CHECK(c.rope_scaling->type == RopeType::yarn);
    CHECK(c.rope_scaling->factor == 40.0);
    CHECK_FALSE(c.rope_scaling->mscale.has_value());
    CHECK(c.torch_dtype == TorchDtype::bfloat16);
    CHECK(c.num_key_value_heads == 16); // null: one KV head per attention head
    CHECK(c.q_lora_rank == std::optional<std::uint64_t>(0));
    // Unknown keys are kept, nested ones included.
    CHECK(doc.extra.at("my_engine_setting") == json::parse(R"({"keep": ["me", 1, null]})"));
    CHECK(doc.extra.at("rope_scaling").at("rope_type") == "yarn");
    CHECK(doc.extra.at("dtype") == "bfloat16");
}

TEST_CASE("Both rope type keys may be given when they agree", "[aliases]") {
    const auto c = parse_config<DeepseekV2Config>(
        R"({"model_type":"deepseek_v2","rope_scaling":{"type":"linear","rope_type":"linear","factor":2.0}})");
    CHECK(c.rope_scaling->type == RopeType::linear);
}

TEST_CASE("Number spellings: exponent floats, ints for floats, no final newline", "[numbers]") {
    const auto c = load_config<DeepseekV3Config>(test_support::data_file("minimal-v3.json"));
    CHECK(c.rms_norm_eps == 1e-6);
    CHECK(c.rope_theta == 10000.0);
    CHECK(c.routed_scaling_factor == 2.0);
    CHECK(c.num_hidden_layers == 5);
    REQUIRE(c.quantization_config.has_value());
    CHECK(c.quantization_config->fmt == Fp8Format::e4m3); // absent: default
}

TEST_CASE("CRLF text parses like LF text", "[numbers]") {
    const std::string lf = "{\n\"model_type\": \"deepseek_v2\",\n\"hidden_size\": 2048\n}\n";
    std::string crlf;
    for (char ch : lf) {
        if (ch == '\n') crlf += '\r';
        crlf += ch;
    }
    CHECK(parse_config(crlf) == parse_config(lf));
}

TEST_CASE("Nullable keys accept null", "[nulls]") {
    const auto c =
        parse_config<DeepseekV2Config>(R"({"model_type":"deepseek_v2","q_lora_rank":null,"n_routed_experts":null,
        "n_shared_experts":null,"n_group":null,"topk_group":null,"num_experts_per_tok":null,"pad_token_id":null,
        "bos_token_id":null,"eos_token_id":null,"rope_scaling":null,"torch_dtype":null})");
    CHECK_FALSE(c.q_lora_rank.has_value());
    CHECK_FALSE(c.n_routed_experts.has_value());
    CHECK_FALSE(c.bos_token_id.has_value());
    CHECK_FALSE(c.rope_scaling.has_value());
    CHECK_FALSE(c.torch_dtype.has_value());
}

TEST_CASE("load_config<T>: a subtype loads as its base, another type is an error naming both", "[typed]") {
    REQUIRE_CORPUS();
    const auto base = load_config<DeepseekV2Config>(test_support::corpus_file("deepseek-ocr.json"));
    CHECK(base.hidden_size == 1280);
    const auto ocr_of_ocr2 = load_config<DeepseekOCRConfig>(test_support::corpus_file("deepseek-ocr-2.json"));
    CHECK(ocr_of_ocr2.projector_config.input_dim == 896);
    try {
        (void)load_config<DeepseekV2Config>(test_support::corpus_file("deepseek-v3.json"));
        FAIL("expected a type mismatch");
    } catch (const deepseek::Error& e) {
        CHECK(e.kind() == ErrorKind::type_mismatch);
        CHECK(e.message() == "the file holds a DeepseekV3Config (model_type \"deepseek_v3\"), not a DeepseekV2Config");
        CHECK(e.file().find("deepseek-v3.json") != std::string::npos);
    }
    try {
        (void)load_config<DeepseekOCRConfig>(test_support::corpus_file("deepseek-v2-lite.json"));
        FAIL("expected a type mismatch");
    } catch (const deepseek::Error& e) {
        CHECK(e.kind() == ErrorKind::type_mismatch);
        CHECK(e.message() == "the file holds a DeepseekV2Config (model_type \"deepseek_v2\"), not a DeepseekOCRConfig");
    }
}

TEST_CASE("A folder holding config.json loads like the file", "[files]") {
    const fs::path dir = test_support::scratch_dir("model_dir");
    fs::copy_file(test_support::data_file("minimal-v3.json"), dir / "config.json",
                  fs::copy_options::overwrite_existing);
    CHECK(load_config(dir) == load_config(test_support::data_file("minimal-v3.json")));
}

TEST_CASE("The non-throwing entry points return the config or the error", "[typed]") {
    const auto good = try_parse_config(R"({"model_type":"deepseek_v3"})");
    REQUIRE(good.has_value());
    CHECK(std::holds_alternative<DeepseekV3Config>(good.value()));
    const auto bad = try_parse_config(R"({"model_type":"deepseek_v3","hidden_size":"big"})");
    REQUIRE_FALSE(bad);
    CHECK(bad.error().pointer() == "/hidden_size");
    CHECK(bad.error().kind() == ErrorKind::type);
    const auto missing = try_load_config("/no/such/dir/config.json");
    REQUIRE_FALSE(missing.has_value());
    CHECK(missing.error().kind() == ErrorKind::io);
    CHECK(missing.error().file() == "/no/such/dir/config.json");
}

} // namespace parse_test
