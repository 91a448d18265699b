#pragma once
// Prompt sets for comparing models, and the replies of a model to them: the one parser and the
// one generation loop behind `chatbench-cli eval --prompts` and `report --prompts`, the demo's
// comparison and the GUI's Model Comparison. Torch-free.
//
// Two text forms:
//   dialogues  GPT2-chitchat text: one utterance per line, a blank line between dialogues; the
//              last utterance of each dialogue is the reference reply, the ones before it the
//              context;
//   lines      one prompt per line, "prompt<TAB>reference" where a reference is known.

#include "chatbench/chat_session.h"

#include <atomic>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace chatbench {

struct PromptDialogue
{
    std::vector<std::string> context; // oldest first; the last one is the user's turn to answer
    std::string reference; // the reply the corpus gives; empty when unknown
};

enum class PromptFormat {
    Auto, // dialogues when a blank line separates two non-blank lines, else lines
    Dialogues,
    Lines,
};

struct PromptSet
{
    std::vector<PromptDialogue> dialogues;
    bool hasReferences = false; // every dialogue has a reference (BLEU is computed then)
    // Dialogues of a single utterance: without a reference they are no comparison item.
    std::size_t skipped = 0;
};

// Utterances are trimmed of surrounding whitespace; "\r\n" and a UTF-8 byte order mark are
// accepted. Throws chatbench::Error "ORIGIN:LINE: byte OFFSET is not UTF-8" for text that is not
// UTF-8, and "ORIGIN: no prompts (...)" when nothing is left to compare on.
PromptSet parsePromptSet(
    std::string_view text, const std::string &origin, PromptFormat format = PromptFormat::Auto);
// The file through parsePromptSet. Throws chatbench::Error naming the file when it is missing,
// a folder or unreadable.
PromptSet readPromptSet(
    const std::filesystem::path &file, PromptFormat format = PromptFormat::Auto);

// Called with each reply once it is complete; index is the dialogue's.
using ReplyCallback = std::function<void(std::size_t index, const std::string &reply)>;

// One reply per dialogue from the model's own sampling settings (a single candidate; the
// layout's turn-end tokens stop it). Dialogue i draws with seed + i, so a reply does not depend
// on the ones before it. When *cancel becomes true, returns the replies finished so far.
std::vector<std::string> generateReplies(const ChatModel &model,
    const std::vector<PromptDialogue> &prompts, const ReplyCallback &onReply = {},
    const std::atomic<bool> *cancel = nullptr);

} // namespace chatbench
