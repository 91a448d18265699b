#include "tokenize/wordpiece_tokenizer.h"

#include "chatbench/atomic_file.h"
#include "chatbench/error.h"
#include "io/json_file.h"
#include "tokenize/bert_pre_tokenizer.h"
#include "tokenize/utf8.h"
#include "tokenize/vocab_index.h"

#include <algorithm>
#include <array>
#include <unicode/uchar.h>
#include <unordered_map>
#include <unordered_set>

namespace chatbench {
namespace {

constexpr const char *kVocabFile = "vocab.txt";
constexpr const char *kConfigFile = "tokenizer_config.json";
constexpr const char *kSpecialMapFile = "special_tokens_map.json";
constexpr const char *kFastFile = "tokenizer.json";
constexpr std::size_t kKeepScratchBytes = 1 << 20;

// Per-thread scratch buffers: encode() is called once per corpus line, and growing these once
// per thread instead of once per call is most of the speed on short lines.
PreTokens &threadScratch()
{
    thread_local PreTokens scratch;
    return scratch;
}

std::vector<std::int32_t> &threadPieceIds()
{
    thread_local std::vector<std::int32_t> ids;
    return ids;
}

// A special token in a config is a string or a serialized AddedToken {"content": ...}.
std::string tokenString(
    const nlohmann::json &value, const char *key, const std::filesystem::path &origin)
{
    if (value.is_string())
        return value.get<std::string>();
    if (value.is_object()) {
        auto content = value.find("content");
        if (content != value.end() && content->is_string())
            return content->get<std::string>();
    }
    throw Error::inFile(origin,
        std::string("field '") + key + "': expected a string or an object with \"content\", got "
            + value.type_name() + " " + value.dump());
}

std::vector<std::string> tokenList(
    const nlohmann::json &object, const char *key, const std::filesystem::path &origin)
{
    std::vector<std::string> tokens;
    auto it = object.find(key);
    if (it == object.end() || it->is_null())
        return tokens;
    if (!it->is_array())
        throw Error::inFile(origin,
            std::string("field '") + key + "': expected a list, got " + it->type_name() + " "
                + it->dump());
    for (const nlohmann::json &item : *it)
        tokens.push_back(tokenString(item, key, origin));
    return tokens;
}

void readSpecialTokens(
    const nlohmann::json &object, const std::filesystem::path &origin, WordPieceOptions &options)
{
    const std::pair<const char *, std::string *> fields[] = {
        { "unk_token", &options.unkToken },
        { "sep_token", &options.sepToken },
        { "pad_token", &options.padToken },
        { "cls_token", &options.clsToken },
        { "mask_token", &options.maskToken },
    };
    for (const auto &[key, target] : fields) {
        auto it = object.find(key);
        if (it != object.end() && !it->is_null())
            *target = tokenString(*it, key, origin);
    }
    if (object.contains("additional_special_tokens"))
        options.additionalSpecialTokens = tokenList(object, "additional_special_tokens", origin);
}

nlohmann::json readJsonObject(const std::filesystem::path &file)
{
    nlohmann::json json = readJsonFile(file);
    if (!json.is_object())
        throw Error::inFile(file, std::string("expected a JSON object, got ") + json.type_name());
    return json;
}

// tokenizer_config.json's tokenizer_class: which of transformers' BERT tokenizers the folder is
// for. Absent: the fast one, which AutoTokenizer loads.
BertFlavor flavorOf(const nlohmann::json &config, const std::filesystem::path &file)
{
    const auto it = config.find("tokenizer_class");
    if (it == config.end() || it->is_null())
        return BertFlavor::Fast;
    const std::string name = jsonField<std::string>(config, "tokenizer_class", "", file);
    if (name == "BertTokenizerFast")
        return BertFlavor::Fast;
    if (name == "BertTokenizer")
        return BertFlavor::Python;
    throw Error::inFile(file,
        "field 'tokenizer_class': '" + name
            + "' is not a BERT WordPiece tokenizer (ChatBench reads BertTokenizer and "
              "BertTokenizerFast folders)");
}

// The fast tokenizer's tokenizer.json: a WordPiece model (vocab as token -> id) behind a
// BertNormalizer, whose flags are the normalization; tokenizer_config.json and
// special_tokens_map.json, when present, name the special tokens' roles.
std::unique_ptr<WordPieceTokenizer> loadFastFile(
    const std::filesystem::path &dir, WordPieceOptions options)
{
    const std::filesystem::path file = dir / kFastFile;
    const nlohmann::json root = readJsonObject(file);
    const auto object = [&](const nlohmann::json &parent, const char *key, const char *where) {
        const auto it = parent.find(key);
        if (it == parent.end() || !it->is_object())
            throw Error::inFile(file, std::string("'") + where + "': expected an object");
        return *it;
    };
    const nlohmann::json model = object(root, "model", "model");
    if (model.value("type", "") != "WordPiece")
        throw Error::inFile(file,
            "'model.type': '" + model.value("type", std::string("(none)"))
                + "', expected WordPiece (ChatBench reads BERT WordPiece tokenizer.json files)");
    if (jsonField<std::string>(model, "continuing_subword_prefix", "##", file) != "##")
        throw Error::inFile(file, "'model.continuing_subword_prefix': only ## is supported");
    options.unkToken = jsonField<std::string>(model, "unk_token", options.unkToken, file);
    options.maxInputCharsPerWord
        = jsonField<int>(model, "max_input_chars_per_word", options.maxInputCharsPerWord, file);

    const nlohmann::json vocabMap = object(model, "vocab", "model.vocab");
    std::vector<std::string> vocab(vocabMap.size());
    std::vector<bool> seen(vocabMap.size(), false);
    for (const auto &[token, id] : vocabMap.items()) {
        if (!id.is_number_unsigned() || id.get<std::uint64_t>() >= vocab.size()
            || seen[id.get<std::size_t>()])
            throw Error::inFile(file,
                "'model.vocab': token '" + token + "' has id " + id.dump()
                    + ", expected each of 0.." + std::to_string(vocab.size() - 1) + " once");
        seen[id.get<std::size_t>()] = true;
        vocab[id.get<std::size_t>()] = token;
    }
    if (vocab.empty())
        throw Error::inFile(file, "'model.vocab' is empty");

    const auto normalizer = root.find("normalizer");
    if (normalizer == root.end() || normalizer->is_null()
        || normalizer->value("type", "") != "BertNormalizer")
        throw Error::inFile(file,
            "'normalizer': expected a BertNormalizer (ChatBench reads BERT tokenizers), got "
                + (normalizer == root.end() ? std::string("none") : normalizer->dump()));
    if (!jsonField<bool>(*normalizer, "clean_text", true, file))
        throw Error::inFile(file, "'normalizer.clean_text': false is not supported");
    options.flavor = BertFlavor::Fast;
    options.doLowerCase = jsonField<bool>(*normalizer, "lowercase", true, file);
    options.stripAccents.reset();
    if (const auto it = normalizer->find("strip_accents");
        it != normalizer->end() && !it->is_null())
        options.stripAccents = jsonField<bool>(*normalizer, "strip_accents", false, file);
    options.tokenizeChineseChars = jsonField<bool>(*normalizer, "handle_chinese_chars", true, file);

    // Added special tokens that play no named role are still kept whole when typed.
    if (const auto added = root.find("added_tokens"); added != root.end() && added->is_array()) {
        const std::vector<std::string> roles = options.specialTokens();
        for (const auto &token : *added)
            if (token.value("special", false)) {
                const std::string content = token.value("content", "");
                if (!content.empty()
                    && std::find(roles.begin(), roles.end(), content) == roles.end())
                    options.additionalSpecialTokens.push_back(content);
            }
    }
    try {
        return std::make_unique<WordPieceTokenizer>(std::move(vocab), std::move(options));
    } catch (const Error &e) {
        throw Error::inFile(file, e.what());
    }
}

bool isWide(char32_t cp)
{
    if (cp < 0x80)
        return false;
    const int width = u_getIntPropertyValue(static_cast<UChar32>(cp), UCHAR_EAST_ASIAN_WIDTH);
    return width == U_EA_WIDE || width == U_EA_FULLWIDTH || isCjkIdeograph(cp)
        || isBertPunctuation(cp);
}

char32_t firstCodePoint(std::string_view s)
{
    char32_t cp = 0;
    if (!s.empty())
        utf8::decode(s.data(), s.data() + s.size(), cp);
    return cp;
}

char32_t lastCodePoint(std::string_view s)
{
    std::size_t i = s.size();
    while (i > 0 && utf8::isContinuation(static_cast<unsigned char>(s[i - 1])))
        --i;
    return i > 0 ? firstCodePoint(s.substr(i - 1)) : 0;
}

} // namespace

std::vector<std::string> WordPieceOptions::specialTokens() const
{
    std::vector<std::string> tokens = { unkToken, sepToken, padToken, clsToken, maskToken };
    tokens.insert(tokens.end(), additionalSpecialTokens.begin(), additionalSpecialTokens.end());
    return tokens;
}

struct WordPieceTokenizer::Impl
{
    Impl(std::vector<std::string> v, WordPieceOptions o);

    // emit(id, token) for every token of text, in order, without special tokens added.
    template<typename Emit>
    void run(std::string_view text, Emit &&emit) const;
    template<typename Emit>
    void runChunk(std::string_view chunk, Emit &emit) const;
    template<typename Emit>
    void wordPiece(std::string_view word, std::uint32_t chars, Emit &emit) const;
    std::int32_t idOrUnk(std::string_view token) const
    {
        const std::int32_t id = full.find(token);
        return id >= 0 ? id : unkId;
    }

    std::vector<std::string> vocab;
    WordPieceOptions options;
    VocabIndex full; // every token
    VocabIndex continuation; // "##x" tokens, keyed "x"
    BertPreTokenizer preTokenizer;
    SpecialTokenIds ids;
    std::int32_t unkId = -1;
    std::vector<std::string> specials; // longest first: the longest match wins, as in HF's trie
    std::array<bool, 256> specialFirstByte {};
    std::unordered_set<std::string> neverSplit; // config never_split: no WordPiece either
    std::vector<bool> hiddenOnDecode; // per id
};

namespace {

BertPreTokenizer::Options preTokenizerOptions(const WordPieceOptions &o)
{
    BertPreTokenizer::Options p;
    p.lowerCase = o.doLowerCase;
    p.stripAccents = o.effectiveStripAccents();
    p.chineseChars = o.tokenizeChineseChars;
    p.nfc = o.flavor == BertFlavor::Python;
    p.neverSplit = o.specialTokens();
    p.neverSplit.insert(p.neverSplit.end(), o.neverSplit.begin(), o.neverSplit.end());
    return p;
}

} // namespace

WordPieceTokenizer::Impl::Impl(std::vector<std::string> v, WordPieceOptions o)
    : vocab(std::move(v)), options(std::move(o)), preTokenizer(preTokenizerOptions(options))
{
    if (vocab.empty())
        throw Error("WordPiece vocabulary is empty");
    std::unordered_map<std::string_view, std::size_t> seen;
    seen.reserve(vocab.size());
    for (std::size_t id = 0; id < vocab.size(); ++id) {
        auto [it, inserted] = seen.emplace(vocab[id], id);
        if (!inserted)
            throw Error("WordPiece vocabulary: token '" + vocab[id] + "' (id " + std::to_string(id)
                + ") duplicates id " + std::to_string(it->second));
    }
    full.build(vocab);
    continuation.build(vocab, "##");
    unkId = full.find(options.unkToken);
    if (unkId < 0)
        throw Error("WordPiece vocabulary has no unknown token '" + options.unkToken + "'");
    ids.unk = unkId;
    ids.pad = full.find(options.padToken);
    ids.cls = full.find(options.clsToken);
    ids.sep = full.find(options.sepToken);
    ids.mask = full.find(options.maskToken);
    ids.bos = ids.cls; // GPT2-chitchat / ckiplab: bos = [CLS], eos = [SEP]
    ids.eos = ids.sep;

    for (const std::string &s : options.specialTokens())
        if (!s.empty() && std::find(specials.begin(), specials.end(), s) == specials.end())
            specials.push_back(s);
    std::stable_sort(specials.begin(), specials.end(),
        [](const std::string &a, const std::string &b) { return a.size() > b.size(); });
    for (const std::string &s : specials)
        specialFirstByte[static_cast<unsigned char>(s[0])] = true;
    neverSplit.insert(options.neverSplit.begin(), options.neverSplit.end());

    hiddenOnDecode.assign(vocab.size(), false);
    for (const std::string &s : specials) {
        const std::int32_t id = full.find(s);
        if (id >= 0 && s != options.unkToken) // [UNK] stays visible: it shows lost text
            hiddenOnDecode[id] = true;
    }
}

template<typename Emit>
void WordPieceTokenizer::Impl::run(std::string_view text, Emit &&emit) const
{
    // Special tokens typed in the text are cut out first, in exact case only (HF's added-token
    // trie runs before any normalization).
    std::size_t chunkStart = 0;
    for (std::size_t i = 0; i < text.size();) {
        if (specialFirstByte[static_cast<unsigned char>(text[i])]) {
            const std::string *match = nullptr;
            for (const std::string &s : specials)
                if (text.compare(i, s.size(), s) == 0) {
                    match = &s;
                    break;
                }
            if (match) {
                runChunk(text.substr(chunkStart, i - chunkStart), emit);
                emit(idOrUnk(*match), std::string_view(*match));
                i += match->size();
                chunkStart = i;
                continue;
            }
        }
        ++i;
    }
    runChunk(text.substr(chunkStart), emit);
}

template<typename Emit>
void WordPieceTokenizer::Impl::runChunk(std::string_view chunk, Emit &emit) const
{
    if (chunk.empty())
        return;
    PreTokens &pre = threadScratch();
    pre.clear();
    preTokenizer.run(chunk, pre);
    for (const PreTokens::Piece &piece : pre.pieces) {
        const std::string_view text = pre.text(piece);
        if (piece.neverSplit && neverSplit.count(std::string(text)))
            emit(idOrUnk(text), text);
        else
            wordPiece(text, piece.chars, emit);
    }
    if (pre.bytes.capacity() > kKeepScratchBytes) // one huge text must not pin its size per thread
        pre = PreTokens();
}

// Greedy longest-match-first; a word with any piece missing becomes one [UNK] (as in BERT).
template<typename Emit>
void WordPieceTokenizer::Impl::wordPiece(
    std::string_view word, std::uint32_t chars, Emit &emit) const
{
    if (chars > static_cast<std::uint32_t>(options.maxInputCharsPerWord)) {
        emit(unkId, std::string_view(options.unkToken));
        return;
    }
    auto isInside = [&](std::size_t i) {
        return i < word.size() && utf8::isContinuation(static_cast<unsigned char>(word[i]));
    };
    std::vector<std::int32_t> &pieces = threadPieceIds();
    pieces.clear();
    for (std::size_t start = 0; start < word.size();) {
        const VocabIndex &index = start == 0 ? full : continuation;
        // No vocabulary entry is longer than maxKeySize bytes, so start the search there.
        std::size_t end = std::min(word.size(), start + index.maxKeySize());
        while (end > start && isInside(end))
            --end;
        std::int32_t id = -1;
        while (end > start) {
            id = index.find(word.substr(start, end - start));
            if (id >= 0)
                break;
            do
                --end;
            while (end > start && isInside(end));
        }
        if (id < 0) {
            emit(unkId, std::string_view(options.unkToken));
            return;
        }
        pieces.push_back(id);
        start = end;
    }
    for (std::int32_t id : pieces)
        emit(id, std::string_view(vocab[id]));
}

bool WordPieceTokenizer::isWordPieceFolder(const std::filesystem::path &dir)
{
    std::error_code ec;
    if (std::filesystem::exists(dir / kVocabFile, ec))
        return true;
    if (!std::filesystem::exists(dir / kFastFile, ec))
        return false;
    try {
        const nlohmann::json j = readJsonObject(dir / kFastFile);
        const auto model = j.find("model");
        return model != j.end() && model->is_object() && model->value("type", "") == "WordPiece";
    } catch (const Error &) {
        return true; // a WordPiece reader is the one to report what is wrong with it
    }
}

std::unique_ptr<WordPieceTokenizer> WordPieceTokenizer::load(const std::filesystem::path &dir)
{
    std::error_code ec;
    if (!std::filesystem::exists(dir / kVocabFile, ec)
        && std::filesystem::exists(dir / kFastFile, ec))
        return loadFastFile(dir, readOptions(dir));
    const std::filesystem::path vocabFile = dir / kVocabFile;
    std::vector<std::string> vocab = readVocabFile(vocabFile);
    WordPieceOptions options = readOptions(dir);
    try {
        return std::make_unique<WordPieceTokenizer>(std::move(vocab), std::move(options));
    } catch (const Error &e) {
        throw Error::inFile(vocabFile, e.what());
    }
}

std::vector<std::string> WordPieceTokenizer::readVocabFile(const std::filesystem::path &file)
{
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec))
        throw Error::inFile(file, "WordPiece vocabulary file not found");
    const std::string bytes = readSmallFile(file);
    // Lines end in \n, \r\n or \r, like Python's universal newlines (HF reads it that way).
    std::vector<std::string> tokens;
    std::unordered_map<std::string, std::size_t> lineOf;
    std::size_t pos = 0;
    while (pos < bytes.size()) {
        std::size_t eol = bytes.find_first_of("\r\n", pos);
        const std::size_t stop = eol == std::string::npos ? bytes.size() : eol;
        std::string token = bytes.substr(pos, stop - pos);
        const std::size_t line = tokens.size() + 1;
        if (!utf8::isValid(token))
            throw Error::atLine(file, line, "token is not valid UTF-8");
        auto [it, inserted] = lineOf.emplace(token, line);
        if (!inserted)
            throw Error::atLine(file, line,
                "duplicate token '" + token + "' (first on line " + std::to_string(it->second)
                    + ")");
        tokens.push_back(std::move(token));
        if (eol == std::string::npos)
            break;
        pos = eol
            + ((bytes[eol] == '\r' && eol + 1 < bytes.size() && bytes[eol + 1] == '\n') ? 2 : 1);
    }
    if (tokens.empty())
        throw Error::atLine(file, 1, "empty vocabulary: expected one token per line");
    return tokens;
}

WordPieceOptions WordPieceTokenizer::readOptions(const std::filesystem::path &dir)
{
    WordPieceOptions options;
    const std::filesystem::path configFile = dir / kConfigFile;
    std::error_code ec;
    if (std::filesystem::exists(configFile, ec)) {
        const nlohmann::json config = readJsonObject(configFile);
        options.flavor = flavorOf(config, configFile);
        options.doLowerCase = jsonField<bool>(config, "do_lower_case", true, configFile);
        if (auto it = config.find("strip_accents"); it != config.end() && !it->is_null())
            options.stripAccents = jsonField<bool>(config, "strip_accents", false, configFile);
        options.tokenizeChineseChars
            = jsonField<bool>(config, "tokenize_chinese_chars", true, configFile);
        if (!jsonField<bool>(config, "do_basic_tokenize", true, configFile))
            throw Error::inFile(configFile, "do_basic_tokenize false is not supported");
        options.neverSplit = tokenList(config, "never_split", configFile);
        readSpecialTokens(config, configFile, options);
        if (auto it = config.find("model_max_length"); it != config.end() && !it->is_null()) {
            if (it->is_number_integer() && it->get<std::int64_t>() > 0)
                options.modelMaxLength = it->get<std::int64_t>();
            else if (!(it->is_number() && it->get<double>() >= 1e18)) // 1e30 = "no limit" in HF
                throw Error::inFile(configFile,
                    "field 'model_max_length': expected a positive "
                    "integer, got "
                        + it->dump());
        }
    }
    const std::filesystem::path mapFile = dir / kSpecialMapFile;
    if (std::filesystem::exists(mapFile, ec))
        readSpecialTokens(readJsonObject(mapFile), mapFile, options); // HF lets this file win
    return options;
}

WordPieceTokenizer::WordPieceTokenizer(std::vector<std::string> vocab, WordPieceOptions options)
    : m_d(std::make_unique<Impl>(std::move(vocab), std::move(options)))
{ }

WordPieceTokenizer::~WordPieceTokenizer() = default;
WordPieceTokenizer::WordPieceTokenizer(const WordPieceTokenizer &other)
    : m_d(std::make_unique<Impl>(*other.m_d))
{ }
WordPieceTokenizer &WordPieceTokenizer::operator=(const WordPieceTokenizer &other)
{
    if (this != &other)
        m_d = std::make_unique<Impl>(*other.m_d);
    return *this;
}
WordPieceTokenizer::WordPieceTokenizer(WordPieceTokenizer &&other) noexcept = default;
WordPieceTokenizer &WordPieceTokenizer::operator=(WordPieceTokenizer &&other) noexcept = default;

std::vector<std::string> WordPieceTokenizer::tokenize(std::string_view utf8Text) const
{
    std::vector<std::string> tokens;
    m_d->run(utf8Text, [&](std::int32_t, std::string_view token) { tokens.emplace_back(token); });
    return tokens;
}

std::vector<std::int32_t> WordPieceTokenizer::encode(
    std::string_view utf8Text, bool addSpecialTokens) const
{
    std::vector<std::int32_t> ids;
    if (addSpecialTokens)
        ids.push_back(m_d->idOrUnk(m_d->options.clsToken));
    encodeAppend(utf8Text, ids);
    if (addSpecialTokens)
        ids.push_back(m_d->idOrUnk(m_d->options.sepToken));
    return ids;
}

void WordPieceTokenizer::encodeAppend(
    std::string_view utf8Text, std::vector<std::int32_t> &out) const
{
    m_d->run(utf8Text, [&](std::int32_t id, std::string_view) { out.push_back(id); });
}

std::string WordPieceTokenizer::decode(
    const std::vector<std::int32_t> &ids, bool skipSpecialTokens) const
{
    std::string text;
    bool previousNarrow = false; // the text so far ends in a character that wants a space
    for (std::int32_t id : ids) {
        if (id < 0 || id >= vocabSize())
            idToToken(id); // throws
        if (skipSpecialTokens && m_d->hiddenOnDecode[id])
            continue;
        std::string_view token = m_d->vocab[id];
        const bool piece = token.size() > 2 && token.compare(0, 2, "##") == 0;
        if (piece) {
            token.remove_prefix(2);
        } else if (previousNarrow && !isWide(firstCodePoint(token)) && token != "." && token != ","
            && token != "!" && token != "?") {
            text.push_back(' ');
        }
        text.append(token);
        previousNarrow = !token.empty() && !isWide(lastCodePoint(token));
    }
    return text;
}

std::int32_t WordPieceTokenizer::tokenToId(std::string_view token) const
{
    return m_d->full.find(token);
}

std::string WordPieceTokenizer::idToToken(std::int32_t id) const
{
    if (id < 0 || id >= vocabSize())
        throw Error("token id " + std::to_string(id) + " is outside the vocabulary (0.."
            + std::to_string(vocabSize() - 1) + ")");
    return m_d->vocab[id];
}

std::int32_t WordPieceTokenizer::vocabSize() const
{
    return static_cast<std::int32_t>(m_d->vocab.size());
}

const SpecialTokenIds &WordPieceTokenizer::specialIds() const
{
    return m_d->ids;
}
const WordPieceOptions &WordPieceTokenizer::options() const
{
    return m_d->options;
}
const std::vector<std::string> &WordPieceTokenizer::vocab() const
{
    return m_d->vocab;
}

void WordPieceTokenizer::save(const std::filesystem::path &dir) const
{
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec)
        throw Error::inFile(dir, "cannot create folder: " + ec.message());
    const WordPieceOptions &o = m_d->options;

    std::string vocabText;
    for (const std::string &token : m_d->vocab) {
        vocabText += token;
        vocabText += '\n';
    }

    nlohmann::json specialMap = { { "unk_token", o.unkToken }, { "sep_token", o.sepToken },
        { "pad_token", o.padToken }, { "cls_token", o.clsToken }, { "mask_token", o.maskToken } };
    if (!o.additionalSpecialTokens.empty())
        specialMap["additional_special_tokens"] = o.additionalSpecialTokens;

    nlohmann::json config = specialMap;
    config["tokenizer_class"]
        = o.flavor == BertFlavor::Python ? "BertTokenizer" : "BertTokenizerFast";
    config["do_lower_case"] = o.doLowerCase;
    config["do_basic_tokenize"] = true;
    config["strip_accents"] = o.stripAccents ? nlohmann::json(*o.stripAccents) : nlohmann::json();
    config["tokenize_chinese_chars"] = o.tokenizeChineseChars;
    config["never_split"] = o.neverSplit.empty() ? nlohmann::json() : nlohmann::json(o.neverSplit);
    config["clean_up_tokenization_spaces"] = true;
    if (o.modelMaxLength)
        config["model_max_length"] = *o.modelMaxLength;

    writeFileAtomically(dir / kVocabFile, vocabText);
    writeFileAtomically(dir / kConfigFile, config.dump(2) + "\n");
    writeFileAtomically(dir / kSpecialMapFile, specialMap.dump(2) + "\n");
}

} // namespace chatbench
