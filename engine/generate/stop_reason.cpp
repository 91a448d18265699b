// Torch-free, so tools that only read transcripts (the fuzz targets) link it alone.
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
