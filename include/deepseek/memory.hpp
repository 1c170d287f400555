// deepseek-config: typed DeepSeek model configs and exact memory arithmetic.
// SPDX-License-Identifier: MIT
//
// Parameter counts, checkpoint bytes, per-rank weights, KV-cache bytes and context budgets,
// all `constexpr` over the config types of config.hpp. Standard library only.
//
// One description of the model: `for_each_tensor` walks every tensor of the released
// checkpoint (name pieces, shape, storage class, tensor-parallel split). Every count in this
// header, and the run-time manifest of tensors.hpp, is a sum over that walk, so each shape is
// written once, next to its Hugging Face name.
//
// Arithmetic is std::uint64_t and checked: an overflow in a constant expression fails to
// compile; at run time it throws `deepseek::arithmetic_overflow` (or, built without
// exceptions, calls the handler set by `set_overflow_handler`). It never wraps.
#ifndef DEEPSEEK_CONFIG_MEMORY_HPP
#define DEEPSEEK_CONFIG_MEMORY_HPP

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <optional>
#include <exception>
#include <initializer_list>
#include <string_view>
#include <type_traits>

#include "config.hpp"

namespace deepseek {

// ---------------------------------------------------------------------------------------------
// Overflow reporting.
// ---------------------------------------------------------------------------------------------

/// Thrown (when exceptions are enabled) when a size does not fit in 64 bits.
/// It derives from std::exception, not std::overflow_error, so that this header does not pull
/// in <stdexcept> and <string> (a quarter of a second of compile time in every TU).
class arithmetic_overflow : public std::exception {
  public:
    /// `quantity` names what overflowed, e.g. "tensor elements" (truncated to fit the message).
    explicit arithmetic_overflow(const char* quantity) noexcept {
        const char prefix[] = "deepseek: uint64 overflow computing ";
        std::size_t n = 0;
        for (const char* p = prefix; *p != '\0'; ++p) message_[n++] = *p;
        for (const char* p = quantity; p != nullptr && *p != '\0' && n + 1 < sizeof message_; ++p)
            message_[n++] = *p;
        message_[n] = '\0';
    }
    const char* what() const noexcept override { return message_; }

  private:
    char message_[128] = {};
};

/// The function called on overflow when exceptions are disabled. It must not return (if it
/// does, std::abort is called). The argument names the quantity that overflowed.
using overflow_handler = void (*)(const char* what);

namespace detail {
inline void default_overflow_handler(const char* what) noexcept {
    std::fputs("deepseek: uint64 overflow computing ", stderr);
    std::fputs(what, stderr);
    std::fputc('\n', stderr);
    std::abort();
}
inline overflow_handler current_overflow_handler = &default_overflow_handler;

/// Not constexpr on purpose: reaching it inside a constant expression is a compile error.
[[noreturn]] inline void report_overflow(const char* what) {
#if defined(__cpp_exceptions) || defined(__EXCEPTIONS) || defined(_CPPUNWIND)
    throw arithmetic_overflow(what);
#else
    current_overflow_handler(what);
    std::abort();
#endif
}

inline constexpr std::uint64_t u64_max = std::numeric_limits<std::uint64_t>::max();

/// a + b, or report_overflow(what).
constexpr std::uint64_t checked_add(std::uint64_t a, std::uint64_t b, const char* what) {
    if (b > u64_max - a) report_overflow(what);
    return a + b;
}
/// a * b, or report_overflow(what). (GCC and Clang check the product without the division the
/// portable test needs; both forms work in constant expressions.)
constexpr std::uint64_t checked_mul(std::uint64_t a, std::uint64_t b, const char* what) {
#if defined(__GNUC__) || defined(__clang__)
    std::uint64_t product = 0;
    if (__builtin_mul_overflow(a, b, &product)) report_overflow(what);
    return product;
#else
    if (a != 0 && b > u64_max / a) report_overflow(what);
    return a * b;
#endif
}
/// ceil(a / b) for b > 0 (b == 0 is treated as 1: one block spanning the dimension).
constexpr std::uint64_t ceil_div(std::uint64_t a, std::uint64_t b) noexcept {
    if (b == 0) return a == 0 ? 0 : 1;
    return a / b + (a % b != 0 ? 1 : 0);
}
} // namespace detail

/// Sets the overflow handler of builds without exceptions (with exceptions an overflow always
/// throws); returns the previous one. The default prints the message to stderr and calls
/// std::abort; nullptr restores it.
inline overflow_handler set_overflow_handler(overflow_handler handler) noexcept {
    overflow_handler previous = detail::current_overflow_handler;
    detail::current_overflow_handler = handler ? handler : &detail::default_overflow_handler;
    return previous;
}

// ---------------------------------------------------------------------------------------------
// Enums: dtypes, KV layouts, storage dtypes, errors.
// ---------------------------------------------------------------------------------------------

/// A uniform element type for weights or KV cache (int4 packs two elements per byte).
enum class Dtype { fp32, bf16, fp16, fp8, int8, int4 };

/// How an engine stores the KV cache of one token in one layer (see `kv_elements_per_token`).
/// `latent`: MLA compressed latent + rope key, kv_lora_rank + qk_rope_head_dim (vLLM, SGLang,
/// FlashMLA, TensorRT-LLM, the V3 demo "absorb" mode, llama.cpp V-less cache); `expanded`:
/// decompressed per-head K and V, n_h (d_nope + d_rope) + n_h d_v (HF transformers eager);
/// `mha`: plain attention K and V, 2 n_kv head_dim (models with use_mla false).
enum class KvLayout { latent, expanded, mha };

/// The dtype a tensor is stored in, with safetensors' names.
enum class TensorDtype { F32, BF16, F16, F8_E4M3, F8_E5M2 };

/// Why a memory figure could not be computed.
enum class MemoryError {
    none,
    tp_zero,            ///< tensor-parallel size 0
    tp_does_not_divide, ///< tp does not divide a split dimension (heads, rows, experts)
    layout_needs_mla,   ///< latent / expanded KV asked of a model without MLA
    layout_needs_mha,   ///< mha KV asked of an MLA model
};

template <> struct enum_table<Dtype> {
    static constexpr std::array<EnumEntry<Dtype>, 6> entries{{
        {Dtype::fp32, "fp32"},
        {Dtype::bf16, "bf16"},
        {Dtype::fp16, "fp16"},
        {Dtype::fp8, "fp8"},
        {Dtype::int8, "int8"},
        {Dtype::int4, "int4"},
    }};
};
template <> struct enum_table<KvLayout> {
    static constexpr std::array<EnumEntry<KvLayout>, 3> entries{{
        {KvLayout::latent, "latent"},
        {KvLayout::expanded, "expanded"},
        {KvLayout::mha, "mha"},
    }};
};
template <> struct enum_table<TensorDtype> {
    static constexpr std::array<EnumEntry<TensorDtype>, 5> entries{{
        {TensorDtype::F32, "F32"},
        {TensorDtype::BF16, "BF16"},
        {TensorDtype::F16, "F16"},
        {TensorDtype::F8_E4M3, "F8_E4M3"},
        {TensorDtype::F8_E5M2, "F8_E5M2"},
    }};
};
template <> struct enum_table<MemoryError> {
    static constexpr std::array<EnumEntry<MemoryError>, 5> entries{{
        {MemoryError::none, "none"},
        {MemoryError::tp_zero, "tp_zero"},
        {MemoryError::tp_does_not_divide, "tp_does_not_divide"},
        {MemoryError::layout_needs_mla, "layout_needs_mla"},
        {MemoryError::layout_needs_mha, "layout_needs_mha"},
    }};
};

/// A sentence a person can act on, for each MemoryError.
constexpr std::string_view error_message(MemoryError e) noexcept {
    switch (e) {
    case MemoryError::none: return "no error";
    case MemoryError::tp_zero: return "the tensor-parallel size is 0";
    case MemoryError::tp_does_not_divide:
        return "the tensor-parallel size does not divide a split dimension (vocabulary rows, "
               "heads, MLP width or routed experts)";
    case MemoryError::layout_needs_mla:
        return "the latent and expanded KV layouts need an MLA model; use mha for use_mla false";
    case MemoryError::layout_needs_mha:
        return "the mha KV layout is for models with use_mla false; use latent or expanded";
    }
    return {};
}

/// Bits per element of a uniform dtype.
constexpr std::uint64_t dtype_bits(Dtype d) noexcept {
    switch (d) {
    case Dtype::fp32: return 32;
    case Dtype::bf16:
    case Dtype::fp16: return 16;
    case Dtype::fp8:
    case Dtype::int8: return 8;
    case Dtype::int4: return 4;
    }
    return 0;
}

/// Bytes per element of a storage dtype.
constexpr std::uint64_t tensor_dtype_bytes(TensorDtype d) noexcept {
    switch (d) {
    case TensorDtype::F32: return 4;
    case TensorDtype::BF16:
    case TensorDtype::F16: return 2;
    case TensorDtype::F8_E4M3:
    case TensorDtype::F8_E5M2: return 1;
    }
    return 0;
}

/// A byte or element count, or the reason it does not exist. `value` is 0 on error.
struct SizeResult {
    std::uint64_t value = 0;
    MemoryError error = MemoryError::none;
    constexpr bool ok() const noexcept { return error == MemoryError::none; }
    constexpr explicit operator bool() const noexcept { return ok(); }
};

// ---------------------------------------------------------------------------------------------
// The tensor description.
// ---------------------------------------------------------------------------------------------

/// The component a tensor belongs to (the fields of ParamBreakdown). `scale` marks the FP8
/// `weight_scale_inv` tensors, which are not parameters.
enum class Part {
    embedding,
    lm_head,
    attention,
    norm,
    dense_mlp,
    router,
    routed_experts,
    shared_experts,
    vision,
    mtp_projection,
    scale
};

/// How a tensor is stored: at the checkpoint dtype (`model`), always float32 (`fp32`: the
/// noaux_tc router bias, the FP8 scales), or in FP8 when the config is FP8-quantised
/// (`fp8_linear`: every Linear weight inside a decoder layer).
enum class Storage { model, fp32, fp8_linear };

/// How DeepSeek's V3 inference code splits a tensor over tensor-parallel ranks: `replicated`,
/// `rows` (dim 0 / tp: column-parallel weights, embedding, head), `cols` (dim 1 / tp:
/// row-parallel weights), `experts` (copies / tp: routed experts by expert index).
enum class Split { replicated, rows, cols, experts };

/// A tensor shape, at most 4 dims.
struct Shape {
    std::array<std::uint64_t, 4> dims{};
    std::size_t rank = 0;

    /// Number of elements (checked).
    constexpr std::uint64_t elements() const {
        std::uint64_t n = 1;
        for (std::size_t i = 0; i < rank; ++i)
            n = detail::checked_mul(n, dims[i], "tensor elements");
        return n;
    }
};

/// Marks a tensor that belongs to no numbered block.
inline constexpr std::uint64_t no_block = detail::u64_max;

/// One tensor (or `copies` identical tensors, the routed experts) of a checkpoint. Its name is
/// prefix + [block + "."] + [group + copy index + "."] + suffix (+ "_scale_inv" for a scale),
/// e.g. "model.layers." 3 "." "mlp.experts." 17 "." "down_proj.weight".
struct TensorSpec {
    std::string_view prefix{};
    std::uint64_t block = no_block;
    std::string_view group{};
    std::uint64_t copies = 1;
    std::string_view suffix{};
    Shape shape{};
    Part part = Part::norm;
    Storage storage = Storage::model;
    Split split = Split::replicated;
    bool mtp = false; ///< belongs to a multi-token-prediction module (V3 layers >= L)
    /// Identical decoder layers this spec stands for: 1 from `for_each_tensor`; the sums visit a
    /// run of identical layers once, with `layers` set to its length.
    std::uint64_t layers = 1;

    /// Elements of all copies in all layers it stands for (checked).
    constexpr std::uint64_t elements() const {
        return detail::checked_mul(detail::checked_mul(shape.elements(), copies, "tensor elements"),
                                   layers, "tensor elements");
    }
};

namespace detail {

template <class C> constexpr void require_config() noexcept {
    static_assert(is_config_v<C>,
                  "deepseek memory helpers take a DeepSeek config type (DeepseekV2Config, "
                  "DeepseekOCRConfig, DeepseekOCR2Config or DeepseekV3Config)");
}

constexpr Shape shape1(std::uint64_t a) noexcept { return Shape{{a, 0, 0, 0}, 1}; }
constexpr Shape shape2(std::uint64_t a, std::uint64_t b) noexcept { return Shape{{a, b, 0, 0}, 2}; }
constexpr Shape shape4(std::uint64_t a, std::uint64_t b, std::uint64_t c,
                       std::uint64_t d) noexcept {
    return Shape{{a, b, c, d}, 4};
}

/// The FP8 quantisation of the config, or nullopt. (A copy, not a pointer into the config: g++'s
/// UBSan instruments a null test of such a pointer, which then is no constant expression.)
template <class C> constexpr std::optional<QuantizationConfig> quantization_of(const C& c) noexcept {
    if constexpr (std::is_same_v<C, DeepseekV3Config>) {
        return c.quantization_config;
    } else {
        (void)c;
        return std::nullopt;
    }
}
template <class C> constexpr std::uint64_t mtp_layers_of(const C& c) noexcept {
    if constexpr (std::is_same_v<C, DeepseekV3Config>) {
        return c.num_nextn_predict_layers;
    } else {
        (void)c;
        return 0;
    }
}
constexpr std::uint64_t value_or_zero(const std::optional<std::uint64_t>& v) noexcept {
    return v ? *v : 0;
}

/// Calls the visitor with the tensors of one scope (a decoder layer, a vision block, the model
/// root). `linear` adds the FP8 scale tensor next to a quantised Linear weight.
/// The fields a scope shares (prefix, block, mtp, layers) are set once, in `spec`; each tensor
/// then writes only its own fields there. Building a whole TensorSpec per tensor instead was the
/// larger part of the cost of a summed walk (make_report).
template <class V> struct Emitter {
    V& visit;
    std::optional<QuantizationConfig> quant; ///< unset: not FP8-quantised
    TensorSpec spec{};                ///< the tensor being visited

    /// `layers`: identical blocks this scope stands for (TensorSpec::layers).
    constexpr Emitter(V& v, const std::optional<QuantizationConfig>& q, std::string_view prefix,
                      std::uint64_t block, bool mtp, std::uint64_t layers = 1)
        : visit(v), quant(q) {
        spec.prefix = prefix;
        spec.block = block;
        spec.mtp = mtp;
        spec.layers = layers;
    }

    constexpr void tensor(std::string_view suffix, Shape s, Part p, Split split = Split::replicated,
                          Storage st = Storage::model, std::string_view group = {},
                          std::uint64_t copies = 1) {
        spec.group = group;
        spec.copies = copies;
        spec.suffix = suffix;
        spec.shape = s;
        spec.part = p;
        spec.storage = st;
        spec.split = split;
        visit(static_cast<const TensorSpec&>(spec)); // read-only, valid during the call
    }
    /// A Linear weight [out, in] inside a decoder layer: FP8 when the config is quantised, with
    /// a float32 `weight_scale_inv` [ceil(out/b0), ceil(in/b1)] next to it.
    constexpr void linear(std::string_view suffix, std::uint64_t out, std::uint64_t in, Part p,
                          Split split, std::string_view group = {},
                          std::uint64_t copies = 1) {
        tensor(suffix, shape2(out, in), p, split, Storage::fp8_linear, group, copies);
        if (quant) {
            const auto& b = quant->weight_block_size;
            tensor(suffix, shape2(ceil_div(out, b[0]), ceil_div(in, b[1])), Part::scale, split,
                   Storage::fp32, group, copies);
        }
    }
};

} // namespace detail

/// Whether decoder layer `index` is MoE: n_routed_experts set, index >= first_k_dense_replace
/// and index % moe_layer_freq == 0 (DeepSeek's remote-code rule; moe_layer_freq 0 means none).
/// detail::layers_alike reads its runs off this rule: change the two together.
template <class C> constexpr bool is_moe_layer(const C& c, std::uint64_t index) noexcept {
    detail::require_config<C>();
    return c.n_routed_experts.has_value() && index >= c.first_k_dense_replace &&
           c.moe_layer_freq != 0 && index % c.moe_layer_freq == 0;
}

namespace detail {
/// How many layers from `index` on (below `end`) are like layer `index`: both MoE or both dense,
/// both main or both MTP; the sums visit such a run once. Read off is_moe_layer's rule rather
/// than asking it layer by layer (a loop over all 61 V3 layers per walk): the kind can change
/// only at first_k_dense_replace, at num_hidden_layers (the first MTP layer) and, with
/// moe_layer_freq > 1, between any two layers from first_k_dense_replace on (runs of one layer
/// there: correct, if not the longest).
template <class C>
constexpr std::uint64_t layers_alike(const C& c, std::uint64_t index, std::uint64_t end) noexcept {
    std::uint64_t stop = end;
    if (index < c.num_hidden_layers) stop = c.num_hidden_layers;
    if (index < c.first_k_dense_replace) {
        if (c.first_k_dense_replace < stop) stop = c.first_k_dense_replace;
    } else if (c.moe_layer_freq > 1) {
        stop = index + 1;
    }
    return stop - index;
}
} // namespace detail

/// Head dim of non-MLA attention: hidden_size / num_attention_heads (0 when there are no heads).
template <class C> constexpr std::uint64_t mha_head_dim(const C& c) noexcept {
    detail::require_config<C>();
    return c.num_attention_heads == 0 ? 0 : c.hidden_size / c.num_attention_heads;
}

/// Whether the vision encoder of the model is counted. False only for DeepSeek-OCR-2 (or an OCR
/// config naming another encoder), whose DeepEncoder-V2 is not modelled: its figures cover the
/// language model alone. Models without vision return true (there is nothing to model).
template <class C> constexpr bool vision_modelled(const C& c) noexcept {
    detail::require_config<C>();
    if constexpr (std::is_same_v<C, DeepseekOCR2Config>) {
        (void)c;
        return false;
    } else if constexpr (std::is_same_v<C, DeepseekOCRConfig>) {
        return c.vision_config.model_name == VisionModelName::deeplip_b_l;
    } else {
        (void)c;
        return true;
    }
}

/// Whether every tensor of the model is counted apart from a vision encoder: false for
/// DeepSeek-V3.2 configs (`index_n_heads` set), whose sparse-attention indexer weights and
/// indexer key cache are not modelled; their figures cover the V3 architecture alone.
template <class C> constexpr bool indexer_modelled(const C& c) noexcept {
    detail::require_config<C>();
    if constexpr (std::is_same_v<C, DeepseekV3Config>) {
        return !c.index_n_heads.has_value();
    } else {
        (void)c;
        return true;
    }
}

namespace detail {
/// The tensors of decoder layer `index`, each standing for `layers` identical layers.
template <class C, class V>
constexpr void visit_layer(const C& c, std::uint64_t index, V& visit, std::uint64_t layers) {
    const bool mtp = index >= c.num_hidden_layers;
    Emitter<V> e{visit, quantization_of(c), "model.layers.", index, mtp, layers};
    const std::uint64_t H = c.hidden_size;
    const std::uint64_t n_h = c.num_attention_heads;
    const char* const what = "layer shape";

    e.tensor("input_layernorm.weight", shape1(H), Part::norm);

    if (uses_mla(c)) {
        const std::uint64_t r_q = detail::value_or_zero(c.q_lora_rank);
        const std::uint64_t r_kv = detail::value_or_zero(c.kv_lora_rank);
        const std::uint64_t d_n = c.qk_nope_head_dim, d_r = c.qk_rope_head_dim, d_v = c.v_head_dim;
        const std::uint64_t q_out =
            detail::checked_mul(n_h, detail::checked_add(d_n, d_r, what), what);
        if (r_q != 0) {
            // Low-rank query: q_a_proj [r_q, H], its RMSNorm, q_b_proj [n_h d_qk, r_q].
            e.linear("self_attn.q_a_proj.weight", r_q, H, Part::attention, Split::replicated);
            if (c.attention_bias) e.tensor("self_attn.q_a_proj.bias", shape1(r_q), Part::attention);
            e.tensor("self_attn.q_a_layernorm.weight", shape1(r_q), Part::attention);
            e.linear("self_attn.q_b_proj.weight", q_out, r_q, Part::attention, Split::rows);
        } else {
            // q_lora_rank null or 0: one q_proj [n_h d_qk, H], never with a bias.
            e.linear("self_attn.q_proj.weight", q_out, H, Part::attention, Split::rows);
        }
        // Joint KV down-projection: the latent (r_kv) plus the shared rope key (d_r).
        const std::uint64_t kv_a_out = detail::checked_add(r_kv, d_r, what);
        e.linear("self_attn.kv_a_proj_with_mqa.weight", kv_a_out, H, Part::attention,
                 Split::replicated);
        if (c.attention_bias)
            e.tensor("self_attn.kv_a_proj_with_mqa.bias", shape1(kv_a_out), Part::attention);
        e.tensor("self_attn.kv_a_layernorm.weight", shape1(r_kv), Part::attention);
        // Up-projection of the latent to per-head K-nope and V.
        e.linear("self_attn.kv_b_proj.weight",
                 detail::checked_mul(n_h, detail::checked_add(d_n, d_v, what), what), r_kv,
                 Part::attention, Split::rows);
        e.linear("self_attn.o_proj.weight", H, detail::checked_mul(n_h, d_v, what), Part::attention,
                 Split::cols);
        if (c.attention_bias) e.tensor("self_attn.o_proj.bias", shape1(H), Part::attention);
    } else {
        // use_mla false: Llama attention, head_dim = H / n_h, K/V with n_kv heads; with
        // attention_bias every one of q, k, v, o has a bias.
        const std::uint64_t hd = mha_head_dim(c);
        const std::uint64_t q_out = detail::checked_mul(n_h, hd, what);
        const std::uint64_t kv_out = detail::checked_mul(c.num_key_value_heads, hd, what);
        e.linear("self_attn.q_proj.weight", q_out, H, Part::attention, Split::rows);
        if (c.attention_bias)
            e.tensor("self_attn.q_proj.bias", shape1(q_out), Part::attention, Split::rows);
        e.linear("self_attn.k_proj.weight", kv_out, H, Part::attention, Split::rows);
        if (c.attention_bias)
            e.tensor("self_attn.k_proj.bias", shape1(kv_out), Part::attention, Split::rows);
        e.linear("self_attn.v_proj.weight", kv_out, H, Part::attention, Split::rows);
        if (c.attention_bias)
            e.tensor("self_attn.v_proj.bias", shape1(kv_out), Part::attention, Split::rows);
        e.linear("self_attn.o_proj.weight", H, q_out, Part::attention, Split::cols);
        if (c.attention_bias) e.tensor("self_attn.o_proj.bias", shape1(H), Part::attention);
    }

    e.tensor("post_attention_layernorm.weight", shape1(H), Part::norm);

    if (is_moe_layer(c, index)) {
        const std::uint64_t E = *c.n_routed_experts;
        const std::uint64_t I_e = c.moe_intermediate_size;
        // Router: gate.weight [E, H]; noaux_tc adds a float32 e_score_correction_bias [E].
        e.tensor("mlp.gate.weight", shape2(E, H), Part::router);
        if (c.topk_method == TopkMethod::noaux_tc)
            e.tensor("mlp.gate.e_score_correction_bias", shape1(E), Part::router, Split::replicated,
                     Storage::fp32);
        // E routed experts, each a SwiGLU MLP of width I_e.
        e.linear("gate_proj.weight", I_e, H, Part::routed_experts, Split::experts, "mlp.experts.",
                 E);
        e.linear("up_proj.weight", I_e, H, Part::routed_experts, Split::experts, "mlp.experts.", E);
        e.linear("down_proj.weight", H, I_e, Part::routed_experts, Split::experts, "mlp.experts.",
                 E);
        // The shared experts are ONE SwiGLU MLP of width n_shared_experts * I_e.
        const std::uint64_t S = detail::value_or_zero(c.n_shared_experts);
        if (S != 0) {
            const std::uint64_t width = detail::checked_mul(S, I_e, what);
            e.linear("mlp.shared_experts.gate_proj.weight", width, H, Part::shared_experts,
                     Split::rows);
            e.linear("mlp.shared_experts.up_proj.weight", width, H, Part::shared_experts,
                     Split::rows);
            e.linear("mlp.shared_experts.down_proj.weight", H, width, Part::shared_experts,
                     Split::cols);
        }
    } else {
        // Dense SwiGLU MLP of width intermediate_size: 3 H I.
        const std::uint64_t I = c.intermediate_size;
        e.linear("mlp.gate_proj.weight", I, H, Part::dense_mlp, Split::rows);
        e.linear("mlp.up_proj.weight", I, H, Part::dense_mlp, Split::rows);
        e.linear("mlp.down_proj.weight", H, I, Part::dense_mlp, Split::cols);
    }

    if (mtp) {
        // V3 MTP module extras: norms of the embedding and of the hidden state, the projection
        // of their concatenation [H, 2H] (bf16, not FP8), the shared head's norm, and the
        // stored second copies of embed_tokens and of the output head.
        e.tensor("enorm.weight", shape1(H), Part::norm);
        e.tensor("hnorm.weight", shape1(H), Part::norm);
        e.tensor("eh_proj.weight", shape2(H, detail::checked_mul(2, H, what)),
                 Part::mtp_projection);
        e.tensor("shared_head.norm.weight", shape1(H), Part::norm);
        e.tensor("embed_tokens.weight", shape2(c.vocab_size, H), Part::embedding, Split::rows);
        e.tensor("shared_head.head.weight", shape2(c.vocab_size, H), Part::lm_head, Split::rows);
    }
}
} // namespace detail

/// Visits every tensor of decoder layer `index` (index >= num_hidden_layers: a V3 MTP module).
template <class C, class V>
constexpr void for_each_layer_tensor(const C& c, std::uint64_t index, V&& visit) {
    detail::require_config<C>();
    detail::visit_layer(c, index, visit, 1);
}

namespace detail {

/// DeepSeek-OCR's DeepEncoder: SAM ViT-B (with neck, net_2, net_3), CLIP-L, the linear
/// projector, image_newline and view_seperator. Numbers the config does not carry are the
/// constants of DeepSeek's encoder code, named here.
/// With `group_blocks`, a run of identical blocks is visited once (see visit_model).
template <class V>
constexpr void for_each_ocr_vision_tensor(const DeepseekOCRConfig& c, V& visit, bool group_blocks) {
    const char* const what = "vision shape";
    const auto root = [&](std::string_view prefix) {
        return Emitter<V>{visit, std::nullopt, prefix, no_block, false};
    };
    const auto block = [&](std::string_view prefix, std::uint64_t i, std::uint64_t run = 1) {
        return Emitter<V>{visit, std::nullopt, prefix, i, false, run};
    };
    constexpr std::uint64_t in_chans = 3;  // RGB
    constexpr std::uint64_t mlp_ratio = 4; // SAM and CLIP MLPs are 4x their width
    const Part P = Part::vision;

    if (c.vision_config.width.sam_vit_b) {
        const SamVisionConfig& s = *c.vision_config.width.sam_vit_b;
        constexpr std::uint64_t patch = 16;     // SAM patch size
        constexpr std::uint64_t window = 14;    // window of the non-global blocks
        constexpr std::uint64_t neck_out = 256; // SAM neck output channels
        const std::uint64_t grid = c.vision_config.image_size / patch;
        const std::uint64_t W = s.width;
        const std::uint64_t head_dim = s.heads == 0 ? 0 : W / s.heads;
        const std::uint64_t mlp = checked_mul(mlp_ratio, W, what);
        auto r = root("model.sam_model.");
        r.tensor("patch_embed.proj.weight", shape4(W, in_chans, patch, patch), P);
        r.tensor("patch_embed.proj.bias", shape1(W), P);
        r.tensor("pos_embed", shape4(1, grid, grid, W), P);
        const auto is_global = [&](std::uint64_t i) {
            bool global = false;
            for (std::uint64_t g : s.global_attn_indexes) global = global || g == i;
            return global;
        };
        // One block's tensors; `run` blocks alike (all windowed or all global) stand behind it.
        const auto sam_block = [&](std::uint64_t i, std::uint64_t run, bool global) {
            // Relative position tables [2 s - 1, head_dim], s = window or the whole grid.
            const std::uint64_t side = global ? grid : window;
            const std::uint64_t span = side == 0 ? 0 : checked_mul(2, side, what) - 1;
            auto b = block("model.sam_model.blocks.", i, run);
            b.tensor("norm1.weight", shape1(W), P);
            b.tensor("norm1.bias", shape1(W), P);
            b.tensor("attn.qkv.weight", shape2(checked_mul(3, W, what), W), P);
            b.tensor("attn.qkv.bias", shape1(checked_mul(3, W, what)), P);
            b.tensor("attn.proj.weight", shape2(W, W), P);
            b.tensor("attn.proj.bias", shape1(W), P);
            b.tensor("attn.rel_pos_h", shape2(span, head_dim), P);
            b.tensor("attn.rel_pos_w", shape2(span, head_dim), P);
            b.tensor("norm2.weight", shape1(W), P);
            b.tensor("norm2.bias", shape1(W), P);
            b.tensor("mlp.lin1.weight", shape2(mlp, W), P);
            b.tensor("mlp.lin1.bias", shape1(mlp), P);
            b.tensor("mlp.lin2.weight", shape2(W, mlp), P);
            b.tensor("mlp.lin2.bias", shape1(W), P);
        };
        if (group_blocks) {
            // For sums, where a block sits does not matter: one visit for the windowed blocks,
            // one for the global ones.
            std::uint64_t globals = 0, first_windowed = s.layers, first_global = s.layers;
            for (std::uint64_t i = 0; i < s.layers; ++i) {
                if (is_global(i)) {
                    ++globals;
                    if (first_global == s.layers) first_global = i;
                } else if (first_windowed == s.layers) {
                    first_windowed = i;
                }
            }
            if (globals < s.layers) sam_block(first_windowed, s.layers - globals, false);
            if (globals > 0) sam_block(first_global, globals, true);
        } else {
            for (std::uint64_t i = 0; i < s.layers; ++i) sam_block(i, 1, is_global(i));
        }
        // Neck: 1x1 conv, LayerNorm2d, 3x3 conv, LayerNorm2d (convs without bias).
        block("model.sam_model.neck.", 0).tensor("weight", shape4(neck_out, W, 1, 1), P);
        block("model.sam_model.neck.", 1).tensor("weight", shape1(neck_out), P);
        block("model.sam_model.neck.", 1).tensor("bias", shape1(neck_out), P);
        block("model.sam_model.neck.", 2).tensor("weight", shape4(neck_out, neck_out, 3, 3), P);
        block("model.sam_model.neck.", 3).tensor("weight", shape1(neck_out), P);
        block("model.sam_model.neck.", 3).tensor("bias", shape1(neck_out), P);
        // The 16x compressor: two stride-2 3x3 convs to downsample_channels, without bias.
        const auto& ds = s.downsample_channels;
        r.tensor("net_2.weight", shape4(ds[0], neck_out, 3, 3), P);
        r.tensor("net_3.weight", shape4(ds[1], ds[0], 3, 3), P);
    }
    if (c.vision_config.width.clip_l_14_224) {
        const ClipVisionConfig& k = *c.vision_config.width.clip_l_14_224;
        const std::uint64_t W = k.width;
        const std::uint64_t side = k.patch_size == 0 ? 0 : k.image_size / k.patch_size;
        const std::uint64_t positions =
            checked_add(checked_mul(side, side, what), 1, what); // + class token
        const std::uint64_t mlp = checked_mul(mlp_ratio, W, what);
        auto r = root("model.vision_model.");
        r.tensor("embeddings.class_embedding", shape1(W), P);
        r.tensor("embeddings.patch_embedding.weight",
                 shape4(W, in_chans, k.patch_size, k.patch_size), P);
        r.tensor("embeddings.position_embedding.weight", shape2(positions, W), P);
        r.tensor("pre_layrnorm.weight", shape1(W), P);
        r.tensor("pre_layrnorm.bias", shape1(W), P);
        // The CLIP layers are all alike: grouped, one visit stands for all of them.
        const std::uint64_t step = group_blocks && k.layers > 0 ? k.layers : 1;
        for (std::uint64_t i = 0; i < k.layers; i += step) {
            auto b = block("model.vision_model.transformer.layers.", i, step);
            b.tensor("layer_norm1.weight", shape1(W), P);
            b.tensor("layer_norm1.bias", shape1(W), P);
            b.tensor("self_attn.qkv_proj.weight", shape2(checked_mul(3, W, what), W), P);
            b.tensor("self_attn.qkv_proj.bias", shape1(checked_mul(3, W, what)), P);
            b.tensor("self_attn.out_proj.weight", shape2(W, W), P);
            b.tensor("self_attn.out_proj.bias", shape1(W), P);
            b.tensor("layer_norm2.weight", shape1(W), P);
            b.tensor("layer_norm2.bias", shape1(W), P);
            b.tensor("mlp.fc1.weight", shape2(mlp, W), P);
            b.tensor("mlp.fc1.bias", shape1(mlp), P);
            b.tensor("mlp.fc2.weight", shape2(W, mlp), P);
            b.tensor("mlp.fc2.bias", shape1(W), P);
        }
    }
    // Projector "linear": one Linear input_dim -> n_embed with bias; then the two learned
    // separators of width n_embed.
    const ProjectorConfig& p = c.projector_config;
    auto r = root("model.");
    r.tensor("projector.layers.weight", shape2(p.n_embed, p.input_dim), P);
    r.tensor("projector.layers.bias", shape1(p.n_embed), P);
    r.tensor("image_newline", shape1(p.n_embed), P);
    r.tensor("view_seperator", shape1(p.n_embed), P);
}

} // namespace detail

namespace detail {
/// Visits the model's tensors. With `group_layers`, a run of identical decoder layers (same
/// dense/MoE kind, all main or all MTP) is visited once with `TensorSpec::layers` = its length:
/// the sums are the same and cost a few layers instead of all of them.
template <class C, class V>
constexpr void visit_model(const C& c, V&& visit, bool group_layers) {
    Emitter<V> root{visit, std::nullopt, {}, no_block, false};
    root.tensor("model.embed_tokens.weight", shape2(c.vocab_size, c.hidden_size), Part::embedding,
                Split::rows);
    const std::uint64_t layers = checked_add(c.num_hidden_layers, mtp_layers_of(c), "layer count");
    for (std::uint64_t i = 0; i < layers;) {
        const std::uint64_t run = group_layers ? layers_alike(c, i, layers) : 1;
        visit_layer(c, i, visit, run);
        i += run;
    }
    root.tensor("model.norm.weight", detail::shape1(c.hidden_size), Part::norm);
    if (!c.tie_word_embeddings)
        root.tensor("lm_head.weight", detail::shape2(c.vocab_size, c.hidden_size), Part::lm_head,
                    Split::rows);
    if constexpr (std::is_same_v<C, DeepseekOCRConfig>) {
        if (vision_modelled(c)) for_each_ocr_vision_tensor(c, visit, group_layers);
    }
}

/// The tensors for sums: identical decoder layers grouped (see visit_model).
template <class C, class V> constexpr void for_each_tensor_summed(const C& c, V&& visit) {
    visit_model(c, visit, true);
}
} // namespace detail

/// Visits every tensor of the released checkpoint: embedding, decoder layers, V3 MTP modules,
/// final norm, output head (absent when tied), FP8 scales, and the OCR vision encoder.
template <class C, class V> constexpr void for_each_tensor(const C& c, V&& visit) {
    detail::require_config<C>();
    detail::visit_model(c, visit, false);
}

/// The dtype of the tensors of a storage class: float32 for `Storage::fp32`; FP8
/// (quantization_config.fmt) for `fp8_linear` when the config is FP8-quantised; otherwise
/// torch_dtype, and bf16 when torch_dtype is unset (every DeepSeek release is bf16).
template <class C> constexpr TensorDtype storage_dtype(const C& c, Storage storage) noexcept {
    detail::require_config<C>();
    if (storage == Storage::fp32) return TensorDtype::F32;
    if (storage == Storage::fp8_linear) {
        if (const auto q = detail::quantization_of(c))
            return q->fmt == Fp8Format::e5m2 ? TensorDtype::F8_E5M2 : TensorDtype::F8_E4M3;
    }
    if (!c.torch_dtype) return TensorDtype::BF16;
    switch (*c.torch_dtype) {
    case TorchDtype::float32: return TensorDtype::F32;
    case TorchDtype::float16: return TensorDtype::F16;
    case TorchDtype::bfloat16: return TensorDtype::BF16;
    }
    return TensorDtype::BF16;
}

/// The dtype a tensor is stored in: that of its storage class (see above).
template <class C> constexpr TensorDtype storage_dtype(const C& c, const TensorSpec& t) noexcept {
    return storage_dtype(c, t.storage);
}

// ---------------------------------------------------------------------------------------------
// Parameter counts.
// ---------------------------------------------------------------------------------------------

/// Parameters by component, in elements. `total` is the released checkpoint's main model (OCR:
/// with the vision encoder) without MTP modules and FP8 scales; `mtp` is the V3 MTP modules as
/// stored (with their copies of embed_tokens and the head); `active` follows DeepSeek: all
/// attention and norms, dense MLPs, per MoE layer the router, shared experts and
/// num_experts_per_tok routed experts, the final norm and the output head; not the input
/// embedding, vision or MTP. `vision_modelled` false (OCR-2) means `vision` is 0 and `total`
/// covers the language model only.
struct ParamBreakdown {
    std::uint64_t embedding = 0;      ///< model.embed_tokens [V, H]
    std::uint64_t lm_head = 0;        ///< lm_head [V, H]; 0 when tied
    std::uint64_t attention = 0;      ///< all self_attn tensors, q_a/kv_a norms included
    std::uint64_t dense_mlp = 0;      ///< dense layers' MLPs, 3 H I each
    std::uint64_t router = 0;         ///< mlp.gate [E, H] (+ e_score_correction_bias [E])
    std::uint64_t routed_experts = 0; ///< E x 3 H I_e per MoE layer
    std::uint64_t shared_experts = 0; ///< 3 H (S I_e) per MoE layer
    std::uint64_t norms = 0;          ///< two RMSNorms per layer + the final norm
    std::uint64_t vision = 0;         ///< OCR DeepEncoder, projector and separators
    std::uint64_t mtp = 0;            ///< V3 MTP modules as stored
    std::uint64_t total = 0;          ///< sum of the fields above except mtp
    std::uint64_t active = 0;         ///< activated per token, DeepSeek's convention
    bool vision_modelled = true;      ///< false: the vision encoder is not counted (OCR-2)
    bool indexer_modelled = true;     ///< false: the V3.2 DSA indexer is not counted
};

namespace detail {
/// Sums tensors into a ParamBreakdown. A tensor adds its elements to one running sum, that of its
/// component or of the MTP modules; the fields, total and active count are formed from those
/// once, in `breakdown()`, rather than updated for every tensor.
struct BreakdownSum {
    std::uint64_t experts_per_token = 0; ///< num_experts_per_tok: routed experts active per token
    /// The main model's elements by Part (the scale slot stays 0).
    std::array<std::uint64_t, static_cast<std::size_t>(Part::scale) + 1> by_part{};
    std::uint64_t mtp = 0;           ///< the MTP modules, all components
    std::uint64_t routed_active = 0; ///< routed experts active per token: k of the E copies

    /// Adds `t`, whose `n` = t.elements() the caller computes once for all its sums.
    constexpr void add(const TensorSpec& t, std::uint64_t n) {
        const char* const what = "parameter count";
        if (t.part == Part::scale) return; // FP8 scales are not parameters
        if (t.mtp) {
            mtp = checked_add(mtp, n, what);
            return;
        }
        std::uint64_t& sum = by_part[static_cast<std::size_t>(t.part)];
        sum = checked_add(sum, n, what);
        if (t.part == Part::routed_experts) {
            const std::uint64_t k = experts_per_token < t.copies ? experts_per_token : t.copies;
            routed_active = checked_add(
                routed_active,
                checked_mul(checked_mul(t.shape.elements(), k, what), t.layers, what), what);
        }
    }

    /// The breakdown of the tensors added (vision_modelled and indexer_modelled left true).
    constexpr ParamBreakdown breakdown() const {
        const char* const what = "parameter count";
        const auto of = [&](Part p) { return by_part[static_cast<std::size_t>(p)]; };
        ParamBreakdown b{};
        b.embedding = of(Part::embedding);
        b.lm_head = of(Part::lm_head);
        b.attention = of(Part::attention);
        b.norms = of(Part::norm);
        b.dense_mlp = of(Part::dense_mlp);
        b.router = of(Part::router);
        b.routed_experts = of(Part::routed_experts);
        b.shared_experts = of(Part::shared_experts);
        b.vision = of(Part::vision);
        b.mtp = checked_add(mtp, of(Part::mtp_projection), what); // eh_proj belongs to MTP
        for (const std::uint64_t n : {b.embedding, b.lm_head, b.attention, b.norms, b.dense_mlp,
                                      b.router, b.routed_experts, b.shared_experts, b.vision})
            b.total = checked_add(b.total, n, what);
        // Active per token: all but the input embedding, the vision encoder and MTP, with the
        // routed experts counted k of E.
        for (const std::uint64_t n : {b.lm_head, b.attention, b.norms, b.dense_mlp, b.router,
                                      routed_active, b.shared_experts})
            b.active = checked_add(b.active, n, what);
        return b;
    }
};

/// The breakdown of the whole model from the sum over its tensors.
template <class C> constexpr ParamBreakdown model_breakdown(const C& c, const BreakdownSum& sum) {
    ParamBreakdown b = sum.breakdown();
    b.vision_modelled = vision_modelled(c);
    b.indexer_modelled = indexer_modelled(c);
    return b;
}
} // namespace detail

/// Parameters of the whole model by component (see ParamBreakdown).
template <class C> constexpr ParamBreakdown param_breakdown(const C& c) {
    detail::require_config<C>();
    detail::BreakdownSum sum{detail::value_or_zero(c.num_experts_per_tok)};
    detail::for_each_tensor_summed(c, [&](const TensorSpec& t) { sum.add(t, t.elements()); });
    return detail::model_breakdown(c, sum);
}

/// Parameters of decoder layer `index` alone, by component (for an MTP layer, all in `mtp`).
template <class C> constexpr ParamBreakdown layer_breakdown(const C& c, std::uint64_t index) {
    detail::require_config<C>();
    detail::BreakdownSum sum{detail::value_or_zero(c.num_experts_per_tok)};
    for_each_layer_tensor(c, index, [&](const TensorSpec& t) { sum.add(t, t.elements()); });
    return sum.breakdown();
}

/// Total parameters (elements) of the main model, MTP and FP8 scales excluded.
template <class C> constexpr std::uint64_t parameter_count(const C& c) {
    return param_breakdown(c).total;
}

/// Parameters activated per token, DeepSeek's convention (head counted, input embedding not).
template <class C> constexpr std::uint64_t active_parameter_count(const C& c) {
    return param_breakdown(c).active;
}

/// Number of tensors stored in the checkpoint (experts counted one by one, FP8 scales and MTP
/// included).
template <class C> constexpr std::uint64_t tensor_count(const C& c) {
    std::uint64_t n = 0;
    detail::for_each_tensor_summed(
        c, [&](const TensorSpec& t) {
            n = detail::checked_add(n, detail::checked_mul(t.copies, t.layers, "tensor count"),
                                    "tensor count");
        });
    return n;
}

/// Elements stored in the checkpoint: parameters, MTP modules and FP8 scales.
template <class C> constexpr std::uint64_t stored_elements(const C& c) {
    std::uint64_t n = 0;
    detail::for_each_tensor_summed(c, [&](const TensorSpec& t) {
        n = detail::checked_add(n, t.elements(), "stored elements");
    });
    return n;
}

// ---------------------------------------------------------------------------------------------
// Bytes of weights.
// ---------------------------------------------------------------------------------------------

namespace detail {
/// The elements of `t` held by one of `tp` ranks, or nullopt when tp does not divide the split.
constexpr std::optional<std::uint64_t> rank_elements(const TensorSpec& t, std::uint64_t tp) {
    Shape s = t.shape;
    std::uint64_t copies = t.copies;
    switch (t.split) {
    case Split::replicated: break;
    case Split::rows:
        if (s.rank < 1 || s.dims[0] % tp != 0) return std::nullopt;
        s.dims[0] /= tp;
        break;
    case Split::cols:
        if (s.rank < 2 || s.dims[1] % tp != 0) return std::nullopt;
        s.dims[1] /= tp;
        break;
    case Split::experts:
        if (copies % tp != 0) return std::nullopt;
        copies /= tp;
        break;
    }
    return checked_mul(checked_mul(s.elements(), copies, "tensor elements"), t.layers,
                       "tensor elements");
}

/// For the per-rank sums: sets `n` (t.elements() on entry) to what one of `tp` ranks holds of
/// `t`. False when tp does not divide the tensor, which sets `error`; once it is set, every
/// later tensor is skipped too. At tp 1 there is nothing to split.
constexpr bool rank_share(const TensorSpec& t, std::uint64_t tp, MemoryError& error, std::uint64_t& n) {
    if (tp == 1) return true;
    if (error != MemoryError::none) return false;
    const auto held = rank_elements(t, tp);
    if (!held) {
        error = MemoryError::tp_does_not_divide;
        return false;
    }
    n = *held;
    return true;
}

/// Sums the checkpoint bytes (each tensor at its storage dtype, FP8 scales included) held by one
/// of `tp` ranks; tp 1 is the whole checkpoint. Precondition: tp > 0. The dtype of a tensor
/// depends on its storage class alone, so elements are summed per class and turned into bytes
/// once, in `bytes()`, instead of looking the dtype up for every tensor.
template <class C> struct CheckpointBytesSum {
    const C& c;
    std::uint64_t tp = 1;
    std::array<std::uint64_t, static_cast<std::size_t>(Storage::fp8_linear) + 1> elements{}; ///< by Storage
    MemoryError error = MemoryError::none;

    /// `n` = t.elements(), computed once by the caller for all its sums.
    constexpr void add(const TensorSpec& t, std::uint64_t n) {
        if (!rank_share(t, tp, error, n)) return;
        std::uint64_t& sum = elements[static_cast<std::size_t>(t.storage)];
        sum = checked_add(sum, n, "checkpoint bytes");
    }
    constexpr SizeResult bytes() const {
        if (error != MemoryError::none) return {0, error};
        const char* const what = "checkpoint bytes";
        std::uint64_t total = 0;
        for (const Storage s : {Storage::model, Storage::fp32, Storage::fp8_linear}) {
            const std::uint64_t size = tensor_dtype_bytes(storage_dtype(c, s));
            total = checked_add(total, checked_mul(elements[static_cast<std::size_t>(s)], size, what),
                                what);
        }
        return {total};
    }
};

/// Sums the bits of every stored tensor but the FP8 scales at one uniform dtype, held by one of
/// `tp` ranks. Precondition: tp > 0.
struct UniformBitsSum {
    Dtype dtype = Dtype::bf16;
    std::uint64_t tp = 1;
    std::uint64_t elements = 0;
    MemoryError error = MemoryError::none;

    /// `n` = t.elements(), computed once by the caller for all its sums.
    constexpr void add(const TensorSpec& t, std::uint64_t n) {
        if (t.part == Part::scale) return;
        if (!rank_share(t, tp, error, n)) return;
        elements = checked_add(elements, n, "weight bits");
    }
    constexpr SizeResult bits() const {
        if (error != MemoryError::none) return {0, error};
        return {checked_mul(elements, dtype_bits(dtype), "weight bits")};
    }
};

/// Bits to whole bytes (int4 rounds the total up once), keeping any error.
constexpr SizeResult bits_to_bytes(SizeResult bits) noexcept {
    return {ceil_div(bits.value, 8), bits.error};
}

/// UniformBitsSum over the whole model.
template <class C>
constexpr SizeResult uniform_bits_per_rank(const C& c, Dtype d, std::uint64_t tp) {
    if (tp == 0) return {0, MemoryError::tp_zero};
    UniformBitsSum sum{d, tp};
    for_each_tensor_summed(c, [&](const TensorSpec& t) { sum.add(t, t.elements()); });
    return sum.bits();
}
} // namespace detail

/// Bytes of the checkpoint as released: each tensor at its storage dtype (`storage_dtype`),
/// FP8 scales included, MTP modules included.
template <class C> constexpr std::uint64_t checkpoint_bytes(const C& c) {
    detail::require_config<C>();
    detail::CheckpointBytesSum<C> sum{c, 1};
    detail::for_each_tensor_summed(c, [&](const TensorSpec& t) { sum.add(t, t.elements()); });
    return sum.bytes().value;
}

/// Bytes of every stored tensor (MTP included, FP8 scales excluded) at one uniform dtype. int4
/// packs two elements per byte; the total bit count is rounded up to whole bytes once.
template <class C> constexpr std::uint64_t weight_bytes(const C& c, Dtype d) {
    detail::require_config<C>();
    return detail::ceil_div(detail::uniform_bits_per_rank(c, d, 1).value, 8);
}

/// Whether `tp` ranks can split the model as DeepSeek's V3 inference code does: tp > 0 and tp
/// divides every split dimension (vocab rows, heads' rows/cols, MLP widths, routed experts).
template <class C> constexpr bool can_split(const C& c, std::uint64_t tp) {
    detail::require_config<C>();
    return detail::uniform_bits_per_rank(c, Dtype::bf16, tp).ok();
}

/// Bytes per tensor-parallel rank at one uniform dtype, split as DeepSeek's V3 inference code
/// does: embedding and head by vocab rows, q_proj/q_b/kv_b and the up/gate projections of
/// dense MLPs and shared experts by rows, o_proj and down projections by columns, routed
/// experts by expert index; q_a, kv_a, norms, router, MTP eh_proj and vision replicated.
/// Error `tp_zero` / `tp_does_not_divide` when `can_split` is false.
template <class C>
constexpr SizeResult weight_bytes_per_rank(const C& c, Dtype d, std::uint64_t tp) {
    detail::require_config<C>();
    return detail::bits_to_bytes(detail::uniform_bits_per_rank(c, d, tp));
}

/// Checkpoint bytes (storage dtypes, FP8 scales) held by one of `tp` ranks, split as in
/// `weight_bytes_per_rank`; a scale tensor is split like its weight, so tp must also divide the
/// split dimension of the scale grid.
template <class C> constexpr SizeResult checkpoint_bytes_per_rank(const C& c, std::uint64_t tp) {
    detail::require_config<C>();
    if (tp == 0) return {0, MemoryError::tp_zero};
    detail::CheckpointBytesSum<C> sum{c, tp};
    detail::for_each_tensor_summed(c, [&](const TensorSpec& t) { sum.add(t, t.elements()); });
    return sum.bytes();
}

// ---------------------------------------------------------------------------------------------
// KV cache.
// ---------------------------------------------------------------------------------------------

/// Whether a KV layout exists for the model: latent and expanded need MLA, mha needs use_mla
/// false.
template <class C> constexpr bool layout_fits(const C& c, KvLayout layout) noexcept {
    detail::require_config<C>();
    return layout == KvLayout::mha ? !uses_mla(c) : uses_mla(c);
}

namespace detail {
template <class C> constexpr MemoryError layout_error(const C& c, KvLayout layout) noexcept {
    if (layout_fits(c, layout)) return MemoryError::none;
    return layout == KvLayout::mha ? MemoryError::layout_needs_mha : MemoryError::layout_needs_mla;
}
} // namespace detail

/// KV-cache elements per token per layer: latent r_kv + d_rope; expanded
/// n_h (d_nope + d_rope) + n_h d_v; mha 2 n_kv head_dim. Error when the layout does not fit.
template <class C> constexpr SizeResult kv_elements_per_token(const C& c, KvLayout layout) {
    detail::require_config<C>();
    const MemoryError err = detail::layout_error(c, layout);
    if (err != MemoryError::none) return {0, err};
    const char* const what = "KV elements";
    using detail::checked_add;
    using detail::checked_mul;
    switch (layout) {
    case KvLayout::latent:
        // One compressed latent plus the shared rope key, for all heads together.
        return {checked_add(detail::value_or_zero(c.kv_lora_rank), c.qk_rope_head_dim, what)};
    case KvLayout::expanded:
        // Decompressed K (rope part broadcast to every head) and V, per head.
        return {checked_add(checked_mul(c.num_attention_heads,
                                        checked_add(c.qk_nope_head_dim, c.qk_rope_head_dim, what),
                                        what),
                            checked_mul(c.num_attention_heads, c.v_head_dim, what), what)};
    case KvLayout::mha:
        return {checked_mul(2, checked_mul(c.num_key_value_heads, mha_head_dim(c), what), what)};
    }
    return {};
}

/// KV-cache elements per token per layer on one of `tp` ranks: latent is replicated on every
/// rank; expanded is split by attention heads, mha by KV heads (tp must divide them).
template <class C>
constexpr SizeResult kv_elements_per_token_per_rank(const C& c, KvLayout layout, std::uint64_t tp) {
    SizeResult r = kv_elements_per_token(c, layout);
    if (!r) return r;
    if (tp == 0) return {0, MemoryError::tp_zero};
    if (layout == KvLayout::latent) return r;
    const std::uint64_t heads =
        layout == KvLayout::expanded ? c.num_attention_heads : c.num_key_value_heads;
    if (heads % tp != 0) return {0, MemoryError::tp_does_not_divide};
    r.value /= tp;
    return r;
}

/// KV-cache bytes on one of `tp` ranks for `tokens` tokens in each of `batch` sequences over
/// num_hidden_layers layers (MTP draft layers excluded), elements at `d` (int4 rounds the total
/// up to whole bytes).
template <class C>
constexpr SizeResult kv_cache_bytes_per_rank(const C& c, KvLayout layout, std::uint64_t tokens,
                                             std::uint64_t batch, Dtype d, std::uint64_t tp) {
    SizeResult r = kv_elements_per_token_per_rank(c, layout, tp);
    if (!r) return r;
    const char* const what = "KV cache bytes";
    std::uint64_t bits = detail::checked_mul(r.value, c.num_hidden_layers, what);
    bits = detail::checked_mul(bits, tokens, what);
    bits = detail::checked_mul(bits, batch, what);
    bits = detail::checked_mul(bits, dtype_bits(d), what);
    return {detail::ceil_div(bits, 8)};
}

/// KV-cache bytes for `tokens` tokens x `batch` sequences on a single device.
template <class C> constexpr SizeResult
kv_cache_bytes(const C& c, KvLayout layout, std::uint64_t tokens, std::uint64_t batch, Dtype d) {
    return kv_cache_bytes_per_rank(c, layout, tokens, batch, d, 1);
}

/// KV-cache bytes of one token over all num_hidden_layers layers (batch 1, one device).
template <class C> constexpr SizeResult kv_bytes_per_token(const C& c, KvLayout layout, Dtype d) {
    return kv_cache_bytes_per_rank(c, layout, 1, 1, d, 1);
}

// ---------------------------------------------------------------------------------------------
// Budget.
// ---------------------------------------------------------------------------------------------

/// The largest context T (tokens per sequence) such that `weight_bytes_per_rank_value` +
/// KV(T, batch) on one of `tp` ranks fits in `budget_bytes`; 0 when the weights alone do not
/// fit. When a token costs no KV bytes (batch 0) the answer is the largest uint64.
template <class C> constexpr SizeResult
max_context_tokens_given_weights(const C& c, std::uint64_t weight_bytes_per_rank_value,
                                 KvLayout layout, Dtype kv_dtype, std::uint64_t batch,
                                 std::uint64_t tp, std::uint64_t budget_bytes) {
    const SizeResult per_token = kv_elements_per_token_per_rank(c, layout, tp);
    if (!per_token) return per_token;
    if (weight_bytes_per_rank_value > budget_bytes) return {0};
    const std::uint64_t available = budget_bytes - weight_bytes_per_rank_value;
    const char* const what = "KV cache bits per token";
    // KV(T) = ceil(T * bits_per_token / 8) <= available  <=>  T * bits_per_token <= 8 available.
    std::uint64_t bits_per_token = detail::checked_mul(per_token.value, c.num_hidden_layers, what);
    bits_per_token = detail::checked_mul(bits_per_token, batch, what);
    bits_per_token = detail::checked_mul(bits_per_token, dtype_bits(kv_dtype), what);
    if (bits_per_token == 0) return {detail::u64_max};
    // floor(8 available / bits) without forming 8 available: q 8 + floor(8 rem / bits).
    const std::uint64_t q = available / bits_per_token;
    const std::uint64_t rem = available % bits_per_token;
    if (q > detail::u64_max / 8) return {detail::u64_max};
    return {detail::checked_add(q * 8, detail::checked_mul(rem, 8, what) / bits_per_token, what)};
}

/// The largest context T such that the weights per rank at `weight_dtype` plus KV(T, batch)
/// fit in `budget_bytes` on each of `tp` ranks; 0 when the weights alone do not fit. Errors:
/// a layout that does not fit, tp 0, or tp not dividing the model.
template <class C> constexpr SizeResult max_context_tokens(const C& c, Dtype weight_dtype,
                                                           KvLayout layout, Dtype kv_dtype,
                                                           std::uint64_t batch, std::uint64_t tp,
                                                           std::uint64_t budget_bytes) {
    const SizeResult w = weight_bytes_per_rank(c, weight_dtype, tp);
    if (!w) return w;
    return max_context_tokens_given_weights(c, w.value, layout, kv_dtype, batch, tp, budget_bytes);
}

} // namespace deepseek

#endif // DEEPSEEK_CONFIG_MEMORY_HPP
