// chatbench::toString(StopReason), which transcript.cpp's reader and writer use, is defined in
// engine/generate/sampling.cpp beside the torch-side sampler. This is a copy of that ten-line
// function, so the transcript parser can be fuzzed without linking libtorch; moving it into a
// torch-free engine source would let the fuzz target compile the real one.
#include "chatbench/sampling.h"

namespace chatbench {

const char *toString(StopReason reason)
{
    switch (reason) {
    case StopReason::StopToken:
        return "stop_token";
    case StopReason::MaxTokens:
        return "max_tokens";
    case StopReason::Cancelled:
        return "cancelled";
    }
    return "unknown";
}

} // namespace chatbench
