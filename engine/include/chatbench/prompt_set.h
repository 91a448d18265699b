#pragma once
// A prompt set for comparing models: GPT2-chitchat text whose every dialogue's last utterance is
// the reference reply and the ones before it the context. `chatbench-cli eval --prompts`, the
// demo's comparison table and the GUI's Model Comparison pane all generate replies this way.

#include "chatbench/chat_session.h"

#include <filesystem>
#include <string>
#include <vector>

namespace chatbench {

struct PromptDialogue
{
    std::vector<std::string> context;
    std::string reference;
};

// Dialogues with fewer than two utterances have no reference and are skipped (counted in
// *skipped). Throws chatbench::Error when the file cannot be read or holds no usable dialogue.
std::vector<PromptDialogue> readPromptSet(
    const std::filesystem::path &file, std::size_t *skipped = nullptr);

// One reply per dialogue from the model's own sampling settings; dialogue i draws with seed + i,
// so a reply does not depend on the ones before it.
std::vector<std::string> generateReplies(
    const ChatModel &model, const std::vector<PromptDialogue> &prompts);

} // namespace chatbench
