// config.json: parsed and validated; an accepted config must survive its own round trip.
#include "chatbench/gpt2_config.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const std::string text(fuzz::asText(data, size));
    chatbench::Gpt2Config config;
    try {
        config = chatbench::Gpt2Config::fromJsonText(text, "config.json");
        config.validate("config.json");
    } catch (const chatbench::Error &) {
        return 0;
    }
    (void)config.parameterCount();
    try {
        (void)chatbench::Gpt2Config::fromJsonText(config.toJsonText(), "round trip");
    } catch (const chatbench::Error &) {
        fuzz::fail("an accepted config.json does not read back after toJsonText()");
    }
    return 0;
}
