#include "chatbench/tokenizer.h"

#include "chatbench/error.h"
#include "tokenize/sentencepiece_tokenizer.h"
#include "tokenize/wordpiece_tokenizer.h"

#include <algorithm>
#include <vector>

namespace chatbench {

std::unique_ptr<Tokenizer> loadTokenizer(const std::filesystem::path &dir)
{
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec))
        throw Error::inFile(dir, "tokenizer folder not found");

    if (WordPieceTokenizer::isWordPieceFolder(dir))
        return WordPieceTokenizer::load(dir);

    // SentencePiece: spiece.model (what SentencePieceTokenizer::save writes), else the first
    // *.model by name (tokenizer.model, sentencepiece.bpe.model, ...).
    std::filesystem::path spm = dir / "spiece.model";
    if (!std::filesystem::is_regular_file(spm, ec)) {
        std::vector<std::filesystem::path> models;
        for (const auto &entry : std::filesystem::directory_iterator(dir, ec)) {
            if (entry.path().extension() == ".model" && entry.is_regular_file(ec))
                models.push_back(entry.path());
        }
        std::sort(models.begin(), models.end());
        spm = models.empty() ? std::filesystem::path() : models.front();
    }
    if (!spm.empty())
        return std::make_unique<SentencePieceTokenizer>(spm);

    throw Error::inFile(dir,
        "no tokenizer found: looked for vocab.txt or a WordPiece tokenizer.json (BERT "
        "WordPiece) and a *.model file (SentencePiece)");
}

} // namespace chatbench
