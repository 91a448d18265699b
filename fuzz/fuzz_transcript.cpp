// Saved chat transcripts: an accepted transcript must survive its own round trip and render
// as Markdown, a Markdown table and HTML.
#include "chatbench/transcript.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    chatbench::Transcript transcript;
    try {
        transcript = chatbench::transcriptFromJson(
            std::string(fuzz::asText(data, size)), "transcript.json");
    } catch (const chatbench::Error &) {
        return 0;
    }
    try {
        const auto again
            = chatbench::transcriptFromJson(chatbench::transcriptToJson(transcript), "round trip");
        if (again != transcript)
            fuzz::fail("a transcript changed in its JSON round trip");
    } catch (const chatbench::Error &) {
        fuzz::fail("an accepted transcript does not read back after transcriptToJson()");
    }
    (void)chatbench::transcriptToMarkdown(transcript);
    (void)chatbench::transcriptToMarkdownTable(transcript);
    (void)chatbench::transcriptToHtml(transcript);
    return 0;
}
