// Every published or recorded figure the tests compare against, written once. Each constant says
// where it comes from: a published total, a checkpoint's safetensors index (`metadata.total_size`,
// the names of `weight_map`), a section of ../shared/reference/memory-formulas.md ("MF §4.1"), or
// a derivation by hand (written out next to it, or in the test file named). None of them comes
// from running the code under test. Tests include this header and compare with these names; a
// figure that is not here is a derivation local to the one test that writes it out.
#ifndef DEEPSEEK_CONFIG_TESTS_EXPECTED_FIGURES_HPP
#define DEEPSEEK_CONFIG_TESTS_EXPECTED_FIGURES_HPP

#include <cstdint>

namespace expected {

// ---- Totals (MF §0 and §4.1) -----------------------------------------------------------------

// DeepSeek-V2-Lite.
/// Parameters: MF §4.1 (published "15.7B"; a ChatLLM.cpp session log prints 15706484224).
inline constexpr std::uint64_t v2_lite_params = 15'706'484'224;
/// Bytes of the bf16 checkpoint: metadata.total_size of DeepSeek-V2-Lite's
/// model.safetensors.index.json (corpus: deepseek-v2-lite.safetensors.index.json; MF §4.1).
inline constexpr std::uint64_t v2_lite_checkpoint_bytes = 31'412'968'448;
/// Tensors: the names in weight_map of the same index file.
inline constexpr std::uint64_t v2_lite_tensors = 5'291;

// DeepSeek-V2 (236B).
/// Parameters: MF §4.1 (published "236B"; a third-party table lists 235741434880).
inline constexpr std::uint64_t v2_params = 235'741'434'880;
/// Bytes of the bf16 checkpoint: MF §4.1, "bf16 bytes (2·P)" column.
inline constexpr std::uint64_t v2_checkpoint_bytes = 471'482'869'760;

// DeepSeek-V3 / R1.
/// Main-model parameters, MTP and FP8 scales excluded: MF §4.1 (published "671B").
inline constexpr std::uint64_t v3_params = 671'026'419'200;
/// The MTP module as stored (with its copies of embed_tokens and the head): MF §4.1.
inline constexpr std::uint64_t v3_mtp_params = 13'463'426'304;
/// Main model + MTP: MF §4.1 (published "685B").
inline constexpr std::uint64_t v3_params_with_mtp = 684'489'845'504;
/// Elements stored (parameters + MTP + FP8 scales): the R1 checkpoint report, MF §0 and §4.1.
inline constexpr std::uint64_t v3_stored_elements = 684'531'386'000;
/// Tensors stored (experts one by one, FP8 scales, MTP): the R1 checkpoint report, MF §0 and §4.1.
inline constexpr std::uint64_t v3_tensors = 91'991;
/// Bytes of the released FP8 checkpoint (641.29 GiB of tensor data): MF §0, §2.9 and §4.1.
inline constexpr std::uint64_t v3_checkpoint_bytes = 688'574'839'360;
/// Bytes of main + MTP with no quantisation (bf16, router bias float32): MF §4.1, "bf16 bytes"
/// column of "V3 main + MTP".
inline constexpr std::uint64_t v3_unquantised_checkpoint_bytes = 1'368'979'721'216;

// DeepSeek-V3.2 (V3 plus the DSA indexer in every layer, MTP included): next-capabilities.md
// (NC) §0 and §1.3, from DeepSeek's inference/model.py `Indexer` (wq_b [64·128, 1536], wk
// [128, 7168], k_norm weight and bias [128], weights_proj [64, 7168]).
/// Indexer parameters of one layer: 8192·1536 + 128·7168 + 2·128 + 64·7168 (NC §1.3).
inline constexpr std::uint64_t v32_indexer_layer_params = 13'959'424;
/// Main model: V3 + 61 indexers (NC §0).
inline constexpr std::uint64_t v32_params = 671'877'944'064;
/// Main model + MTP (its layer has an indexer too): NC §0, the published "685B".
inline constexpr std::uint64_t v32_params_with_mtp = 685'355'329'792;
/// Bytes of the FP8 checkpoint: wq_b and wk FP8 with float32 block scales [64, 12] and [1, 56],
/// k_norm float32, weights_proj bf16; 62 indexers on top of V3's (NC §0 and §1.3).
inline constexpr std::uint64_t v32_checkpoint_bytes = 689'469'018'240;
/// Tensors stored: V3's 91,991 + 62 x 7 (NC §1.3).
inline constexpr std::uint64_t v32_tensors = 92'425;
/// Activated per token: V3's + 61 indexers (the indexer runs in every layer; NC §1.3).
inline constexpr std::uint64_t v32_active_params = 37'477'143'296;
/// KV bytes per token per layer: the bf16 latent (576 x 2) + the indexer key cache (128 FP8 + one
/// float32 scale = 132, in every engine): NC §0 and §1.5.
inline constexpr std::uint64_t v32_kv_latent_bf16_bytes_per_token_per_layer = 1'284;
/// ... over 61 layers (NC §1.5 table).
inline constexpr std::uint64_t v32_kv_latent_bf16_bytes_per_token = 78'324;

// DeepSeek-OCR.
/// Parameters, vision encoder included: MF §0 and §4.1.
inline constexpr std::uint64_t ocr_params = 3'336'106'240;
/// Bytes of the bf16 checkpoint: metadata.total_size of the OCR index (corpus:
/// deepseek-ocr.safetensors.index.json; MF §4.1, quoted for the identical Unlimited-OCR layout).
inline constexpr std::uint64_t ocr_checkpoint_bytes = 6'672'212'480;
/// Tensors: the names in weight_map of the same index file (MF §4.1).
inline constexpr std::uint64_t ocr_tensors = 2'710;
/// Tensors of the SAM ViT-B and of the CLIP-L encoder: MF §4.1 (OCR whole-model row).
inline constexpr std::uint64_t ocr_sam_tensors = 179;
inline constexpr std::uint64_t ocr_clip_tensors = 293;
/// The language model alone: MF §4.1 (published "3B").
inline constexpr std::uint64_t ocr_lm_params = 2'934'734'080;
/// The DeepEncoder (SAM + CLIP + projector + separators): MF §2.11 and §4.1.
inline constexpr std::uint64_t ocr_vision_params = 401'372'160;

// DeepSeek-OCR-2 (its index is not in the corpus: figures from sen-ye/DeepSeek-OCR2-query-ablation
// @ 4d6bcc9902c25ebb2f9ff422e6069d80f6ef3ab4, model.safetensors.index.json, which vendors the
// Hugging Face file of deepseek-ai/DeepSeek-OCR-2; reference next-capabilities.md §2).
/// The DeepEncoderV2 (SAM with net_3 512 -> 896, the Qwen2 encoder without embed_tokens, its two
/// query tables, the projector and view_seperator): derived tensor by tensor in ocr2_test.cpp
/// from the shapes of deepencoderv2.py and modeling_deepseekocr2.py.
inline constexpr std::uint64_t ocr2_vision_params = 454'385'280;
/// Parameters: DeepSeek-OCR's language model (the same 2,234 tensor names in both indexes) and
/// the DeepEncoderV2.
inline constexpr std::uint64_t ocr2_params = 3'389'119'360;
/// Tensors: the names in weight_map of the OCR-2 index.
inline constexpr std::uint64_t ocr2_tensors = 2'707;
/// metadata.total_size of the OCR-2 index.
inline constexpr std::uint64_t ocr2_index_total_size = 6'779'249'408;
/// Bytes of the checkpoint with every tensor bf16, as its config says (torch_dtype bfloat16):
/// 2 x ocr2_params, derived by hand. The index says 1,010,688 bytes more, unexplained (see
/// ocr2_test.cpp); the library keeps the computed figure.
inline constexpr std::uint64_t ocr2_bf16_checkpoint_bytes = 6'778'238'720;

// Models that wrap a DeepSeek language model (research notes of issue 14, §1, §3 and §4).
/// deepseek-ai/deepseek-vl2-tiny: parameters (README "3.37B"; the research's sum of its tensors,
/// all bf16, is 6,741,002,880 bytes).
inline constexpr std::uint64_t vl2_tiny_params = 3'370'501'440;
/// deepseek-ai/deepseek-vl2 (27.5B): metadata.total_size and weight_map names of its
/// model.safetensors.index.json.
inline constexpr std::uint64_t vl2_checkpoint_bytes = 54'960'268'496;
inline constexpr std::uint64_t vl2_tensors = 6'973;
/// The SigLIP-SO400M tower alone (the "vision." tensors of either index), summed by hand from its
/// shapes: 27 blocks 411,466,608, attn_pool 15,238,352, patch/pos embedding and norm 1,520,640.
inline constexpr std::uint64_t vl2_vision_tower_params = 428'225'600;
/// moonshotai/Kimi-VL-A3B-Instruct: metadata.total_size and weight_map names of its index.
inline constexpr std::uint64_t kimi_vl_checkpoint_bytes = 32'815'315'552;
inline constexpr std::uint64_t kimi_vl_tensors = 5'679;
/// moonshotai/Kimi-K2-Instruct, a third-party listing of its safetensors: 139,644 tensors, and
/// model.layers.{0..60}.self_attn.rotary_emb.inv_freq [56] bf16 (61 x 112 bytes).
inline constexpr std::uint64_t kimi_k2_tensors = 139'644;
inline constexpr std::uint64_t kimi_k2_inv_freq_bytes = 6'832;

// ---- Main-model component breakdown (MF §4.1, "Main-model component breakdown" table) -------
// `*_embedding` is embed_tokens, which equals lm_head ("embed_tokens = lm_head (each)" row).

inline constexpr std::uint64_t v2_lite_routed_experts = 14'394'851'328;
inline constexpr std::uint64_t v2_lite_attention = 371'602'944;
inline constexpr std::uint64_t v2_lite_shared_experts = 449'839'104;
inline constexpr std::uint64_t v2_lite_dense_mlp = 67'239'936;
inline constexpr std::uint64_t v2_lite_embedding = 209'715'200;
inline constexpr std::uint64_t v2_lite_router = 3'407'872;
inline constexpr std::uint64_t v2_lite_norms = 112'640;

inline constexpr std::uint64_t v2_routed_experts = 222'717'542'400;
inline constexpr std::uint64_t v2_attention = 8'953'651'200;
inline constexpr std::uint64_t v2_shared_experts = 2'783'969'280;
inline constexpr std::uint64_t v2_dense_mlp = 188'743'680;
inline constexpr std::uint64_t v2_embedding = 524'288'000;
inline constexpr std::uint64_t v2_router = 48'332'800;
inline constexpr std::uint64_t v2_norms = 619'520;

inline constexpr std::uint64_t v3_routed_experts = 653'908'770'816;
inline constexpr std::uint64_t v3_attention = 11'413'547'008;
inline constexpr std::uint64_t v3_shared_experts = 2'554'331'136;
inline constexpr std::uint64_t v3_dense_mlp = 1'189'085'184;
inline constexpr std::uint64_t v3_embedding = 926'679'040;
inline constexpr std::uint64_t v3_router = 106'445'312; ///< router weights + float32 bias
inline constexpr std::uint64_t v3_norms = 881'664;

inline constexpr std::uint64_t ocr_routed_experts = 2'422'210'560;
inline constexpr std::uint64_t ocr_attention = 78'643'200;
inline constexpr std::uint64_t ocr_shared_experts = 75'694'080;
inline constexpr std::uint64_t ocr_dense_mlp = 26'296'320;
inline constexpr std::uint64_t ocr_embedding = 165'478'400;
inline constexpr std::uint64_t ocr_router = 901'120;
inline constexpr std::uint64_t ocr_norms = 32'000;

// ---- Per-layer constants (MF §4.1, "Per-layer constants" table) --------------------------------
// attention (q_a/kv_a norms included), one dense MLP 3HI, one routed expert 3HI_e, the shared
// experts, the router, a whole dense layer and a whole MoE layer (both with their two norms).

inline constexpr std::uint64_t v2_lite_layer_attention = 13'763'072;
inline constexpr std::uint64_t v2_lite_layer_dense_mlp = 67'239'936;
inline constexpr std::uint64_t v2_lite_layer_one_expert = 8'650'752;
inline constexpr std::uint64_t v2_lite_layer_shared_experts = 17'301'504;
inline constexpr std::uint64_t v2_lite_layer_router = 131'072;
inline constexpr std::uint64_t v2_lite_dense_layer_params = 81'007'104;
inline constexpr std::uint64_t v2_lite_moe_layer_params = 584'847'872;

inline constexpr std::uint64_t v2_layer_attention = 149'227'520;
inline constexpr std::uint64_t v2_layer_dense_mlp = 188'743'680;
inline constexpr std::uint64_t v2_layer_one_expert = 23'592'960;
inline constexpr std::uint64_t v2_layer_shared_experts = 47'185'920;
inline constexpr std::uint64_t v2_layer_router = 819'200;
inline constexpr std::uint64_t v2_dense_layer_params = 337'981'440;
inline constexpr std::uint64_t v2_moe_layer_params = 3'972'116'480;

inline constexpr std::uint64_t v3_layer_attention = 187'107'328;
inline constexpr std::uint64_t v3_layer_dense_mlp = 396'361'728;
inline constexpr std::uint64_t v3_layer_one_expert = 44'040'192;
inline constexpr std::uint64_t v3_layer_shared_experts = 44'040'192;
inline constexpr std::uint64_t v3_layer_router = 1'835'264;
inline constexpr std::uint64_t v3_dense_layer_params = 583'483'392;
inline constexpr std::uint64_t v3_moe_layer_params = 11'507'286'272;

inline constexpr std::uint64_t ocr_layer_attention = 6'553'600;
inline constexpr std::uint64_t ocr_layer_dense_mlp = 26'296'320;
inline constexpr std::uint64_t ocr_layer_one_expert = 3'440'640;
inline constexpr std::uint64_t ocr_layer_shared_experts = 6'881'280;
inline constexpr std::uint64_t ocr_layer_router = 81'920;
inline constexpr std::uint64_t ocr_dense_layer_params = 32'852'480;
inline constexpr std::uint64_t ocr_moe_layer_params = 233'720'320;

// ---- Activated parameters, DeepSeek's convention: head, no embedding (MF §4.2) ----------------

/// Published "36.6B (including 0.9B for the output Head)" (README_WEIGHTS, current revision).
inline constexpr std::uint64_t v3_active_params = 36'625'618'432;
inline constexpr std::uint64_t v2_active_params = 20'851'512'320;     ///< published "21B"
inline constexpr std::uint64_t v2_lite_active_params = 2'451'435'008; ///< published "2.4B"
inline constexpr std::uint64_t ocr_active_params = 574'127'360;       ///< "about 570M"

// ---- KV cache (MF §5) --------------------------------------------------------------------------

/// Latent elements per token per layer of every MLA release, kv_lora_rank + qk_rope_head_dim =
/// 512 + 64 (MF §0 and §5b).
inline constexpr std::uint64_t mla_latent_kv_elements = 576;
/// Expanded (HF eager) elements per token per layer, n_h (d_nope + d_rope) + n_h d_v (MF §0, §5a).
inline constexpr std::uint64_t v3_expanded_kv_elements = 40'960; ///< V2 and V3: 128 heads
inline constexpr std::uint64_t v2_expanded_kv_elements = 40'960;
inline constexpr std::uint64_t v2_lite_expanded_kv_elements = 5'120; ///< 16 heads
/// DeepSeek-OCR's plain MHA elements per token per layer, 2 x 10 KV heads x 128 (MF §0, §5d).
inline constexpr std::uint64_t ocr_mha_kv_elements = 2'560;

/// V3 latent bf16 bytes per token over 61 layers, 576 x 2 x 61 (MF §5b; the README's headline).
inline constexpr std::uint64_t v3_kv_latent_bf16_bytes_per_token = 70'272;
/// ... at 32,768 tokens (MF §5b).
inline constexpr std::uint64_t v3_kv_latent_bf16_bytes_32k = 2'302'672'896;
/// V2-Lite latent bf16 bytes per token over 27 layers, 576 x 2 x 27 (MF §5b).
inline constexpr std::uint64_t v2_lite_kv_latent_bf16_bytes_per_token = 31'104;
/// ... at 32,768 tokens (MF §5b).
inline constexpr std::uint64_t v2_lite_kv_latent_bf16_bytes_32k = 1'019'215'872;
/// V2 latent bf16 bytes per token: derived by hand, (512 + 64) x 2 bytes x 60 layers.
inline constexpr std::uint64_t v2_kv_latent_bf16_bytes_per_token = 69'120;
/// Expanded bf16 bytes per token over all layers (MF §5a table).
inline constexpr std::uint64_t v2_lite_kv_expanded_bf16_bytes_per_token = 276'480;
inline constexpr std::uint64_t v2_kv_expanded_bf16_bytes_per_token = 4'915'200;
inline constexpr std::uint64_t v3_kv_expanded_bf16_bytes_per_token = 4'997'120;
/// DeepSeek-OCR mha bf16 bytes per token over 12 layers, 2,560 x 2 x 12 (MF §5d).
inline constexpr std::uint64_t ocr_kv_mha_bf16_bytes_per_token = 61'440;
/// ... in float32 (the re-saved fp32 OCR checkpoint): derived by hand, 2,560 x 4 x 12.
inline constexpr std::uint64_t ocr_kv_mha_fp32_bytes_per_token = 122'880;

// ---- Budgets -------------------------------------------------------------------------------------

/// V2-Lite, bf16 weights on one device, latent bf16 KV, 40 GiB: derived by hand (the README's
/// worked example), floor((42,949,672,960 - 31,412,968,448) / 31,104) = floor(370,907.4).
inline constexpr std::uint64_t v2_lite_max_context_40gib = 370'907;

/// The README's headline, DeepSeek-V3 as released (FP8) at tensor parallelism 8: weights held by
/// one rank as engines load them, without the MTP layer (vLLM and SGLang load it only for
/// speculative decoding). Derived in headline_test.cpp, tensor by tensor.
inline constexpr std::uint64_t v3_tp8_weight_bytes_per_rank = 85'140'130'848;
/// ... and the largest context of batch 1 in 96 GiB per rank: derived in headline_test.cpp,
/// floor((96 GiB - 85,140,130,848) / 70,272).
inline constexpr std::uint64_t v3_tp8_max_context_96gib = 255'280;
/// The same with the MTP layer loaded (its own copies of embed_tokens and the head, attention and
/// a MoE MLP): derived in headline_test.cpp.
inline constexpr std::uint64_t v3_tp8_weight_bytes_per_rank_with_mtp = 87'264'518'336;
/// ... and its largest context in 96 GiB: floor((96 GiB - 87,264,518,336) / 70,272).
inline constexpr std::uint64_t v3_tp8_max_context_96gib_with_mtp = 225'049;

// ---- DeepSeek-OCR page budget ------------------------------------------------------------------

/// An A4 page (1654x2339) in Gundam mode: 903 positions, derived by hand in ocr_pages_test.cpp
/// (273 + (10 x 2 + 1) x (10 x 3)).
inline constexpr std::uint64_t ocr_a4_gundam_positions = 903;
/// ... its vision tokens: 16 x 16 + 20 x 30 (ocr_pages_test.cpp).
inline constexpr std::uint64_t ocr_a4_gundam_vision_tokens = 856;
/// ... and its KV bytes in bf16: derived by hand, 903 x 61,440.
inline constexpr std::uint64_t ocr_a4_gundam_kv_bf16_bytes = 55'480'320;

// ---- DeepSeek-V4 (Flash, Pro) -----------------------------------------------------------------
// From ../shared/reference/deepseek-v4.md ("V4 §N"). The Pro figures match a safetensors-header
// dump of the real checkpoint (145,116 tensors, 861,608,274,846 elements, "805.32 GB" = GiB of
// tensors); Flash's stored elements match the HF API's safetensors.total. "Logical" parameters
// count FP4 as 2 values per byte and leave out scales and tid2eid (V4 §0, §6).

// DeepSeek-V4-Pro (V4 §0, §6 and §9 item 1).
inline constexpr std::uint64_t v4_pro_tensors = 145'116;
inline constexpr std::uint64_t v4_pro_stored_elements = 861'608'274'846;
/// Payload bytes, 805.319 GiB (the dump's "805.32 GB"; vLLM's recipe "865 GB of weights").
inline constexpr std::uint64_t v4_pro_checkpoint_bytes = 864'704'792'696;
/// Logical parameters of the main model, MTP excluded (published "1.6T").
inline constexpr std::uint64_t v4_pro_params = 1'572'997'201'763;
inline constexpr std::uint64_t v4_pro_params_with_mtp = 1'598'837'347'742;
/// Logical parameters of the MTP block mtp.0 (V4 §6).
inline constexpr std::uint64_t v4_pro_mtp_params = 25'840'145'979;
/// Activated per token, top-6 routed + shared + everything else, input embedding excluded
/// (published "49B"; V4 §6).
inline constexpr std::uint64_t v4_pro_active_params = 48'852'402'019;
/// Tensors of mtp.0 (V4 §4.5 and §9 item 1).
inline constexpr std::uint64_t v4_pro_mtp_tensors = 2'343;
/// Routed experts of the main model, logical (V4 §6).
inline constexpr std::uint64_t v4_pro_routed_experts = 1'547'396'186'112;

// DeepSeek-V4-Flash (V4 §0, §6 and §9 item 2).
inline constexpr std::uint64_t v4_flash_tensors = 69'187;
/// The HF API's safetensors.total for deepseek-ai/DeepSeek-V4-Flash (V4 §0).
inline constexpr std::uint64_t v4_flash_stored_elements = 158'069'433'298;
inline constexpr std::uint64_t v4_flash_checkpoint_bytes = 159'609'485'896;
/// Published "284B" (main model, MTP excluded).
inline constexpr std::uint64_t v4_flash_params = 284'332'240'471;
inline constexpr std::uint64_t v4_flash_params_with_mtp = 290'942'289'362;
inline constexpr std::uint64_t v4_flash_mtp_params = 6'610'048'891;
/// Published "13B".
inline constexpr std::uint64_t v4_flash_active_params = 13'270'101'591;
inline constexpr std::uint64_t v4_flash_mtp_tensors = 1'575;
inline constexpr std::uint64_t v4_flash_routed_experts = 277'025'390'592;

/// One block of the checkpoint (V4 §4.5): tensors, logical parameters, stored elements, bytes.
struct V4Block {
    std::uint64_t tensors;
    std::uint64_t params;
    std::uint64_t stored_elements;
    std::uint64_t bytes;
};
// V4 §4.5, Flash: the top level (embed, head, norm, hc_head_*), L0 (ratio 0, hash-routed), L2
// (ratio 4, hash), L3 (ratio 128), L4 (ratio 4), mtp.0. L1 is L0's twin; layers 3..41 odd are L3's,
// 4..42 even L4's.
inline constexpr V4Block v4_flash_top{6, 1'059'131'397, 1'059'131'397, 2'118'393'876};
inline constexpr V4Block v4_flash_l0{1'565, 6'576'416'374, 3'557'301'238, 3'566'148'952};
inline constexpr V4Block v4_flash_l2{1'576, 6'595'558'646, 3'576'444'022, 3'596'055'640};
inline constexpr V4Block v4_flash_l3{1'569, 6'580'676'982, 3'560'786'166, 3'568'596'312};
inline constexpr V4Block v4_flash_l4{1'576, 6'595'558'902, 3'575'668'598, 3'589'851'224};
inline constexpr V4Block v4_flash_mtp{1'575, 6'610'048'891, 3'590'160'123, 3'593'787'756};
// V4 §4.5, Pro: L0 is ratio 128 and hash-routed (L1 its twin); 3..59 odd are L3's, 4..60 even L4's.
inline constexpr V4Block v4_pro_top{6, 1'853'479'941, 1'853'479'941, 3'707'189'268};
inline constexpr V4Block v4_pro_l0{2'337, 25'744'655'030, 13'854'601'206, 13'874'466'328};
inline constexpr V4Block v4_pro_l2{2'344, 25'768'646'454, 13'878'593'398, 13'909'746'200};
inline constexpr V4Block v4_pro_l3{2'337, 25'744'655'414, 13'853'825'910, 13'868'262'424};
inline constexpr V4Block v4_pro_l4{2'344, 25'768'646'838, 13'877'818'102, 13'903'542'296};
inline constexpr V4Block v4_pro_mtp{2'343, 25'840'145'979, 13'949'322'747, 13'956'587'692};

/// Stored elements by safetensors dtype (V4 §5.1, "what HF's safetensors.parameters shows").
struct V4ElementsByDtype {
    std::uint64_t bf16;
    std::uint64_t f32;
    std::uint64_t f8_e4m3;
    std::uint64_t f8_e8m0;
    std::uint64_t i64;
    std::uint64_t i8;
};
inline constexpr V4ElementsByDtype v4_flash_elements_by_dtype{1'415'259'264, 36'168'018, 6'023'020'544,
                                                              8'858'737'664, 2'327'040,  141'733'920'768};
inline constexpr V4ElementsByDtype v4_pro_elements_by_dtype{2'816'899'328,  87'776'414, 23'169'335'296,
                                                            49'150'268'416, 2'327'040,  786'381'668'352};

// KV cache (V4 §8). Entry sizes: vLLM's fp8_ds_mla entry 448 FP8 + 64 x 2 BF16 rope + 7 UE8M0
// scales + 1 pad (V4 §8.2; SGLang asserts the same, §8.3); a BF16 / F16 entry of head_dim 512
// (demo §8.1, llama.cpp §8.4); indexer keys 128 FP8 + a float32 scale (§8.2), SGLang's FP4
// indexer 128 / 2 + 128 / 32 (§8.3), BF16 / F16 128 x 2 (§8.1, §8.4).
inline constexpr std::uint64_t v4_fp8_ds_mla_entry_bytes = 584;
inline constexpr std::uint64_t v4_bf16_entry_bytes = 1'024;
inline constexpr std::uint64_t v4_fp8_indexer_entry_bytes = 132;
inline constexpr std::uint64_t v4_fp4_indexer_entry_bytes = 68;
inline constexpr std::uint64_t v4_bf16_indexer_entry_bytes = 256;
/// Compressor float32 state per layer per sequence, 2 coff r x coff d x 4 (V4 §8.1): ratio 4 and
/// head_dim 512; ratio 128; the indexer's (ratio 4, 128).
inline constexpr std::uint64_t v4_state_ratio4_bytes = 65'536;
inline constexpr std::uint64_t v4_state_ratio128_bytes = 524'288;
inline constexpr std::uint64_t v4_state_indexer_bytes = 16'384;
/// vLLM's pages per 256-token block, rounded up to 576 bytes (V4 §8.2): a ratio-4 layer's main
/// cache (64 x 584 = 37,376), its indexer (64 x 132 = 8,448), a ratio-128 layer's (2 x 584).
inline constexpr std::uint64_t v4_vllm_ratio4_page_bytes = 37'440;
inline constexpr std::uint64_t v4_vllm_indexer_page_bytes = 8'640;
inline constexpr std::uint64_t v4_vllm_ratio128_page_bytes = 1'728;
/// One V4-Flash sequence (21 ratio-4, 20 ratio-128 of 43 layers) before its first token, written
/// out from the formats above: the float32 compressor states (main and indexer on ratio-4 layers,
/// main on ratio-128 layers), and the window, in the demo 128 BF16 entries per layer, in vLLM
/// ceil(128 / 64) + 1 = 3 blocks of 64 tokens per layer (one 37,440-byte page each; vLLM keeps 2
/// or 3 in steady decoding, so the count is an approximation, documented as one).
inline constexpr std::uint64_t v4_flash_state_bytes =
    21 * (v4_state_ratio4_bytes + v4_state_indexer_bytes) + 20 * v4_state_ratio128_bytes;
inline constexpr std::uint64_t v4_flash_demo_constant_bytes = 43ULL * 128 * v4_bf16_entry_bytes + v4_flash_state_bytes;
inline constexpr std::uint64_t v4_flash_vllm_constant_bytes =
    43ULL * 3 * v4_vllm_ratio4_page_bytes + v4_flash_state_bytes;
/// The same sequence at 1,048,576 tokens: the demo's floor(T / 4) entries and indexer keys per
/// ratio-4 layer and floor(T / 128) entries per ratio-128 layer; vLLM's 4,096 blocks of pages.
inline constexpr std::uint64_t v4_flash_demo_1m_bytes =
    v4_flash_demo_constant_bytes + 21ULL * (1'048'576 / 4) * (v4_bf16_entry_bytes + v4_bf16_indexer_entry_bytes) +
    20ULL * (1'048'576 / 128) * v4_bf16_entry_bytes;
inline constexpr std::uint64_t v4_flash_vllm_1m_bytes =
    v4_flash_vllm_constant_bytes +
    4096ULL * (21 * (v4_vllm_ratio4_page_bytes + v4_vllm_indexer_page_bytes) + 20 * v4_vllm_ratio128_page_bytes);
/// vLLM's growth of one sequence over 256 tokens, all main layers (V4 §8.2 table and §9 item 5):
/// Flash 3,915 B/token paged, 3,850.25 unpadded; Pro 5,609.25 and 5,511.4375, times 256.
inline constexpr std::uint64_t v4_flash_vllm_growth_per_256 = 3'915 * 256;
inline constexpr std::uint64_t v4_flash_vllm_unpadded_growth_per_256 = 985'664; // 3,850.25 x 256
inline constexpr std::uint64_t v4_pro_vllm_growth_per_256 = 1'435'968;          // 5,609.25 x 256
inline constexpr std::uint64_t v4_pro_vllm_unpadded_growth_per_256 = 1'410'928; // 5,511.4375 x 256
/// SGLang with its FP4 indexer (V4 §8.3): Flash 3,514.25 B/token, Pro 5,031.44 (= 5,031.4375).
inline constexpr std::uint64_t v4_flash_sglang_fp4_growth_per_256 = 899'648; // 3,514.25 x 256
inline constexpr std::uint64_t v4_pro_sglang_fp4_growth_per_256 = 1'288'048; // 5,031.4375 x 256
/// The demo's BF16 growth per token per layer (V4 §8.1): ratio 4, 256 + 64; ratio 128, 8.
inline constexpr std::uint64_t v4_demo_ratio4_bytes_per_token = 320;
inline constexpr std::uint64_t v4_demo_ratio128_bytes_per_token = 8;
/// The vLLM blog's "9.62 GiB per 1M-token sequence (bf16)" for V4-Pro, in hundredths of a GiB
/// (V4 §0, §8.7).
inline constexpr std::uint64_t v4_pro_bf16_1m_blog_centigib = 962;
/// The same figure worked by hand (V4 §8.7): Σ over the 61 layers of 128 x 1024 (window) +
/// (S / r) x 1024 + (r == 4) (S / 4) x 256, S = 2^20: 9.6246 GiB.
inline constexpr std::uint64_t v4_pro_bf16_1m_bytes = 10'334'371'840;
/// llama.cpp #25468, V4-Flash at ctx 131,072 (V4 §8.4): CSA 672 MiB, HCA 20 MiB, indexer 168 MiB.
inline constexpr std::uint64_t v4_flash_llamacpp_128k_csa_bytes = 672ULL << 20;
inline constexpr std::uint64_t v4_flash_llamacpp_128k_hca_bytes = 20ULL << 20;
inline constexpr std::uint64_t v4_flash_llamacpp_128k_indexer_bytes = 168ULL << 20;

/// DeepSeek-V4-Flash-Base (expert_dtype "fp8": FP8 experts, every block scale float32), the
/// reference's own enumeration (V4 §5.2; no recorded size): stored elements and bytes.
inline constexpr std::uint64_t v4_flash_base_stored_elements = 290'962'285'522;
inline constexpr std::uint64_t v4_flash_base_checkpoint_bytes = 292'555'345'480;

/// NVIDIA's DeepSeek-V4-Pro-NVFP4 (ModelOpt MIXED_PRECISION, V4 §5.3): "913.09 GB" published
/// (vllm-project/recipes#779; safetensors headers included), in hundredths of a GB.
inline constexpr std::uint64_t v4_pro_nvfp4_published_centigb = 91'309;
/// The NVFP4 routed experts of every decoder layer, against the released FP4 ones, per Linear
/// [out, in] (written out from the two formats, V4 §4 and §5.3): FP4 stores out x in/2 bytes and a
/// UE8M0 scale per 32 inputs (out x in/32); NVFP4 the same packed bytes, an FP8 scale per 16 inputs
/// (out x in/16), and two float32 scalars (weight_scale_2, input_scale). So NVFP4 adds out x in/32
/// + 8 bytes and two tensors per Linear. Pro: 61 layers x 384 experts x 3 Linears of 3072 x 7168.
inline constexpr std::uint64_t v4_pro_nvfp4_checkpoint_bytes =
    v4_pro_checkpoint_bytes + 61ULL * 384 * 3 * (3072ULL * 7168 / 32 + 8);
inline constexpr std::uint64_t v4_pro_nvfp4_tensors = v4_pro_tensors + 61ULL * 384 * 3 * 2;

// ---- Consistency of the figures above with each other (arithmetic on the sources, not code) --

static_assert(v2_lite_checkpoint_bytes == 2 * v2_lite_params, "the V2-Lite index is bf16");
static_assert(v2_checkpoint_bytes == 2 * v2_params);
static_assert(ocr_checkpoint_bytes == 2 * ocr_params, "the OCR index is bf16");
static_assert(v3_params + v3_mtp_params == v3_params_with_mtp);
static_assert(v32_indexer_layer_params == 8192ULL * 1536 + 128ULL * 7168 + 2 * 128 + 64ULL * 7168);
static_assert(v32_params == v3_params + 61 * v32_indexer_layer_params);
static_assert(v32_params_with_mtp == v3_params_with_mtp + 62 * v32_indexer_layer_params);
static_assert(v32_checkpoint_bytes == v3_checkpoint_bytes + 62 * (8192ULL * 1536 + 4 * 64 * 12 + 128ULL * 7168 +
                                                                  4 * 56 + 4 * 256 + 2 * 64 * 7168));
static_assert(v32_tensors == v3_tensors + 62 * 7);
static_assert(v32_active_params == v3_active_params + 61 * v32_indexer_layer_params);
static_assert(v32_kv_latent_bf16_bytes_per_token == 61 * v32_kv_latent_bf16_bytes_per_token_per_layer);
static_assert(ocr_lm_params + ocr_vision_params == ocr_params);
static_assert(ocr_lm_params + ocr2_vision_params == ocr2_params);
static_assert(ocr2_bf16_checkpoint_bytes == 2 * ocr2_params);
static_assert(ocr2_index_total_size - ocr2_bf16_checkpoint_bytes == 1'010'688, "the OCR-2 index's unexplained gap");
static_assert(v3_kv_latent_bf16_bytes_per_token == mla_latent_kv_elements * 2 * 61);
static_assert(v3_kv_latent_bf16_bytes_32k == v3_kv_latent_bf16_bytes_per_token * 32'768);
// V4 §5.3 gives the same NVFP4 figures: 913,061,485,688 bytes in 285,660 tensors.
static_assert(v4_pro_nvfp4_checkpoint_bytes == 913'061'485'688 && v4_pro_nvfp4_tensors == 285'660);
static_assert(v4_flash_demo_1m_bytes == 7'232'045'056 && v4_flash_vllm_1m_bytes == 4'122'210'880);
static_assert(v2_lite_kv_latent_bf16_bytes_per_token == mla_latent_kv_elements * 2 * 27);
static_assert(v2_lite_kv_latent_bf16_bytes_32k == v2_lite_kv_latent_bf16_bytes_per_token * 32'768);
static_assert(v2_kv_latent_bf16_bytes_per_token == mla_latent_kv_elements * 2 * 60);
static_assert(ocr_kv_mha_bf16_bytes_per_token == ocr_mha_kv_elements * 2 * 12);
static_assert(ocr_kv_mha_fp32_bytes_per_token == ocr_mha_kv_elements * 4 * 12);
static_assert(ocr_a4_gundam_kv_bf16_bytes == ocr_a4_gundam_positions * ocr_kv_mha_bf16_bytes_per_token);
static_assert(v2_lite_max_context_40gib ==
              ((std::uint64_t{40} << 30) - v2_lite_checkpoint_bytes) / v2_lite_kv_latent_bf16_bytes_per_token);

// DeepSeek-V4: the totals are the sums of the blocks of V4 §4.5 and of the dtypes of V4 §5.1.
namespace v4_check {
constexpr std::uint64_t flash_main(std::uint64_t V4Block::*f) {
    return v4_flash_top.*f + 2 * (v4_flash_l0.*f) + v4_flash_l2.*f + 20 * (v4_flash_l3.*f) + 20 * (v4_flash_l4.*f);
}
constexpr std::uint64_t pro_main(std::uint64_t V4Block::*f) {
    return v4_pro_top.*f + 2 * (v4_pro_l0.*f) + v4_pro_l2.*f + 29 * (v4_pro_l3.*f) + 29 * (v4_pro_l4.*f);
}
constexpr std::uint64_t sum(const V4ElementsByDtype& d) {
    return d.bf16 + d.f32 + d.f8_e4m3 + d.f8_e8m0 + d.i64 + d.i8;
}
constexpr std::uint64_t bytes(const V4ElementsByDtype& d) {
    return 2 * d.bf16 + 4 * d.f32 + d.f8_e4m3 + d.f8_e8m0 + 8 * d.i64 + d.i8;
}
} // namespace v4_check
static_assert(v4_check::flash_main(&V4Block::tensors) + v4_flash_mtp.tensors == v4_flash_tensors);
static_assert(v4_check::flash_main(&V4Block::params) == v4_flash_params);
static_assert(v4_check::flash_main(&V4Block::params) + v4_flash_mtp.params == v4_flash_params_with_mtp);
static_assert(v4_check::flash_main(&V4Block::stored_elements) + v4_flash_mtp.stored_elements ==
              v4_flash_stored_elements);
static_assert(v4_check::flash_main(&V4Block::bytes) + v4_flash_mtp.bytes == v4_flash_checkpoint_bytes);
static_assert(v4_check::pro_main(&V4Block::tensors) + v4_pro_mtp.tensors == v4_pro_tensors);
static_assert(v4_check::pro_main(&V4Block::params) == v4_pro_params);
static_assert(v4_check::pro_main(&V4Block::params) + v4_pro_mtp.params == v4_pro_params_with_mtp);
static_assert(v4_check::pro_main(&V4Block::stored_elements) + v4_pro_mtp.stored_elements == v4_pro_stored_elements);
static_assert(v4_check::pro_main(&V4Block::bytes) + v4_pro_mtp.bytes == v4_pro_checkpoint_bytes);
static_assert(v4_flash_mtp.params == v4_flash_mtp_params && v4_pro_mtp.params == v4_pro_mtp_params);
static_assert(v4_flash_mtp.tensors == v4_flash_mtp_tensors && v4_pro_mtp.tensors == v4_pro_mtp_tensors);
static_assert(v4_check::sum(v4_flash_elements_by_dtype) == v4_flash_stored_elements);
static_assert(v4_check::sum(v4_pro_elements_by_dtype) == v4_pro_stored_elements);
static_assert(v4_check::bytes(v4_flash_elements_by_dtype) == v4_flash_checkpoint_bytes);
static_assert(v4_check::bytes(v4_pro_elements_by_dtype) == v4_pro_checkpoint_bytes);
static_assert(v4_fp8_ds_mla_entry_bytes == 448 + 64 * 2 + 7 + 1);
static_assert(v4_state_ratio4_bytes == 2 * (2 * 4) * (2 * 512) * 4 && v4_state_ratio128_bytes == 2 * 128 * 512 * 4 &&
              v4_state_indexer_bytes == 2 * (2 * 4) * (2 * 128) * 4);
static_assert(v4_vllm_ratio4_page_bytes == 65 * 576 && 64 * v4_fp8_ds_mla_entry_bytes <= v4_vllm_ratio4_page_bytes);
static_assert(v4_vllm_indexer_page_bytes == 15 * 576 && 64 * v4_fp8_indexer_entry_bytes <= v4_vllm_indexer_page_bytes);
static_assert(v4_vllm_ratio128_page_bytes == 3 * 576 && 2 * v4_fp8_ds_mla_entry_bytes <= v4_vllm_ratio128_page_bytes);
// Per 256 tokens: Flash has 21 ratio-4 and 20 ratio-128 layers, Pro 30 and 31 (V4 §2).
static_assert(v4_flash_vllm_growth_per_256 ==
              21 * (v4_vllm_ratio4_page_bytes + v4_vllm_indexer_page_bytes) + 20 * v4_vllm_ratio128_page_bytes);
static_assert(v4_pro_vllm_growth_per_256 ==
              30 * (v4_vllm_ratio4_page_bytes + v4_vllm_indexer_page_bytes) + 31 * v4_vllm_ratio128_page_bytes);
static_assert(v4_flash_vllm_unpadded_growth_per_256 ==
              21 * 64 * (v4_fp8_ds_mla_entry_bytes + v4_fp8_indexer_entry_bytes) + 20 * 2 * v4_fp8_ds_mla_entry_bytes);
static_assert(v4_pro_vllm_unpadded_growth_per_256 ==
              30 * 64 * (v4_fp8_ds_mla_entry_bytes + v4_fp8_indexer_entry_bytes) + 31 * 2 * v4_fp8_ds_mla_entry_bytes);
static_assert(v4_flash_sglang_fp4_growth_per_256 ==
              21 * 64 * (v4_fp8_ds_mla_entry_bytes + v4_fp4_indexer_entry_bytes) + 20 * 2 * v4_fp8_ds_mla_entry_bytes);
static_assert(v4_pro_sglang_fp4_growth_per_256 ==
              30 * 64 * (v4_fp8_ds_mla_entry_bytes + v4_fp4_indexer_entry_bytes) + 31 * 2 * v4_fp8_ds_mla_entry_bytes);
static_assert(v4_pro_bf16_1m_bytes ==
              61ULL * 128 * 1024 + 30ULL * (1 << 18) * 1024 + 31ULL * (1 << 13) * 1024 + 30ULL * (1 << 18) * 256);
static_assert((v4_pro_bf16_1m_bytes * 100 + (1ULL << 29)) >> 30 == v4_pro_bf16_1m_blog_centigib, "9.62 GiB");
static_assert(v4_flash_llamacpp_128k_csa_bytes == 21ULL * (131'072 / 4) * v4_bf16_entry_bytes);
static_assert(v4_flash_llamacpp_128k_hca_bytes == 20ULL * (131'072 / 128) * v4_bf16_entry_bytes);
static_assert(v4_flash_llamacpp_128k_indexer_bytes == 21ULL * (131'072 / 4) * v4_bf16_indexer_entry_bytes);
} // namespace expected

#endif
