// deepseek-config: typed DeepSeek model configs and exact memory arithmetic.
// SPDX-License-Identifier: MIT
//
// What each GPU of a vLLM or SGLang deployment holds in weights, by component, by the engine's
// sharding rules (docs/deployment.md); deployment.hpp adds the KV cache. Standard library only.
#ifndef DEEPSEEK_CONFIG_GPU_WEIGHTS_HPP
#define DEEPSEEK_CONFIG_GPU_WEIGHTS_HPP

#include <array>
#include <cstdint>
#include <type_traits>

#include "config.hpp"
#include "detail/sglang_code.hpp"
#include "detail/v4_engine_rules.hpp"
#include "detail/vision_split.hpp"
#include "dtypes.hpp"
#include "error.hpp"
#include "memory.hpp"
#include "overflow.hpp"
#include "tensor_spec.hpp"
#include "tensor_walk.hpp"

namespace deepseek {

/// The most pipeline stages a Deployment may have.
inline constexpr std::uint64_t max_pipeline_stages = 64;

/// How a model is laid out on the GPUs of one vLLM or SGLang instance. An aggregate: name the
/// fields.
struct Deployment {
    std::uint64_t tp = 1; ///< `--tensor-parallel-size`: attention, dense and shared MLPs, embedding and head split
    /// `--pipeline-parallel-size`: the decoder layers cut into pp stages of whole layers
    /// (pipeline_stage_layers), each on its own tp GPUs; the first stage holds the embedding, the
    /// last the final norm and the head.
    std::uint64_t pp = 1;
    std::uint64_t dp = 1; ///< `--data-parallel-size`: replicas of the tp x pp GPUs (each holds its own requests)
    /// Expert parallelism: the routed experts spread whole over the GPUs instead of each being
    /// split tp ways. vLLM's `--enable-expert-parallel`: over tp x dp GPUs; SGLang's `--ep-size`:
    /// over ep_size of the tp GPUs.
    bool expert_parallel = false;
    /// SGLang's `--ep-size` (with expert_parallel): the routed experts spread over ep_size GPUs,
    /// each split tp / ep_size ways by its width (SGLang's moe_tp_size); ep_size divides tp. 0:
    /// tp (whole experts).
    std::uint64_t ep_size = 0;
    /// EPLB's `num_redundant_experts`: extra expert copies per MoE layer, spread with the others.
    std::uint64_t redundant_experts = 0;
    /// Load the MTP modules (speculative decoding). vLLM loads them only then; off by default.
    bool mtp = false;
    /// vLLM's `VLLM_PP_LAYER_PARTITION`: the decoder layers of each stage, in order (pp entries,
    /// each at least 1, adding up to num_hidden_layers). Empty: vLLM's own split
    /// (pipeline_stage_layers).
    FixedVector<std::uint64_t, max_pipeline_stages> layer_partition{};
    /// The engine whose rules lay the model out: vLLM or SGLang. Where SGLang differs: its dp
    /// replicates tp x pp GPUs, or with dp_attention works inside them; its expert parallelism is
    /// over the tp GPUs; and the three switches below, which are SGLang's only.
    Engine engine = Engine::vllm;
    /// SGLang's `--enable-dp-attention`: dp attention groups inside the tp GPUs (tp % dp == 0),
    /// each of tp / dp GPUs, splitting the attention's q_b/kv_b/o projections and the embedding
    /// among themselves and holding their own requests; the MLPs and the head stay split tp ways.
    bool dp_attention = false;
    /// SGLang's `--moe-dense-tp-size 1`: the dense MLP layers replicated instead of split tp ways.
    bool dense_tp1 = false;
    /// SGLang's `--enable-dp-lm-head` (with dp_attention): the head split tp / dp ways, as the
    /// embedding, instead of tp.
    bool dp_lm_head = false;
    /// SGLang's `--moe-a2a-backend deepep` (with expert_parallel; SGLang sets the EP size to tp):
    /// DeepEP's all-to-all dispatch, with which each GPU holds the whole shared expert
    /// (deepseek_v2.py: `_shared_expert_use_tp1`) and SGLang's default fraction keeps 2 GiB more.
    bool deepep = false;
    /// SGLang's `SGLANG_SHARED_EXPERT_TP1=1`: each GPU holds the whole shared expert, as with
    /// DeepEP (for DeepSeek-V4, whose shared expert's share is no whole FP8 blocks at tp 16).
    bool shared_expert_tp1 = false;
    /// SGLang's `--page-size`: tokens per page of its KV pool. 0: SGLang's default, 1 (64 for
    /// V3.2's DSA pool, which takes no other). Give the size the attention backend forces when it
    /// does (FlashMLA 64, CUTLASS MLA 128, TRT-LLM MLA 32 or 64).
    std::uint64_t page_size = 0;
    /// vLLM's `--mm-encoder-tp-mode data`, SGLang's `--mm-enable-dp-encoder`: a vision encoder that
    /// supports it whole on every GPU, each GPU encoding its own images, instead of split tp ways
    /// (detail::encoder_whole): under vLLM Kimi-VL's and Kimi-K2.5's MoonViT (DeepSeek-OCR, OCR-2
    /// and VL2 do not declare it, so vLLM warns and splits them as without it), under SGLang
    /// Kimi-K2.5's (its Kimi-VL code ignores it; its other encoders are whole anyway).
    bool mm_encoder_data = false;
    /// vLLM's `--language-model-only` (#34120, February 2026; the same as every modality's
    /// `--limit-mm-per-prompt` at 0): the vision encoder, its projector and the image separators
    /// are neither built nor loaded on any GPU (`_mark_tower_model`, in every DeepSeek and Kimi
    /// vision model's vLLM code since #32605 and #32631, January 2026; earlier versions load them
    /// regardless). vLLM's only (SGLang: refused).
    bool language_model_only = false;
    /// The GPUs' generation, where an engine's weights depend on it (GpuArch): SGLang's
    /// DeepSeek-V4 is modelled on Hopper only, and vLLM's FP4 experts of DeepSeek-V4 padded as
    /// Hopper's Marlin backend pads them (otherwise only where every backend agrees).
    GpuArch gpu_arch = GpuArch::unspecified;
    /// SGLang's DeepSeek-V4 on Hopper: the routed experts' float32 scales deleted once Marlin has
    /// repacked them (sglang PR #29797; the deepseek-v4-hopper images of September 2026 load
    /// about 22 GB less for V4-Pro at tp 8). False, as in the code read (models/deepseek_v4.py at
    /// 000328a8): they stay beside Marlin's copies.
    bool marlin_scales_dropped = false;
};

/// The GPUs each routed expert is split over under expert parallelism: SGLang's moe_tp_size, tp
/// / ep_size (1 when ep_size is tp or 0, and under vLLM).
[[nodiscard]] constexpr std::uint64_t expert_tp(const Deployment& d) noexcept {
    return d.engine == Engine::sglang && d.expert_parallel && d.ep_size != 0 ? d.tp / d.ep_size : 1;
}

/// The GPUs one request's attention is split over: tp, or SGLang's tp / dp with DP attention.
[[nodiscard]] constexpr std::uint64_t attention_tp(const Deployment& d) noexcept {
    return d.engine == Engine::sglang && d.dp_attention && d.dp != 0 ? d.tp / d.dp : d.tp;
}

/// A run of decoder layers: those of one pipeline stage.
struct LayerRange {
    std::uint64_t first = 0; ///< the index of its first layer
    std::uint64_t count = 0; ///< how many
};

/// The decoder layers of pipeline stage `stage` (0 to d.pp - 1) by vLLM's rule (get_pp_indices
/// in vllm/distributed/utils.py): each stage has num_hidden_layers / pp layers, and the
/// remainder goes one layer each to the second-to-last stage, the one before it, and so on (the
/// last stage, which also holds the head, never gets one). V3 at pp 4: 15, 15, 16, 15. SGLang's
/// rule (get_pp_indices in sglang's distributed/utils.py) gives the remainder to the last stages
/// instead: 15, 15, 15, 16. With d.layer_partition (VLLM_PP_LAYER_PARTITION, SGLang's
/// SGLANG_PP_LAYER_PARTITION) the stage has the layers given for it, after those of the stages
/// before. Precondition: 0 < d.pp <= num_hidden_layers, stage < d.pp, and a
/// partition as Deployment says (weights_per_gpu checks them).
template <class C> [[nodiscard]] constexpr LayerRange pipeline_stage_layers(const C& c, const Deployment& d,
                                                                            std::uint64_t stage) noexcept {
    if (!d.layer_partition.empty()) {
        LayerRange r{0, d.layer_partition[stage]};
        for (std::uint64_t s = 0; s < stage; ++s) r.first += d.layer_partition[s];
        return r;
    }
    const std::uint64_t layers = c.num_hidden_layers, base = layers / d.pp, extra = layers % d.pp;
    if (d.engine == Engine::sglang) { // SGLang's get_pp_indices: the last `extra` stages have base + 1
        const std::uint64_t first_longer = d.pp - extra;
        if (stage >= first_longer) return LayerRange{stage * (base + 1) - first_longer, base + 1};
        return LayerRange{stage * base, base};
    }
    // Stages pp-1-extra to pp-2 have base + 1 layers.
    const std::uint64_t first_longer = d.pp - 1 - extra;
    const std::uint64_t longer_before = stage > first_longer ? (stage < d.pp - 1 ? stage : d.pp - 1) - first_longer : 0;
    const bool longer = stage >= first_longer && stage + 1 < d.pp;
    return LayerRange{stage * base + longer_before, base + (longer ? 1 : 0)};
}

/// The weight bytes one GPU of a Deployment holds, the checkpoint's tensors as released, by the
/// component they belong to.
struct GpuWeights {
    std::uint64_t gpus = 1;            ///< tp x pp x dp
    std::uint64_t experts_per_gpu = 0; ///< with expert parallelism: routed experts per MoE layer on one GPU
    LayerRange layers{};               ///< the decoder layers of the GPU's pipeline stage
    /// Bytes of the main model's tensors held, by Part; a scale counts with its weight (so
    /// by_part for Part::scale is 0), and the MTP modules are apart, in `mtp`.
    std::array<std::uint64_t, part_count> by_part{};
    std::uint64_t mtp = 0; ///< bytes of the MTP modules held (when loaded: Deployment::mtp)
    /// False when the model's vision encoder is not modelled (vision_modelled: DeepSeek-VL2 with
    /// tile_tag "1D", say): the engine loads it, but it is not in these bytes, so they are short
    /// by its share and a cache planned beside them is an upper bound.
    bool vision_modelled = true;

    /// The bytes of one component.
    [[nodiscard]] constexpr std::uint64_t of(Part p) const noexcept { return by_part[static_cast<std::size_t>(p)]; }
    /// Everything held: every component and the MTP modules.
    [[nodiscard]] constexpr std::uint64_t total() const {
        std::uint64_t n = mtp;
        for (const std::uint64_t b : by_part) n = detail::checked_add(n, b, "weights per GPU");
        return n;
    }
};

namespace detail {

/// vLLM and SGLang pad the vocabulary of the embedding and the head to a multiple of this many
/// rows (vocab_parallel_embedding.py: DEFAULT_VOCAB_PADDING_SIZE).
inline constexpr std::uint64_t vocab_padding = 64;

/// Whether vLLM can split each routed expert `tp` ways (without expert parallelism): tp must
/// divide its width, and in DeepSeek's FP8 blocks each share must be whole blocks (vLLM: "The
/// output_size of gate's and up's weight = 64 is not divisible by weight quantization block_n =
/// 128"). The other split weights are checked by GpuWeightsSum.
template <class C> constexpr MemoryError expert_split_error(const C& c, const Deployment& d, std::uint64_t tp) {
    if constexpr (std::is_same_v<C, DeepseekV4Config>) {
        // DeepSeek-V4: FP8 experts need whole blocks, as above; FP4 experts a width whose padding
        // is known (v4_expert_width); ModelOpt's re-quantised experts go through another MoE
        // method, whose split is not checked.
        const std::uint64_t width = c.moe_intermediate_size;
        if (width % tp != 0) return MemoryError::tp_does_not_divide;
        const V4Storage s = v4_storage(c);
        if (tp != 1 && c.weight_quantization) return MemoryError::moe_padding_not_modelled;
        if (s.fp8 && s.fp4_experts && v4_expert_width(c, d.engine, d.gpu_arch, tp) == 0)
            return MemoryError::moe_padding_not_modelled;
        if (s.fp8 && !s.fp4_experts && ((width / tp) % s.b0 != 0 || (width / tp) % s.b1 != 0))
            return MemoryError::fp8_block_split;
        return MemoryError::none;
    } else {
        (void)d;
        if (!c.n_routed_experts) return MemoryError::none;
        const std::uint64_t width = c.moe_intermediate_size;
        if (width % tp != 0) return MemoryError::tp_does_not_divide;
        if constexpr (std::is_base_of_v<DeepseekV3Config, C>) {
            if (uses_deepseek_fp8(c)) {
                const auto& b = c.quantization_config->weight_block_size;
                if ((width / tp) % b[0] != 0 || (width / tp) % b[1] != 0) return MemoryError::fp8_block_split;
            }
        }
        return MemoryError::none;
    }
}

/// Sums what the GPUs of a deployment hold, tensor by tensor, by the engine's rules: a stage's
/// layers (the embedding on the first stage, the final norm and head on the last); a routed
/// expert's tensors whole (expert parallelism) or split; the rest split or replicated.
/// Each tensor's bytes per layer on one GPU are worked out once; they go by component to the
/// `stage` asked for (`by_part`, `mtp_bytes`), and in total to every stage (`stage_bytes`), a run
/// of layers alike at a time, so one walk gives a whole pipeline.
template <class C> struct GpuWeightsSum {
    const C& c;
    const Deployment& d;
    std::uint64_t experts_per_gpu = 0;                            ///< 0: no expert parallelism
    std::uint64_t stage = 0;                                      ///< the stage whose components are kept
    std::uint64_t block_rows = 0, block_cols = 0;                 ///< DeepSeek's FP8 blocks, 0 without them
    std::array<std::uint64_t, storage_count> storage_bytes{};     ///< bytes per element of each storage class
    std::array<std::uint64_t, part_count> by_part{};              ///< the stage's main-model bytes, by owner
    std::uint64_t mtp_bytes = 0;                                  ///< the MTP modules' (last stage, when loaded)
    std::array<std::uint64_t, max_pipeline_stages> stage_bytes{}; ///< every stage's total
    /// The run of layers being summed for stage_bytes: [run_first, run_end) main layers, then
    /// run_mtp MTP modules, run_bytes on one GPU per layer.
    std::uint64_t run_first = 0, run_end = 0, run_mtp = 0, run_bytes = 0;
    MemoryError error = MemoryError::none;

    constexpr GpuWeightsSum(const C& config, const Deployment& deployment, std::uint64_t experts, std::uint64_t s)
        : c(config), d(deployment), experts_per_gpu(experts), stage(s) {
        for (std::size_t i = 0; i < storage_count; ++i)
            storage_bytes[i] = dtype_bits(storage_dtype(c, static_cast<Storage>(i))) / 8; // whole bytes
    }

    /// How the engine splits `t` over tensor-parallel GPUs: as the walk says (DeepSeek's inference
    /// code), except the vision encoders' tensors (engine_vision_split) and two of DeepSeek-V4's
    /// (deepseek_v4.py at 023da1fc; SGLang's alike): its shared expert, replicated by the demo,
    /// split as an MLP (w1, w3 by rows; w2 by columns), and its indexer's wq_b and weights_proj,
    /// split by index heads in the demo, replicated (ReplicatedLinear).
    constexpr Split engine_split(const TensorSpec& t) const noexcept {
        if constexpr (std::is_same_v<C, DeepseekV4Config>) {
            if (t.owner == Part::shared_experts)
                return t.suffix == "ffn.shared_experts.w2.weight" ? Split::cols : Split::rows;
            if (t.owner == Part::indexer) return Split::replicated;
        }
        if (t.part == Part::vision)
            return engine_vision_split<C>(t, d.engine, encoder_whole<C>(d.engine, d.mm_encoder_data));
        return t.split;
    }

    /// One GPU's share of `n` elements of `t` (one layer's, or a root tensor's), or false (with
    /// `error` set) when it does not split.
    constexpr bool gpu_share(const TensorSpec& t, std::uint64_t& n) {
        if constexpr (std::is_same_v<C, DeepseekV4Config>) {
            // vLLM: max(heads / tp, 64) for FlashMLA; SGLang: every head's ([H] float32).
            if (t.suffix == "attn.attn_sink") {
                if (d.engine == Engine::sglang) return true;
                if (n % d.tp != 0) {
                    error = MemoryError::tp_does_not_divide;
                    return false;
                }
                n = n / d.tp > v4_vllm_sink_heads ? n / d.tp : v4_vllm_sink_heads;
                return true;
            }
        }
        if (t.owner == Part::routed_experts) {
            if (experts_per_gpu != 0) {             // n holds `copies` experts: experts_per_gpu of them, each
                n = n / t.copies * experts_per_gpu; // whole, or split SGLang's moe_tp ways by width
            }
            const std::uint64_t ways = experts_per_gpu != 0 ? expert_tp(d) : d.tp;
            if (ways == 1 || t.split == Split::replicated) return true; // whole, or a per-expert scalar scale
            if (n % ways != 0) {
                error = MemoryError::tp_does_not_divide;
                return false;
            }
            n /= ways; // each expert split by width (expert_split_error checked the width)
            if constexpr (std::is_same_v<C, DeepseekV4Config>) {
                if (v4_storage(c).fp4_experts) { // the width padded as the MoE backend pads it
                    const std::uint64_t share = c.moe_intermediate_size / ways;
                    n = n / share * v4_expert_width(c, d.engine, d.gpu_arch, ways);
                }
            }
            return true;
        }
        const Split split = engine_split(t);
        const std::uint64_t ways = split_ways(t);
        if ((t.owner == Part::embedding || t.owner == Part::lm_head) && t.shape.rank == 2 &&
            t.shape.dims[0] == c.vocab_size) {
            // Both engines pad the vocabulary to a multiple of 64 rows, even on one GPU, and
            // split the padded rows (VocabParallelEmbedding and ParallelLMHead: pad_vocab_size,
            // DEFAULT_VOCAB_PADDING_SIZE = 64; "divide" asserts that the ways divide them).
            const char* const what = "weights per GPU";
            const std::uint64_t padded = checked_mul(ceil_div(c.vocab_size, vocab_padding), vocab_padding, what);
            if (padded % ways != 0) {
                error = MemoryError::tp_does_not_divide;
                return false;
            }
            n = checked_mul(padded / ways, t.shape.dims[1], what);
            return true;
        }
        if (ways == 1 || split == Split::replicated) return true;
        if constexpr (std::is_base_of_v<DeepseekV2Config, C>) {
            // Without MLA both engines build k and v into a QKVParallelLinear: its KV heads split
            // over the GPUs when tp divides them, else (tp a multiple of them) one whole head each.
            if (t.owner == Part::attention &&
                (t.suffix.rfind("self_attn.k_proj.", 0) == 0 || t.suffix.rfind("self_attn.v_proj.", 0) == 0)) {
                const std::uint64_t per_gpu = mha_kv_heads_per_gpu(c, ways);
                if (per_gpu == 0) {
                    error = MemoryError::tp_does_not_divide;
                    return false;
                }
                n = n / c.num_key_value_heads * per_gpu;
                return true;
            }
        }
        if (t.storage == Storage::fp8_linear && block_rows != 0 && t.shape.rank == 2) {
            const bool rows = split == Split::rows, cols = split == Split::cols;
            const std::uint64_t dim = rows ? t.shape.dims[0] : t.shape.dims[1];
            const std::uint64_t block = rows ? block_rows : block_cols;
            if ((rows || cols) && dim % ways == 0 && (dim / ways) % block != 0) {
                error = MemoryError::fp8_block_split;
                return false;
            }
        }
        TensorSpec as_split = t;
        as_split.split = split;
        if (!rank_elements(as_split, ways)) {
            error = MemoryError::tp_does_not_divide;
            return false;
        }
        n /= ways;
        return true;
    }

    /// How many ways the engine splits `t` (a tensor the walk splits, not a routed expert's):
    /// vLLM tp. SGLang (deepseek_v2.py): the attention's q_b/kv_b/o projections and the
    /// embedding over the attention group (attention_tp), the head over tp or with dp_lm_head the
    /// attention group, the dense MLP tp ways or with dense_tp1 not at all, the rest tp ways; the
    /// vision encoder over the attention group (VisionAttention and MLP2 take attn_tp_size).
    constexpr std::uint64_t split_ways(const TensorSpec& t) const noexcept {
        if (d.engine != Engine::sglang) return d.tp;
        switch (t.owner) {
        case Part::attention: return attention_tp(d);
        // DeepSeek-V4's embedding is whole on every GPU under DP attention (deepseek_v4.py:
        // VocabParallelEmbedding(enable_tp=not is_dp_attention_enabled())).
        case Part::embedding: return std::is_same_v<C, DeepseekV4Config> && d.dp_attention ? 1 : attention_tp(d);
        case Part::lm_head: return d.dp_lm_head ? attention_tp(d) : d.tp;
        case Part::dense_mlp: return d.dense_tp1 ? 1 : d.tp;
        case Part::vision: return attention_tp(d);
        case Part::shared_experts: return d.deepep || d.shared_expert_tp1 ? 1 : d.tp;
        default: return d.tp;
        }
    }

    /// Layers of [first, end) in `r`.
    static constexpr std::uint64_t overlap(std::uint64_t first, std::uint64_t end, const LayerRange& r) noexcept {
        const std::uint64_t lo = first > r.first ? first : r.first;
        const std::uint64_t hi = end < r.first + r.count ? end : r.first + r.count;
        return hi > lo ? hi - lo : 0;
    }

    /// Adds the run being summed to stage_bytes.
    constexpr void flush_run() {
        const char* const what = "weights per GPU";
        if (run_bytes == 0) return;
        for (std::uint64_t s = 0, first = 0; s < d.pp && first < run_end; ++s) {
            const LayerRange r = pipeline_stage_layers(c, d, s);
            first = r.first + r.count;
            const std::uint64_t n = overlap(run_first, run_end, r);
            if (n != 0) stage_bytes[s] = checked_add(stage_bytes[s], checked_mul(run_bytes, n, what), what);
        }
        if (run_mtp != 0 && d.mtp) {
            std::uint64_t& last = stage_bytes[d.pp - 1];
            last = checked_add(last, checked_mul(run_bytes, run_mtp, what), what);
        }
        run_bytes = 0;
    }

    constexpr void add(const TensorSpec& t) {
        const char* const what = "weights per GPU";
        if (error != MemoryError::none) return;
        // vLLM's loader skips the rotary inv_freq buffers a checkpoint may hold (Kimi-K2's): it
        // computes them. (DeepSeek-V4's tid2eid, also a buffer, is loaded.)
        if (t.part == Part::buffer && t.suffix == "self_attn.rotary_emb.inv_freq") return;
        if (t.part == Part::vision && d.language_model_only) return; // the tower is not built
        if (t.mtp && !d.mtp) return;
        // The MTP draft holds the target's embedding and head, not its stored copies: SGLang
        // skips them (deepseek_weight_loader.py: "Use shared head and embed weights from target
        // model"); vLLM loads them, then deletes them for the target's (v1/spec_decode's
        // load_model since #28549 and #34385, early 2026), but for the embedding under
        // pipelining: the draft is on the last stage (gpu_model_runner.py), without the
        // target's embedding, and keeps its own (_maybe_share_embeddings: shared at pp 1 only).
        if (t.mtp && t.owner == Part::lm_head) return;
        if (t.mtp && t.owner == Part::embedding && !(d.engine == Engine::vllm && d.pp > 1)) return;
        std::uint64_t n = t.elements() / t.layers; // one layer's (or the root tensor's)
        if (!gpu_share(t, n)) return;
        std::uint64_t element = storage_bytes[static_cast<std::size_t>(t.storage)];
        // vLLM holds DeepSeek-V4's hash-routing table, I64 in the checkpoint, as int32 (deepseek_v4.py:
        // hash_indices_dtype, int64 only for the MegaMoE backend, which is not the default).
        if (std::is_same_v<C, DeepseekV4Config> && t.suffix == "ffn.gate.tid2eid") element = 4;
        // SGLang's DeepSeek-V4 on Hopper holds several tensors otherwise (sglang_v4_hopper_element).
        if (std::is_same_v<C, DeepseekV4Config> && d.engine == Engine::sglang) {
            element = sglang_v4_hopper_element(t, element, d.marlin_scales_dropped);
            if (element == 0) return;
        }
        const std::uint64_t bytes = checked_mul(n, element, what);
        std::uint64_t& part = by_part[static_cast<std::size_t>(t.owner)];
        if (t.block == no_block || t.part == Part::vision) {
            // The model's root (the embedding on the first stage, the rest on the last), and the
            // vision encoder, whose blocks are not decoder layers: every one of its t.layers
            // blocks is held, whatever the number of decoder layers.
            const std::uint64_t all = checked_mul(bytes, t.layers, what);
            if (t.part == Part::vision || (std::is_same_v<C, DeepseekV4Config> && t.owner == Part::hyper_connections &&
                                           d.engine == Engine::vllm)) {
                // vLLM builds these on every pipeline stage, though only one uses them: the
                // vision encoder and projector of every vision model here (deepseek_vl2.py,
                // deepseek_ocr.py, deepseek_ocr2.py, kimi_vl.py, kimi_k25.py: built in __init__ with no
                // pipeline check, loaded by AutoWeightsLoader, run on the first stage only), and
                // V4's hc_head_* parameters (deepseek_v4.py: not a PPMissingLayer; SGLang's: last stage).
                for (std::uint64_t s = 0; s < d.pp; ++s) stage_bytes[s] = checked_add(stage_bytes[s], all, what);
                part = checked_add(part, all, what);
                return;
            }
            const std::uint64_t s = t.owner == Part::embedding ? 0 : d.pp - 1;
            stage_bytes[s] = checked_add(stage_bytes[s], all, what);
            if (s == stage) part = checked_add(part, all, what);
            return;
        }
        const std::uint64_t first = t.block, mtp_layers = d.mtp ? t.mtp_layers : 0;
        const std::uint64_t end = t.block + t.layers - t.mtp_layers; // the main model's layers
        part =
            checked_add(part, checked_mul(bytes, overlap(first, end, pipeline_stage_layers(c, d, stage)), what), what);
        if (mtp_layers != 0 && stage + 1 == d.pp)
            mtp_bytes = checked_add(mtp_bytes, checked_mul(bytes, mtp_layers, what), what);
        if (first != run_first || end != run_end || mtp_layers != run_mtp) {
            flush_run();
            run_first = first, run_end = end, run_mtp = mtp_layers;
        }
        run_bytes = checked_add(run_bytes, bytes, what);
    }
};

/// Checks deployment `d` for stage `stage` and fills the layout fields of `w` (gpus, layers,
/// experts_per_gpu). Errors: those of weights_per_gpu but the walk's.
template <class C>
constexpr MemoryError check_deployment(const C& c, const Deployment& d, std::uint64_t stage, GpuWeights& w) {
    require_config<C>();
    if (d.tp == 0 || d.dp == 0) return MemoryError::tp_zero;
    if (d.pp == 0 || d.pp > c.num_hidden_layers || d.pp > max_pipeline_stages || stage >= d.pp)
        return MemoryError::pp_too_many;
    if (!d.layer_partition.empty()) { // as vLLM's get_pp_indices checks it, and no empty stage
        if (d.layer_partition.size() != d.pp) return MemoryError::pp_partition_invalid;
        std::uint64_t layers = 0;
        for (const std::uint64_t n : d.layer_partition) {
            if (n == 0 || n > c.num_hidden_layers - layers) return MemoryError::pp_partition_invalid;
            layers += n;
        }
        if (layers != c.num_hidden_layers) return MemoryError::pp_partition_invalid;
    }
    // vLLM builds the MTP draft on the last stage (GpuWeightsSum::add); SGLang's draft and
    // DeepSeek-V4's (no stored embedding for vLLM to load on that stage) are not modelled there.
    const bool v4 = std::is_same_v<C, DeepseekV4Config>;
    if (d.pp > 1 && d.mtp && mtp_layer_count(c) != 0 && (d.engine != Engine::vllm || v4))
        return MemoryError::pp_not_modelled;
    if (!quantization_modelled(c)) return MemoryError::quantization_not_modelled;
    const bool sglang = d.engine == Engine::sglang;
    if (d.engine != Engine::vllm && !sglang) return MemoryError::engine_not_modelled;
    if (sglang) {
        // SGLang's layout is modelled for the code sglang_code names: DeepSeek-V2/V3's, DeepSeek-V1's
        // (tp and dp only), DeepSeek-V4's on Hopper.
        const SglangCode code = sglang_code(c);
        if (code == SglangCode::none) return MemoryError::engine_not_modelled;
        constexpr bool ocr_or_vl2 = std::is_base_of_v<DeepseekOCRConfig, C> || std::is_same_v<C, DeepseekVL2Config>;
        if constexpr (ocr_or_vl2) { // deepseek_ocr.py and deepseek_vl2.py build the released encoders only
            if (!vision_modelled(c)) return MemoryError::engine_not_modelled;
        }
        // Their forward and kimi_vl.py's (at 44068a09) take no pp_proxy_tensors ("Pipeline Parallel is
        // not compatible with this model"); kimi_k25.py's (at 00a239e5) does, its tower on every stage.
        constexpr bool no_pipeline = ocr_or_vl2 || std::is_same_v<C, KimiVLConfig>;
        if (no_pipeline && d.pp > 1) return MemoryError::engine_layout_unsupported;
        if (code == SglangCode::deepseek_v1) {
            // deepseek.py: all over the tp group, no FusedMoE or switches; raises if tp > experts.
            if (d.expert_parallel || d.dp_attention || d.dense_tp1 || d.deepep || d.shared_expert_tp1 ||
                (c.n_routed_experts && d.tp > value_or_zero(c.n_routed_experts)))
                return MemoryError::engine_layout_unsupported;
        }
        if constexpr (std::is_same_v<C, DeepseekV4Config>) {
            if (d.gpu_arch != GpuArch::hopper) return MemoryError::gpu_arch_not_modelled;
            if (c.o_groups % attention_tp(d) != 0) return MemoryError::tp_does_not_divide;
        } else if (d.marlin_scales_dropped) {
            return MemoryError::engine_option_invalid; // DeepSeek-V4's
        }
        if (d.dp_attention && d.tp % d.dp != 0) return MemoryError::dp_attention_does_not_divide;
        if (d.dp_lm_head && !d.dp_attention) return MemoryError::engine_option_invalid;
        if (d.ep_size != 0 && (!d.expert_parallel || d.tp % d.ep_size != 0)) return MemoryError::engine_option_invalid;
        if (d.deepep && (!d.expert_parallel || (d.ep_size != 0 && d.ep_size != d.tp)))
            return MemoryError::engine_option_invalid;
        if (d.language_model_only) return MemoryError::engine_option_invalid; // vLLM's switch
    } else if (d.dp_attention || d.dense_tp1 || d.dp_lm_head || d.page_size != 0 || d.ep_size != 0 || d.deepep ||
               d.shared_expert_tp1 || d.marlin_scales_dropped) {
        return MemoryError::engine_option_invalid; // SGLang's switches
    }
    // Both engines split the attention by heads and refuse a tp that does not divide them: vLLM
    // for every model (config/model.py, verify_with_parallel_config: "Total number of attention
    // heads (16) must be divisible by tensor parallel size (32)"), SGLang over the attention group
    // (deepseek_v2.py, the MLA attention: assert num_heads % attn_tp_size == 0).
    if (c.num_attention_heads % attention_tp(d) != 0) return MemoryError::tp_does_not_divide;
    if constexpr (std::is_same_v<C, KimiVLConfig> || std::is_same_v<C, KimiK25Config>) {
        // MoonViT splits its heads tp ways (moonvit.py, kimi_k25_vit.py: divide(num_heads, tp_size))
        // unless whole on every GPU. (Newer vLLM keeps Kimi-K2.5's whole then; refused here.)
        if (!detail::encoder_whole<C>(d.engine, d.mm_encoder_data) && !d.language_model_only &&
            detail::moonvit_shape(c).heads % attention_tp(d) != 0)
            return MemoryError::tp_does_not_divide;
    }
    if constexpr (std::is_same_v<C, DeepseekV4Config>) {
        // vLLM's DeepSeek-V4 (deepseek_v4.py) asserts, beside the heads above, that tp divides the
        // routed experts (even with expert parallelism), and gives each GPU o_groups / tp output groups.
        if (!sglang && d.tp > 1 && (c.o_groups % d.tp != 0 || c.n_routed_experts % d.tp != 0))
            return MemoryError::tp_does_not_divide;
    }
    const char* const what = "weights per GPU";
    w.vision_modelled = d.language_model_only || vision_modelled(c); // no tower, nothing left out
    w.gpus = checked_mul(checked_mul(d.tp, d.pp, what), sglang && d.dp_attention ? 1 : d.dp, what);
    w.layers = pipeline_stage_layers(c, d, stage);
    const std::uint64_t routed = value_or_zero(c.n_routed_experts);
    if (d.expert_parallel && routed != 0) {
        const std::uint64_t physical = checked_add(routed, d.redundant_experts, what);
        // vLLM: EP size = TP x DP; SGLang: --ep-size, tp by default, each expert then split
        // tp / ep_size ways (whole 128-blocks: "moe_intermediate_size ... must be divisible by
        // moe_tp_size * block_n", moe_ep_setup.py).
        const std::uint64_t ep = sglang ? d.tp / expert_tp(d) : checked_mul(d.tp, d.dp, what);
        if (physical % ep != 0) return MemoryError::ep_does_not_divide;
        w.experts_per_gpu = physical / ep;
        if (expert_tp(d) != 1) {
            if (const MemoryError e = expert_split_error(c, d, expert_tp(d)); e != MemoryError::none) return e;
        }
    } else if (d.tp != 1) {
        if (const MemoryError e = expert_split_error(c, d, d.tp); e != MemoryError::none) return e;
    }
    return MemoryError::none;
}

/// Walks the model once into `sum` and fills the byte fields of `w` (sum's stage).
template <class C> constexpr MemoryError walk_gpu_weights(GpuWeightsSum<C>& sum, GpuWeights& w) {
    if constexpr (std::is_base_of_v<DeepseekV3Config, C> || std::is_same_v<C, DeepseekV4Config>) {
        if (uses_deepseek_fp8(sum.c)) {
            sum.block_rows = sum.c.quantization_config->weight_block_size[0];
            sum.block_cols = sum.c.quantization_config->weight_block_size[1];
        }
    }
    const auto add = [&sum](const TensorSpec& t) { sum.add(t); };
    // DeepSeek-V4's sums visit each kind of block once for layers that need not be adjacent (the
    // ratio-4 layers, say); pipeline stages take contiguous layers, so a pipeline of V4 is summed
    // layer by layer.
    if (std::is_same_v<C, DeepseekV4Config> && sum.d.pp > 1)
        for_each_tensor(sum.c, add);
    else
        for_each_tensor_summed(sum.c, add);
    sum.flush_run();
    if (sum.error != MemoryError::none) return sum.error;
    w.by_part = sum.by_part;
    w.mtp = sum.mtp_bytes;
    return MemoryError::none;
}

} // namespace detail

inline namespace DEEPSEEK_CONFIG_ABI_NAMESPACE {

/// The weight bytes one GPU of pipeline stage `stage` of deployment `d` holds, the checkpoint as
/// released (scales counted with their weights), by component, by d.engine's rules
/// (docs/deployment.md): tp splits the attention's q_b/kv_b/o projections, dense and shared
/// MLPs, embedding and head and replicates the rest; pp gives each stage its layers
/// (pipeline_stage_layers), the embedding to the first, the final norm and head to the last;
/// dp repeats the tp x pp GPUs; expert parallelism spreads whole routed experts (and EPLB's
/// redundant ones) over the GPUs, else each is split tp ways. The MTP draft only when d.mtp,
/// on the last stage. Errors: tp_zero, pp_too_many, pp_partition_invalid, pp_not_modelled
/// (SGLang's or DeepSeek-V4's draft under pipelining), tp_does_not_divide, ep_does_not_divide,
/// fp8_block_split (V3 at tp 32), moe_padding_not_modelled, engine_not_modelled,
/// engine_option_invalid, dp_attention_does_not_divide, quantization_not_modelled, overflow.
template <class C> [[nodiscard]] constexpr Result<GpuWeights, MemoryError>
weights_per_gpu(const C& c, const Deployment& d, std::uint64_t stage = 0) {
    return detail::overflow_as_error([&]() -> Result<GpuWeights, MemoryError> {
        GpuWeights w{};
        if (const MemoryError e = detail::check_deployment(c, d, stage, w); e != MemoryError::none) return e;
        detail::GpuWeightsSum<C> sum{c, d, w.experts_per_gpu, stage};
        if (const MemoryError e = detail::walk_gpu_weights(sum, w); e != MemoryError::none) return e;
        return w;
    });
}

} // namespace DEEPSEEK_CONFIG_ABI_NAMESPACE

} // namespace deepseek

#endif // DEEPSEEK_CONFIG_GPU_WEIGHTS_HPP
