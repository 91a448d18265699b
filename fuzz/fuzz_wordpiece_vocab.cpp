// A tokenizer folder: vocab.txt and tokenizer_config.json from one input, split at the first
// NUL byte (no NUL: all vocab.txt, no config). The loaded tokenizer then encodes and decodes a
// short mixed-script string and the tail of the input itself.
#include "chatbench/wordpiece_tokenizer.h"
#include "fuzz_support.h"

#include <filesystem>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const auto bytes = fuzz::asText(data, size);
    const auto nul = bytes.find('\0');
    const auto vocab = bytes.substr(0, nul);
    const auto dir = fuzz::tempDir() / "tokenizer";
    std::filesystem::create_directories(dir);
    fuzz::writeFile("tokenizer/vocab.txt", vocab);
    std::error_code ec;
    if (nul == std::string_view::npos)
        std::filesystem::remove(dir / "tokenizer_config.json", ec);
    else
        fuzz::writeFile("tokenizer/tokenizer_config.json", bytes.substr(nul + 1));
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
