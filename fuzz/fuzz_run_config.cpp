// run.json, which the GUI reads when it opens a run folder: parsed and validated; an accepted
// configuration must read back after toJsonText().
#include "chatbench/run_config.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    chatbench::RunConfig config;
    try {
        config = chatbench::RunConfig::fromJsonText(
            std::string(fuzz::asText(data, size)), "run.json", "/runs/fuzz");
        config.validate("run.json");
    } catch (const chatbench::Error &) {
        return 0;
    }
    try {
        (void)chatbench::RunConfig::fromJsonText(config.toJsonText(), "round trip", "/runs/fuzz");
    } catch (const chatbench::Error &) {
        fuzz::fail("an accepted run.json does not read back after toJsonText()");
    }
    return 0;
}
