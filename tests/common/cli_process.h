#pragma once
// Runs chatbench-cli as a user would (a child process) and keeps its exit code, stdout and
// stderr, for the CLI tests.

#include <QProcess>
#include <QString>
#include <QStringList>
#include <filesystem>
#include <nlohmann/json.hpp>

namespace chatbench::test {

struct CliRun
{
    int exitCode = -1;
    QString out, err;
    nlohmann::json object() const { return nlohmann::json::parse(out.toStdString()); }
};

inline CliRun runCli(const QStringList &args,
    const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment(),
    int timeoutMs = 300000, const QByteArray &input = {})
{
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(CHATBENCH_BIN_DIR "/chatbench-cli"), args);
    p.write(input); // stdin: what an interactive command (chat) reads, then end of file
    p.closeWriteChannel();
    if (!p.waitForFinished(timeoutMs))
        qFatal("chatbench-cli did not finish");
    return { p.exitCode(), QString::fromUtf8(p.readAllStandardOutput()),
        QString::fromUtf8(p.readAllStandardError()) };
}

inline QString qPath(const std::filesystem::path &p)
{
    return QString::fromStdString(p.string());
}

// chatbench-cli reading input on stdin (chat), in the system environment.
inline CliRun runCliWithInput(const QStringList &args, const QByteArray &input)
{
    return runCli(args, QProcessEnvironment::systemEnvironment(), 300000, input);
}

} // namespace chatbench::test
