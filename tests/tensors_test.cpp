// The tensor manifest: names against the real safetensors indexes, shapes and dtypes against
// lists written by hand, sums against the recorded checkpoint sizes.
#include <deepseek/memory.hpp>
#include <deepseek/presets.hpp>
#include <deepseek/tensors.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "catch.hpp"
#include "expected_figures.hpp"
#include "test_support.hpp"

// One namespace per test file: the files of a batch share a translation unit (tests/CMakeLists.txt).
namespace tensors_test {

using namespace deepseek;
namespace P = deepseek::presets;
namespace X = expected;
using test_support::by_name;
using test_support::dims;

namespace {

std::set<std::string> index_names(const std::string& file, std::uint64_t* total_size) {
    const auto j = nlohmann::json::parse(test_support::read_text(test_support::corpus_file(file)));
    std::set<std::string> names;
    for (const auto& item : j.at("weight_map").items()) names.insert(item.key());
    *total_size = j.at("metadata").at("total_size").get<std::uint64_t>();
    return names;
}

std::uint64_t total_bytes(const std::vector<TensorInfo>& tensors) {
    std::uint64_t n = 0;
    for (const auto& t : tensors) n += t.bytes();
    return n;
}

std::uint64_t total_elements(const std::vector<TensorInfo>& tensors) {
    std::uint64_t n = 0;
    for (const auto& t : tensors) n += t.elements();
    return n;
}

/// Names in `a` missing from `b`, for a readable failure.
std::vector<std::string> missing(const std::set<std::string>& a, const std::set<std::string>& b) {
    std::vector<std::string> out;
    std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
    if (out.size() > 20) out.resize(20);
    return out;
}

} // namespace

TEST_CASE("V2-Lite manifest equals the safetensors index") {
    REQUIRE_CORPUS();
    std::uint64_t total_size = 0;
    const auto expected = index_names("deepseek-v2-lite.safetensors.index.json", &total_size);
    const auto manifest = tensor_manifest(P::deepseek_v2_lite);
    std::set<std::string> names;
    for (const auto& t : manifest) names.insert(t.name);
    CHECK(manifest.size() == X::v2_lite_tensors);
    CHECK(names.size() == manifest.size()); // no duplicates
    CHECK(missing(expected, names) == std::vector<std::string>{});
    CHECK(missing(names, expected) == std::vector<std::string>{});
    CHECK(total_size == X::v2_lite_checkpoint_bytes);
    CHECK(total_bytes(manifest) == total_size);
    CHECK(total_elements(manifest) == X::v2_lite_params);
}

TEST_CASE("OCR manifest equals the safetensors index") {
    REQUIRE_CORPUS();
    std::uint64_t total_size = 0;
    const auto expected = index_names("deepseek-ocr.safetensors.index.json", &total_size);
    const auto manifest = tensor_manifest(P::deepseek_ocr);
    std::set<std::string> names;
    for (const auto& t : manifest) names.insert(t.name);
    CHECK(manifest.size() == X::ocr_tensors);
    CHECK(names.size() == manifest.size());
    CHECK(missing(expected, names) == std::vector<std::string>{});
    CHECK(missing(names, expected) == std::vector<std::string>{});
    CHECK(total_size == X::ocr_checkpoint_bytes);
    CHECK(total_bytes(manifest) == total_size);
    CHECK(total_elements(manifest) == X::ocr_params);
}

TEST_CASE("V2-Lite shapes (printed state dict, memory-formulas 3)") {
    const auto m = by_name(tensor_manifest(P::deepseek_v2_lite));
    using V = std::vector<std::uint64_t>;
    CHECK(dims(m.at("model.layers.1.self_attn.q_proj.weight").shape) == V{3072, 2048});
    CHECK(dims(m.at("model.layers.1.self_attn.kv_a_proj_with_mqa.weight").shape) == V{576, 2048});
    CHECK(dims(m.at("model.layers.1.self_attn.kv_b_proj.weight").shape) == V{4096, 512});
    CHECK(dims(m.at("model.layers.1.mlp.experts.63.gate_proj.weight").shape) == V{1408, 2048});
    CHECK(dims(m.at("model.layers.1.mlp.gate.weight").shape) == V{64, 2048});
    CHECK(dims(m.at("model.layers.1.mlp.shared_experts.gate_proj.weight").shape) == V{2816, 2048});
    CHECK(dims(m.at("model.layers.0.mlp.down_proj.weight").shape) == V{2048, 10944});
    CHECK(m.at("model.layers.0.mlp.down_proj.weight").dtype == Dtype::bf16);
}

TEST_CASE("OCR vision shapes (memory-formulas 2.11)") {
    const auto m = by_name(tensor_manifest(P::deepseek_ocr));
    using V = std::vector<std::uint64_t>;
    CHECK(dims(m.at("model.sam_model.patch_embed.proj.weight").shape) == V{768, 3, 16, 16});
    CHECK(dims(m.at("model.sam_model.pos_embed").shape) == V{1, 64, 64, 768});
    CHECK(dims(m.at("model.sam_model.blocks.0.attn.rel_pos_h").shape) == V{27, 64});  // window 14
    CHECK(dims(m.at("model.sam_model.blocks.2.attn.rel_pos_h").shape) == V{127, 64}); // global, 64 grid
    CHECK(dims(m.at("model.sam_model.blocks.11.attn.rel_pos_w").shape) == V{127, 64});
    CHECK(dims(m.at("model.sam_model.neck.0.weight").shape) == V{256, 768, 1, 1});
    CHECK(dims(m.at("model.sam_model.neck.2.weight").shape) == V{256, 256, 3, 3});
    CHECK(dims(m.at("model.sam_model.net_2.weight").shape) == V{512, 256, 3, 3});
    CHECK(dims(m.at("model.sam_model.net_3.weight").shape) == V{1024, 512, 3, 3});
    CHECK(dims(m.at("model.vision_model.embeddings.patch_embedding.weight").shape) == V{1024, 3, 14, 14});
    CHECK(dims(m.at("model.vision_model.embeddings.position_embedding.weight").shape) == V{257, 1024});
    CHECK(dims(m.at("model.vision_model.transformer.layers.23.self_attn.qkv_proj.weight").shape) == V{3072, 1024});
    CHECK(dims(m.at("model.projector.layers.weight").shape) == V{1280, 2048});
    CHECK(dims(m.at("model.image_newline").shape) == V{1280});
    CHECK(dims(m.at("model.view_seperator").shape) == V{1280});
    CHECK(dims(m.at("model.layers.0.self_attn.k_proj.weight").shape) == V{1280, 1280});
    // SAM 179 tensors, CLIP 293 (memory-formulas 4.1).
    std::size_t sam = 0, clip = 0;
    for (const auto& kv : m) {
        sam += kv.first.rfind("model.sam_model.", 0) == 0 ? 1u : 0u;
        clip += kv.first.rfind("model.vision_model.", 0) == 0 ? 1u : 0u;
    }
    CHECK(sam == X::ocr_sam_tensors);
    CHECK(clip == X::ocr_clip_tensors);
}

TEST_CASE("V3 manifest: 91,991 tensors, FP8 scales and MTP (memory-formulas 2.7, 2.9)") {
    const auto manifest = tensor_manifest(P::deepseek_v3);
    CHECK(manifest.size() == X::v3_tensors);
    CHECK(total_elements(manifest) == X::v3_stored_elements);
    CHECK(total_bytes(manifest) == X::v3_checkpoint_bytes);
    CHECK(total_bytes(manifest) == checkpoint_bytes(P::deepseek_v3));
    const auto m = by_name(manifest);
    CHECK(m.size() == manifest.size());
    using V = std::vector<std::uint64_t>;

    // Dense layer 0, written out by hand: 12 tensors + 8 FP8 scales.
    const std::vector<std::string> layer0 = {
        "input_layernorm.weight",
        "post_attention_layernorm.weight",
        "self_attn.q_a_proj.weight",
        "self_attn.q_a_proj.weight_scale_inv",
        "self_attn.q_a_layernorm.weight",
        "self_attn.q_b_proj.weight",
        "self_attn.q_b_proj.weight_scale_inv",
        "self_attn.kv_a_proj_with_mqa.weight",
        "self_attn.kv_a_proj_with_mqa.weight_scale_inv",
        "self_attn.kv_a_layernorm.weight",
        "self_attn.kv_b_proj.weight",
        "self_attn.kv_b_proj.weight_scale_inv",
        "self_attn.o_proj.weight",
        "self_attn.o_proj.weight_scale_inv",
        "mlp.gate_proj.weight",
        "mlp.gate_proj.weight_scale_inv",
        "mlp.up_proj.weight",
        "mlp.up_proj.weight_scale_inv",
        "mlp.down_proj.weight",
        "mlp.down_proj.weight_scale_inv",
    };
    std::set<std::string> got0;
    for (const auto& t : manifest)
        if (t.name.rfind("model.layers.0.", 0) == 0) got0.insert(t.name.substr(15));
    CHECK(got0 == std::set<std::string>(layer0.begin(), layer0.end()));

    const auto& q_b = m.at("model.layers.0.self_attn.q_b_proj.weight");
    CHECK(dims(q_b.shape) == V{24576, 1536});
    CHECK(q_b.dtype == Dtype::fp8);
    const auto& q_b_s = m.at("model.layers.0.self_attn.q_b_proj.weight_scale_inv");
    CHECK(dims(q_b_s.shape) == V{192, 12});
    CHECK(q_b_s.dtype == Dtype::fp32);
    // kv_a_proj_with_mqa [576, 7168]: ceil(576/128) = 5 scale rows.
    CHECK(dims(m.at("model.layers.0.self_attn.kv_a_proj_with_mqa.weight_scale_inv").shape) == V{5, 56});
    CHECK(m.at("model.layers.0.self_attn.q_a_layernorm.weight").dtype == Dtype::bf16);

    const auto& expert = m.at("model.layers.3.mlp.experts.17.down_proj.weight");
    CHECK(dims(expert.shape) == V{7168, 2048});
    CHECK(expert.dtype == Dtype::fp8);
    CHECK(dims(m.at("model.layers.3.mlp.experts.255.down_proj.weight_scale_inv").shape) == V{56, 16});
    CHECK(m.count("model.layers.3.mlp.experts.256.down_proj.weight") == 0);
    CHECK(m.at("model.layers.3.mlp.gate.weight").dtype == Dtype::bf16);
    CHECK(m.at("model.layers.3.mlp.gate.e_score_correction_bias").dtype == Dtype::fp32);
    CHECK(dims(m.at("model.layers.60.mlp.shared_experts.gate_proj.weight").shape) == V{2048, 7168});
    CHECK(m.count("model.layers.3.mlp.gate.weight_scale_inv") == 0);

    // MTP module, stored as layer 61.
    CHECK(m.at("model.layers.61.enorm.weight").mtp);
    CHECK(dims(m.at("model.layers.61.hnorm.weight").shape) == V{7168});
    const auto& eh = m.at("model.layers.61.eh_proj.weight");
    CHECK(dims(eh.shape) == V{7168, 14336});
    CHECK(eh.dtype == Dtype::bf16);
    CHECK(m.count("model.layers.61.eh_proj.weight_scale_inv") == 0);
    CHECK(dims(m.at("model.layers.61.embed_tokens.weight").shape) == V{129280, 7168});
    CHECK(dims(m.at("model.layers.61.shared_head.head.weight").shape) == V{129280, 7168});
    CHECK(m.count("model.layers.61.shared_head.norm.weight") == 1);
    CHECK(m.at("model.layers.61.mlp.experts.0.up_proj.weight").dtype == Dtype::fp8);
    CHECK(m.count("model.layers.62.input_layernorm.weight") == 0);

    CHECK(m.at("lm_head.weight").dtype == Dtype::bf16);
    CHECK(m.at("model.embed_tokens.weight").dtype == Dtype::bf16);
    CHECK(m.count("model.norm.weight") == 1);
}

TEST_CASE("manifest sums equal the constexpr figures") {
    const auto check = [](const auto& cfg) {
        const auto manifest = tensor_manifest(cfg);
        CHECK(manifest.size() == tensor_count(cfg));
        CHECK(total_elements(manifest) == stored_elements(cfg));
        CHECK(total_bytes(manifest) == checkpoint_bytes(cfg));
        std::uint64_t params = 0;
        for (const auto& t : manifest)
            if (t.part != Part::scale && !t.mtp) params += t.elements();
        CHECK(params == parameter_count(cfg));
    };
    check(P::deepseek_v2);
    check(P::deepseek_v2_lite);
    check(P::deepseek_ocr);
    check(P::deepseek_v3);
}

TEST_CASE("tied embeddings and attention biases in the manifest") {
    DeepseekV2Config c = P::deepseek_v2;
    c.tie_word_embeddings = true;
    c.attention_bias = true;
    const auto m = by_name(tensor_manifest(c));
    CHECK(m.count("lm_head.weight") == 0);
    CHECK(m.count("model.layers.0.self_attn.q_a_proj.bias") == 1);
    CHECK(m.count("model.layers.0.self_attn.kv_a_proj_with_mqa.bias") == 1);
    CHECK(m.count("model.layers.0.self_attn.o_proj.bias") == 1);
    CHECK(m.count("model.layers.0.self_attn.q_b_proj.bias") == 0);
    CHECK(m.count("model.layers.0.self_attn.kv_b_proj.bias") == 0);
}

} // namespace tensors_test
