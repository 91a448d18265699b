#include "chatbench/device.h"
#include "chatbench/error.h"
#include "io/enum_names.h"

#include <cstdlib>

// The device and precision names, without torch: run.json's validation uses them, and the
// torch-free parsers (fuzz/) link run_config.cpp.

namespace chatbench {

int cudaDeviceIndex(const std::string &name)
{
    if (name == "cpu" || name == "cuda")
        return -1;
    const std::string prefix = "cuda:";
    if (name.compare(0, prefix.size(), prefix) == 0 && name.size() > prefix.size()
        && name.size() <= prefix.size() + 4
        && name.find_first_not_of("0123456789", prefix.size()) == std::string::npos)
        return std::atoi(name.c_str() + prefix.size());
    throw Error("device '" + name + "': expected cpu, cuda or cuda:N");
}

void checkDeviceName(const std::string &name)
{
    cudaDeviceIndex(name);
}

namespace {
constexpr EnumName<Precision> precisions[]
    = { { Precision::Fp32, "fp32" }, { Precision::Bf16, "bf16" } };
} // namespace

const char *toString(Precision precision)
{
    return enumName(precisions, precision);
}

Precision parsePrecision(std::string_view name)
{
    return parseEnumName(precisions, name, "precision");
}

std::string deviceForLocalRank(const std::string &name, int localRank)
{
    return name == "cuda" ? "cuda:" + std::to_string(localRank) : name;
}

} // namespace chatbench
