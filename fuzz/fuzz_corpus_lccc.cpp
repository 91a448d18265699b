// LCCC / CDial-GPT JSON corpora (SAX-parsed).
#include "fuzz_corpus_common.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    return fuzzCorpus(chatbench::CorpusFormat::Lccc, data, size);
}
