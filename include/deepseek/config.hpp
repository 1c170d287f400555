// deepseek-config: typed DeepSeek model configs and exact memory arithmetic.
// SPDX-License-Identifier: MIT
//
// The configuration types. Standard library only: an engine that needs the types (and the
// memory arithmetic of memory.hpp) never pays for JSON. Every type here is a literal type, so a
// config can be a `constexpr` value and every size computed from it a compile-time constant.
#ifndef DEEPSEEK_CONFIG_CONFIG_HPP
#define DEEPSEEK_CONFIG_CONFIG_HPP

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <type_traits>
#include <utility>

#include "enums.hpp"
#include "optional.hpp"
#include "quantization.hpp"
#include "version.hpp"

namespace deepseek {

namespace detail {
// std::array's operator== is not constexpr before C++20.
template <class T> constexpr bool field_equal(const T& a, const T& b) noexcept { return a == b; }
template <class T, std::size_t N>
constexpr bool field_equal(const std::array<T, N>& a, const std::array<T, N>& b) noexcept {
    for (std::size_t i = 0; i < N; ++i) {
        if (!(a[i] == b[i])) return false;
    }
    return true;
}
} // namespace detail

// ---------------------------------------------------------------------------------------------
// A fixed-capacity vector: literal, so configs holding lists stay `constexpr`.
// ---------------------------------------------------------------------------------------------

/// A list of at most `Capacity` values stored inline. Exceeding the capacity when reading JSON
/// is a range error; `push_back` on a full vector returns false and changes nothing.
template <class T, std::size_t Capacity> struct FixedVector {
    std::array<T, Capacity> items{};
    std::size_t count = 0;

    [[nodiscard]] static constexpr std::size_t capacity() noexcept { return Capacity; }
    [[nodiscard]] constexpr std::size_t size() const noexcept { return count; }
    [[nodiscard]] constexpr bool empty() const noexcept { return count == 0; }
    constexpr const T* begin() const noexcept { return items.data(); }
    constexpr const T* end() const noexcept { return items.data() + count; }
    constexpr const T& operator[](std::size_t i) const noexcept { return items[i]; }
    [[nodiscard]] constexpr bool push_back(const T& value) noexcept {
        if (count == Capacity) return false;
        items[count++] = value;
        return true;
    }
    friend constexpr bool operator==(const FixedVector& a, const FixedVector& b) noexcept {
        if (a.count != b.count) return false;
        for (std::size_t i = 0; i < a.count; ++i) {
            if (!detail::field_equal(a.items[i], b.items[i])) return false;
        }
        return true;
    }
    friend constexpr bool operator!=(const FixedVector& a, const FixedVector& b) noexcept { return !(a == b); }
};

// ---------------------------------------------------------------------------------------------
// Nested structs.
// ---------------------------------------------------------------------------------------------

/// `rope_scaling`: RoPE context extension. Newer transformers also write `rope_type`; either key
/// is read. `factor` is required; the YaRN keys are optional (unset means upstream's default).
struct RopeScaling {
    RopeType type = RopeType::linear;
    double factor = 1.0;
    Optional<std::uint64_t> original_max_position_embeddings{};
    Optional<double> beta_fast{};
    Optional<double> beta_slow{};
    Optional<double> mscale{};
    Optional<double> mscale_all_dim{};
};

/// `quantization_config`: DeepSeek's FP8 block quantisation (V3, R1, V3.2). Every Linear weight
/// inside a decoder layer is stored in 1 byte with a float32 scale per
/// `weight_block_size[0] x weight_block_size[1]` block.
struct QuantizationConfig {
    QuantMethod quant_method = QuantMethod::fp8;
    Fp8Format fmt = Fp8Format::e4m3;
    ActivationScheme activation_scheme = ActivationScheme::dynamic;
    std::array<std::uint64_t, 2> weight_block_size{128, 128};
    Optional<ScaleFormat> scale_fmt{};
};

/// `vision_config.width["clip-l-14-224"]` (DeepSeek-OCR): the CLIP-L/14 tower. Defaults are the
/// values of the released DeepSeek-OCR file (the architecture its encoder code builds).
struct ClipVisionConfig {
    std::uint64_t heads = 16;
    std::uint64_t image_size = 224;
    std::uint64_t layers = 24;
    std::uint64_t patch_size = 14;
    std::uint64_t width = 1024;
};

/// `vision_config.width["sam_vit_b"]` (DeepSeek-OCR and OCR-2): the SAM ViT-B tower.
/// `global_attn_indexes` holds at most 32 entries.
struct SamVisionConfig {
    std::array<std::uint64_t, 2> downsample_channels{512, 1024};
    FixedVector<std::uint64_t, 32> global_attn_indexes{{2, 5, 8, 11}, 4};
    std::uint64_t heads = 12;
    std::uint64_t layers = 12;
    std::uint64_t width = 768;
};

/// `vision_config.width["qwen2-0-5b"]` (DeepSeek-OCR-2): the Qwen2-0.5B encoder's width.
struct Qwen2EncoderConfig {
    std::uint64_t dim = 896;
};

/// `vision_config.width`: the towers of the OCR encoder, keyed by their JSON names
/// (`clip-l-14-224` -> `clip_l_14_224`, `sam_vit_b`, `qwen2-0-5b` -> `qwen2_0_5b`).
struct VisionTowers {
    Optional<ClipVisionConfig> clip_l_14_224{ClipVisionConfig{}};
    Optional<SamVisionConfig> sam_vit_b{SamVisionConfig{}};
    Optional<Qwen2EncoderConfig> qwen2_0_5b{};
};

/// `vision_config` of DeepSeek-OCR / OCR-2. Defaults are DeepSeek-OCR's released values.
struct OcrVisionConfig {
    std::uint64_t image_size = 1024;
    double mlp_ratio = 3.7362;
    VisionModelName model_name = VisionModelName::deeplip_b_l;
    VisionTowers width{};
};

/// `projector_config` of DeepSeek-OCR / OCR-2: the map from vision features to the LM width.
struct ProjectorConfig {
    std::uint64_t input_dim = 2048;
    std::uint64_t n_embed = 1280;
    ProjectorType projector_type = ProjectorType::linear;
};

/// One `[width, height]` entry of `candidate_resolutions`, in pixels.
using Resolution = std::array<std::uint64_t, 2>;

// ---------------------------------------------------------------------------------------------
// The config classes. Field names are the JSON keys; defaults are the upstream code's.
// ---------------------------------------------------------------------------------------------

/// DeepSeek's `DeepseekV2Config` (the version with `use_mla`, shipped with DeepSeek-OCR and
/// DeepSeek-VL2), with its constructor defaults. `model_type` "deepseek_v2".
struct DeepseekV2Config {
    static constexpr std::string_view model_type = "deepseek_v2";

    std::uint64_t vocab_size = 102400;
    std::uint64_t hidden_size = 4096;
    std::uint64_t intermediate_size = 11008;
    std::uint64_t moe_intermediate_size = 1407;
    std::uint64_t num_hidden_layers = 30;
    std::uint64_t num_attention_heads = 32;
    /// `null` in JSON means "equal to num_attention_heads", as upstream does.
    std::uint64_t num_key_value_heads = 32;
    Optional<std::uint64_t> n_shared_experts{};
    Optional<std::uint64_t> n_routed_experts{};
    std::uint64_t ep_size = 1;
    double routed_scaling_factor = 1.0;
    /// Latent KV width of MLA; null when `use_mla` is false.
    Optional<std::uint64_t> kv_lora_rank = 512;
    /// Query compression width; null or 0 means a plain `q_proj`.
    Optional<std::uint64_t> q_lora_rank = 1536;
    std::uint64_t qk_rope_head_dim = 64;
    std::uint64_t v_head_dim = 128;
    std::uint64_t qk_nope_head_dim = 128;
    TopkMethod topk_method = TopkMethod::gready;
    Optional<std::uint64_t> n_group{};
    Optional<std::uint64_t> topk_group{};
    Optional<std::uint64_t> num_experts_per_tok{};
    std::uint64_t moe_layer_freq = 1;
    std::uint64_t first_k_dense_replace = 0;
    bool norm_topk_prob = false;
    ScoringFunc scoring_func = ScoringFunc::softmax;
    double aux_loss_alpha = 0.001;
    bool seq_aux = true;
    HiddenAct hidden_act = HiddenAct::silu;
    std::uint64_t max_position_embeddings = 2048;
    double initializer_range = 0.02;
    double rms_norm_eps = 1e-6;
    bool use_cache = true;
    Optional<std::int64_t> pad_token_id{};
    Optional<std::int64_t> bos_token_id = 100000;
    Optional<std::int64_t> eos_token_id = 100001;
    std::uint64_t pretraining_tp = 1;
    bool tie_word_embeddings = false;
    double rope_theta = 10000.0;
    Optional<RopeScaling> rope_scaling{};
    bool attention_bias = false;
    double attention_dropout = 0.0;
    bool use_mla = true;
    /// `torch_dtype` (or `dtype`); unset when the file does not say.
    Optional<TorchDtype> torch_dtype{};
};

/// DeepSeek-OCR's `DeepseekOCRConfig`: upstream an empty subclass of `DeepseekV2Config` that only
/// changes `model_type`. It also carries the OCR keys of the file, typed; their defaults are the
/// released DeepSeek-OCR values. `candidate_resolutions` holds at most 64 entries.
struct DeepseekOCRConfig : DeepseekV2Config {
    static constexpr std::string_view model_type = "DeepseekOCR";

    OcrVisionConfig vision_config{};
    ProjectorConfig projector_config{};
    FixedVector<Resolution, 64> candidate_resolutions{{Resolution{1024, 1024}}, 1};
    TileTag tile_tag = TileTag::two_d;
    GlobalViewPos global_view_pos = GlobalViewPos::head;
};

/// DeepSeek-OCR-2's `DeepseekOCR2Config`: the same language model and keys as DeepSeek-OCR, with
/// another vision encoder (SAM ViT-B feeding a Qwen2-0.5B encoder).
struct DeepseekOCR2Config : DeepseekOCRConfig {
    static constexpr std::string_view model_type = "DeepseekOCR2";

    /// DeepSeek-OCR-2's released encoder keys: SAM ViT-B feeding Qwen2-0.5B (width 896).
    constexpr DeepseekOCR2Config() noexcept : DeepseekOCRConfig{} {
        vision_config.model_name = VisionModelName::deepencoderv2;
        vision_config.width = VisionTowers{std::nullopt, SamVisionConfig{}, Qwen2EncoderConfig{}};
        projector_config.input_dim = 896;
    }
};

/// DeepSeek's `DeepseekV3Config` (V3, V3-Base, R1, V3.1, V3.2), with its constructor defaults.
/// `model_type` "deepseek_v3". Attention is always MLA.
struct DeepseekV3Config {
    static constexpr std::string_view model_type = "deepseek_v3";

    std::uint64_t vocab_size = 129280;
    std::uint64_t hidden_size = 7168;
    std::uint64_t intermediate_size = 18432;
    std::uint64_t moe_intermediate_size = 2048;
    std::uint64_t num_hidden_layers = 61;
    /// Multi-token-prediction modules stored after the decoder layers.
    std::uint64_t num_nextn_predict_layers = 1;
    std::uint64_t num_attention_heads = 128;
    /// `null` in JSON means "equal to num_attention_heads", as upstream does.
    std::uint64_t num_key_value_heads = 128;
    Optional<std::uint64_t> n_shared_experts = 1;
    Optional<std::uint64_t> n_routed_experts = 256;
    std::uint64_t ep_size = 1;
    double routed_scaling_factor = 2.5;
    /// Always MLA in V3, so always set (null is a type error; V2 keeps it optional for use_mla false).
    std::uint64_t kv_lora_rank = 512;
    /// Query compression width; null or 0 means a plain `q_proj`.
    Optional<std::uint64_t> q_lora_rank = 1536;
    std::uint64_t qk_rope_head_dim = 64;
    std::uint64_t v_head_dim = 128;
    std::uint64_t qk_nope_head_dim = 128;
    TopkMethod topk_method = TopkMethod::noaux_tc;
    Optional<std::uint64_t> n_group = 8;
    Optional<std::uint64_t> topk_group = 4;
    Optional<std::uint64_t> num_experts_per_tok = 8;
    std::uint64_t moe_layer_freq = 1;
    std::uint64_t first_k_dense_replace = 3;
    bool norm_topk_prob = true;
    ScoringFunc scoring_func = ScoringFunc::sigmoid;
    double aux_loss_alpha = 0.001;
    bool seq_aux = true;
    HiddenAct hidden_act = HiddenAct::silu;
    std::uint64_t max_position_embeddings = 4096;
    double initializer_range = 0.02;
    double rms_norm_eps = 1e-6;
    bool use_cache = true;
    Optional<std::int64_t> pad_token_id{};
    Optional<std::int64_t> bos_token_id = 0;
    Optional<std::int64_t> eos_token_id = 1;
    std::uint64_t pretraining_tp = 1;
    bool tie_word_embeddings = false;
    double rope_theta = 10000.0;
    Optional<RopeScaling> rope_scaling{};
    bool attention_bias = false;
    double attention_dropout = 0.0;
    /// `torch_dtype` (or `dtype`); unset when the file does not say.
    Optional<TorchDtype> torch_dtype{};
    /// FP8 block quantisation of the released weights; unset for 16-bit checkpoints.
    Optional<QuantizationConfig> quantization_config{};
    /// DeepSeek-V3.2's sparse-attention (DSA) indexer: heads, head width and tokens selected
    /// per query. Not parameters of DeepSeek's V3 class; set only in V3.2 files.
    Optional<std::uint64_t> index_n_heads{};
    Optional<std::uint64_t> index_head_dim{};
    Optional<std::uint64_t> index_topk{};

    /// Not a key of the file: how the checkpoint stores its Linear weights when it is quantised in
    /// another format than DeepSeek's FP8 (ModelOpt NVFP4, compressed-tensors INT4), as the JSON
    /// layer read it from `quantization_config` or a model folder's `hf_quant_config.json`.
    /// Unset otherwise (DeepSeek's FP8 is `quantization_config`). Compared by ==, never written.
    Optional<WeightQuantization> weight_quantization{};
};

/// Whether the model uses multi-head latent attention (V3 always does).
[[nodiscard]] constexpr bool uses_mla(const DeepseekV2Config& c) noexcept { return c.use_mla; }
[[nodiscard]] constexpr bool uses_mla(const DeepseekV3Config&) noexcept { return true; }

/// True for the config types of this library (and only those).
template <class T> struct is_config : std::false_type {};
template <> struct is_config<DeepseekV2Config> : std::true_type {};
template <> struct is_config<DeepseekOCRConfig> : std::true_type {};
template <> struct is_config<DeepseekOCR2Config> : std::true_type {};
template <> struct is_config<DeepseekV3Config> : std::true_type {};
template <class T> inline constexpr bool is_config_v = is_config<T>::value;

// ---------------------------------------------------------------------------------------------
// The field lists: one list per type, naming every field by its JSON key. Equality, JSON reading
// and JSON writing all walk these lists, so a field added here is handled everywhere.
// ---------------------------------------------------------------------------------------------

/// `field_list<T>::visit(v)` calls `v("json_key", &T::member)` for every field of `T`, in the
/// order of the upstream constructor.
template <class T> struct field_list;

template <> struct field_list<RopeScaling> {
    template <class V> static constexpr void visit(V&& v) {
        v("type", &RopeScaling::type);
        v("factor", &RopeScaling::factor);
        v("original_max_position_embeddings", &RopeScaling::original_max_position_embeddings);
        v("beta_fast", &RopeScaling::beta_fast);
        v("beta_slow", &RopeScaling::beta_slow);
        v("mscale", &RopeScaling::mscale);
        v("mscale_all_dim", &RopeScaling::mscale_all_dim);
    }
};
template <> struct field_list<QuantizationConfig> {
    template <class V> static constexpr void visit(V&& v) {
        v("quant_method", &QuantizationConfig::quant_method);
        v("fmt", &QuantizationConfig::fmt);
        v("activation_scheme", &QuantizationConfig::activation_scheme);
        v("weight_block_size", &QuantizationConfig::weight_block_size);
        v("scale_fmt", &QuantizationConfig::scale_fmt);
    }
};
template <> struct field_list<ClipVisionConfig> {
    template <class V> static constexpr void visit(V&& v) {
        v("heads", &ClipVisionConfig::heads);
        v("image_size", &ClipVisionConfig::image_size);
        v("layers", &ClipVisionConfig::layers);
        v("patch_size", &ClipVisionConfig::patch_size);
        v("width", &ClipVisionConfig::width);
    }
};
template <> struct field_list<SamVisionConfig> {
    template <class V> static constexpr void visit(V&& v) {
        v("downsample_channels", &SamVisionConfig::downsample_channels);
        v("global_attn_indexes", &SamVisionConfig::global_attn_indexes);
        v("heads", &SamVisionConfig::heads);
        v("layers", &SamVisionConfig::layers);
        v("width", &SamVisionConfig::width);
    }
};
template <> struct field_list<Qwen2EncoderConfig> {
    template <class V> static constexpr void visit(V&& v) { v("dim", &Qwen2EncoderConfig::dim); }
};
template <> struct field_list<VisionTowers> {
    template <class V> static constexpr void visit(V&& v) {
        v("clip-l-14-224", &VisionTowers::clip_l_14_224);
        v("sam_vit_b", &VisionTowers::sam_vit_b);
        v("qwen2-0-5b", &VisionTowers::qwen2_0_5b);
    }
};
template <> struct field_list<OcrVisionConfig> {
    template <class V> static constexpr void visit(V&& v) {
        v("image_size", &OcrVisionConfig::image_size);
        v("mlp_ratio", &OcrVisionConfig::mlp_ratio);
        v("model_name", &OcrVisionConfig::model_name);
        v("width", &OcrVisionConfig::width);
    }
};
template <> struct field_list<ProjectorConfig> {
    template <class V> static constexpr void visit(V&& v) {
        v("input_dim", &ProjectorConfig::input_dim);
        v("n_embed", &ProjectorConfig::n_embed);
        v("projector_type", &ProjectorConfig::projector_type);
    }
};

namespace detail {
/// The language-model keys of DeepseekV2Config or DeepseekV3Config (and their subtypes), by name.
template <class C, class V> constexpr void visit_language_fields(V&& v) {
    v("vocab_size", &C::vocab_size);
    v("hidden_size", &C::hidden_size);
    v("intermediate_size", &C::intermediate_size);
    v("moe_intermediate_size", &C::moe_intermediate_size);
    v("num_hidden_layers", &C::num_hidden_layers);
    if constexpr (std::is_base_of_v<DeepseekV3Config, C>) {
        v("num_nextn_predict_layers", &C::num_nextn_predict_layers);
    }
    v("num_attention_heads", &C::num_attention_heads);
    v("num_key_value_heads", &C::num_key_value_heads);
    v("n_shared_experts", &C::n_shared_experts);
    v("n_routed_experts", &C::n_routed_experts);
    v("ep_size", &C::ep_size);
    v("routed_scaling_factor", &C::routed_scaling_factor);
    v("kv_lora_rank", &C::kv_lora_rank);
    v("q_lora_rank", &C::q_lora_rank);
    v("qk_rope_head_dim", &C::qk_rope_head_dim);
    v("v_head_dim", &C::v_head_dim);
    v("qk_nope_head_dim", &C::qk_nope_head_dim);
    v("topk_method", &C::topk_method);
    v("n_group", &C::n_group);
    v("topk_group", &C::topk_group);
    v("num_experts_per_tok", &C::num_experts_per_tok);
    v("moe_layer_freq", &C::moe_layer_freq);
    v("first_k_dense_replace", &C::first_k_dense_replace);
    v("norm_topk_prob", &C::norm_topk_prob);
    v("scoring_func", &C::scoring_func);
    v("aux_loss_alpha", &C::aux_loss_alpha);
    v("seq_aux", &C::seq_aux);
    v("hidden_act", &C::hidden_act);
    v("max_position_embeddings", &C::max_position_embeddings);
    v("initializer_range", &C::initializer_range);
    v("rms_norm_eps", &C::rms_norm_eps);
    v("use_cache", &C::use_cache);
    v("pad_token_id", &C::pad_token_id);
    v("bos_token_id", &C::bos_token_id);
    v("eos_token_id", &C::eos_token_id);
    v("pretraining_tp", &C::pretraining_tp);
    v("tie_word_embeddings", &C::tie_word_embeddings);
    v("rope_theta", &C::rope_theta);
    v("rope_scaling", &C::rope_scaling);
    v("attention_bias", &C::attention_bias);
    v("attention_dropout", &C::attention_dropout);
    if constexpr (std::is_base_of_v<DeepseekV2Config, C>) {
        v("use_mla", &C::use_mla);
    }
    v("torch_dtype", &C::torch_dtype);
    if constexpr (std::is_base_of_v<DeepseekV3Config, C>) {
        v("quantization_config", &C::quantization_config);
        v("index_n_heads", &C::index_n_heads);
        v("index_head_dim", &C::index_head_dim);
        v("index_topk", &C::index_topk);
    }
}
} // namespace detail

template <> struct field_list<DeepseekV2Config> {
    template <class V> static constexpr void visit(V&& v) { detail::visit_language_fields<DeepseekV2Config>(v); }
};
template <> struct field_list<DeepseekOCRConfig> {
    template <class V> static constexpr void visit(V&& v) {
        detail::visit_language_fields<DeepseekOCRConfig>(v);
        v("vision_config", &DeepseekOCRConfig::vision_config);
        v("projector_config", &DeepseekOCRConfig::projector_config);
        v("candidate_resolutions", &DeepseekOCRConfig::candidate_resolutions);
        v("tile_tag", &DeepseekOCRConfig::tile_tag);
        v("global_view_pos", &DeepseekOCRConfig::global_view_pos);
    }
};
template <> struct field_list<DeepseekOCR2Config> : field_list<DeepseekOCRConfig> {};
template <> struct field_list<DeepseekV3Config> {
    template <class V> static constexpr void visit(V&& v) { detail::visit_language_fields<DeepseekV3Config>(v); }
};

namespace detail {
template <class T, class = void> struct has_field_list : std::false_type {};
template <class T> struct has_field_list<T, decltype(field_list<T>::visit(std::declval<void (*)(const char*, int)>()))>
    : std::true_type {};
/// Whether config type T carries the quantisation read from the files (V3 and V4 families).
template <class T, class = void> struct has_weight_quantization : std::false_type {};
template <class T>
struct has_weight_quantization<T, std::void_t<decltype(std::declval<const T&>().weight_quantization)>>
    : std::true_type {};
} // namespace detail

/// Field-by-field equality of any type with a field list (configs and their nested structs).
template <class T, class = std::enable_if_t<detail::has_field_list<T>::value>>
constexpr bool operator==(const T& a, const T& b) noexcept {
    bool equal = true;
    field_list<T>::visit([&](const char*, auto member) {
        if (!detail::field_equal(a.*member, b.*member)) equal = false;
    });
    if constexpr (detail::has_weight_quantization<T>::value) {
        if (!(a.weight_quantization == b.weight_quantization)) equal = false;
    }
    return equal;
}
template <class T, class = std::enable_if_t<detail::has_field_list<T>::value>>
constexpr bool operator!=(const T& a, const T& b) noexcept {
    return !(a == b);
}

} // namespace deepseek

#include "config_v4.hpp" // DeepSeek-V4's config, built on the types above

#endif // DEEPSEEK_CONFIG_CONFIG_HPP
