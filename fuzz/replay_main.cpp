// Replays a fuzz target's seed corpus: every file of the folders given goes once through
// LLVMFuzzerTestOneInput, the entry point libFuzzer drives, here built by the normal compiler
// into a ctest (tests/CMakeLists.txt). The corpora hold each input that once crashed a parser;
// a crash, an abort (a violated property) or a sanitizer report (asan preset) fails the test.

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size);

int main(int argc, char **argv)
{
    std::size_t replayed = 0;
    for (int i = 1; i < argc; ++i) {
        std::error_code ec;
        for (const auto &entry : std::filesystem::directory_iterator(argv[i], ec)) {
            if (!entry.is_regular_file())
                continue;
            std::ifstream in(entry.path(), std::ios::binary);
            const std::vector<char> bytes(
                (std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
            LLVMFuzzerTestOneInput(
                reinterpret_cast<const std::uint8_t *>(bytes.data()), bytes.size());
            ++replayed;
        }
        if (ec) {
            std::fprintf(stderr, "%s: %s\n", argv[i], ec.message().c_str());
            return 1;
        }
    }
    if (replayed == 0) {
        std::fprintf(
            stderr, "no seed inputs found: a replay that replays nothing proves nothing\n");
        return 1;
    }
    std::printf("replayed %zu inputs\n", replayed);
    return 0;
}
