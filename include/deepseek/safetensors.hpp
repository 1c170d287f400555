// deepseek-config: typed DeepSeek model configs and exact memory arithmetic.
// SPDX-License-Identifier: MIT
//
// What the header of a .safetensors file says: the names, dtypes, shapes and byte ranges of the
// tensors a checkpoint file holds. Standard library only; safetensors_json.hpp reads and checks
// a header (it needs nlohmann_json).
//
// A .safetensors file is an 8-byte little-endian unsigned length N, then N bytes of UTF-8 JSON
// (the header), then the data section. The header is an object mapping each tensor name to
// `{"dtype": "BF16", "shape": [4096, 2048], "data_offsets": [begin, end]}` (a byte range of the
// data section, end excluded), plus an optional `"__metadata__"` object of strings.
#ifndef DEEPSEEK_CONFIG_SAFETENSORS_HPP
#define DEEPSEEK_CONFIG_SAFETENSORS_HPP

#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "enums.hpp"

namespace deepseek {

/// The bytes before the header: its length N, a little-endian 64-bit unsigned.
inline constexpr std::uint64_t safetensors_length_bytes = 8;

/// The longest header the format allows, in bytes: the reference reader refuses a longer one.
inline constexpr std::uint64_t safetensors_max_header_bytes = 100'000'000;

/// The element type of a stored tensor, as a .safetensors header names it (`to_string` gives
/// "BF16", "F8_E4M3"...). Every dtype of the reference reader's `Dtype`, in its order. `f4` is
/// OCP MXFP4 (e2m1), `f6_*` OCP MXFP6, `f8_e8m0` the OCP power-of-two scale, `*fnuz` the FP8
/// variants without negative zero, `c64` a complex of two F32 parts.
enum class SafetensorsDtype {
    bool_,
    f4,
    f6_e2m3,
    f6_e3m2,
    u8,
    i8,
    f8_e5m2,
    f8_e4m3,
    f8_e8m0,
    f8_e4m3fnuz,
    f8_e5m2fnuz,
    i16,
    u16,
    f16,
    bf16,
    i32,
    u32,
    f32,
    c64,
    f64,
    i64,
    u64
};

template <> struct enum_table<SafetensorsDtype> {
    static constexpr std::array<EnumEntry<SafetensorsDtype>, 22> entries{{
        {SafetensorsDtype::bool_, "BOOL"},
        {SafetensorsDtype::f4, "F4"},
        {SafetensorsDtype::f6_e2m3, "F6_E2M3"},
        {SafetensorsDtype::f6_e3m2, "F6_E3M2"},
        {SafetensorsDtype::u8, "U8"},
        {SafetensorsDtype::i8, "I8"},
        {SafetensorsDtype::f8_e5m2, "F8_E5M2"},
        {SafetensorsDtype::f8_e4m3, "F8_E4M3"},
        {SafetensorsDtype::f8_e8m0, "F8_E8M0"},
        {SafetensorsDtype::f8_e4m3fnuz, "F8_E4M3FNUZ"},
        {SafetensorsDtype::f8_e5m2fnuz, "F8_E5M2FNUZ"},
        {SafetensorsDtype::i16, "I16"},
        {SafetensorsDtype::u16, "U16"},
        {SafetensorsDtype::f16, "F16"},
        {SafetensorsDtype::bf16, "BF16"},
        {SafetensorsDtype::i32, "I32"},
        {SafetensorsDtype::u32, "U32"},
        {SafetensorsDtype::f32, "F32"},
        {SafetensorsDtype::c64, "C64"},
        {SafetensorsDtype::f64, "F64"},
        {SafetensorsDtype::i64, "I64"},
        {SafetensorsDtype::u64, "U64"},
    }};
};

/// The size of one element of `dtype`, in bits (4 for F4, 6 for F6_*: a tensor of them must fill
/// whole bytes, see SafetensorsTensor).
[[nodiscard]] constexpr std::uint64_t safetensors_dtype_bits(SafetensorsDtype dtype) noexcept {
    switch (dtype) {
    case SafetensorsDtype::f4: return 4;
    case SafetensorsDtype::f6_e2m3:
    case SafetensorsDtype::f6_e3m2: return 6;
    case SafetensorsDtype::bool_:
    case SafetensorsDtype::u8:
    case SafetensorsDtype::i8:
    case SafetensorsDtype::f8_e5m2:
    case SafetensorsDtype::f8_e4m3:
    case SafetensorsDtype::f8_e8m0:
    case SafetensorsDtype::f8_e4m3fnuz:
    case SafetensorsDtype::f8_e5m2fnuz: return 8;
    case SafetensorsDtype::i16:
    case SafetensorsDtype::u16:
    case SafetensorsDtype::f16:
    case SafetensorsDtype::bf16: return 16;
    case SafetensorsDtype::i32:
    case SafetensorsDtype::u32:
    case SafetensorsDtype::f32: return 32;
    case SafetensorsDtype::c64:
    case SafetensorsDtype::f64:
    case SafetensorsDtype::i64:
    case SafetensorsDtype::u64: return 64;
    }
    return 0;
}

/// One tensor of a .safetensors header. Its bytes are [begin, end) of the data section, and
/// end - begin is its element count (the product of the shape; 1 for shape []) times its dtype's
/// bits, divided by 8: the bits must make whole bytes.
struct SafetensorsTensor {
    std::string name;                 ///< the tensor's name, the header's key
    SafetensorsDtype dtype{};         ///< its element type
    std::vector<std::uint64_t> shape; ///< its dimensions, outermost first
    std::uint64_t begin = 0;          ///< its first byte, relative to the start of the data section
    std::uint64_t end = 0;            ///< one past its last byte, relative to the same

    /// Its size in bytes.
    [[nodiscard]] std::uint64_t bytes() const noexcept { return end - begin; }
};

/// The header of a .safetensors file, checked: the tensors' ranges cover the data section
/// exactly, and the data section runs to the end of the file.
struct SafetensorsHeader {
    std::uint64_t header_bytes = 0;         ///< N: the length of the header's JSON, in bytes
    std::vector<SafetensorsTensor> tensors; ///< in the order of their bytes (by begin, then end; ties in file order)
    std::vector<std::pair<std::string, std::string>> metadata; ///< `__metadata__`, in file order
    std::uint64_t data_bytes = 0; ///< the data section: the sum of the tensors' sizes, in bytes

    /// The file offset of the data section: 8 + N.
    [[nodiscard]] std::uint64_t data_start() const noexcept { return safetensors_length_bytes + header_bytes; }
};

} // namespace deepseek

#endif // DEEPSEEK_CONFIG_SAFETENSORS_HPP
