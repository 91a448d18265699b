// A prepared corpus's train.tokens / valid.tokens (ChatBench writes them, but a cache folder can
// be damaged or copied half-way): validated on open, then every example read back.
#include "chatbench/token_cache.h"
#include "fuzz_support.h"

#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const auto file = fuzz::writeFile("train.tokens", fuzz::asText(data, size));
    try {
        const auto cache = chatbench::TokenCache::open(file);
        std::vector<std::int32_t> ids;
        std::uint64_t total = 0;
        for (std::size_t i = 0; i < cache.size(); ++i) {
            cache.read(i, ids);
            if (ids.size() != cache.length(i))
                fuzz::fail("read() and length() disagree");
            total += ids.size();
        }
        if (total != cache.tokenCount())
            fuzz::fail("the examples do not add up to tokenCount()");
        (void)cache.key();
        (void)cache.vocabSize();
        (void)cache.idBytes();
    } catch (const chatbench::Error &) { }
    return 0;
}
