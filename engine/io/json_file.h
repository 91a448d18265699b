#pragma once
// JSON files with errors a user can act on: "FILE:LINE: column C: what nlohmann said".
// Internal to the engine (nlohmann stays out of the public headers).

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace chatbench {

nlohmann::json parseJson(std::string_view text, const std::filesystem::path &origin);
nlohmann::json readJsonFile(const std::filesystem::path &file);

// Typed field access with "FILE: field 'name': expected X, got Y" errors.
// Returns the fallback when the key is absent or null.
template<typename T>
T jsonField(const nlohmann::json &object, const char *key, const T &fallback,
    const std::filesystem::path &origin);

} // namespace chatbench
