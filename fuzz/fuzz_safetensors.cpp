// model.safetensors: the header (length, JSON, offsets, dtypes, shapes) is validated on open;
// then every tensor is read as float32, which touches each byte the header points at.
#include "fuzz_support.h"
#include "io/safetensors.h"

#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const auto file = fuzz::writeFile("model.safetensors", fuzz::asText(data, size));
    try {
        const auto st = chatbench::SafetensorsFile::open(file);
        for (const auto &info : st.tensors()) {
            if (st.find(info.name) != &info)
                fuzz::fail("find() does not return the listed tensor");
            std::vector<float> values(std::size_t(info.numel()));
            st.readFloat32(info, values.data());
        }
        (void)st.metadata();
    } catch (const chatbench::Error &) { }
    return 0;
}
