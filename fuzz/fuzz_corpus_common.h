#pragma once
// readCorpus over one input written as a corpus file, with options picked from the input size
// so each format is also read with a tiny line limit and (LCCC) one split.
#include "chatbench/corpus_reader.h"
#include "fuzz_support.h"

inline int fuzzCorpus(chatbench::CorpusFormat format, const std::uint8_t *data, std::size_t size)
{
    const auto file = fuzz::writeFile("corpus", fuzz::asText(data, size));
    chatbench::CorpusReadOptions options;
    options.format = format;
    if (size % 2)
        options.maxLineBytes = 64;
    if (size % 3 == 1)
        options.joinSpacedCjk = true;
    static const char *const splits[] = { "", "train", "valid" };
    options.lcccSplit = splits[size % 3];
    try {
        std::uint64_t seen = 0;
        const auto summary = chatbench::readCorpus(file, options, [&](chatbench::Dialogue &&d) {
            ++seen;
            if (d.where.offset > size)
                fuzz::fail("a dialogue's location lies past the end of the file");
        });
        if (summary.dialogues != seen)
            fuzz::fail("the summary's dialogue count differs from the callbacks");
        (void)summary.problems;
    } catch (const chatbench::Error &) { }
    return 0;
}
