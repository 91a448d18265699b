#include "io/safetensors.h"

#include "chatbench/atomic_file.h"
#include "chatbench/error.h"
#include "io/half_float.h"
#include "io/mapped_file.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>

// The tensor bytes are little-endian on disk and are copied or reinterpreted as host floats.
static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
    "safetensors.cpp assumes a little-endian host; add byte swapping to port it");
static_assert(
    sizeof(float) == 4 && std::numeric_limits<float>::is_iec559, "float must be IEEE binary32");

namespace chatbench {
namespace {

using Json = nlohmann::json;

constexpr std::uint64_t kLengthFieldSize = 8;
// The same cap as Hugging Face's implementation: a real header is kilobytes; anything bigger
// is a different file format or corruption, and we would otherwise try to parse it.
constexpr std::uint64_t kMaxHeaderLength = 100'000'000;

// A short rendering of a JSON value for error messages (a bad value can be huge).
std::string describe(const Json &value)
{
    std::string text = value.dump(-1, ' ', false, Json::error_handler_t::replace);
    if (text.size() > 80)
        text = text.substr(0, 77) + "...";
    return std::string(value.type_name()) + " " + text;
}

std::string shapeText(const std::vector<std::int64_t> &shape)
{
    std::string text = "[";
    for (std::size_t i = 0; i < shape.size(); ++i)
        text += (i ? ", " : "") + std::to_string(shape[i]);
    return text + "]";
}

std::string rangeText(std::uint64_t begin, std::uint64_t end)
{
    return "[" + std::to_string(begin) + ", " + std::to_string(end) + "]";
}

// Checked numel * bits / 8; false on overflow, a negative dimension, or a packed dtype whose
// elements do not end on a byte boundary (the specification requires whole bytes).
bool byteCount(const std::vector<std::int64_t> &shape, DType dtype, std::uint64_t &bytes)
{
    std::uint64_t count = 1;
    for (std::int64_t dim : shape) {
        if (dim < 0 || __builtin_mul_overflow(count, std::uint64_t(dim), &count))
            return false;
    }
    if (count > std::uint64_t(std::numeric_limits<std::int64_t>::max()))
        return false; // numel() returns int64
    std::uint64_t bits = 0;
    if (__builtin_mul_overflow(count, std::uint64_t(dtypeBits(dtype)), &bits) || bits % 8 != 0)
        return false;
    bytes = bits / 8;
    return true;
}

struct DTypeEntry
{
    DType dtype;
    const char *name;
    std::size_t bits;
};

// Every dtype the safetensors specification names, with its element size.
constexpr DTypeEntry kDTypes[] = {
    { DType::F32, "F32", 32 },
    { DType::F16, "F16", 16 },
    { DType::BF16, "BF16", 16 },
    { DType::F64, "F64", 64 },
    { DType::I64, "I64", 64 },
    { DType::I32, "I32", 32 },
    { DType::I16, "I16", 16 },
    { DType::I8, "I8", 8 },
    { DType::U64, "U64", 64 },
    { DType::U32, "U32", 32 },
    { DType::U16, "U16", 16 },
    { DType::U8, "U8", 8 },
    { DType::BOOL, "BOOL", 8 },
    { DType::F8_E4M3, "F8_E4M3", 8 },
    { DType::F8_E5M2, "F8_E5M2", 8 },
    { DType::F8_E8M0, "F8_E8M0", 8 },
    { DType::F6_E2M3, "F6_E2M3", 6 },
    { DType::F6_E3M2, "F6_E3M2", 6 },
    { DType::F4, "F4", 4 },
    { DType::C64, "C64", 64 },
};

// nlohmann keeps only the last of two equal keys, so a duplicated tensor name would silently
// lose a tensor; the parser callback sees every key before that happens.
class DuplicateKeyFinder
{
public:
    bool operator()(int, Json::parse_event_t event, Json &parsed)
    {
        switch (event) {
        case Json::parse_event_t::object_start:
            m_keys.emplace_back();
            m_lastKey.emplace_back();
            break;
        case Json::parse_event_t::key:
            if (!m_keys.empty()) {
                std::string key = parsed.get<std::string>();
                if (!m_keys.back().insert(key).second && m_depth == 0) {
                    m_duplicate = key;
                    m_depth = m_keys.size();
                    m_parent = m_keys.size() >= 2 ? m_lastKey[m_keys.size() - 2] : std::string();
                }
                m_lastKey.back() = std::move(key);
            }
            break;
        case Json::parse_event_t::object_end:
            if (!m_keys.empty()) {
                m_keys.pop_back();
                m_lastKey.pop_back();
            }
            break;
        default:
            break;
        }
        return true;
    }

    bool found() const { return m_depth != 0; }
    std::string message() const
    {
        if (m_depth == 1)
            return m_duplicate == "__metadata__"
                ? "__metadata__ appears twice"
                : "tensor '" + m_duplicate + "' appears twice (tensor names must be unique)";
        std::string where
            = m_parent == "__metadata__" ? "__metadata__" : "tensor '" + m_parent + "'";
        return where + ": key '" + m_duplicate + "' appears twice";
    }

private:
    std::vector<std::set<std::string>> m_keys; // per open object
    std::vector<std::string> m_lastKey;
    std::string m_duplicate;
    std::string m_parent;
    std::size_t m_depth = 0;
};

Json parseHeaderJson(std::string_view text, const std::filesystem::path &file)
{
    // Not parseJson(): its line/column would count within the header, and a user or a hex
    // editor wants the byte in the file; and the duplicate check needs the parser callback.
    // nlohmann's lexer takes a NUL byte for the end of the input and would ignore whatever
    // follows it; JSON allows none anywhere (strings must escape it).
    if (auto nul = text.find('\0'); nul != std::string_view::npos)
        throw Error::atOffset(file, kLengthFieldSize + nul,
            "header is not valid JSON (header byte " + std::to_string(nul) + "): NUL byte");
    DuplicateKeyFinder duplicates;
    Json header;
    try {
        header = Json::parse(text.begin(), text.end(),
            [&duplicates](int depth, Json::parse_event_t event, Json &parsed) {
                return duplicates(depth, event, parsed);
            });
    } catch (const Json::parse_error &e) {
        // e.byte is 1-based and points just past the offending character.
        std::uint64_t position = std::min<std::uint64_t>(e.byte > 0 ? e.byte - 1 : 0, text.size());
        std::string what = e.what();
        // Keep only the explanation after "[json.exception...] parse error at line 1, column 2: ".
        if (auto bracket = what.find("] "); bracket != std::string::npos) {
            if (auto colon = what.find(": ", bracket); colon != std::string::npos)
                what = what.substr(colon + 2);
        }
        throw Error::atOffset(file, kLengthFieldSize + position,
            "header is not valid JSON (header byte " + std::to_string(position) + "): " + what);
    } catch (const Json::out_of_range &e) {
        // A number beyond double's range ("1e999"), which nlohmann reports without a position.
        std::string what = e.what();
        if (auto pos = what.find("] "); pos != std::string::npos)
            what = what.substr(pos + 2);
        throw Error::inFile(file, "header is not valid JSON: " + what);
    }
    if (duplicates.found())
        throw Error::inFile(file, "header: " + duplicates.message());
    return header;
}

std::map<std::string, std::string> parseMetadata(
    const Json &value, const std::filesystem::path &file)
{
    if (!value.is_object())
        throw Error::inFile(file,
            "header: __metadata__: expected an object of string values, got " + describe(value));
    std::map<std::string, std::string> metadata;
    for (const auto &[key, entry] : value.items()) {
        if (!entry.is_string())
            throw Error::inFile(file,
                "header: __metadata__: key '" + key + "': expected a string, got "
                    + describe(entry));
        metadata.emplace(key, entry.get<std::string>());
    }
    return metadata;
}

TensorInfo parseTensor(const std::string &name, const Json &entry, std::uint64_t dataSize,
    const std::filesystem::path &file)
{
    auto fail = [&](const std::string &what) {
        return Error::inFile(file, "header: tensor '" + name + "': " + what);
    };
    if (!entry.is_object())
        throw fail("expected an object with dtype, shape and data_offsets, got " + describe(entry));
    for (const auto &item : entry.items()) {
        const std::string &key = item.key();
        if (key != "dtype" && key != "shape" && key != "data_offsets")
            throw fail("unexpected key '" + key + "' (expected only dtype, shape, data_offsets)");
    }
    for (const char *key : { "dtype", "shape", "data_offsets" }) {
        if (!entry.contains(key))
            throw fail(std::string("missing key '") + key + "'");
    }

    TensorInfo info;
    info.name = name;

    const Json &dtype = entry["dtype"];
    if (!dtype.is_string())
        throw fail("dtype: expected a string, got " + describe(dtype));
    const std::string &dtypeText = dtype.get_ref<const std::string &>();
    const DTypeEntry *known = nullptr;
    for (const DTypeEntry &candidate : kDTypes) {
        if (dtypeText == candidate.name)
            known = &candidate;
    }
    if (!known)
        throw fail("unknown dtype '" + dtypeText + "'");
    info.dtype = known->dtype;

    const Json &shape = entry["shape"];
    if (!shape.is_array())
        throw fail("shape: expected a list of non-negative integers, got " + describe(shape));
    for (const Json &dim : shape) {
        // nlohmann stores non-negative integer literals as unsigned, negative ones as signed.
        if (!dim.is_number_unsigned()
            || dim.get<std::uint64_t>() > std::uint64_t(std::numeric_limits<std::int64_t>::max()))
            throw fail("shape: expected a list of non-negative integers, got " + describe(shape));
        info.shape.push_back(std::int64_t(dim.get<std::uint64_t>()));
    }
    std::uint64_t expectedBytes = 0;
    if (!byteCount(info.shape, info.dtype, expectedBytes))
        throw fail("shape " + shapeText(info.shape) + " of " + dtypeText
            + ": the byte size overflows 64 bits or is not a whole number of bytes");

    const Json &offsets = entry["data_offsets"];
    if (!offsets.is_array() || offsets.size() != 2 || !offsets[0].is_number_unsigned()
        || !offsets[1].is_number_unsigned())
        throw fail("data_offsets: expected two non-negative integers [begin, end], got "
            + describe(offsets));
    info.dataBegin = offsets[0].get<std::uint64_t>();
    info.dataEnd = offsets[1].get<std::uint64_t>();
    if (info.dataBegin > info.dataEnd)
        throw fail(
            "data_offsets " + rangeText(info.dataBegin, info.dataEnd) + ": begin is after end");
    const std::uint64_t actualBytes = info.dataEnd - info.dataBegin;
    if (actualBytes != expectedBytes)
        throw fail("data_offsets " + rangeText(info.dataBegin, info.dataEnd) + " span "
            + std::to_string(actualBytes) + " bytes, expected " + std::to_string(expectedBytes)
            + " (shape " + shapeText(info.shape) + " of " + dtypeText + ")");
    if (info.dataEnd > dataSize)
        throw fail("data_offsets " + rangeText(info.dataBegin, info.dataEnd)
            + " run past the end of the data section, which has " + std::to_string(dataSize)
            + " bytes");
    return info;
}

// The specification and Hugging Face's reader require the tensors to tile the data section
// exactly: no overlap, no gap, nothing after the last one.
void checkLayout(const std::vector<TensorInfo> &sorted, std::uint64_t dataSize,
    const std::filesystem::path &file)
{
    std::uint64_t covered = 0;
    const TensorInfo *previous = nullptr; // the tensor that ends at `covered`
    for (const TensorInfo &info : sorted) {
        if (info.dataBegin < covered)
            throw Error::inFile(file,
                "header: tensors '" + previous->name + "' (data_offsets "
                    + rangeText(previous->dataBegin, previous->dataEnd) + ") and '" + info.name
                    + "' (data_offsets " + rangeText(info.dataBegin, info.dataEnd) + ") overlap");
        if (info.dataBegin > covered)
            throw Error::inFile(file,
                "header: hole in the data section: bytes [" + std::to_string(covered) + ", "
                    + std::to_string(info.dataBegin) + ") belong to no tensor ("
                    + (previous ? "between '" + previous->name + "' and '"
                                : std::string("before '"))
                    + info.name
                    + "'); safetensors requires the tensors to cover the data "
                      "section contiguously");
        if (info.dataEnd >= covered) {
            covered = info.dataEnd;
            previous = &info;
        }
    }
    if (covered != dataSize)
        throw Error::inFile(file,
            "header: the data section has " + std::to_string(dataSize)
                + " bytes but the tensors cover only " + std::to_string(covered) + "; "
                + std::to_string(dataSize - covered) + " trailing bytes belong to no tensor");
}

} // namespace

const char *dtypeName(DType dtype)
{
    for (const DTypeEntry &entry : kDTypes)
        if (entry.dtype == dtype)
            return entry.name;
    return "?";
}

std::size_t dtypeBits(DType dtype)
{
    for (const DTypeEntry &entry : kDTypes)
        if (entry.dtype == dtype)
            return entry.bits;
    return 0;
}

bool readsAsFloat(DType dtype)
{
    return dtype == DType::F32 || dtype == DType::F16 || dtype == DType::BF16
        || dtype == DType::F64;
}

std::int64_t TensorInfo::numel() const
{
    std::int64_t count = 1;
    for (std::int64_t dim : shape)
        count *= dim;
    return count;
}

struct SafetensorsFile::Impl
{
    std::filesystem::path path;
    MappedFile file;
    const unsigned char *data = nullptr; // the data section
    std::uint64_t dataSize = 0;
    std::vector<TensorInfo> tensors;
    std::map<std::string, std::size_t, std::less<>> index;
    std::map<std::string, std::string> metadata;
};

SafetensorsFile::SafetensorsFile(std::unique_ptr<Impl> impl) : d(std::move(impl))
{ }
SafetensorsFile::SafetensorsFile(SafetensorsFile &&) noexcept = default;
SafetensorsFile &SafetensorsFile::operator=(SafetensorsFile &&) noexcept = default;
SafetensorsFile::~SafetensorsFile() = default;

SafetensorsFile SafetensorsFile::open(const std::filesystem::path &file)
{
    auto impl = std::make_unique<Impl>();
    impl->path = file;

    // Truncating a mapped file under us would fault on access (SIGBUS); ChatBench replaces
    // checkpoints by rename (AtomicFile), which leaves this mapping's inode intact.
    impl->file = MappedFile(file);
    const std::uint64_t fileSize = impl->file.size();
    if (fileSize < kLengthFieldSize)
        throw Error::inFile(file,
            "file is " + std::to_string(fileSize)
                + " bytes, too short for a safetensors file (it starts "
                  "with an 8-byte header length)");
    const auto *bytes = reinterpret_cast<const unsigned char *>(impl->file.data());

    std::uint64_t headerLength = 0;
    for (int i = 7; i >= 0; --i)
        headerLength = (headerLength << 8) | bytes[i];
    if (headerLength == 0)
        throw Error::atOffset(file, 0, "header length is 0; a safetensors header is at least {}");
    if (headerLength > kMaxHeaderLength)
        throw Error::atOffset(file, 0,
            "header length " + std::to_string(headerLength) + " bytes is over the "
                + std::to_string(kMaxHeaderLength)
                + "-byte limit: not a safetensors file, or a "
                  "corrupt one");
    if (headerLength > fileSize - kLengthFieldSize)
        throw Error::atOffset(file, 0,
            "header length " + std::to_string(headerLength) + " runs past the end of the file: 8 + "
                + std::to_string(headerLength) + " = "
                + std::to_string(kLengthFieldSize + headerLength) + " > file size "
                + std::to_string(fileSize) + " bytes (truncated download?)");

    const std::string_view headerText(
        reinterpret_cast<const char *>(bytes + kLengthFieldSize), std::size_t(headerLength));
    const Json header = parseHeaderJson(headerText, file);
    if (!header.is_object())
        throw Error::atOffset(file, kLengthFieldSize,
            "header: the top level must be a JSON object, got " + describe(header));

    impl->data = bytes + kLengthFieldSize + headerLength;
    impl->dataSize = fileSize - kLengthFieldSize - headerLength;
    for (const auto &item : header.items()) {
        if (item.key() == "__metadata__")
            impl->metadata = parseMetadata(item.value(), file);
        else
            impl->tensors.push_back(parseTensor(item.key(), item.value(), impl->dataSize, file));
    }
    std::sort(
        impl->tensors.begin(), impl->tensors.end(), [](const TensorInfo &a, const TensorInfo &b) {
            if (a.dataBegin != b.dataBegin)
                return a.dataBegin < b.dataBegin;
            if (a.dataEnd != b.dataEnd)
                return a.dataEnd < b.dataEnd;
            return a.name < b.name;
        });
    checkLayout(impl->tensors, impl->dataSize, file);
    for (std::size_t i = 0; i < impl->tensors.size(); ++i)
        impl->index.emplace(impl->tensors[i].name, i);

    return SafetensorsFile(std::move(impl));
}

const std::filesystem::path &SafetensorsFile::path() const
{
    return d->path;
}

const std::vector<TensorInfo> &SafetensorsFile::tensors() const
{
    return d->tensors;
}

const TensorInfo *SafetensorsFile::find(std::string_view name) const
{
    auto it = d->index.find(name);
    return it == d->index.end() ? nullptr : &d->tensors[it->second];
}

const std::map<std::string, std::string> &SafetensorsFile::metadata() const
{
    return d->metadata;
}

void SafetensorsFile::readFloat32(const TensorInfo &info, float *out) const
{
    // `info` may be a caller's copy or come from another file: re-check it against this
    // mapping so that no TensorInfo can make us read outside it.
    std::uint64_t bytes = 0;
    if (!byteCount(info.shape, info.dtype, bytes) || info.dataBegin > info.dataEnd
        || info.dataEnd - info.dataBegin != bytes || info.dataEnd > d->dataSize)
        throw Error::inFile(d->path,
            "tensor '" + info.name + "': data_offsets " + rangeText(info.dataBegin, info.dataEnd)
                + " and shape " + shapeText(info.shape) + " do not describe this file's data");
    if (!readsAsFloat(info.dtype))
        throw Error::inFile(d->path,
            "unsupported dtype " + std::string(dtypeName(info.dtype)) + " for tensor '" + info.name
                + "'; ChatBench reads weights stored as F32, F16, BF16 or F64");
    if (bytes == 0)
        return;
    const unsigned char *source = d->data + info.dataBegin;
    const std::size_t count = std::size_t(bytes * 8 / dtypeBits(info.dtype));
    // memcpy rather than casts: the data section starts at 8 + N, which need not be aligned.
    switch (info.dtype) {
    case DType::F32:
        std::memcpy(out, source, std::size_t(bytes));
        break;
    case DType::F16:
        for (std::size_t i = 0; i < count; ++i) {
            std::uint16_t half;
            std::memcpy(&half, source + 2 * i, 2);
            out[i] = halfToFloat(half);
        }
        break;
    case DType::BF16:
        for (std::size_t i = 0; i < count; ++i) {
            std::uint16_t half;
            std::memcpy(&half, source + 2 * i, 2);
            out[i] = bfloat16ToFloat(half);
        }
        break;
    case DType::F64:
        for (std::size_t i = 0; i < count; ++i) {
            double value;
            std::memcpy(&value, source + 8 * i, 8);
            out[i] = float(value);
        }
        break;
    default:
        break; // refused above
    }
}

std::vector<float> SafetensorsFile::readFloat32(std::string_view name) const
{
    const TensorInfo *info = find(name);
    if (!info)
        throw Error::inFile(d->path, "no tensor named '" + std::string(name) + "'");
    std::vector<float> values(std::size_t(info->numel()));
    readFloat32(*info, values.data());
    return values;
}

void writeSafetensors(const std::filesystem::path &file, const std::vector<TensorToWrite> &tensors,
    const std::map<std::string, std::string> &metadata)
{
    // Everything is checked and the header built before AtomicFile creates anything on disk.
    std::set<std::string_view> names;
    std::vector<std::uint64_t> sizes;
    std::string header = "{";
    std::uint64_t offset = 0;
    try {
        if (!metadata.empty())
            header += "\"__metadata__\":" + Json(metadata).dump();
        for (const TensorToWrite &tensor : tensors) {
            auto fail = [&](const std::string &what) {
                return Error::inFile(file, "cannot write tensor '" + tensor.name + "': " + what);
            };
            if (tensor.name == "__metadata__")
                throw fail("the name __metadata__ is reserved by the format");
            if (!names.insert(tensor.name).second)
                throw fail("the name is given twice (tensor names must be unique)");
            std::uint64_t bytes = 0;
            if (tensor.dtype != DType::F32 && tensor.dtype != DType::F16
                && tensor.dtype != DType::BF16)
                throw fail(std::string("ChatBench writes F32, F16 and BF16, not ")
                    + dtypeName(tensor.dtype));
            if (!byteCount(tensor.shape, tensor.dtype, bytes))
                throw fail("shape " + shapeText(tensor.shape)
                    + " has a negative dimension or its byte size overflows");
            if (bytes > 0 && !tensor.data)
                throw fail("no data");
            sizes.push_back(bytes);
            if (header.size() > 1)
                header += ',';
            header += Json(tensor.name).dump() + ":{\"dtype\":\"" + dtypeName(tensor.dtype)
                + "\",\"shape\":" + Json(tensor.shape).dump() + ",\"data_offsets\":["
                + std::to_string(offset) + "," + std::to_string(offset + bytes) + "]}";
            offset += bytes;
        }
    } catch (const Json::type_error &e) {
        // dump() refuses strings that are not UTF-8.
        throw Error::inFile(file,
            std::string("cannot write: a tensor name or metadata entry is "
                        "not valid UTF-8 (")
                + e.what() + ")");
    }
    header += '}';
    // Align the data section to 8 bytes, as Hugging Face's writer does, so that readers may map
    // tensors in place.
    header.append((kLengthFieldSize - header.size() % kLengthFieldSize) % kLengthFieldSize, ' ');

    unsigned char length[kLengthFieldSize];
    for (std::size_t i = 0; i < kLengthFieldSize; ++i)
        length[i] = static_cast<unsigned char>(std::uint64_t(header.size()) >> (8 * i));

    AtomicFile out(file);
    out.write(length, sizeof length);
    out.write(header);
    std::vector<std::uint16_t> buffer;
    for (std::size_t t = 0; t < tensors.size(); ++t) {
        const TensorToWrite &tensor = tensors[t];
        const std::size_t count = std::size_t(sizes[t] * 8 / dtypeBits(tensor.dtype));
        if (count == 0)
            continue;
        if (tensor.dtype == DType::F32) {
            out.write(tensor.data, std::size_t(sizes[t]));
            continue;
        }
        constexpr std::size_t kChunk = 1 << 16;
        buffer.resize(std::min(count, kChunk));
        for (std::size_t begin = 0; begin < count; begin += kChunk) {
            const std::size_t n = std::min(kChunk, count - begin);
            for (std::size_t i = 0; i < n; ++i)
                buffer[i] = tensor.dtype == DType::F16 ? floatToHalf(tensor.data[begin + i])
                                                       : floatToBfloat16(tensor.data[begin + i]);
            out.write(buffer.data(), n * sizeof(std::uint16_t));
        }
    }
    out.commit();
}

} // namespace chatbench
