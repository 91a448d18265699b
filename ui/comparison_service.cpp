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
    Q_EMIT activity(tr("comparing models"));
    std::vector<std::string> references;
    for (const PromptDialogue &d : prompts.dialogues)
        references.push_back(d.reference);
    try {
        for (int m = 0; m < specs.size() && !m_cancel; ++m) {
            const ChatModel model = m_loader->load(specs[m]);
            const auto replies = generateReplies(
                model, prompts.dialogues,
                [this, m](std::size_t p, const std::string &text) {
                    Q_EMIT reply(int(p), m, QString::fromStdString(text));
                },
                &m_cancel);
            if (replies.size() < prompts.dialogues.size())
                break; // cancelled: no metrics over a part of the set
            TextMetrics t = evaluateReplies(replies, references);
            if (!prompts.hasReferences)
                t.bleu2 = t.bleu4 = std::nan("");
            Q_EMIT metrics(m, t);
        }
    } catch (const std::exception &e) {
        Q_EMIT error(tr("Compare models"), QString::fromUtf8(e.what()));
    }
    m_loader->releaseUnused();
    Q_EMIT finished(m_cancel.load());
    Q_EMIT activity(tr("idle"));
}

} // namespace chatbench::ui
