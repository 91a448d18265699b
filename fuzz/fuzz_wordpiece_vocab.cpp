// A tokenizer folder from one input split at NUL bytes: vocab.txt, then tokenizer_config.json,
// then special_tokens_map.json (a file without its part is absent). The loaded tokenizer then
// encodes, tokenizes and decodes a short mixed-script string and the start of the vocabulary.
#include "fuzz_support.h"
#include "tokenize/wordpiece_tokenizer.h"

#include <filesystem>
#include <optional>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const auto dir = fuzz::tempDir() / "tokenizer";
    std::filesystem::create_directories(dir);
    std::optional<std::string_view> rest = fuzz::asText(data, size);
    std::string_view vocab;
    for (const char *name : { "vocab.txt", "tokenizer_config.json", "special_tokens_map.json" }) {
        std::error_code ec;
        std::filesystem::remove(dir / name, ec);
        if (!rest)
            continue;
        const auto nul = rest->find('\0');
        const auto part = rest->substr(0, nul);
        fuzz::writeFile(std::string("tokenizer/") + name, part);
        if (vocab.data() == nullptr)
            vocab = part;
        rest = nul == std::string_view::npos ? std::nullopt : std::optional(rest->substr(nul + 1));
    }
    try {
        const auto tokenizer = chatbench::WordPieceTokenizer::load(dir);
        for (const std::string_view text :
            { std::string_view("你好，World! [SEP] héllo 12ab ##x"), vocab.substr(0, 256) }) {
            const auto ids = tokenizer->encode(text);
            for (const auto id : ids)
                if (id < 0 || id >= tokenizer->vocabSize())
                    fuzz::fail("encode() returned an id outside the vocabulary");
            (void)tokenizer->tokenize(text);
            (void)tokenizer->decode(ids, /*skipSpecialTokens=*/false);
        }
    } catch (const chatbench::Error &) { }
    return 0;
}
