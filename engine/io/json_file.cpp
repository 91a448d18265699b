#include "io/json_file.h"

#include "chatbench/atomic_file.h"
#include "chatbench/error.h"

#include <algorithm>

namespace chatbench {

nlohmann::json parseJson(std::string_view text, const std::filesystem::path &origin)
{
    try {
        return nlohmann::json::parse(text.begin(), text.end());
    } catch (const nlohmann::json::parse_error &e) {
        // e.byte is 1-based and points just past the offending character.
        std::size_t offset = std::min<std::size_t>(e.byte > 0 ? e.byte - 1 : 0, text.size());
        std::size_t line = 1 + std::count(text.begin(), text.begin() + offset, '\n');
        std::size_t lineStart = text.rfind('\n', offset == 0 ? 0 : offset - 1);
        std::size_t column = lineStart == std::string_view::npos ? offset + 1 : offset - lineStart;
        std::string what = e.what();
        // Drop nlohmann's "[json.exception.parse_error.101] parse error at line 1, column 2: ".
        if (auto pos = what.find("]: "); pos != std::string::npos)
            what = what.substr(pos + 3);
        else if (auto colon = what.find(": "); colon != std::string::npos)
            what = what.substr(colon + 2);
        throw Error::atLine(
            origin, line, "column " + std::to_string(column) + ": invalid JSON: " + what);
    } catch (const nlohmann::json::out_of_range &e) {
        // A number beyond double's range ("1e999"), which nlohmann reports without a position.
        std::string what = e.what();
        if (auto pos = what.find("] "); pos != std::string::npos)
            what = what.substr(pos + 2);
        throw Error::inFile(origin, "invalid JSON: " + what);
    }
}

nlohmann::json readJsonFile(const std::filesystem::path &file)
{
    return parseJson(readSmallFile(file), file);
}

namespace {
const char *typeName(const nlohmann::json &v)
{
    return v.type_name();
}
} // namespace

template<typename T>
T jsonField(const nlohmann::json &object, const char *key, const T &fallback,
    const std::filesystem::path &origin)
{
    auto it = object.find(key);
    if (it == object.end() || it->is_null())
        return fallback;
    bool ok;
    if constexpr (std::is_same_v<T, bool>)
        ok = it->is_boolean();
    else if constexpr (std::is_integral_v<T>)
        ok = it->is_number_integer();
    else if constexpr (std::is_floating_point_v<T>)
        ok = it->is_number();
    else
        ok = it->is_string();
    if (!ok) {
        const char *expected = std::is_same_v<T, bool> ? "a boolean"
            : std::is_integral_v<T>                    ? "an integer"
            : std::is_floating_point_v<T>              ? "a number"
                                                       : "a string";
        throw Error::inFile(origin,
            std::string("field '") + key + "': expected " + expected + ", got " + typeName(*it)
                + " " + it->dump());
    }
    return it->get<T>();
}

template bool jsonField<bool>(
    const nlohmann::json &, const char *, const bool &, const std::filesystem::path &);
template int jsonField<int>(
    const nlohmann::json &, const char *, const int &, const std::filesystem::path &);
template long jsonField<long>(
    const nlohmann::json &, const char *, const long &, const std::filesystem::path &);
template double jsonField<double>(
    const nlohmann::json &, const char *, const double &, const std::filesystem::path &);
template std::string jsonField<std::string>(
    const nlohmann::json &, const char *, const std::string &, const std::filesystem::path &);

} // namespace chatbench
