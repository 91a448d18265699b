// JSON Lines corpora, then the same bytes through format detection (Auto).
#include "fuzz_corpus_common.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    fuzzCorpus(chatbench::CorpusFormat::Jsonl, data, size);
    return fuzzCorpus(chatbench::CorpusFormat::Auto, data, size);
}
