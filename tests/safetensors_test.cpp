// parse_safetensors_header and read_safetensors_header: headers written out here by hand (the
// 8-byte length, the JSON, the data bytes), a clean one read back with the names, dtypes, shapes
// and offsets written out in the test; every hostile case with its error kind, JSON pointer and a
// phrase of its message; each dtype's size in bits as the reference reader gives it
// (huggingface/safetensors, safetensors/src/tensor.rs, Dtype::bitsize); and a 64 GiB sparse file
// whose header is read without its data.
#include <deepseek/safetensors_json.hpp>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "catch.hpp"
#include "test_support.hpp"

// One namespace per test file: the files of a batch share a translation unit (tests/CMakeLists.txt).
namespace safetensors_test {

namespace fs = std::filesystem;
using deepseek::ErrorKind;
using deepseek::SafetensorsDtype;

namespace {

/// The 8-byte little-endian length `n`.
std::string length_bytes(std::uint64_t n) {
    std::string out;
    for (int i = 0; i < 8; ++i) out += static_cast<char>(static_cast<unsigned char>((n >> (8 * i)) & 0xFFu));
    return out;
}

/// A .safetensors file: the length of `header`, `header`, then `data_bytes` zero bytes.
std::string file_of(const std::string& header, std::size_t data_bytes = 0) {
    return length_bytes(header.size()) + header + std::string(data_bytes, '\0');
}

/// The error parse_safetensors_header gives for `bytes` of a file of `file_size` bytes (fails the
/// test when it gives none).
deepseek::Error error_of(const std::string& bytes, std::uint64_t file_size) {
    const auto result = deepseek::try_parse_safetensors_header(bytes, file_size);
    REQUIRE_FALSE(result.has_value());
    return result.error();
}

/// The error for a whole file held in `bytes`.
deepseek::Error error_of(const std::string& bytes) { return error_of(bytes, bytes.size()); }

/// The error for a file of `header` and `data_bytes` data bytes.
deepseek::Error header_error(const std::string& header, std::size_t data_bytes = 0) {
    return error_of(file_of(header, data_bytes));
}

bool contains(const std::string& text, const std::string& phrase) { return text.find(phrase) != std::string::npos; }

/// Checks an error's kind, pointer and that its message holds `phrase`.
void check_error(const deepseek::Error& e, ErrorKind kind, const std::string& pointer, const std::string& phrase) {
    INFO(e.what());
    CHECK(e.kind() == kind);
    CHECK(e.pointer() == pointer);
    CHECK(contains(e.message(), phrase));
}

/// One entry of a header, as JSON text.
std::string entry(const std::string& name, const std::string& dtype, const std::string& shape, std::uint64_t begin,
                  std::uint64_t end) {
    return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" +
           std::to_string(begin) + "," + std::to_string(end) + "]}";
}

} // namespace

// ---- The dtypes -------------------------------------------------------------------------------

TEST_CASE("Each dtype has the reference's name and size in bits", "[safetensors]") {
    // Written out from the reference's `Dtype` enum and `bitsize` (tensor.rs), in its order.
    const std::vector<std::pair<std::string, std::uint64_t>> expected{
        {"BOOL", 8},    {"F4", 4},      {"F6_E2M3", 6}, {"F6_E3M2", 6},     {"U8", 8},          {"I8", 8},
        {"F8_E5M2", 8}, {"F8_E4M3", 8}, {"F8_E8M0", 8}, {"F8_E4M3FNUZ", 8}, {"F8_E5M2FNUZ", 8}, {"I16", 16},
        {"U16", 16},    {"F16", 16},    {"BF16", 16},   {"I32", 32},        {"U32", 32},        {"F32", 32},
        {"C64", 64},    {"F64", 64},    {"I64", 64},    {"U64", 64},
    };
    const auto& table = deepseek::enum_table<SafetensorsDtype>::entries;
    REQUIRE(table.size() == expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
        INFO(expected[i].first);
        const auto dtype = deepseek::enum_from_string<SafetensorsDtype>(expected[i].first);
        REQUIRE(dtype.has_value());
        CHECK(deepseek::safetensors_dtype_bits(*dtype) == expected[i].second);
        CHECK(deepseek::to_string(*dtype) == expected[i].first);
        CHECK(table[i].second == expected[i].first); // the table keeps the reference's order
    }
    // Names are case-sensitive, as the reference's are.
    CHECK_FALSE(deepseek::enum_from_string<SafetensorsDtype>("bf16").has_value());
}

TEST_CASE("The dtype sizes are constexpr", "[safetensors]") {
    static_assert(deepseek::safetensors_dtype_bits(SafetensorsDtype::f4) == 4);
    static_assert(deepseek::safetensors_dtype_bits(SafetensorsDtype::f6_e3m2) == 6);
    static_assert(deepseek::safetensors_dtype_bits(SafetensorsDtype::bf16) == 16);
    static_assert(deepseek::safetensors_dtype_bits(SafetensorsDtype::c64) == 64);
    static_assert(deepseek::to_string(SafetensorsDtype::f8_e4m3) == "F8_E4M3");
    SUCCEED();
}

TEST_CASE("A tensor of 8 elements of each dtype takes its bits in bytes", "[safetensors]") {
    // 8 elements of B bits are B bytes: [0, B] is the one valid range.
    const std::vector<std::pair<std::string, std::uint64_t>> bytes_of_8{
        {"BOOL", 8},    {"F4", 4},      {"F6_E2M3", 6}, {"F6_E3M2", 6},     {"U8", 8},          {"I8", 8},
        {"F8_E5M2", 8}, {"F8_E4M3", 8}, {"F8_E8M0", 8}, {"F8_E4M3FNUZ", 8}, {"F8_E5M2FNUZ", 8}, {"I16", 16},
        {"U16", 16},    {"F16", 16},    {"BF16", 16},   {"I32", 32},        {"U32", 32},        {"F32", 32},
        {"C64", 64},    {"F64", 64},    {"I64", 64},    {"U64", 64},
    };
    for (const auto& [name, bytes] : bytes_of_8) {
        INFO(name);
        const std::string header = "{" + entry("t", name, "[8]", 0, bytes) + "}";
        const auto h = deepseek::parse_safetensors_header(file_of(header, bytes));
        REQUIRE(h.tensors.size() == 1);
        CHECK(deepseek::to_string(h.tensors[0].dtype) == name);
        CHECK(h.tensors[0].bytes() == bytes);
        CHECK(h.data_bytes == bytes);
        // One byte fewer is refused.
        const std::string short_header = "{" + entry("t", name, "[8]", 0, bytes - 1) + "}";
        check_error(header_error(short_header, bytes - 1), ErrorKind::range, "/t/data_offsets",
                    "needs " + std::to_string(bytes));
    }
}

// ---- A clean header ---------------------------------------------------------------------------

TEST_CASE("A clean header reads back with its names, dtypes, shapes, offsets and metadata", "[safetensors]") {
    // Tensors in the file in another order than their bytes; a sub-byte dtype (6 F4 elements: 3
    // bytes), a scalar (shape []: one element) and an empty tensor (a dimension 0: no bytes).
    const std::string header =
        R"({"__metadata__":{"format":"pt","note":"written by hand"},)"
        R"("model.layers.0.mlp.weight":{"dtype":"BF16","shape":[4,2],"data_offsets":[8,24]},)"
        R"("model.embed_tokens.weight":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
        R"("model.layers.0.mlp.experts.packed":{"dtype":"F4","shape":[2,3],"data_offsets":[24,27]},)"
        R"("scalar":{"dtype":"I64","shape":[],"data_offsets":[27,35]},)"
        R"("empty":{"dtype":"F16","shape":[0,5],"data_offsets":[35,35]}})";
    const std::string bytes = file_of(header, 35);
    const deepseek::SafetensorsHeader h = deepseek::parse_safetensors_header(bytes, bytes.size());

    CHECK(h.header_bytes == header.size());
    CHECK(h.data_start() == 8 + header.size());
    CHECK(h.data_bytes == 35);
    REQUIRE(h.tensors.size() == 5);
    // In the order of their bytes.
    const std::vector<std::string> names{"model.embed_tokens.weight", "model.layers.0.mlp.weight",
                                         "model.layers.0.mlp.experts.packed", "scalar", "empty"};
    const std::vector<SafetensorsDtype> dtypes{SafetensorsDtype::f32, SafetensorsDtype::bf16, SafetensorsDtype::f4,
                                               SafetensorsDtype::i64, SafetensorsDtype::f16};
    const std::vector<std::vector<std::uint64_t>> shapes{{2}, {4, 2}, {2, 3}, {}, {0, 5}};
    const std::vector<std::pair<std::uint64_t, std::uint64_t>> ranges{{0, 8}, {8, 24}, {24, 27}, {27, 35}, {35, 35}};
    for (std::size_t i = 0; i < 5; ++i) {
        INFO(names[i]);
        CHECK(h.tensors[i].name == names[i]);
        CHECK(h.tensors[i].dtype == dtypes[i]);
        CHECK(h.tensors[i].shape == shapes[i]);
        CHECK(h.tensors[i].begin == ranges[i].first);
        CHECK(h.tensors[i].end == ranges[i].second);
    }
    const std::vector<std::pair<std::string, std::string>> metadata{{"format", "pt"}, {"note", "written by hand"}};
    CHECK(h.metadata == metadata);

    // The whole-file overload, the header bytes alone with the file's size, and the try_ form agree.
    CHECK(deepseek::parse_safetensors_header(bytes).tensors.size() == 5);
    CHECK(deepseek::parse_safetensors_header(bytes.substr(0, 8 + header.size()), bytes.size()).data_bytes == 35);
    const auto tried = deepseek::try_parse_safetensors_header(bytes);
    REQUIRE(tried.has_value());
    CHECK(tried->tensors[4].name == "empty");
}

TEST_CASE("Headers the reference accepts: no tensors, padding, null metadata, empty tensors at one offset",
          "[safetensors]") {
    SECTION("no tensors, no data") {
        const auto h = deepseek::parse_safetensors_header(file_of("{}"));
        CHECK(h.tensors.empty());
        CHECK(h.metadata.empty());
        CHECK(h.data_bytes == 0);
    }
    SECTION("the header padded with spaces to a multiple of 8, as the reference writes it") {
        const std::string header = R"({"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}   )";
        const auto h = deepseek::parse_safetensors_header(file_of(header, 1));
        REQUIRE(h.tensors.size() == 1);
        CHECK(h.header_bytes == header.size());
    }
    SECTION("__metadata__ null (the reference reads it as no metadata)") {
        const auto h = deepseek::parse_safetensors_header(file_of(R"({"__metadata__":null})"));
        CHECK(h.metadata.empty());
    }
    SECTION("two empty tensors at the same offset, in file order") {
        const std::string header = "{" + entry("z2", "F32", "[0]", 4, 4) + "," + entry("a", "F32", "[1]", 0, 4) + "," +
                                   entry("z1", "F32", "[3,0]", 4, 4) + "}";
        const auto h = deepseek::parse_safetensors_header(file_of(header, 4));
        REQUIRE(h.tensors.size() == 3);
        CHECK(h.tensors[0].name == "a");
        CHECK(h.tensors[1].name == "z2");
        CHECK(h.tensors[2].name == "z1");
    }
    SECTION("a zero before a would-be overflow: the reference multiplies left to right") {
        const std::string header = "{" + entry("t", "F32", "[0,4294967296,4294967296]", 0, 0) + "}";
        CHECK(deepseek::parse_safetensors_header(file_of(header)).tensors[0].bytes() == 0);
    }
}

// ---- Hostile files: the length and the text ---------------------------------------------------

TEST_CASE("A file shorter than the 8-byte length", "[safetensors]") {
    check_error(error_of("abc"), ErrorKind::range, "", "begins with an 8-byte header length");
    check_error(error_of(""), ErrorKind::range, "", "the file is 0 bytes");
}

TEST_CASE("Fewer bytes given than the header needs, or more than the file has", "[safetensors]") {
    const std::string bytes = file_of("{}");
    check_error(error_of(bytes.substr(0, 5), 1000), ErrorKind::range, "", "pass at least the first 8 + N bytes");
    check_error(error_of(bytes.substr(0, 9), 1000), ErrorKind::range, "", "the header ends at byte 10");
    check_error(error_of(bytes, 3), ErrorKind::range, "", "at least the bytes given");
}

TEST_CASE("A header length beyond the end of the file", "[safetensors]") {
    const std::string bytes = length_bytes(100) + "{}";
    check_error(error_of(bytes), ErrorKind::range, "", "the file has only 2 after the 8-byte length");
}

TEST_CASE("A header length over 100,000,000 bytes", "[safetensors]") {
    // Only the 8 bytes are given: the length alone is refused, before anything is read or sized.
    check_error(error_of(length_bytes(100'000'001), 200'000'000), ErrorKind::range, "",
                "more than the 100000000 the format allows");
    check_error(error_of(length_bytes(~std::uint64_t{0}), ~std::uint64_t{0}), ErrorKind::range, "",
                "18446744073709551615 bytes");
    // 100,000,000 itself is allowed: what is missing then is the bytes.
    check_error(error_of(length_bytes(100'000'000), 200'000'000), ErrorKind::range, "",
                "pass at least the first 8 + N bytes");
}

TEST_CASE("A header of length 0", "[safetensors]") {
    check_error(header_error(""), ErrorKind::syntax, "", "the header length is 0");
}

TEST_CASE("A header that is not a JSON object", "[safetensors]") {
    check_error(header_error("[1,2]"), ErrorKind::syntax, "", "begins with byte 0x5B, not '{'");
    check_error(header_error("\"x\""), ErrorKind::syntax, "", "not '{'");
    // Leading whitespace and a UTF-8 byte-order mark: the README says the header begins with '{'.
    check_error(header_error(" {}"), ErrorKind::syntax, "", "begins with byte 0x20");
    check_error(header_error("\xEF\xBB\xBF{}"), ErrorKind::syntax, "", "begins with byte 0xEF");
}

TEST_CASE("A header that is not JSON", "[safetensors]") {
    check_error(header_error(R"({"a":)"), ErrorKind::syntax, "", "malformed JSON in the header at line 1, column 6");
    check_error(header_error("{} x"), ErrorKind::syntax, "", "malformed JSON in the header at line 1");
    check_error(header_error(R"({"a",1})"), ErrorKind::syntax, "", "malformed JSON in the header");
    // NUL padding: nlohmann would stop at the NUL and accept "{}".
    check_error(header_error(std::string("{}\0\0\0\0\0\0", 8)), ErrorKind::syntax, "",
                "the header holds a NUL byte at line 1, column 3");
    // A number beyond double's range.
    check_error(header_error(R"({"a":{"dtype":"U8","shape":[1e400],"data_offsets":[0,1]}})", 1), ErrorKind::range, "",
                "number out of range in the header");
}

TEST_CASE("A header that is not UTF-8", "[safetensors]") {
    SECTION("a byte that begins no sequence") {
        check_error(header_error("{\"a\xFF\":1}"), ErrorKind::syntax, "", "not valid UTF-8: byte 0xFF at line 1");
    }
    SECTION("an overlong form of '/'") {
        check_error(header_error("{\"a\xC0\xAF\":1}"), ErrorKind::syntax, "", "byte 0xC0");
    }
    SECTION("a UTF-16 surrogate") {
        check_error(header_error("{\"a\xED\xA0\x80\":1}"), ErrorKind::syntax, "", "byte 0xED");
    }
    SECTION("a sequence cut short by the end of the header") {
        check_error(header_error("{\"a\xE2\x82"), ErrorKind::syntax, "", "byte 0xE2");
    }
    SECTION("above U+10FFFF") {
        check_error(header_error("{\"a\xF4\x90\x80\x80\":1}"), ErrorKind::syntax, "", "byte 0xF4");
    }
    SECTION("well-formed multi-byte names are fine") {
        const std::string header = "{" + entry("caf\xC3\xA9.\xE2\x82\xAC.\xF0\x9F\x98\x80", "U8", "[1]", 0, 1) + "}";
        CHECK(deepseek::parse_safetensors_header(file_of(header, 1)).tensors[0].name ==
              "caf\xC3\xA9.\xE2\x82\xAC.\xF0\x9F\x98\x80");
    }
}

// ---- Hostile files: the entries ---------------------------------------------------------------

TEST_CASE("A tensor entry that is not an object", "[safetensors]") {
    check_error(header_error(R"({"w":[1]})"), ErrorKind::type, "/w", "expected a tensor entry");
    check_error(header_error(R"({"w":"F32"})"), ErrorKind::type, "/w", "found a string (\"F32\")");
    check_error(header_error(R"({"w":null})"), ErrorKind::type, "/w", "found null");
    check_error(header_error(R"({"w":7})"), ErrorKind::type, "/w", "found a whole number (7)");
}

TEST_CASE("A tensor entry with a key missing", "[safetensors]") {
    check_error(header_error(R"({"w":{"dtype":"F32","shape":[1]}})"), ErrorKind::missing_key, "/w/data_offsets",
                "has no data_offsets");
    check_error(header_error(R"({"w":{"shape":[1],"data_offsets":[0,4]}})"), ErrorKind::missing_key, "/w/dtype",
                "has no dtype");
    check_error(header_error(R"({"w":{"dtype":"F32","data_offsets":[0,4]}})"), ErrorKind::missing_key, "/w/shape",
                "has no shape");
}

TEST_CASE("A tensor entry with an extra key", "[safetensors]") {
    check_error(header_error(R"({"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4],"stride":[1]}})", 4),
                ErrorKind::unknown_value, "/w/stride", "exactly the keys \"dtype\", \"shape\" and \"data_offsets\"");
    check_error(header_error(R"({"w":{"dtype":"F32","shapes":[1],"data_offsets":[0,4]}})", 4), ErrorKind::unknown_value,
                "/w/shapes", "unknown key \"shapes\"");
}

TEST_CASE("An unknown dtype, or a dtype that is not a string", "[safetensors]") {
    const auto e = header_error(R"({"w":{"dtype":"F128","shape":[1],"data_offsets":[0,16]}})", 16);
    check_error(e, ErrorKind::unknown_value, "/w/dtype", "unknown dtype \"F128\"");
    CHECK(contains(e.message(), "\"BF16\""));
    CHECK(contains(e.message(), "\"F8_E5M2FNUZ\""));
    check_error(header_error(R"({"w":{"dtype":"bf16","shape":[1],"data_offsets":[0,2]}})", 2), ErrorKind::unknown_value,
                "/w/dtype", "unknown dtype \"bf16\"");
    check_error(header_error(R"({"w":{"dtype":16,"shape":[1],"data_offsets":[0,2]}})", 2), ErrorKind::type, "/w/dtype",
                "expected a dtype name");
}

TEST_CASE("A shape that is not an array of whole numbers >= 0", "[safetensors]") {
    const auto with_shape = [](const std::string& shape) {
        return header_error(R"({"w":{"dtype":"U8","shape":)" + shape + R"(,"data_offsets":[0,4]}})", 4);
    };
    check_error(with_shape("4"), ErrorKind::type, "/w/shape", "expected an array of whole numbers");
    check_error(with_shape("{}"), ErrorKind::type, "/w/shape", "found an object");
    check_error(with_shape("[2,-2]"), ErrorKind::type, "/w/shape/1", "a negative number (-2)");
    check_error(with_shape("[2,1.5]"), ErrorKind::type, "/w/shape/1", "a float (1.5)");
    check_error(with_shape("[2,\"2\"]"), ErrorKind::type, "/w/shape/1", "found a string");
    check_error(with_shape("[2,[2]]"), ErrorKind::type, "/w/shape/1", "found an array");
    check_error(with_shape("[true]"), ErrorKind::type, "/w/shape/0", "a boolean (true)");
    check_error(with_shape("[18446744073709551616]"), ErrorKind::range, "/w/shape/0", "below 2^64");
}

TEST_CASE("An element count that overflows 64 bits", "[safetensors]") {
    // 2^32 x 2^32 = 2^64 elements.
    check_error(header_error("{" + entry("w", "U8", "[4294967296,4294967296]", 0, 0) + "}"), ErrorKind::overflow,
                "/w/shape", "does not fit in 64 bits");
    // Checked left to right, as the reference does: a 0 after the overflow does not save it.
    check_error(header_error("{" + entry("w", "U8", "[4294967296,4294967296,0]", 0, 0) + "}"), ErrorKind::overflow,
                "/w/shape", "does not fit in 64 bits");
    // 2^59 F64 elements fit, their 2^65 bits do not (the reference counts bits).
    check_error(header_error("{" + entry("w", "F64", "[576460752303423488]", 0, 0) + "}"), ErrorKind::overflow,
                "/w/shape", "more than 2^64 bits");
}

TEST_CASE("data_offsets that are not two whole numbers >= 0", "[safetensors]") {
    const auto with_offsets = [](const std::string& offsets) {
        return header_error(R"({"w":{"dtype":"F32","shape":[1],"data_offsets":)" + offsets + "}}", 4);
    };
    check_error(with_offsets("[0]"), ErrorKind::type, "/w/data_offsets", "this array has 1");
    check_error(with_offsets("[]"), ErrorKind::type, "/w/data_offsets", "this array has 0");
    check_error(with_offsets("[0,4,8]"), ErrorKind::type, "/w/data_offsets", "more than two");
    check_error(with_offsets("[-1,4]"), ErrorKind::type, "/w/data_offsets/0", "a negative number (-1)");
    check_error(with_offsets("[0,\"4\"]"), ErrorKind::type, "/w/data_offsets/1", "found a string");
    check_error(with_offsets("[0,4.0]"), ErrorKind::type, "/w/data_offsets/1", "a float (4.0)");
    check_error(with_offsets("[0,18446744073709551616]"), ErrorKind::range, "/w/data_offsets/1", "below 2^64");
    check_error(with_offsets("\"0-4\""), ErrorKind::type, "/w/data_offsets", "an array of two whole numbers");
    check_error(with_offsets("null"), ErrorKind::type, "/w/data_offsets", "found null");
}

TEST_CASE("data_offsets with begin after end", "[safetensors]") {
    check_error(header_error("{" + entry("w", "F32", "[1]", 8, 4) + "}", 8), ErrorKind::range, "/w/data_offsets",
                "begin 8 is after end 4");
}

TEST_CASE("A range whose size is not the elements times the dtype size", "[safetensors]") {
    check_error(header_error("{" + entry("w", "F32", "[2]", 0, 4) + "}", 4), ErrorKind::range, "/w/data_offsets",
                "holds 4 bytes, but shape [2] of F32 needs 8");
    check_error(header_error("{" + entry("w", "BF16", "[]", 0, 4) + "}", 4), ErrorKind::range, "/w/data_offsets",
                "shape [] of BF16 needs 2");
    // Sub-byte dtypes must fill whole bytes: 3 F4 elements are 12 bits.
    check_error(header_error("{" + entry("w", "F4", "[3]", 0, 2) + "}", 2), ErrorKind::range, "/w/shape",
                "12 bits, not a whole number of bytes");
    check_error(header_error("{" + entry("w", "F6_E2M3", "[1,2]", 0, 2) + "}", 2), ErrorKind::range, "/w/shape",
                "12 bits, not a whole number of bytes");
}

TEST_CASE("Overlapping ranges", "[safetensors]") {
    check_error(header_error("{" + entry("a", "F32", "[2]", 0, 8) + "," + entry("b", "F32", "[2]", 4, 12) + "}", 12),
                ErrorKind::range, "/b/data_offsets/0", "the range [4, 12] overlaps the range [0, 8] of \"a\"");
    // The same range twice.
    check_error(header_error("{" + entry("a", "F32", "[1]", 0, 4) + "," + entry("b", "F32", "[1]", 0, 4) + "}", 4),
                ErrorKind::range, "/b/data_offsets/0", "overlaps the range [0, 4] of \"a\"");
}

TEST_CASE("A hole between ranges", "[safetensors]") {
    check_error(header_error("{" + entry("b", "F32", "[1]", 8, 12) + "," + entry("a", "F32", "[1]", 0, 4) + "}", 12),
                ErrorKind::range, "/b/data_offsets/0",
                "bytes [4, 8) of the data section belong to no tensor (a hole after \"a\"");
}

TEST_CASE("A first range that does not begin at 0", "[safetensors]") {
    check_error(header_error("{" + entry("a", "F32", "[1]", 4, 8) + "}", 8), ErrorKind::range, "/a/data_offsets/0",
                "begins at byte 4 of the data section, not at 0");
}

TEST_CASE("A data section beyond the end of the file (truncated)", "[safetensors]") {
    const std::string header = "{" + entry("a", "F32", "[1]", 0, 4) + "," + entry("b", "F32", "[2]", 4, 12) + "}";
    check_error(header_error(header, 10), ErrorKind::range, "/b/data_offsets/1",
                "needs 12 bytes after the header, but the file has only 10 there: the file is truncated");
    // The header alone, with the size of a file that stops at the header.
    const std::string bytes = file_of(header);
    check_error(error_of(bytes, bytes.size()), ErrorKind::range, "/b/data_offsets/1", "has only 0 there");
    // A data section of 2^61 - 1 bytes (the most one U8 tensor may have: its bits fit in 64).
    const std::string huge = "{" + entry("a", "U8", "[2305843009213693951]", 0, 2305843009213693951u) + "}";
    check_error(header_error(huge), ErrorKind::range, "/a/data_offsets/1", "the file is truncated");
}

TEST_CASE("Bytes after the last tensor's data", "[safetensors]") {
    // The reference refuses them too: the data section must be covered exactly.
    check_error(header_error("{" + entry("a", "F32", "[1]", 0, 4) + "}", 7), ErrorKind::range, "",
                "the file has 3 bytes after the last tensor's data");
    check_error(header_error("{}", 1), ErrorKind::range, "", "1 bytes after the last tensor's data");
}

TEST_CASE("Duplicate keys", "[safetensors]") {
    const std::string a = entry("w", "F32", "[1]", 0, 4);
    check_error(header_error("{" + a + "," + entry("w", "F32", "[1]", 4, 8) + "}", 8), ErrorKind::range, "/w",
                "the name appears twice in the header");
    check_error(header_error(R"({"__metadata__":{},"__metadata__":{}})"), ErrorKind::range, "/__metadata__",
                "appears twice");
    check_error(header_error(R"({"w":{"dtype":"F32","dtype":"F32","shape":[1],"data_offsets":[0,4]}})", 4),
                ErrorKind::range, "/w/dtype", "appears twice in the tensor entry");
    check_error(header_error(R"({"__metadata__":{"k":"1","k":"2"}})"), ErrorKind::range, "/__metadata__/k",
                "appears twice in __metadata__");
}

TEST_CASE("__metadata__ that is not an object of strings", "[safetensors]") {
    check_error(header_error(R"({"__metadata__":["pt"]})"), ErrorKind::type, "/__metadata__",
                "expected an object of strings, found an array");
    check_error(header_error(R"({"__metadata__":"pt"})"), ErrorKind::type, "/__metadata__", "an object of strings");
    check_error(header_error(R"({"__metadata__":{"format":1}})"), ErrorKind::type, "/__metadata__/format",
                "expected a string");
    check_error(header_error(R"({"__metadata__":{"format":{"a":"b"}}})"), ErrorKind::type, "/__metadata__/format",
                "found an object");
    check_error(header_error(R"({"__metadata__":{"format":null}})"), ErrorKind::type, "/__metadata__/format",
                "found null");
}

TEST_CASE("Names with '/' and '~' are escaped in pointers", "[safetensors]") {
    check_error(header_error(R"({"a/b~c":{"dtype":"F32","shape":[1],"data_offsets":[0,5]}})", 5), ErrorKind::range,
                "/a~1b~0c/data_offsets", "needs 4");
}

TEST_CASE("Deep nesting and long values stop at the first value out of place", "[safetensors]") {
    // 1,000,000 levels of arrays: refused at the first, with no recursion.
    const std::string deep = "{\"w\":" + std::string(1'000'000, '[') + std::string(1'000'000, ']') + "}";
    check_error(header_error(deep), ErrorKind::type, "/w", "found an array");
    // A megabyte-long name is cut in the message.
    const std::string name(1'000'000, 'n');
    const auto e =
        header_error("{" + entry(name, "F32", "[1]", 0, 4) + "," + entry("b", "F32", "[1]", 8, 12) + "}", 12);
    CHECK(e.kind() == ErrorKind::range);
    CHECK(contains(e.message(), "(a hole after \"nnnn"));
    CHECK(e.message().size() < 400);
    // A long name of 3-byte characters is cut between characters: the message stays UTF-8.
    std::string euros;
    for (int i = 0; i < 100; ++i) euros += "\xE2\x82\xAC";
    const auto overlap =
        header_error("{" + entry(euros, "F32", "[1]", 0, 4) + "," + entry("b", "F32", "[1]", 0, 4) + "}", 4);
    CHECK(contains(overlap.message(), "...\": each byte"));
    CHECK(deepseek::detail::invalid_utf8_at(overlap.message()) == std::string_view::npos);
}

// ---- Files ------------------------------------------------------------------------------------

TEST_CASE("read_safetensors_header reads a file's header and names the file in errors", "[safetensors]") {
    const fs::path dir = test_support::scratch_dir("safetensors");
    const std::string header = "{" + entry("a", "BF16", "[2,2]", 0, 8) + "}";
    const fs::path good = dir / "good.safetensors";
    test_support::write_text(good, file_of(header, 8));
    const auto h = deepseek::read_safetensors_header(good);
    REQUIRE(h.tensors.size() == 1);
    CHECK(h.tensors[0].shape == std::vector<std::uint64_t>{2, 2});
    CHECK(h.data_bytes == 8);
    CHECK(deepseek::try_read_safetensors_header(good).has_value());

    const auto error_of_file = [](const fs::path& path) {
        const auto r = deepseek::try_read_safetensors_header(path);
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().file() == path.string());
        return r.error();
    };
    check_error(error_of_file(dir / "absent.safetensors"), ErrorKind::io, "", "no such file");
    check_error(error_of_file(dir), ErrorKind::io, "", "not a regular file");

    const fs::path tiny = dir / "tiny.safetensors";
    test_support::write_text(tiny, "abc");
    check_error(error_of_file(tiny), ErrorKind::range, "", "the file is 3 bytes");

    // A length of 2^63: refused from the 8 bytes, nothing sized by it.
    const fs::path huge_length = dir / "huge_length.safetensors";
    test_support::write_text(huge_length, length_bytes(std::uint64_t{1} << 63) + "{}");
    check_error(error_of_file(huge_length), ErrorKind::range, "", "more than the 100000000");

    const fs::path truncated = dir / "truncated.safetensors";
    test_support::write_text(truncated, file_of(header, 5));
    check_error(error_of_file(truncated), ErrorKind::range, "/a/data_offsets/1", "truncated");

    // The throwing form throws the same error.
    CHECK_THROWS_AS(deepseek::read_safetensors_header(truncated), deepseek::Error);
}

TEST_CASE("read_safetensors_header reads only the header of a 64 GiB sparse file", "[safetensors]") {
    // One BF16 tensor of 32768 x 1048576 elements: 2^36 bytes, 64 GiB. The file is made that long
    // with resize_file, which writes no data (the file is sparse): reading the data would take
    // minutes and 64 GiB of memory, so the header coming back shows it was not read.
    const std::uint64_t data = std::uint64_t{1} << 36;
    const std::string header = "{" + entry("model.embed_tokens.weight", "BF16", "[32768,1048576]", 0, data) + "}";
    const fs::path path = test_support::scratch_dir("safetensors") / "sparse.safetensors";
    test_support::write_text(path, file_of(header));
    fs::resize_file(path, 8 + header.size() + data);
    REQUIRE(fs::file_size(path) == 8 + header.size() + data);

    const auto h = deepseek::read_safetensors_header(path);
    REQUIRE(h.tensors.size() == 1);
    CHECK(h.tensors[0].name == "model.embed_tokens.weight");
    CHECK(h.tensors[0].dtype == SafetensorsDtype::bf16);
    CHECK(h.tensors[0].shape == std::vector<std::uint64_t>{32768, 1048576});
    CHECK(h.tensors[0].end == 68'719'476'736u);
    CHECK(h.data_bytes == 68'719'476'736u);
    CHECK(h.data_start() == 8 + header.size());
    fs::remove(path);
}

TEST_CASE("The bad-file corpus: each hostile .safetensors file gives its pointer, kind and message",
          "[safetensors][corpus-invalid]") {
    // tests/data/invalid-safetensors: one file per hostile case, with the JSON pointer, error
    // kind and a phrase of the message it must give in cases.json (written out by hand). The same
    // files seed the fuzzer (.ci/fuzz.sh).
    const fs::path dir = test_support::data_file("invalid-safetensors");
    const auto cases = nlohmann::json::parse(test_support::read_text(dir / "cases.json"));
    std::size_t files = 0;
    for (const auto& entry : fs::directory_iterator(dir))
        if (entry.path().extension() == ".safetensors") ++files;
    REQUIRE(files == cases.size()); // every file has its case
    for (const auto& c : cases) {
        const fs::path file = dir / c.at("file").get<std::string>();
        INFO(c.at("file").get<std::string>() + ": " + c.at("what").get<std::string>());
        const auto r = deepseek::try_read_safetensors_header(file);
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().pointer() == c.at("pointer").get<std::string>());
        CHECK(deepseek::to_string(r.error().kind()) == c.at("kind").get<std::string>());
        CHECK(r.error().message().find(c.at("message").get<std::string>()) != std::string::npos);
        CHECK(r.error().file() == file.string());
    }
}

} // namespace safetensors_test
