// deepseek-config: typed DeepSeek model configs and exact memory arithmetic.
// SPDX-License-Identifier: MIT
//
// The limits of the reader and of validation: the largest file, dimension, layer count and
// nesting a config may have. Standard library only.
#ifndef DEEPSEEK_CONFIG_LIMITS_HPP
#define DEEPSEEK_CONFIG_LIMITS_HPP

#include <cstddef>
#include <cstdint>

namespace deepseek {

/// The largest config file `load_config` reads, in bytes; a larger file is refused unread.
inline constexpr std::uintmax_t max_file_size = 64u * 1024u * 1024u;

/// The largest value any unsigned size or count of a config may have: 2^32. Real models are far
/// below it (the largest, vocab_size 129280, is under 2^17); the cap keeps a crafted file from
/// reaching 64-bit arithmetic with numbers no model has. Products of capped values can still
/// exceed 2^64: the memory helpers report those as `ArithmeticOverflow`.
inline constexpr std::uint64_t max_dimension = std::uint64_t{1} << 32;

/// The most layers a config may have in one stack (num_hidden_layers, num_nextn_predict_layers,
/// a vision tower's layers): 4096, 67 times DeepSeek-V3's 61. The memory helpers visit every
/// layer, so this bounds their running time.
inline constexpr std::uint64_t max_layers = 4096;

/// The deepest nesting of arrays and objects a config file may have: 128 (real configs nest 4
/// deep). Deeper text is refused before it is parsed, since copying or printing a JSON tree
/// recurses once per level.
inline constexpr std::size_t max_nesting_depth = 128;

} // namespace deepseek

#endif // DEEPSEEK_CONFIG_LIMITS_HPP
