#pragma once
// Clean-up applied to every utterance before tokenization. Users fine-tune a Traditional-Chinese
// model (ckiplab/gpt2-base-chinese) on Simplified corpora, hence the OpenCC script conversion.
// normalize() is const and safe to call from several threads at once.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace chatbench {

struct NormalizeOptions
{
    // Runs of whitespace (ASCII, no-break and ideographic spaces, control characters) become
    // one space, zero-width characters go, and the ends are trimmed.
    bool cleanWhitespace = true;
    // Full-width ASCII U+FF01..U+FF5E -> U+0021..U+007E, ideographic space U+3000 -> ' '.
    bool foldFullWidth = false;
    // An OpenCC configuration ("s2t", "s2tw", "s2twp", "t2s", "tw2sp", ... with or without
    // ".json"); empty: no conversion.
    std::string convert;
};

class TextNormalizer
{
public:
    // Throws chatbench::Error naming the conversion when OpenCC cannot load it.
    explicit TextNormalizer(NormalizeOptions options = {});
    ~TextNormalizer();
    TextNormalizer(TextNormalizer &&) noexcept;
    TextNormalizer &operator=(TextNormalizer &&) noexcept;

    std::string normalize(std::string_view utf8) const;
    // normalize() on each text in place, with one OpenCC call for the lot: use it for chunks.
    void normalizeEach(std::vector<std::string> &texts) const;
    const NormalizeOptions &options() const { return m_options; }

private:
    struct Impl;
    NormalizeOptions m_options;
    std::unique_ptr<Impl> m_impl;
};

// The pure character folds, exposed for tests and callers without OpenCC.
std::string foldFullWidth(std::string_view utf8);
std::string cleanWhitespace(std::string_view utf8);

} // namespace chatbench
