#include "chatbench/prompt_set.h"

#include "chatbench/corpus_reader.h"
#include "chatbench/error.h"
#include "chatbench/tokenizer.h"

namespace chatbench {

std::vector<PromptDialogue> readPromptSet(const std::filesystem::path &file, std::size_t *skipped)
{
    std::vector<PromptDialogue> out;
    std::size_t tooShort = 0;
    CorpusReadOptions read;
    read.format = CorpusFormat::Chitchat;
    readCorpus(file, read, [&](Dialogue &&d) {
        if (d.utterances.size() < 2) {
            ++tooShort;
            return;
        }
        PromptDialogue p;
        p.reference = std::move(d.utterances.back());
        d.utterances.pop_back();
        p.context = std::move(d.utterances);
        out.push_back(std::move(p));
    });
    if (skipped)
        *skipped = tooShort;
    if (out.empty())
        throw Error::inFile(
            file, "no dialogue with a context and a reference reply (two utterances or more)");
    return out;
}

std::vector<std::string> generateReplies(
    const ChatModel &model, const std::vector<PromptDialogue> &prompts)
{
    std::vector<std::string> replies;
    const ChatPrompter prompter(*model.model, *model.tokenizer, model.maxHistoryLen);
    for (std::size_t i = 0; i < prompts.size(); ++i) {
        std::vector<std::vector<std::int32_t>> context;
        for (const auto &u : prompts[i].context)
            context.push_back(model.tokenizer->encode(u, false));
        SamplingOptions o = prompter.sampling(model.sampling);
        o.numCandidates = 1;
        o.seed = model.sampling.seed + i;
        const auto prompt = prompter.ids(context);
        replies.push_back(model.tokenizer->decode(generate(*model.model, prompt, o)[0].ids));
    }
    return replies;
}

} // namespace chatbench
