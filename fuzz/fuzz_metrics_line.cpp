// metrics.jsonl as the GUI tails it: each line through TrainingEvent::fromJson (an accepted
// event must read back after toJson()), and the whole input through MetricsReader as a live
// writer would produce it: the first half, then the rest, then the file cut short (a resume).
#include "chatbench/run_directory.h"
#include "chatbench/training_event.h"
#include "fuzz_support.h"

#include <filesystem>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const auto bytes = fuzz::asText(data, size);
    std::size_t start = 0;
    for (int n = 0; start <= bytes.size() && n < 64; ++n) {
        const auto nl = bytes.find('\n', start);
        const std::string line(bytes.substr(start, nl - start));
        try {
            const auto event = chatbench::TrainingEvent::fromJson(line, "metrics.jsonl:1");
            try {
                (void)chatbench::TrainingEvent::fromJson(event.toJson(), "round trip");
            } catch (const chatbench::Error &) {
                fuzz::fail("an accepted event does not read back after toJson()");
            }
        } catch (const chatbench::Error &) { }
        if (nl == std::string_view::npos)
            break;
        start = nl + 1;
    }

    const auto file = fuzz::writeFile("metrics.jsonl", bytes.substr(0, size / 2));
    chatbench::MetricsReader reader(file);
    (void)reader.poll();
    fuzz::writeFile("metrics.jsonl", bytes);
    (void)reader.poll();
    fuzz::writeFile("metrics.jsonl", bytes.substr(0, size / 3));
    (void)reader.poll();
    if (size / 3 < size && !reader.restarted())
        fuzz::fail("a shorter metrics.jsonl did not restart the reader");
    (void)reader.poll();
    (void)reader.skippedLines();
    (void)reader.warnings();
    return 0;
}
