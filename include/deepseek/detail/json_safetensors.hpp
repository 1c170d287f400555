// deepseek-config: typed DeepSeek model configs and exact memory arithmetic.
// SPDX-License-Identifier: MIT
//
// The internals of safetensors_json.hpp: a SAX reader of a .safetensors header and the checks of
// its length, text, tensors and byte ranges.
//
// The rules are those of the reference reader, huggingface/safetensors
// (safetensors/src/tensor.rs: `read_metadata`, `Metadata::validate`, `Dtype::bitsize`, and the
// format section of its README), read at commit 24b0b2857fef49be734b9ab72ce97c09bb25f5b9. Where
// this reader is stricter, the comment at that check says why.
#ifndef DEEPSEEK_CONFIG_DETAIL_JSON_SAFETENSORS_HPP
#define DEEPSEEK_CONFIG_DETAIL_JSON_SAFETENSORS_HPP

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <new>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "../enums.hpp"
#include "../error.hpp"
#include "../safetensors.hpp"
#include "file_io.hpp"
#include "json_common.hpp"
#include "json_text.hpp"

namespace deepseek {

namespace detail {

// The functions below are templates over an empty pack that callers never write (as in json.hpp):
// a translation unit that includes this header without reading a header compiles none of them.

/// N, from the first 8 bytes of `bytes` (little-endian).
template <class... Deferred> std::uint64_t safetensors_length(std::string_view bytes) noexcept {
    std::uint64_t n = 0;
    for (std::size_t i = safetensors_length_bytes; i-- > 0;) n = (n << 8) | static_cast<unsigned char>(bytes[i]);
    return n;
}

/// The offset of the first byte of `text` that does not begin well-formed UTF-8 (RFC 3629: no
/// overlong form, no surrogate, nothing above U+10FFFF), or npos when all of it is well formed.
template <class... Deferred> std::size_t invalid_utf8_at(std::string_view text) noexcept {
    std::size_t i = 0;
    while (i < text.size()) {
        const auto lead = static_cast<unsigned char>(text[i]);
        if (lead < 0x80) {
            ++i;
            continue;
        }
        // The length of the sequence, and the range its second byte must be in (narrower than
        // 0x80..0xBF after the leads whose shortest forms or surrogates must be excluded).
        std::size_t length = 0;
        unsigned char low = 0x80;
        unsigned char high = 0xBF;
        if (lead >= 0xC2 && lead <= 0xDF) {
            length = 2;
        } else if (lead == 0xE0) {
            length = 3;
            low = 0xA0;
        } else if (lead == 0xED) {
            length = 3;
            high = 0x9F;
        } else if (lead >= 0xE1 && lead <= 0xEF) {
            length = 3;
        } else if (lead == 0xF0) {
            length = 4;
            low = 0x90;
        } else if (lead == 0xF4) {
            length = 4;
            high = 0x8F;
        } else if (lead >= 0xF1 && lead <= 0xF3) {
            length = 4;
        } else {
            return i;
        }
        if (text.size() - i < length) return i;
        const auto second = static_cast<unsigned char>(text[i + 1]);
        if (second < low || second > high) return i;
        for (std::size_t k = 2; k < length; ++k) {
            const auto next = static_cast<unsigned char>(text[i + k]);
            if (next < 0x80 || next > 0xBF) return i;
        }
        i += length;
    }
    return std::string_view::npos;
}

/// The JSON pointer of tensor `name` (RFC 6901 escaped), `suffix` appended ("/shape").
template <class... Deferred> std::string safetensors_pointer(std::string_view name, std::string_view suffix = {}) {
    std::string out;
    append_pointer_token(out, name);
    out += suffix;
    return out;
}

/// `text` quoted for a message, cut to about 60 bytes (a name may be megabytes long), at the
/// start of a UTF-8 character so that the message stays UTF-8.
template <class... Deferred> std::string quote_cut(std::string_view text) {
    if (text.size() <= 60) return "\"" + std::string(text) + "\"";
    std::size_t cut = 57;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0u) == 0x80u) --cut; // a continuation byte
    return "\"" + std::string(text.substr(0, cut)) + "...\"";
}

/// A shape as "[4096, 2048]", cut after 8 dimensions.
template <class... Deferred> std::string shape_text(const std::vector<std::uint64_t>& shape) {
    std::string out = "[";
    for (std::size_t i = 0; i < shape.size(); ++i) {
        if (i > 0) out += ", ";
        if (i == 8) {
            out += "... (" + std::to_string(shape.size()) + " dimensions)";
            break;
        }
        out += std::to_string(shape[i]);
    }
    return out + "]";
}

/// Reads the header's JSON as nlohmann's SAX parser reports it, event by event, into a
/// SafetensorsHeader: no JSON tree is built, so memory grows linearly with the header's length
/// (measured: at most about 12 bytes per byte, for a header of tiny __metadata__ entries), and
/// the first value out of place stops the parse, so nesting is never deeper than the format's
/// three levels. On an error it keeps the error and returns false
/// (nlohmann then stops); the caller throws it.
template <class Json> class SafetensorsHeaderReader {
  public:
    using number_integer_t = typename Json::number_integer_t;
    using number_unsigned_t = typename Json::number_unsigned_t;
    using number_float_t = typename Json::number_float_t;
    using string_t = typename Json::string_t;
    using binary_t = typename Json::binary_t;

    SafetensorsHeaderReader(std::string_view text, SafetensorsHeader& out) : text_(text), out_(out) {}

    /// The error that stopped the parse, if any.
    [[nodiscard]] const std::optional<Error>& error() const noexcept { return error_; }

    bool null() {
        // The reference reads `"__metadata__": null` as no metadata (an absent Option).
        if (at_ == At::root_value && name_ == metadata_name) {
            at_ = At::root_key;
            return true;
        }
        return unexpected("null");
    }
    bool boolean(bool value) { return unexpected(value ? "a boolean (true)" : "a boolean (false)"); }
    bool number_integer(number_integer_t value) {
        // nlohmann reports whole numbers >= 0 as unsigned; a signed one is negative.
        if (value >= 0) return whole_number(static_cast<std::uint64_t>(value));
        return unexpected("a negative number (" + std::to_string(value) + ")");
    }
    bool number_unsigned(number_unsigned_t value) { return whole_number(value); }
    bool number_float(number_float_t, const string_t& text) {
        // nlohmann reads a whole number above 2^64 - 1 as a float; the reference's offsets and
        // dimensions are 64-bit unsigned, so such a number is out of range, not of the wrong type.
        const std::string shown = text.size() > 60 ? text.substr(0, 57) + "..." : text;
        const bool whole = !text.empty() && text.find_first_not_of("0123456789") == string_t::npos;
        if (whole && (at_ == At::shape || at_ == At::offsets)) {
            return fail(ErrorKind::range, here(),
                        "expected " + std::string(expected()) + " below 2^64, found " + shown);
        }
        if (whole) return unexpected("a whole number (" + shown + ")");
        if (!text.empty() && text[0] == '-') return unexpected("a negative number (" + shown + ")");
        return unexpected("a float (" + shown + ")");
    }
    bool string(string_t& value) {
        if (at_ == At::metadata_value) {
            out_.metadata.emplace_back(key_, value);
            at_ = At::metadata_key;
            return true;
        }
        if (at_ == At::entry_value && field_ == Field::dtype) {
            const Optional<SafetensorsDtype> dtype = deepseek::enum_from_string<SafetensorsDtype>(value);
            if (!dtype) {
                return fail(ErrorKind::unknown_value, here(),
                            "unknown dtype " + quote_cut(value) + "; the format's dtypes are " +
                                accepted_values<SafetensorsDtype>());
            }
            tensor_.dtype = *dtype;
            at_ = At::entry_key;
            return true;
        }
        return unexpected("a string (" + quote_cut(value) + ")");
    }
    bool binary(binary_t&) { return unexpected("binary data"); } // never reported for JSON text
    bool start_object(std::size_t) {
        if (at_ == At::document) {
            at_ = At::root_key;
            return true;
        }
        if (at_ == At::root_value && name_ == metadata_name) {
            at_ = At::metadata_key;
            return true;
        }
        if (at_ == At::root_value) {
            tensor_ = SafetensorsTensor{};
            tensor_.name = name_;
            seen_ = {};
            at_ = At::entry_key;
            return true;
        }
        return unexpected("an object");
    }
    bool key(string_t& text) {
        if (at_ == At::root_key) {
            name_ = text;
            at_ = At::root_value;
            // The README says duplicate keys are disallowed; the reference's parser (serde_json
            // into a HashMap) keeps the last silently, as nlohmann would: checked here.
            if (!names_.insert(text).second) {
                return fail(ErrorKind::range, here(),
                            "the name appears twice in the header; each tensor (and __metadata__) has one entry");
            }
            return true;
        }
        if (at_ == At::metadata_key) {
            key_ = text;
            at_ = At::metadata_value;
            if (!metadata_keys_.insert(text).second) {
                return fail(ErrorKind::range, here(), "the key appears twice in __metadata__; each key has one value");
            }
            return true;
        }
        // At::entry_key: the only other place a key can come.
        const std::string pointer = safetensors_pointer(name_, "") + pointer_join("", text);
        Field field{};
        if (text == "dtype") {
            field = Field::dtype;
        } else if (text == "shape") {
            field = Field::shape;
        } else if (text == "data_offsets") {
            field = Field::data_offsets;
        } else {
            // The reference ignores unknown keys of an entry (its TensorInfo does not deny them);
            // the format defines an entry as exactly these three, and a misspelt "shapes" would
            // otherwise read as a missing shape: refused, naming the key.
            return fail(ErrorKind::unknown_value, pointer,
                        "unknown key " + quote_cut(text) +
                            "; a tensor entry has exactly the keys \"dtype\", \"shape\" and \"data_offsets\"");
        }
        bool& seen = seen_[static_cast<std::size_t>(field)];
        if (seen) return fail(ErrorKind::range, pointer, "the key appears twice in the tensor entry");
        seen = true;
        field_ = field;
        at_ = At::entry_value;
        return true;
    }
    bool end_object() {
        if (at_ == At::root_key) {
            at_ = At::end;
        } else if (at_ == At::metadata_key) {
            at_ = At::root_key;
        } else { // At::entry_key
            for (std::size_t i = 0; i < seen_.size(); ++i) {
                if (seen_[i]) continue;
                const std::string_view missing = field_name(static_cast<Field>(i));
                return fail(ErrorKind::missing_key, safetensors_pointer(name_, "") + pointer_join("", missing),
                            "the tensor entry has no " + std::string(missing) +
                                "; an entry is {\"dtype\": ..., \"shape\": [...], \"data_offsets\": [begin, end]}");
            }
            out_.tensors.push_back(std::move(tensor_));
            at_ = At::root_key;
        }
        return true;
    }
    bool start_array(std::size_t) {
        if (at_ == At::entry_value && field_ == Field::shape) {
            at_ = At::shape;
            return true;
        }
        if (at_ == At::entry_value && field_ == Field::data_offsets) {
            offsets_ = 0;
            at_ = At::offsets;
            return true;
        }
        return unexpected("an array");
    }
    bool end_array() {
        if (at_ == At::offsets && offsets_ != 2) {
            at_ = At::entry_value; // the error is about the whole array
            return fail(ErrorKind::type, here(),
                        "data_offsets must be two byte offsets [begin, end]; this array has " +
                            std::to_string(offsets_));
        }
        at_ = At::entry_key; // the end of the shape or data_offsets array: the only arrays let in
        return true;
    }
    bool parse_error(std::size_t position, const std::string& token, const typename Json::exception& e) {
        // `position` counts the bytes read, the one where parsing stopped included.
        const std::string where = line_column(text_, position == 0 ? 0 : position - 1);
        if (e.id == 406) { // a number beyond double's range, such as 1e400
            return fail(ErrorKind::range, "",
                        "number out of range in the header at " + where + ": " + quote_cut(token));
        }
        std::string reason = e.what();
        if (const auto colon = reason.find(": "); colon != std::string::npos) reason = reason.substr(colon + 2);
        return fail(ErrorKind::syntax, "", "malformed JSON in the header at " + where + ": " + reason);
    }

  private:
    /// Where the parser is: what the next event may be.
    enum class At {
        document,       ///< before the header's object
        root_key,       ///< in the header's object: a tensor name, __metadata__, or its end
        root_value,     ///< after a name: its entry (an object)
        metadata_key,   ///< in __metadata__: a key or its end
        metadata_value, ///< after a key of __metadata__: a string
        entry_key,      ///< in a tensor entry: dtype, shape, data_offsets, or its end
        entry_value,    ///< after a key of an entry: its value
        shape,          ///< in a shape array: whole numbers
        offsets,        ///< in a data_offsets array: two whole numbers
        end             ///< after the header's object
    };
    /// The keys of a tensor entry.
    enum class Field { dtype, shape, data_offsets };

    static constexpr std::string_view metadata_name = "__metadata__";

    static std::string_view field_name(Field field) noexcept {
        switch (field) {
        case Field::dtype: return "dtype";
        case Field::shape: return "shape";
        case Field::data_offsets: return "data_offsets";
        }
        return "";
    }

    /// The JSON pointer of the value the parser is at.
    [[nodiscard]] std::string here() const {
        switch (at_) {
        case At::root_value: return safetensors_pointer(name_);
        case At::metadata_value: return pointer_join("/__metadata__", key_);
        case At::entry_value: return safetensors_pointer(name_) + pointer_join("", field_name(field_));
        case At::shape: return safetensors_pointer(name_, "/shape/") + std::to_string(tensor_.shape.size());
        case At::offsets: return safetensors_pointer(name_, "/data_offsets/") + std::to_string(offsets_);
        default: return "";
        }
    }

    /// What the value the parser is at should be, for messages.
    [[nodiscard]] const char* expected() const noexcept {
        switch (at_) {
        case At::document: return "a JSON object mapping tensor names to entries";
        case At::root_value:
            return name_ == metadata_name
                       ? "an object of strings"
                       : "a tensor entry, {\"dtype\": ..., \"shape\": [...], \"data_offsets\": [begin, end]}";
        case At::metadata_value: return "a string (__metadata__ maps strings to strings)";
        case At::entry_value:
            if (field_ == Field::dtype) return "a dtype name (a string such as \"BF16\")";
            if (field_ == Field::shape) return "an array of whole numbers";
            return "an array of two whole numbers [begin, end]";
        case At::shape: return "a whole number";
        case At::offsets: return "a whole number (a byte offset)";
        default: return "nothing more";
        }
    }

    bool fail(ErrorKind kind, std::string pointer, std::string message) {
        error_.emplace(kind, std::move(pointer), std::move(message));
        return false;
    }
    bool unexpected(const std::string& found) {
        return fail(ErrorKind::type, here(), "expected " + std::string(expected()) + ", found " + found);
    }
    bool whole_number(std::uint64_t value) {
        if (at_ == At::shape) {
            tensor_.shape.push_back(value);
            return true;
        }
        if (at_ == At::offsets && offsets_ < 2) {
            (offsets_ == 0 ? tensor_.begin : tensor_.end) = value;
            ++offsets_;
            return true;
        }
        if (at_ == At::offsets) {
            return fail(ErrorKind::type, safetensors_pointer(name_, "/data_offsets"),
                        "data_offsets must be two byte offsets [begin, end]; this array has more than two");
        }
        return unexpected("a whole number (" + std::to_string(value) + ")");
    }

    // The members' types are named through Json (string_t is std::string), so that the member
    // functions are compiled only where a header is read, not wherever this file is included.
    std::string_view text_;
    SafetensorsHeader& out_;
    std::optional<Error> error_;
    At at_ = At::document;
    string_t name_;                    // the tensor name (or __metadata__) being read
    string_t key_;                     // the __metadata__ key being read
    Field field_ = Field::dtype;       // the entry key being read
    std::array<bool, 3> seen_{};       // the entry keys read so far, by Field
    std::size_t offsets_ = 0;          // the data_offsets numbers read so far
    SafetensorsTensor tensor_;         // the entry being read
    std::set<string_t> names_;         // the header's keys so far
    std::set<string_t> metadata_keys_; // the __metadata__ keys so far
};

/// Checks the length N against the file and the bytes given, before any JSON is read.
template <class... Deferred> void check_safetensors_length(std::string_view bytes, std::uint64_t file_size) {
    if (bytes.size() > file_size) {
        throw Error(ErrorKind::range, "",
                    std::to_string(bytes.size()) + " bytes were given for a file of " + std::to_string(file_size) +
                        ": the file size must be at least the bytes given");
    }
    if (file_size < safetensors_length_bytes) {
        throw Error(ErrorKind::range, "",
                    "the file is " + std::to_string(file_size) +
                        " bytes: a .safetensors file begins with an 8-byte header length");
    }
    if (bytes.size() < safetensors_length_bytes) {
        throw Error(ErrorKind::range, "",
                    "only " + std::to_string(bytes.size()) +
                        " bytes were given: pass at least the first 8 + N bytes of the file");
    }
    const std::uint64_t n = safetensors_length(bytes);
    if (n > safetensors_max_header_bytes) {
        throw Error(ErrorKind::range, "",
                    "the header length is " + std::to_string(n) + " bytes, more than the " +
                        std::to_string(safetensors_max_header_bytes) +
                        " the format allows (the reference reader refuses it): not a .safetensors file, or a "
                        "corrupt one");
    }
    if (n > file_size - safetensors_length_bytes) {
        throw Error(ErrorKind::range, "",
                    "the header length is " + std::to_string(n) + " bytes, but the file has only " +
                        std::to_string(file_size - safetensors_length_bytes) +
                        " after the 8-byte length: the file is truncated or not a .safetensors file");
    }
    if (bytes.size() - safetensors_length_bytes < n) {
        throw Error(ErrorKind::range, "",
                    "only " + std::to_string(bytes.size()) + " bytes were given, and the header ends at byte " +
                        std::to_string(safetensors_length_bytes + n) + ": pass at least the first 8 + N bytes");
    }
}

/// Checks the header's text before it is parsed: not empty, beginning with '{', UTF-8, no NUL byte.
template <class... Deferred> void check_safetensors_text(std::string_view text) {
    if (text.empty()) {
        throw Error(ErrorKind::syntax, "",
                    "the header length is 0: the header is a JSON object, at least \"{}\" (2 bytes)");
    }
    // The README says the header MUST begin with '{'. The reference's code lets serde_json skip
    // leading whitespace; nlohmann would also skip a UTF-8 byte-order mark, which serde_json
    // refuses. The README's rule settles both, and every writer of the format follows it.
    if (text[0] != '{') {
        char hex[8];
        std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned>(static_cast<unsigned char>(text[0])));
        throw Error(ErrorKind::syntax, "",
                    std::string("the header begins with byte ") + hex +
                        ", not '{': it must be a JSON object mapping tensor names to entries");
    }
    if (const std::size_t at = invalid_utf8_at(text); at != std::string_view::npos) {
        char hex[8];
        std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned>(static_cast<unsigned char>(text[at])));
        throw Error(ErrorKind::syntax, "",
                    "the header is not valid UTF-8: byte " + std::string(hex) + " at " + line_column(text, at) +
                        " does not begin a well-formed UTF-8 sequence");
    }
    // nlohmann takes a NUL byte outside a string for the end of the input, so "{}" followed by
    // NUL padding would pass; serde_json refuses it as trailing characters (and JSON strings
    // cannot hold one unescaped).
    if (const std::size_t at = text.find('\0'); at != std::string_view::npos) {
        throw Error(ErrorKind::syntax, "",
                    "the header holds a NUL byte at " + line_column(text, at) +
                        ": JSON text cannot hold one (the header is padded with spaces, 0x20)");
    }
}

/// Checks one tensor's range against its shape and dtype (the reference's `validate`, but in
/// file order, so the error names the first bad entry of the file).
template <class... Deferred> void check_safetensors_tensor(const SafetensorsTensor& t) {
    constexpr std::uint64_t max = std::numeric_limits<std::uint64_t>::max();
    if (t.begin > t.end) {
        throw Error(ErrorKind::range, safetensors_pointer(t.name, "/data_offsets"),
                    "begin " + std::to_string(t.begin) + " is after end " + std::to_string(t.end) +
                        ": data_offsets is [begin, end] with begin <= end");
    }
    // The element count, multiplied left to right and checked at each step as the reference
    // does (so [2^40, 2^40, 0] overflows there, and here, though its product is 0).
    std::uint64_t elements = 1;
    for (const std::uint64_t dim : t.shape) {
        if (dim != 0 && elements > max / dim) {
            throw Error(ErrorKind::overflow, safetensors_pointer(t.name, "/shape"),
                        "the element count of shape " + shape_text(t.shape) +
                            " does not fit in 64 bits: the product of the dimensions must be below 2^64");
        }
        elements *= dim;
    }
    const std::uint64_t bits_each = safetensors_dtype_bits(t.dtype);
    const std::string dtype = std::string(deepseek::to_string(t.dtype));
    // The reference counts bits in 64 bits too: a count that fits as bytes but not as bits fails.
    if (elements > max / bits_each) {
        throw Error(ErrorKind::overflow, safetensors_pointer(t.name, "/shape"),
                    "shape " + shape_text(t.shape) + " of " + dtype + " is " + std::to_string(elements) +
                        " elements, more than 2^64 bits: the size in bits must fit in 64 bits");
    }
    const std::uint64_t bits = elements * bits_each;
    if (bits % 8 != 0) {
        throw Error(ErrorKind::range, safetensors_pointer(t.name, "/shape"),
                    "shape " + shape_text(t.shape) + " of " + dtype + " (" + std::to_string(bits_each) +
                        " bits each) is " + std::to_string(bits) +
                        " bits, not a whole number of bytes: a tensor of a sub-byte dtype must fill whole bytes");
    }
    if (t.end - t.begin != bits / 8) {
        throw Error(ErrorKind::range, safetensors_pointer(t.name, "/data_offsets"),
                    "the range [" + std::to_string(t.begin) + ", " + std::to_string(t.end) + "] holds " +
                        std::to_string(t.end - t.begin) + " bytes, but shape " + shape_text(t.shape) + " of " + dtype +
                        " needs " + std::to_string(bits / 8) + ": end - begin must be the tensor's size");
    }
}

/// Sorts the tensors by their bytes and checks that they cover the data section exactly, from
/// byte 0, each beginning where the one before ends; sets data_bytes.
template <class... Deferred> void check_safetensors_ranges(SafetensorsHeader& header) {
    // The reference sorts by (begin, end); a stable sort keeps equal ranges (empty tensors at one
    // offset) in file order.
    std::stable_sort(header.tensors.begin(), header.tensors.end(),
                     [](const SafetensorsTensor& a, const SafetensorsTensor& b) {
                         return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
                     });
    std::uint64_t next = 0; // where the next tensor must begin
    for (std::size_t i = 0; i < header.tensors.size(); ++i) {
        const SafetensorsTensor& t = header.tensors[i];
        if (t.begin == next) {
            next = t.end;
            continue;
        }
        const std::string pointer = safetensors_pointer(t.name, "/data_offsets/0");
        if (i == 0) {
            throw Error(ErrorKind::range, pointer,
                        "the first tensor's data begins at byte " + std::to_string(t.begin) +
                            " of the data section, not at 0: the tensors must cover the data section from its "
                            "first byte, with no gap");
        }
        const SafetensorsTensor& before = header.tensors[i - 1];
        const std::string range = "[" + std::to_string(t.begin) + ", " + std::to_string(t.end) + "]";
        const std::string range_before = "[" + std::to_string(before.begin) + ", " + std::to_string(before.end) + "]";
        if (t.begin < next) {
            throw Error(ErrorKind::range, pointer,
                        "the range " + range + " overlaps the range " + range_before + " of " + quote_cut(before.name) +
                            ": each byte of the data section belongs to one tensor");
        }
        throw Error(ErrorKind::range, pointer,
                    "bytes [" + std::to_string(next) + ", " + std::to_string(t.begin) +
                        ") of the data section belong to no tensor (a hole after " + quote_cut(before.name) +
                        ", which ends at byte " + std::to_string(next) +
                        "): each tensor must begin where the one before it ends");
    }
    header.data_bytes = next;
}

/// Checks that the data section runs exactly to the end of the file.
template <class... Deferred>
void check_safetensors_file_size(const SafetensorsHeader& header, std::uint64_t file_size) {
    const std::uint64_t after_header = file_size - header.data_start(); // checked >= 0 before
    if (header.data_bytes > after_header) {
        throw Error(ErrorKind::range, safetensors_pointer(header.tensors.back().name, "/data_offsets/1"),
                    "the tensors' data needs " + std::to_string(header.data_bytes) +
                        " bytes after the header, but the file has only " + std::to_string(after_header) +
                        " there: the file is truncated");
    }
    // The reference refuses a file longer than its tensors too (MetadataIncompleteBuffer): the
    // README's "the byte buffer needs to be entirely indexed" keeps a file from carrying a
    // second payload.
    if (header.data_bytes < after_header) {
        throw Error(ErrorKind::range, "",
                    "the file has " + std::to_string(after_header - header.data_bytes) +
                        " bytes after the last tensor's data: the tensors must cover the data section exactly, "
                        "to the end of the file");
    }
}

} // namespace detail

} // namespace deepseek

#endif // DEEPSEEK_CONFIG_DETAIL_JSON_SAFETENSORS_HPP
