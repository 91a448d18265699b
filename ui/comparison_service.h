#pragma once
// The engine thread's model comparison: every model of a set answers every dialogue of a prompt
// set (chatbench/prompt_set.h's generateReplies, as the CLI's eval and the report do), and its
// replies are scored against the references. It goes prompt by prompt, every model answering
// before the next prompt, so a cancel leaves whole rows: replies arrive a row at a time, and the
// metrics are over the rows finished. cancel() (any thread) stops before the next token. Lives
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
    // What was opened for each spec (its checkpoint folder and step), before the first reply.
    void modelsLoaded(const chatbench::ui::LoadedModels &models);
    // The replies of prompt p come together, one signal per model, once every model answered.
    void reply(int prompt, int model, const QString &text);
    // done of total prompts answered by every model; (0, total) once the models are loaded.
    void progress(int done, int total);
    // Over the model's replies to the finished prompts (all of them unless cancelled); none when
    // no prompt was finished. BLEU is NaN when the prompt set has no references.
    void metrics(int model, const chatbench::TextMetrics &metrics);
    // After the metrics, or when cancelled or failed (with error() before it).
    void finished(bool cancelled);
    void activity(const QString &what);
    void error(const QString &what, const QString &message);

private:
    std::shared_ptr<ModelLoader> m_loader;
    std::atomic<bool> m_cancel { false };
};

} // namespace chatbench::ui
