// GPT2-chitchat text corpora (one utterance per line, blank line between dialogues).
#include "fuzz_corpus_common.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    return fuzzCorpus(chatbench::CorpusFormat::Chitchat, data, size);
}
