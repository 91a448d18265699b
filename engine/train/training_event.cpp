#include "chatbench/training_event.h"

#include "chatbench/error.h"
#include "io/enum_names.h"

#include <cmath>
#include <nlohmann/json.hpp>

namespace chatbench {

namespace {

constexpr EnumName<EventKind> eventKinds[] = {
    { EventKind::Train, "train" },
    { EventKind::Valid, "valid" },
    { EventKind::Epoch, "epoch" },
    { EventKind::Checkpoint, "checkpoint" },
    { EventKind::Skipped, "skipped" },
    { EventKind::Resume, "resume" },
    { EventKind::Finished, "finished" },
    { EventKind::Stopped, "stopped" },
    { EventKind::Failed, "failed" },
};

struct NumberField
{
    const char *key;
    double TrainingEvent::*member;
};

constexpr NumberField numberFields[] = {
    { "loss", &TrainingEvent::loss },
    { "acc", &TrainingEvent::acc },
    { "ppl", &TrainingEvent::ppl },
    { "lr", &TrainingEvent::lr },
    { "grad_norm", &TrainingEvent::gradNorm },
    { "tokens_per_s", &TrainingEvent::tokensPerSecond },
    { "eta_s", &TrainingEvent::etaSeconds },
    { "progress", &TrainingEvent::progress },
    { "write_s", &TrainingEvent::writeSeconds },
};

} // namespace

const char *toString(EventKind kind)
{
    return enumName(eventKinds, kind);
}

EventKind parseEventKind(std::string_view name)
{
    return parseEnumName(eventKinds, name, "event");
}

std::string TrainingEvent::toJson() const
{
    nlohmann::json j;
    j["event"] = toString(event);
    j["run"] = run;
    j["step"] = step;
    j["epoch"] = epoch;
    j["tokens"] = tokens;
    j["time"] = time;
    for (const auto &f : numberFields)
        if (std::isfinite(this->*f.member))
            j[f.key] = this->*f.member;
        else if (!std::isnan(this->*f.member)) // an infinite loss is news, not an absent field
            j[f.key] = this->*f.member > 0 ? "inf" : "-inf";
    if (!message.empty())
        j["message"] = message;
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

TrainingEvent TrainingEvent::fromJson(const std::string &line, const std::string &origin)
{
    nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object())
        throw Error(origin + ": not a JSON object");
    TrainingEvent e;
    auto get = [&](const char *key, auto &out) {
        auto it = j.find(key);
        if (it == j.end() || it->is_null())
            return;
        using T = std::decay_t<decltype(out)>;
        if constexpr (std::is_same_v<T, std::string>) {
            if (!it->is_string())
                throw Error(origin + ": '" + key + "' is not a string");
            out = it->template get<std::string>();
        } else if constexpr (std::is_same_v<T, double>) {
            if (it->is_string() && (*it == "inf" || *it == "-inf"))
                out = *it == "inf" ? HUGE_VAL : -HUGE_VAL;
            else if (it->is_number())
                out = it->template get<double>();
            else
                throw Error(origin + ": '" + key + "' is not a number");
        } else {
            if (!it->is_number_integer() || (std::is_unsigned_v<T> && *it < 0))
                throw Error(origin + ": '" + key + "' is not a whole number");
            out = it->template get<T>();
        }
    };
    std::string kind;
    get("event", kind);
    if (kind.empty())
        throw Error(origin + ": no 'event'");
    try {
        e.event = parseEventKind(kind);
    } catch (const Error &error) {
        throw Error(origin + ": " + error.what());
    }
    get("run", e.run);
    get("step", e.step);
    get("epoch", e.epoch);
    get("tokens", e.tokens);
    get("time", e.time);
    for (const auto &f : numberFields)
        get(f.key, e.*f.member);
    get("message", e.message);
    return e;
}

} // namespace chatbench
