#pragma once
// The engine thread's model comparison: every model of a set answers every dialogue of a prompt
// set (chatbench/prompt_set.h's generateReplies, as the CLI's eval and the report do), and its
// replies are scored against the references. Replies and per-model metrics stream back as
// signals; cancel() (any thread) stops before the next token and keeps what is finished. Lives
// on the engine thread (engine_thread.h).

#include "engine_types.h"

#include <QObject>
#include <atomic>
#include <memory>

namespace chatbench::ui {

class ModelLoader;

class ComparisonService : public QObject
{
    Q_OBJECT

public:
    explicit ComparisonService(std::shared_ptr<ModelLoader> loader, QObject *parent = nullptr);

    // Thread-safe (an atomic flag).
    void cancel() { m_cancel = true; }

public Q_SLOTS:
    // Model m's reply to dialogue p draws with the spec's seed + p.
    void compare(const chatbench::ui::ChatModelSpecs &specs, const chatbench::PromptSet &prompts);

Q_SIGNALS:
    void reply(int prompt, int model, const QString &text);
    // Over the model's replies; BLEU is NaN when the prompt set has no references.
    void metrics(int model, const chatbench::TextMetrics &metrics);
    // After the last model, or when cancelled or failed (with error() before it).
    void finished(bool cancelled);
    void activity(const QString &what);
    void error(const QString &what, const QString &message);

private:
    std::shared_ptr<ModelLoader> m_loader;
    std::atomic<bool> m_cancel { false };
};

} // namespace chatbench::ui
