// DeepSeek-OCR-2: its vision encoder (DeepEncoderV2) in the tensor walk, and its page budget.
// Every expected number is written out here from the shapes and rules of DeepSeek's code
// (deepseek-ai/DeepSeek-OCR-2 @ 2f3699ebbb96fa8af32212e8c170f2cc28730fad: deepencoderv2/,
// deepseek_ocr2.py, process/image_process.py, config.py; the Hugging Face remote code
// deepencoderv2.py and modeling_deepseekocr2.py as vendored in sen-ye/DeepSeek-OCR2-query-ablation
// @ 4d6bcc9902c25ebb2f9ff422e6069d80f6ef3ab4) or taken from expected_figures.hpp; none comes from
// running the code under test.
#include <deepseek/json.hpp>
#include <deepseek/memory.hpp>
#include <deepseek/ocr.hpp>
#include <deepseek/ocr_budget.hpp>
#include <deepseek/presets.hpp>
#include <deepseek/report.hpp>
#include <deepseek/report_json.hpp>
#include <deepseek/tensors.hpp>

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "catch.hpp"
#include "expected_figures.hpp"
#include "queries.hpp"
#include "test_support.hpp"

// One namespace per test file: the files of a batch share a translation unit (tests/CMakeLists.txt).
namespace ocr2_test {

using namespace deepseek;
namespace X = expected;

namespace {

// ---- DeepEncoderV2, tensor by tensor ------------------------------------------------------------

// SAM ViT-B (`build_sam_vit_b`): width 768, 12 blocks of 12 heads (head dim 64), patch 16 on a
// 1024 view (64 x 64 patches), MLP 4 x 768 = 3072, windows of 14 except the global blocks
// 2, 5, 8, 11; the neck to 256 channels; net_2 256 -> 512 and net_3 512 -> 896 (3x3, no bias).
constexpr std::uint64_t sam_patch_embed = 768 * 3 * 16 * 16 + 768; // proj.weight [768, 3, 16, 16], proj.bias
constexpr std::uint64_t sam_pos_embed = 1 * 64 * 64 * 768;         // pos_embed [1, 64, 64, 768]
constexpr std::uint64_t sam_block = 768 + 768                      // norm1.weight, norm1.bias
                                    + 2304 * 768 + 2304            // attn.qkv [3 x 768, 768] + bias
                                    + 768 * 768 + 768              // attn.proj
                                    + 768 + 768                    // norm2.weight, norm2.bias
                                    + 3072 * 768 + 3072            // mlp.lin1
                                    + 768 * 3072 + 768;            // mlp.lin2
constexpr std::uint64_t sam_rel_pos_windowed = 2 * 27 * 64;        // rel_pos_h, rel_pos_w [2 x 14 - 1, 64]
constexpr std::uint64_t sam_rel_pos_global = 2 * 127 * 64;         // rel_pos_h, rel_pos_w [2 x 64 - 1, 64]
constexpr std::uint64_t sam_neck = 256 * 768 * 1 * 1               // neck.0.weight [256, 768, 1, 1]
                                   + 256 + 256                     // neck.1 (LayerNorm2d)
                                   + 256 * 256 * 3 * 3             // neck.2.weight [256, 256, 3, 3]
                                   + 256 + 256;                    // neck.3
constexpr std::uint64_t sam_net_2 = 512 * 256 * 3 * 3;             // net_2.weight [512, 256, 3, 3]
constexpr std::uint64_t sam_net_3 = 896 * 512 * 3 * 3;             // net_3.weight [896, 512, 3, 3]
constexpr std::uint64_t sam = sam_patch_embed + sam_pos_embed + 12 * sam_block + 8 * sam_rel_pos_windowed +
                              4 * sam_rel_pos_global + sam_neck + sam_net_2 + sam_net_3;
// DeepSeek-OCR's SAM (95,569,152, MF §2.11) with net_3 ending at 896 instead of 1024.
static_assert(sam == 95'569'152 - 512 * 1024 * 9 + 512 * 896 * 9);
static_assert(sam == 94'979'328);

// Qwen2Decoder2Encoder: a Qwen2Model of 24 layers, width 896, 14 query heads and 2 KV heads of
// 64 (K and V 128 wide), MLP 4864, embed_tokens deleted; query_768 [144, 896], query_1024
// [256, 896].
constexpr std::uint64_t qwen2_layer = 896                // input_layernorm.weight
                                      + 896 * 896 + 896  // self_attn.q_proj.weight, .bias
                                      + 128 * 896 + 128  // self_attn.k_proj.weight, .bias
                                      + 128 * 896 + 128  // self_attn.v_proj.weight, .bias
                                      + 896 * 896        // self_attn.o_proj.weight (no bias)
                                      + 896              // post_attention_layernorm.weight
                                      + 4864 * 896 * 2   // mlp.gate_proj, mlp.up_proj [4864, 896]
                                      + 896 * 4864;      // mlp.down_proj [896, 4864]
constexpr std::uint64_t qwen2 = 24 * qwen2_layer + 896   // model.model.norm.weight
                                + 144 * 896 + 256 * 896; // query_768, query_1024
static_assert(qwen2_layer == 14'912'384);
static_assert(qwen2 == 358'256'512);
// Sanity: with Qwen2-0.5B's tied embedding [151936, 896] instead of the query tables, its
// published 494,032,768 parameters.
static_assert(24 * qwen2_layer + 896 + 151'936 * 896 == 494'032'768);

// MlpProjector "linear" 896 -> 1280 with bias, and view_seperator [1280] (no image_newline).
constexpr std::uint64_t projector = 1280 * 896 + 1280;
constexpr std::uint64_t view_seperator = 1280;

static_assert(sam + qwen2 + projector + view_seperator == X::ocr2_vision_params);

// Tensors: DeepSeek-OCR's language model (its 2,710 less 179 SAM, 293 CLIP and the projector
// weight and bias, image_newline, view_seperator), SAM's 179 (3 + 12 x 14 + 6 neck + 2 convs),
// 12 per Qwen2 layer + the final norm + 2 query tables, projector 2, view_seperator 1.
constexpr std::uint64_t lm_tensors = X::ocr_tensors - X::ocr_sam_tensors - X::ocr_clip_tensors - 4;
static_assert(lm_tensors == 2'234);
static_assert(3 + 12 * 14 + 6 + 2 == X::ocr_sam_tensors);
static_assert(lm_tensors + X::ocr_sam_tensors + 24 * 12 + 1 + 2 + 2 + 1 == X::ocr2_tensors);

/// DeepSeek-OCR-2 as released: DeepSeek-OCR's language model (the preset) with OCR-2's encoder
/// keys (the DeepseekOCR2Config defaults).
constexpr DeepseekOCR2Config released_ocr2() {
    DeepseekOCR2Config c{};
    static_cast<DeepseekV2Config&>(c) = presets::deepseek_ocr;
    return c;
}
constexpr DeepseekOCR2Config ocr2 = released_ocr2();

static_assert(vision_modelled(ocr2));
static_assert(param_breakdown(ocr2).vision == X::ocr2_vision_params);
static_assert(parameter_count(ocr2) == X::ocr2_params);
static_assert(tensor_count(ocr2) == X::ocr2_tensors);
static_assert(checkpoint_bytes(ocr2) == X::ocr2_bf16_checkpoint_bytes);
static_assert(!checkpoint_bytes_exact(ocr2) && checkpoint_bytes_exact(presets::deepseek_ocr));
static_assert(X::ocr2_index_total_size - checkpoint_bytes(ocr2) == ocr2_index_unexplained_bytes);
// The encoder adds nothing per token: the active count is DeepSeek-OCR's.
static_assert(active_parameter_count(ocr2) == X::ocr_active_params);

// ---- Page layout: 257 + 144 n positions ---------------------------------------------------------

// The global view 1024 / 16 / 4 = 16 per side, 256 tokens (query_1024); a tile 768 / 16 / 4 = 12
// per side, 144 (query_768); one view_seperator; no newlines.
constexpr std::uint64_t positions(std::uint64_t tiles) { return 16 * 16 + 1 + 12 * 12 * tiles; }
static_assert(positions(0) == 257 && positions(2) == 545 && positions(3) == 689);
static_assert(positions(4) == 833 && positions(5) == 977 && positions(6) == 1121);

void check(std::uint64_t w, std::uint64_t h, TileGrid grid, std::uint64_t tiles) {
    INFO(w << "x" << h);
    const auto p = ocr2_page_layout(w, h);
    REQUIRE(p.has_value());
    CHECK(p->width == w);
    CHECK(p->height == h);
    CHECK(p->grid == grid);
    CHECK(p->tiles == tiles);
    CHECK(p->positions == positions(tiles));
    CHECK(p->vision_tokens == positions(tiles) - 1);
}

} // namespace

TEST_CASE("DeepSeek-OCR-2's encoder is counted, with DeepSeek-OCR's language model", "[ocr2]") {
    const ParamBreakdown b = param_breakdown(ocr2);
    CHECK(b.vision_modelled);
    CHECK(b.vision == sam + qwen2 + projector + view_seperator);
    CHECK(b.total == X::ocr_lm_params + X::ocr2_vision_params);
    CHECK(b.embedding == X::ocr_embedding); // the language model's alone: Qwen2 has no embed_tokens
    CHECK(b.active == X::ocr_active_params);
    // An OCR-2 config that names DeepSeek-OCR's encoder, or has no Qwen2 tower, is not modelled.
    DeepseekOCR2Config other = ocr2;
    other.vision_config.model_name = VisionModelName::deeplip_b_l;
    CHECK_FALSE(vision_modelled(other));
    CHECK(param_breakdown(other).total == X::ocr_lm_params);
    other = ocr2;
    other.vision_config.width.qwen2_0_5b.reset();
    CHECK_FALSE(vision_modelled(other));
    CHECK(param_breakdown(other).vision == 0);
}

TEST_CASE("DeepSeek-OCR-2's manifest: the index's encoder names and the code's shapes", "[ocr2]") {
    const std::vector<TensorInfo> manifest = tensor_manifest(ocr2);
    CHECK(manifest.size() == X::ocr2_tensors);
    std::map<std::string, std::vector<std::uint64_t>> shapes;
    std::uint64_t vision = 0, vision_tensors = 0;
    for (const auto& t : manifest) {
        CHECK(t.dtype == Dtype::bf16);
        shapes[t.name] = test_support::dims(t.shape);
        if (t.part == Part::vision) {
            vision += t.elements();
            ++vision_tensors;
        }
    }
    CHECK(vision == X::ocr2_vision_params);
    CHECK(vision_tensors == X::ocr_sam_tensors + 24 * 12 + 1 + 2 + 2 + 1);
    using S = std::vector<std::uint64_t>;
    CHECK(shapes.at("model.sam_model.net_2.weight") == S{512, 256, 3, 3});
    CHECK(shapes.at("model.sam_model.net_3.weight") == S{896, 512, 3, 3});
    CHECK(shapes.at("model.sam_model.blocks.2.attn.rel_pos_h") == S{127, 64});
    CHECK(shapes.at("model.sam_model.blocks.3.attn.rel_pos_w") == S{27, 64});
    const std::string layer = "model.qwen2_model.model.model.layers.23.";
    CHECK(shapes.at(layer + "input_layernorm.weight") == S{896});
    CHECK(shapes.at(layer + "self_attn.q_proj.weight") == S{896, 896});
    CHECK(shapes.at(layer + "self_attn.q_proj.bias") == S{896});
    CHECK(shapes.at(layer + "self_attn.k_proj.weight") == S{128, 896});
    CHECK(shapes.at(layer + "self_attn.k_proj.bias") == S{128});
    CHECK(shapes.at(layer + "self_attn.v_proj.weight") == S{128, 896});
    CHECK(shapes.at(layer + "self_attn.v_proj.bias") == S{128});
    CHECK(shapes.at(layer + "self_attn.o_proj.weight") == S{896, 896});
    CHECK(shapes.at(layer + "post_attention_layernorm.weight") == S{896});
    CHECK(shapes.at(layer + "mlp.gate_proj.weight") == S{4864, 896});
    CHECK(shapes.at(layer + "mlp.up_proj.weight") == S{4864, 896});
    CHECK(shapes.at(layer + "mlp.down_proj.weight") == S{896, 4864});
    CHECK(shapes.at("model.qwen2_model.model.model.norm.weight") == S{896});
    CHECK(shapes.at("model.qwen2_model.query_768.weight") == S{144, 896});
    CHECK(shapes.at("model.qwen2_model.query_1024.weight") == S{256, 896});
    CHECK(shapes.at("model.projector.layers.weight") == S{1280, 896});
    CHECK(shapes.at("model.projector.layers.bias") == S{1280});
    CHECK(shapes.at("model.view_seperator") == S{1280});
    // Not in the OCR-2 checkpoint: image_newline, CLIP, Qwen2's embed_tokens, a 25th layer.
    CHECK(shapes.count("model.image_newline") == 0);
    CHECK(shapes.count("model.vision_model.pre_layrnorm.weight") == 0);
    CHECK(shapes.count("model.qwen2_model.model.model.embed_tokens.weight") == 0);
    CHECK(shapes.count("model.qwen2_model.model.model.layers.24.input_layernorm.weight") == 0);
}

// The preset, for the fresh-clone tests: the figures of the released file.
static_assert(parameter_count(presets::deepseek_ocr2) == X::ocr2_params);
static_assert(tensor_count(presets::deepseek_ocr2) == X::ocr2_tensors);
static_assert(checkpoint_bytes(presets::deepseek_ocr2) == X::ocr2_bf16_checkpoint_bytes);

TEST_CASE("DeepSeek-OCR-2's released config: parameters and checkpoint bytes", "[ocr2][corpus]") {
    REQUIRE_CORPUS();
    // The file's sam_vit_b keeps DeepSeek-OCR's downsample_channels [512, 1024]; OCR-2's code
    // builds net_3 512 -> 896 whatever it says.
    const auto c = load_config<DeepseekOCR2Config>(test_support::corpus_file("deepseek-ocr-2.json"));
    REQUIRE(c.vision_config.width.sam_vit_b.has_value());
    CHECK(c.vision_config.width.sam_vit_b->downsample_channels[1] == 1024);
    CHECK(vision_modelled(c));
    CHECK(param_breakdown(c).vision == X::ocr2_vision_params);
    CHECK(parameter_count(c) == X::ocr2_params);
    CHECK(tensor_count(c) == X::ocr2_tensors);
    // bf16 throughout: 2 x 3,389,119,360. The released index says 6,779,249,408, 1,010,688 more;
    // that gap is unexplained and not fitted: checkpoint_bytes_exact says so.
    CHECK(checkpoint_bytes(c) == X::ocr2_bf16_checkpoint_bytes);
    CHECK_FALSE(checkpoint_bytes_exact(c));
    CHECK(checkpoint_bytes(c) + ocr2_index_unexplained_bytes == X::ocr2_index_total_size);
    // The preset carries the released file's values.
    CHECK(c == presets::deepseek_ocr2);
    // The report says so in words.
    const Document doc = load_document(test_support::corpus_file("deepseek-ocr-2.json"));
    CHECK(not_modelled(doc) == std::vector<std::string>{"checkpoint bytes: the released index records 1010688 bytes "
                                                        "more than the tensors counted, unexplained (the figure is "
                                                        "as computed)"});
}

TEST_CASE("DeepSeek-OCR-2 pages: 257 + 144 n positions", "[ocr2]") {
    // At most 768 on both sides: the global view alone.
    check(1, 1, {1, 1}, 0);
    check(768, 768, {1, 1}, 0);
    check(768, 300, {1, 1}, 0);
    // Pages of exactly w x h tiles of 768 have the grid's own ratio, which is the closest (a
    // grid with the same ratio and more tiles needs 2 W H > 768^2 w h, which a page of exactly
    // w h tiles is not).
    check(1536, 768, {2, 1}, 2);
    check(768, 2304, {1, 3}, 3);
    check(1536, 1536, {2, 2}, 4);
    check(3840, 768, {5, 1}, 5);
    check(2304, 1536, {3, 2}, 6);
    // One pixel over 768: ratio 769/768 is closest to 1, and among 2..6 tiles only 2x2 has it.
    check(769, 768, {2, 2}, 4);
    // The A4 page at 200 dpi: 1654/2339 = 0.707 is closest to 2/3 (0.041 away; 1/2 is 0.207,
    // 3/4 is not a grid of at most 6): 2x3, 1,121 positions.
    check(1654, 2339, {2, 3}, 6);
    // A page of ratio 7 has no grid of its ratio: 6x1 (ratio 6) is the closest.
    check(7 * 768, 768, {6, 1}, 6);
    // At most 4 tiles (2x3 not allowed): 1/2 is 0.207 away, 1 is 0.293, 1/3 is 0.374: 1x2.
    const auto a4_few = ocr2_page_layout(1654, 2339, TileLimits{2, 4, AspectRule::python});
    REQUIRE(a4_few.has_value());
    CHECK(a4_few->grid == TileGrid{1, 2});
    CHECK(a4_few->positions == positions(2));
    CHECK_FALSE(ocr2_page_layout(0, 100).has_value());
    CHECK_FALSE(ocr2_page_layout(100, 0).has_value());
}

TEST_CASE("DeepSeek-OCR-2 pages: KV bytes, pages that fit, and the page budget", "[ocr2]") {
    const Ocr2PageLayout a4 = *ocr2_page_layout(1654, 2339);
    // 1,121 positions x 61,440 bytes (2 x 10 KV heads x 128 x 2 bytes x 12 layers, bf16 mha).
    const KvQuery kv = test_support::kv_query(KvLayout::mha, 0, 1, Dtype::bf16, 1);
    CHECK(ocr_page_kv_bytes(ocr2, a4, kv).value() == 1121 * X::ocr_kv_mha_bf16_bytes_per_token);
    // 8,192 positions: floor(8192 / 1121) = 7 pages; with a 500-token prompt floor(7692 / 1121) = 6.
    CHECK(ocr_pages_fit_context(ocr2, a4, 8192) == 7);
    CHECK(ocr_pages_fit_context(ocr2, a4, 8192, 500) == 6);
    // 8 GiB: (8,589,934,592 - 6,778,238,720 bytes of weights) / 61,440 = 29,487 tokens, then
    // floor(29,487 / 1,121) = 26 pages.
    const BudgetQuery q =
        test_support::budget_query(std::uint64_t{8} << 30, std::nullopt, KvLayout::mha, Dtype::bf16, 1, 1);
    static_assert(((std::uint64_t{8} << 30) - X::ocr2_bf16_checkpoint_bytes) / 61'440 == 29'487);
    CHECK(ocr_pages_fit_budget(ocr2, a4, q).value() == 29'487 / 1121);

    ReportOptions options;
    options.context = 8192;
    options.budget = std::uint64_t{8} << 30;
    const auto report = make_report(ocr2, options);
    REQUIRE(report.has_value());
    Ocr2PageBudgetOptions pages_options;
    pages_options.prompt_tokens = 500;
    pages_options.budget = options.budget;
    const Ocr2PageBudget b = page_budget(ocr2, {{1654, 2339, 2}, {600, 400, 3}}, pages_options, *report);
    REQUIRE(b.rows.size() == 2);
    CHECK(b.rows[0].layout.positions == 1121);
    CHECK(b.rows[1].layout.positions == 257);
    CHECK(b.total_pages == 5);
    CHECK(b.total_positions == 2 * 1121 + 3 * 257);
    CHECK(b.total_vision_tokens == 2 * 1120 + 3 * 256);
    CHECK(b.total_kv_bytes == (2 * 1121 + 3 * 257) * X::ocr_kv_mha_bf16_bytes_per_token);
    CHECK(b.largest == 0);
    CHECK(b.rows[0].fit_context == 6);
    CHECK(b.rows[1].fit_context == (8192 - 500) / 257);
    REQUIRE(b.rows[0].fit_budget.has_value());
    CHECK(*b.rows[0].fit_budget == (29'487 - 500) / 1121);
    // A side of 0 is a range error.
    CHECK_THROWS_AS(page_budget(ocr2, {{0, 10, 1}}, pages_options, *report), Error);
}

} // namespace ocr2_test
