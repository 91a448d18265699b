#pragma once
// A safetensors file of any dtypes, written byte by byte as the format specifies, for tests that
// need what ChatBench itself never writes (the BOOL or U8 causal-mask buffers of older
// transformers, integer tensors). Entries are laid out in the given order.

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

namespace chatbench::test {

struct RawTensor
{
    std::string name;
    std::string dtype; // as the specification spells it: "BOOL", "U8", "F32", ...
    std::vector<std::int64_t> shape;
    std::string bytes; // little-endian element data
};

// bytes of n elements of `size` bytes each, every byte `fill`.
inline std::string filled(std::int64_t n, int size, char fill)
{
    return std::string(std::size_t(n) * std::size_t(size), fill);
}

inline std::string floatBytes(const std::vector<float> &values)
{
    return { reinterpret_cast<const char *>(values.data()), values.size() * sizeof(float) };
}

inline void writeRawSafetensors(const std::filesystem::path &file,
    const std::vector<RawTensor> &tensors, const nlohmann::json &metadata = { { "format", "pt" } })
{
    nlohmann::json header = nlohmann::json::object();
    if (!metadata.is_null())
        header["__metadata__"] = metadata;
    std::uint64_t offset = 0;
    for (const RawTensor &t : tensors) {
        header[t.name] = { { "dtype", t.dtype }, { "shape", t.shape },
            { "data_offsets", { offset, offset + t.bytes.size() } } };
        offset += t.bytes.size();
    }
    std::string text = header.dump();
    text.append((8 - text.size() % 8) % 8, ' '); // the data section starts 8-byte aligned
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    const std::uint64_t length = text.size();
    for (int i = 0; i < 8; ++i)
        out.put(char((length >> (8 * i)) & 0xFF));
    out << text;
    for (const RawTensor &t : tensors)
        out << t.bytes;
    if (!out)
        throw std::runtime_error("cannot write " + file.string());
}

} // namespace chatbench::test
