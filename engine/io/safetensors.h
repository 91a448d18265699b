#pragma once
// The safetensors format (Hugging Face): 8-byte little-endian header length N, N bytes of JSON
// {"name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, ...,
//  "__metadata__": {"key": "value"}}, then the raw little-endian tensor bytes; offsets are
// relative to the end of the header. The header is validated completely, for every dtype the
// specification names, before any data is touched: any violation is a chatbench::Error naming
// the file, the tensor and the problem. Values are read as float32 from F32, F16, BF16 and F64;
// a tensor of another dtype (a BOOL causal-mask buffer an older transformers saved, say) is
// listed and may be skipped, but reading it is an error.

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace chatbench {

enum class DType {
    F32,
    F16,
    BF16,
    F64,
    I64,
    I32,
    I16,
    I8,
    U64,
    U32,
    U16,
    U8,
    BOOL,
    F8_E4M3,
    F8_E5M2,
    F8_E8M0,
    F6_E2M3,
    F6_E3M2,
    F4,
    C64,
};

const char *dtypeName(DType dtype); // "F32", "F16", "BF16", ... as the specification spells them
std::size_t dtypeBits(DType dtype); // bits per element (6 and 4 for the packed float types)
// F32, F16, BF16, F64: the dtypes readFloat32 converts.
bool readsAsFloat(DType dtype);

struct TensorInfo
{
    std::string name;
    DType dtype = DType::F32;
    std::vector<std::int64_t> shape;
    std::uint64_t dataBegin = 0; // offset relative to the data section, as in the header
    std::uint64_t dataEnd = 0;

    std::int64_t numel() const;
};

class SafetensorsFile
{
public:
    // Maps and validates the file. Throws chatbench::Error.
    static SafetensorsFile open(const std::filesystem::path &file);

    SafetensorsFile(SafetensorsFile &&) noexcept;
    SafetensorsFile &operator=(SafetensorsFile &&) noexcept;
    ~SafetensorsFile();

    const std::filesystem::path &path() const;
    // In ascending data offset order.
    const std::vector<TensorInfo> &tensors() const;
    const TensorInfo *find(std::string_view name) const; // nullptr if absent
    const std::map<std::string, std::string> &metadata() const;

    // Converts to float32 into out[0 .. info.numel()). Throws chatbench::Error for a dtype that
    // does not read as float (readsAsFloat).
    void readFloat32(const TensorInfo &info, float *out) const;
    // Throws chatbench::Error if the name is absent.
    std::vector<float> readFloat32(std::string_view name) const;

private:
    struct Impl;
    explicit SafetensorsFile(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> d;
};

struct TensorToWrite
{
    std::string name;
    std::vector<std::int64_t> shape;
    const float *data = nullptr; // numel(shape) values, converted to dtype on write
    DType dtype = DType::F32; // F32, F16 or BF16
};

// Writes atomically (temp file, fsync, rename). Tensors are laid out in the given order;
// names must be unique (else chatbench::Error).
void writeSafetensors(const std::filesystem::path &file, const std::vector<TensorToWrite> &tensors,
    const std::map<std::string, std::string> &metadata = {});

} // namespace chatbench
