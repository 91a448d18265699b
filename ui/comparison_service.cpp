// The engine thread's model comparison (comparison_service.h).

#include "comparison_service.h"

#include "model_loader.h"

#include <cmath>

namespace chatbench::ui {

ComparisonService::ComparisonService(std::shared_ptr<ModelLoader> loader, QObject *parent)
    : QObject(parent), m_loader(std::move(loader))
{ }

void ComparisonService::compare(const ChatModelSpecs &specs, const PromptSet &prompts)
{
    m_cancel = false;
    const int total = int(prompts.dialogues.size());
    Q_EMIT activity(tr("comparing models: loading them"));
    try {
        // Every model at once: a row needs all of them, and the loader shares a checkpoint that
        // two columns use.
        std::vector<ChatModel> models;
        LoadedModels loaded;
        for (const ChatModelSpec &spec : specs) {
            LoadedModel info;
            models.push_back(m_loader->load(spec, &info));
            loaded << info;
        }
        Q_EMIT modelsLoaded(loaded);
        Q_EMIT progress(0, total);
        std::vector<std::vector<std::string>> replies(models.size());
        for (std::size_t p = 0; p < prompts.dialogues.size() && !m_cancel; ++p) {
            std::vector<std::string> row;
            for (const ChatModel &model : models) {
                // generateReplies draws dialogue i with seed + i; one dialogue at a time, the
                // seed carries the index instead.
                ChatModel one = model;
                one.sampling.seed = model.sampling.seed + p;
                const auto answer = generateReplies(one, { prompts.dialogues[p] }, {}, &m_cancel);
                if (answer.empty())
                    break; // cancelled within the row: the row is dropped
                row.push_back(answer.front());
            }
            if (row.size() < models.size())
                break;
            for (std::size_t m = 0; m < models.size(); ++m) {
                replies[m].push_back(row[m]);
                Q_EMIT reply(int(p), int(m), QString::fromStdString(row[m]));
            }
            Q_EMIT progress(int(p) + 1, total);
            Q_EMIT activity(tr("comparing models: %1 / %2 prompts").arg(p + 1).arg(total));
        }
        const std::size_t done = models.empty() ? 0 : replies.front().size();
        if (done > 0) {
            std::vector<std::string> references;
            for (std::size_t p = 0; p < done; ++p)
                references.push_back(prompts.dialogues[p].reference);
            for (std::size_t m = 0; m < models.size(); ++m) {
                TextMetrics t = evaluateReplies(replies[m], references);
                if (!prompts.hasReferences)
                    t.bleu2 = t.bleu4 = std::nan("");
                Q_EMIT metrics(int(m), t);
            }
        }
    } catch (const std::exception &e) {
        Q_EMIT error(tr("Compare models"), QString::fromUtf8(e.what()));
    }
    m_loader->releaseUnused();
    Q_EMIT finished(m_cancel.load());
    Q_EMIT activity(tr("idle"));
}

} // namespace chatbench::ui
