// chatbench-cli: the headless front end over the same engine calls as the GUI.

#include "chatbench/error.h"
#include "chatbench/runtime.h"
#include "commands.h"

#include <cmath>
#include <iostream>

namespace chatbench::cli {

void printJson(const nlohmann::json &object)
{
    std::cout << object.dump() << std::endl;
}

nlohmann::json number(double value)
{
    return std::isfinite(value) ? nlohmann::json(value) : nlohmann::json(nullptr);
}

const std::vector<Command> &commands()
{
    static const std::vector<Command> all = [] {
        std::vector<Command> out;
        addModelCommands(out);
        addDataCommands(out);
        addChatCommands(out);
        addTrainCommands(out);
        addHubCommands(out);
        addBenchCommands(out);
#ifdef CHATBENCH_WITH_REPORT
        addDemoCommands(out);
        addReportCommands(out);
#else
        // Listed all the same, so a user of this build learns why they do not run.
        for (const char *name : { "demo", "report" })
            out.push_back({ name, "(not in this build)",
                "Not in this build: the report's figures are drawn with Qt 6 widgets and\n"
                "QCustomPlot, which this build was configured without.",
                {}, [name](const Arguments &) -> int {
                    throw chatbench::Error(std::string(name)
                        + " is not in this build of chatbench-cli: it draws the report's figures "
                          "with Qt 6 widgets and QCustomPlot, which this build was configured "
                          "without (not installed, or CHATBENCH_REPORT=OFF). Install them "
                          "(Debian: qt6-base-dev libqcustomplot-dev) and build again (cmake "
                          "--preset headless).");
                } });
#endif
        return out;
    }();
    return all;
}

} // namespace chatbench::cli

namespace {

using namespace chatbench::cli;

void printUsage(std::ostream &out)
{
    out << "Usage: chatbench-cli COMMAND [OPTIONS]\n\nCommands:\n";
    for (const auto &c : commands())
        out << "  " << c.name << " " << c.synopsis << "\n";
    out << "\nEvery command prints one JSON object on stdout; errors go to stderr as one line.\n"
           "chatbench-cli COMMAND --help describes a command. chatbench-cli --version.\n";
}

} // namespace

int main(int argc, char **argv)
{
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
        printUsage(std::cout);
        return args.empty() ? 2 : 0;
    }
    if (args[0] == "--version") {
        std::cout << "chatbench-cli " CHATBENCH_VERSION " (" << chatbench::engineDescription()
                  << ")\n";
        return 0;
    }
    // Two-word commands ("bench train") are named by their first two arguments.
    std::size_t words = 1;
    if (args.size() > 1 && args[1].rfind("--", 0) != 0)
        for (const auto &c : commands())
            if (args[0] + " " + args[1] == c.name)
                words = 2;
    const std::string name = words == 2 ? args[0] + " " + args[1] : args[0];
    const Command *command = nullptr;
    for (const auto &c : commands())
        if (name == c.name)
            command = &c;
    if (!command) {
        std::cerr << "chatbench-cli: unknown command '" << args[0] << "'\n";
        printUsage(std::cerr);
        return 2;
    }
    std::vector<std::string> rest(args.begin() + std::ptrdiff_t(words), args.end());
    if (!rest.empty() && (rest[0] == "--help" || rest[0] == "-h")) {
        std::cout << "Usage: chatbench-cli " << command->name << " " << command->synopsis << "\n\n"
                  << command->help << "\n";
        return 0;
    }
    try {
        // --download (fetch a repo id the Hub cache lacks) is a switch wherever it is allowed.
        std::set<std::string> flags = command->flags;
        flags.insert("download");
        return command->run(Arguments(rest, flags, command->positionals));
    } catch (const UsageError &e) {
        std::cerr << "chatbench-cli " << command->name << ": " << e.what() << "\n";
        return 2;
    } catch (const chatbench::Error &e) {
        std::cerr << "chatbench-cli " << command->name << ": " << e.what() << "\n";
        return 1;
    } catch (const std::exception &e) {
        std::string what = e.what();
        std::cerr << "chatbench-cli " << command->name << ": " << what.substr(0, what.find('\n'))
                  << "\n";
        return 1;
    }
}
