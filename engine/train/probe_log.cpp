#include "chatbench/probe_log.h"

#include "chatbench/error.h"
#include "io/json_file.h"

#include <algorithm>
#include <fstream>
#include <sstream>

namespace chatbench {

using nlohmann::json;

std::string ProbeReply::toJson() const
{
    json j = { { "step", step }, { "epoch", epoch }, { "index", index }, { "prompt", prompt() } };
    if (context.size() > 1)
        j["history"] = std::vector<std::string>(context.begin(), context.end() - 1);
    j["reply"] = reply;
    return j.dump();
}

ProbeReply ProbeReply::fromJson(std::string_view line, const std::string &origin)
{
    const json j = parseJson(line, origin);
    if (!j.is_object())
        throw Error(origin + ": expected a JSON object");
    for (const char *key : { "step", "prompt", "reply" })
        if (!j.contains(key))
            throw Error(origin + ": '" + key + "' is missing");
    ProbeReply r;
    r.step = jsonField<long>(j, "step", 0, origin);
    r.epoch = jsonField<double>(j, "epoch", 0, origin);
    const long index = jsonField<long>(j, "index", 0, origin);
    if (index < 0)
        throw Error(origin + ": 'index' must not be negative");
    r.index = std::size_t(index);
    if (auto h = j.find("history"); h != j.end() && !h->is_null()) {
        if (!h->is_array())
            throw Error(origin + ": 'history': expected an array of strings");
        for (const json &u : *h) {
            if (!u.is_string())
                throw Error(origin + ": 'history': expected an array of strings");
            r.context.push_back(u.get<std::string>());
        }
    }
    r.context.push_back(jsonField<std::string>(j, "prompt", "", origin));
    r.reply = jsonField<std::string>(j, "reply", "", origin);
    return r;
}

std::vector<std::int64_t> ProbeLog::steps() const
{
    std::vector<std::int64_t> out;
    for (const ProbeReply &r : replies)
        out.push_back(r.step);
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

std::vector<ProbeReply> ProbeLog::at(std::int64_t step) const
{
    std::vector<ProbeReply> out;
    for (const ProbeReply &r : replies)
        if (r.step == step)
            out.push_back(r);
    std::stable_sort(out.begin(), out.end(),
        [](const ProbeReply &a, const ProbeReply &b) { return a.index < b.index; });
    return out;
}

ProbeLog readProbeLog(const std::filesystem::path &file)
{
    ProbeLog log;
    std::error_code ec;
    if (!std::filesystem::exists(file, ec))
        return log;
    std::ifstream in(file, std::ios::binary);
    if (!in)
        throw Error::inFile(file, "cannot open for reading");
    std::stringstream bytes;
    bytes << in.rdbuf();
    const std::string text = bytes.str();
    std::size_t start = 0, lineNumber = 0;
    // Only complete lines: a live writer's last line may still be arriving.
    for (std::size_t end; (end = text.find('\n', start)) != std::string::npos; start = end + 1) {
        ++lineNumber;
        const std::string_view line(text.data() + start, end - start);
        if (line.find_first_not_of(" \t\r") == std::string_view::npos)
            continue;
        const std::string origin = file.string() + ":" + std::to_string(lineNumber);
        try {
            log.replies.push_back(ProbeReply::fromJson(line, origin));
        } catch (const Error &e) {
            log.warnings.push_back(e.what());
        }
    }
    return log;
}

} // namespace chatbench
