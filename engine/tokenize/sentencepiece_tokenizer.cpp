#include "tokenize/sentencepiece_tokenizer.h"

#include "chatbench/atomic_file.h"
#include "chatbench/error.h"
#include "tokenize/sentencepiece_shim/cb_spm_shim.h"

#include <algorithm>
#include <cstdlib>
#include <dlfcn.h>
#include <locale>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <thread>
#include <utility>

namespace chatbench {
namespace {

namespace fs = std::filesystem;

#ifndef CHATBENCH_SPM_SHIM_NAME
#define CHATBENCH_SPM_SHIM_NAME "libchatbench_spm_shim.so"
#endif

// The shim's functions, resolved from the library loaded in its own link namespace.
struct ShimApi
{
    decltype(&cb_spm_load) load = nullptr;
    decltype(&cb_spm_free) free = nullptr;
    decltype(&cb_spm_encode) encode = nullptr;
    decltype(&cb_spm_encode_pieces) encodePieces = nullptr;
    decltype(&cb_spm_decode) decode = nullptr;
    decltype(&cb_spm_piece_to_id) pieceToId = nullptr;
    decltype(&cb_spm_id_to_piece) idToPiece = nullptr;
    decltype(&cb_spm_vocab_size) vocabSize = nullptr;
    decltype(&cb_spm_is_control) isControl = nullptr;
    decltype(&cb_spm_special_ids) specialIds = nullptr;
    decltype(&cb_spm_train) train = nullptr;
};

struct ShimLoad
{
    bool ok = false;
    ShimApi api;
    std::string error; // "SentencePiece support unavailable: ..." when !ok
};

std::vector<fs::path> shimCandidates(bool *fromEnvironment)
{
    const fs::path name = CHATBENCH_SPM_SHIM_NAME;
    if (const char *env = std::getenv("CHATBENCH_SPM_SHIM"); env != nullptr && *env != '\0') {
        // An explicit choice is honoured alone, so a wrong one is reported instead of being
        // papered over by some other copy.
        *fromEnvironment = true;
        fs::path p = env;
        std::error_code ec;
        if (fs::is_directory(p, ec))
            p /= name;
        return { p };
    }
    *fromEnvironment = false;
    std::vector<fs::path> candidates;
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        const fs::path dir = exe.parent_path();
        candidates.push_back(dir / name);
        candidates.push_back(dir / ".." / "lib" / name);
        candidates.push_back(dir / ".." / "lib" / "chatbench" / name);
#ifdef CHATBENCH_INSTALL_LIBDIR
        // An installed tree relocated elsewhere (e.g. lib/x86_64-linux-gnu on Debian).
        candidates.push_back(dir / ".." / CHATBENCH_INSTALL_LIBDIR / "chatbench" / name);
#endif
    }
#ifdef CHATBENCH_SPM_SHIM_INSTALL_DIR
    candidates.push_back(fs::path(CHATBENCH_SPM_SHIM_INSTALL_DIR) / name);
#endif
#ifdef CHATBENCH_SPM_SHIM_BUILD_PATH
    candidates.push_back(CHATBENCH_SPM_SHIM_BUILD_PATH);
#endif
    // Each failed dlmopen may cost a link namespace: try every place once.
    std::vector<fs::path> unique;
    for (const fs::path &c : candidates) {
        const fs::path normal = c.lexically_normal();
        if (std::find(unique.begin(), unique.end(), normal) == unique.end())
            unique.push_back(normal);
    }
    return unique;
}

template<typename F>
bool resolve(void *lib, const char *symbol, F &target, std::string &error)
{
    target = reinterpret_cast<F>(::dlsym(lib, symbol));
    if (target == nullptr) {
        error = std::string("missing symbol ") + symbol;
        return false;
    }
    return true;
}

// Returns an empty string on success.
std::string tryLoad(const fs::path &path, ShimApi &api)
{
    // A namespace of its own: see ARCHITECTURE.md "protobuf clash". RTLD_DEEPBIND is no
    // substitute, libstdc++'s iostream globals still clash.
    void *lib = ::dlmopen(LM_ID_NEWLM, path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (lib == nullptr) {
        const char *why = ::dlerror();
        return why != nullptr ? why : path.string() + ": dlmopen failed";
    }
    std::string error;
    decltype(&cb_spm_abi_version) abiVersion = nullptr;
    if (!resolve(lib, "cb_spm_abi_version", abiVersion, error)) {
        ::dlclose(lib);
        return path.string() + ": " + error;
    }
    if (abiVersion() != CB_SPM_ABI_VERSION) {
        ::dlclose(lib);
        return path.string() + ": shim ABI version " + std::to_string(abiVersion())
            + ", this program needs " + std::to_string(CB_SPM_ABI_VERSION);
    }
    const bool ok = resolve(lib, "cb_spm_load", api.load, error)
        && resolve(lib, "cb_spm_free", api.free, error)
        && resolve(lib, "cb_spm_encode", api.encode, error)
        && resolve(lib, "cb_spm_encode_pieces", api.encodePieces, error)
        && resolve(lib, "cb_spm_decode", api.decode, error)
        && resolve(lib, "cb_spm_piece_to_id", api.pieceToId, error)
        && resolve(lib, "cb_spm_id_to_piece", api.idToPiece, error)
        && resolve(lib, "cb_spm_vocab_size", api.vocabSize, error)
        && resolve(lib, "cb_spm_is_control", api.isControl, error)
        && resolve(lib, "cb_spm_special_ids", api.specialIds, error)
        && resolve(lib, "cb_spm_train", api.train, error);
    if (!ok) {
        ::dlclose(lib);
        return path.string() + ": " + error;
    }
    // Never closed: tokenizers may live until exit, and a namespace cannot be reused anyway.
    return {};
}

ShimLoad loadShim()
{
    ShimLoad result;
    bool fromEnvironment = false;
    const std::vector<fs::path> candidates = shimCandidates(&fromEnvironment);
    std::vector<std::string> failures;
    for (const fs::path &candidate : candidates) {
        std::error_code ec;
        if (!fs::exists(candidate, ec))
            continue;
        std::string error = tryLoad(candidate, result.api);
        if (error.empty()) {
            result.ok = true;
            return result;
        }
        failures.push_back(std::move(error));
    }
    std::string message = "SentencePiece support unavailable: ";
    if (failures.empty()) {
        message += std::string(CHATBENCH_SPM_SHIM_NAME) + " not found";
    } else {
        for (std::size_t i = 0; i < failures.size(); ++i)
            message += (i > 0 ? "; " : "") + failures[i];
    }
    message += fromEnvironment ? "; looked in: (CHATBENCH_SPM_SHIM) " : "; looked in: ";
    for (std::size_t i = 0; i < candidates.size(); ++i)
        message += (i > 0 ? ", " : "") + candidates[i].string();
    result.error = std::move(message);
    return result;
}

// Loaded on first use, once per process (a function-local static is initialised exactly once
// even when several threads race to it). A failure is remembered too: each dlmopen attempt
// may use up one of the few link namespaces glibc has.
const ShimLoad &shimLoad()
{
    static const ShimLoad load = loadShim();
    return load;
}

const ShimApi &shim()
{
#ifndef CHATBENCH_WITH_SENTENCEPIECE
    throw Error("this chatbench was built without SentencePiece (.model tokenizers); rebuild with "
                "libsentencepiece-dev installed, or use a WordPiece vocab.txt tokenizer");
#endif
    const ShimLoad &load = shimLoad();
    if (!load.ok)
        throw Error(load.error);
    return load.api;
}

std::string classicNumber(double value)
{
    // The shim parses numbers in the C locale; the GUI may have set another one here.
    std::ostringstream s;
    s.imbue(std::locale::classic());
    s.precision(10);
    s << value;
    return s.str();
}

// Calls a shim function that reports the size it needs, growing the buffer until it fits.
// nullopt when the shim reports a failure.
template<typename T, typename Call>
std::optional<std::vector<T>> fillBuffer(std::size_t guess, Call call)
{
    std::vector<T> buffer(std::max<std::size_t>(guess, 16));
    for (;;) {
        const std::int64_t needed = call(buffer.data(), buffer.size());
        if (needed < 0)
            return std::nullopt;
        const bool fitted = static_cast<std::size_t>(needed) <= buffer.size();
        buffer.resize(static_cast<std::size_t>(needed));
        if (fitted)
            return buffer;
    }
}

// Error text the shim wrote into a buffer of kErrorCapacity bytes.
std::string shimError(const char *buffer)
{
    return buffer[0] != '\0' ? std::string(buffer) : std::string("unknown error");
}

constexpr std::size_t kErrorCapacity = 1024;

} // namespace

struct SentencePieceTokenizer::Impl
{
    const ShimApi *api = nullptr;
    cb_spm *handle = nullptr;
    fs::path file;
    std::string bytes; // kept for save(): the source file may be gone or replaced by then
    std::int32_t vocabSize = 0;
    SpecialTokenIds special;

    ~Impl()
    {
        if (handle != nullptr)
            api->free(handle);
    }

    std::string piece(std::int32_t id) const
    {
        auto text = fillBuffer<char>(
            32, [&](char *out, std::size_t cap) { return api->idToPiece(handle, id, out, cap); });
        if (!text)
            throw Error::inFile(file, "no piece for token id " + std::to_string(id));
        return std::string(text->begin(), text->end());
    }

    std::string decodeRun(const std::int32_t *ids, std::size_t count) const
    {
        if (count == 0)
            return {};
        char error[kErrorCapacity] = {};
        auto text = fillBuffer<char>(count * 4, [&](char *out, std::size_t cap) {
            return api->decode(handle, ids, count, out, cap, error, sizeof error);
        });
        if (!text)
            throw Error::inFile(file, "SentencePiece decode failed: " + shimError(error));
        return std::string(text->begin(), text->end());
    }

    void checkId(std::int32_t id) const
    {
        if (id < 0 || id >= vocabSize)
            throw Error::inFile(file,
                "token id " + std::to_string(id) + " outside [0, " + std::to_string(vocabSize)
                    + ")");
    }
};

SentencePieceTokenizer::SentencePieceTokenizer(const fs::path &modelFile)
    : m_impl(std::make_unique<Impl>())
{
    Impl &d = *m_impl;
    d.file = modelFile;
    std::error_code ec;
    if (!fs::is_regular_file(modelFile, ec))
        throw Error::inFile(
            modelFile, fs::exists(modelFile, ec) ? "not a file" : "SentencePiece model not found");
    d.bytes = readSmallFile(modelFile);
    try {
        d.api = &shim();
    } catch (const Error &e) {
        throw Error::inFile(modelFile, e.what());
    }
    char error[kErrorCapacity] = {};
    d.handle = d.api->load(d.bytes.data(), d.bytes.size(), error, sizeof error);
    if (d.handle == nullptr)
        throw Error::inFile(modelFile, "not a valid SentencePiece model: " + shimError(error));

    d.vocabSize = d.api->vocabSize(d.handle);
    d.api->specialIds(d.handle, &d.special.unk, &d.special.bos, &d.special.eos, &d.special.pad);
    // ALBERT-style models keep [CLS]/[SEP] as ordinary control pieces without declaring them
    // bos/eos; everything else (T5, Llama, ours) uses bos/eos for those roles.
    d.special.cls = d.special.bos >= 0 ? d.special.bos : tokenToId("[CLS]");
    d.special.sep = d.special.eos >= 0 ? d.special.eos : tokenToId("[SEP]");
    d.special.mask = tokenToId("[MASK]");
    if (d.special.mask < 0)
        d.special.mask = tokenToId("<mask>");
}

SentencePieceTokenizer::~SentencePieceTokenizer() = default;

std::vector<std::string> SentencePieceTokenizer::tokenize(std::string_view utf8) const
{
    const Impl &d = *m_impl;
    char error[kErrorCapacity] = {};
    auto result = fillBuffer<char>(utf8.size() * 2 + 16, [&](char *out, std::size_t cap) {
        return d.api->encodePieces(
            d.handle, utf8.data(), utf8.size(), out, cap, error, sizeof error);
    });
    if (!result)
        throw Error::inFile(d.file, "SentencePiece encode failed: " + shimError(error));
    const std::vector<char> &packed = *result;
    std::vector<std::string> pieces;
    auto begin = packed.begin();
    while (begin != packed.end()) {
        auto end = std::find(begin, packed.end(), '\0');
        pieces.emplace_back(begin, end);
        begin = end == packed.end() ? end : end + 1;
    }
    return pieces;
}

std::vector<std::int32_t> SentencePieceTokenizer::encode(
    std::string_view utf8, bool addSpecialTokens) const
{
    const Impl &d = *m_impl;
    char error[kErrorCapacity] = {};
    auto result = fillBuffer<std::int32_t>(
        utf8.size() + 2, [&](std::int32_t *out, std::size_t cap) {
            return d.api->encode(d.handle, utf8.data(), utf8.size(), out, cap, error, sizeof error);
        });
    if (!result)
        throw Error::inFile(d.file, "SentencePiece encode failed: " + shimError(error));
    std::vector<std::int32_t> ids = std::move(*result);
    if (addSpecialTokens) {
        if (d.special.bos >= 0)
            ids.insert(ids.begin(), d.special.bos);
        if (d.special.eos >= 0)
            ids.push_back(d.special.eos);
    }
    return ids;
}

std::string SentencePieceTokenizer::decode(
    const std::vector<std::int32_t> &ids, bool skipSpecialTokens) const
{
    const Impl &d = *m_impl;
    for (std::int32_t id : ids)
        d.checkId(id);
    if (skipSpecialTokens)
        return d.decodeRun(ids.data(), ids.size()); // SentencePiece drops control pieces
    // SentencePiece would drop the control pieces; write them out between decoded runs.
    std::string text;
    std::size_t runStart = 0;
    for (std::size_t i = 0; i < ids.size(); ++i) {
        if (d.api->isControl(d.handle, ids[i]) != 0) {
            text += d.decodeRun(ids.data() + runStart, i - runStart);
            text += d.piece(ids[i]);
            runStart = i + 1;
        }
    }
    text += d.decodeRun(ids.data() + runStart, ids.size() - runStart);
    return text;
}

std::int32_t SentencePieceTokenizer::tokenToId(std::string_view token) const
{
    return m_impl->api->pieceToId(m_impl->handle, token.data(), token.size());
}

std::string SentencePieceTokenizer::idToToken(std::int32_t id) const
{
    m_impl->checkId(id);
    return m_impl->piece(id);
}

std::int32_t SentencePieceTokenizer::vocabSize() const
{
    return m_impl->vocabSize;
}

const SpecialTokenIds &SentencePieceTokenizer::specialIds() const
{
    return m_impl->special;
}

const fs::path &SentencePieceTokenizer::modelFile() const
{
    return m_impl->file;
}

void SentencePieceTokenizer::save(const fs::path &dir) const
{
    const Impl &d = *m_impl;
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec)
        throw Error::inFile(dir, "cannot create folder: " + ec.message());
    writeFileAtomically(dir / "spiece.model", d.bytes);

    // Hugging Face's *_token keys, so the special pieces are readable without SentencePiece;
    // "tokenizer_kind" is what ChatBench itself goes by. No "tokenizer_class": none of HF's
    // SentencePiece classes adds [bos] ... [eos] the way encode() does.
    nlohmann::json config = nlohmann::json::object();
    config["tokenizer_kind"] = kind();
    config["model_file"] = "spiece.model";
    const std::pair<const char *, std::int32_t> tokens[] = {
        { "unk_token", d.special.unk },
        { "bos_token", d.special.bos },
        { "eos_token", d.special.eos },
        { "pad_token", d.special.pad },
        { "cls_token", d.special.cls },
        { "sep_token", d.special.sep },
        { "mask_token", d.special.mask },
    };
    for (const auto &[key, id] : tokens) {
        if (id >= 0)
            config[key] = d.piece(id);
    }
    writeFileAtomically(dir / "tokenizer_config.json", config.dump(2) + "\n");
}

bool sentencePieceAvailable(std::string *whyNot)
{
#ifndef CHATBENCH_WITH_SENTENCEPIECE
    if (whyNot != nullptr)
        *whyNot = "this chatbench was built without SentencePiece";
    return false;
#endif
    const ShimLoad &load = shimLoad();
    if (!load.ok && whyNot != nullptr)
        *whyNot = load.error;
    return load.ok;
}

fs::path trainSentencePiece(const std::vector<fs::path> &inputFiles, const fs::path &output,
    const SentencePieceTrainOptions &options)
{
    if (inputFiles.empty())
        throw Error("SentencePiece training needs at least one text file");
    for (const fs::path &file : inputFiles) {
        std::error_code ec;
        if (!fs::is_regular_file(file, ec))
            throw Error::inFile(file,
                fs::exists(file, ec) ? "training text is not a file" : "training text not found");
    }
    static const char *const kModelTypes[] = { "unigram", "bpe", "char", "word" };
    if (std::find(std::begin(kModelTypes), std::end(kModelTypes), options.modelType)
        == std::end(kModelTypes))
        throw Error("unknown SentencePiece model type '" + options.modelType
            + "' (expected unigram, bpe, char or word)");
    if (options.vocabSize <= 0)
        throw Error("SentencePiece vocabulary size must be positive, got "
            + std::to_string(options.vocabSize));

    fs::path target;
    std::error_code ec;
    if (fs::is_directory(output, ec))
        target = output / "spiece.model";
    else if (output.extension() == ".model")
        target = output;
    else
        target = fs::path(output.string() + ".model");

    std::map<std::string, std::string> flags = {
        { "model_type", options.modelType }, { "vocab_size", std::to_string(options.vocabSize) },
        { "character_coverage", classicNumber(options.characterCoverage) },
        // pad 0 as the GPT2-chitchat pipeline pads with 0; bos/eos double as cls/sep. They
        // are control pieces, so no text a user types can produce them.
        { "pad_id", "0" }, { "unk_id", "1" }, { "bos_id", "2" }, { "eos_id", "3" },
        { "num_threads", std::to_string(std::max(1u, std::thread::hardware_concurrency())) },
        // SentencePiece logs every EM iteration at INFO; errors come back as the exception.
        { "minloglevel", "1" },
        // No model_prefix: the trainer hands the model back in memory instead of writing it.
    };
    if (!options.userDefinedSymbols.empty()) {
        std::string joined;
        for (const std::string &symbol : options.userDefinedSymbols) {
            if (symbol.find(',') != std::string::npos)
                throw Error(
                    "SentencePiece user-defined symbol '" + symbol + "' must not contain a comma");
            joined += (joined.empty() ? "" : ",") + symbol;
        }
        flags["user_defined_symbols"] = joined;
    }
    for (const char *owned : { "input", "model_prefix" }) {
        if (options.extra.count(owned) != 0)
            throw Error(std::string("SentencePiece flag '") + owned
                + "' is set by trainSentencePiece itself");
    }
    for (const auto &[key, value] : options.extra)
        flags[key] = value;

    const ShimApi &api = shim();
    std::vector<const char *> keys, values, files;
    for (const auto &[key, value] : flags) {
        keys.push_back(key.c_str());
        values.push_back(value.c_str());
    }
    for (const fs::path &file : inputFiles)
        files.push_back(file.c_str());
    std::string model;
    auto sink = [](void *context, const char *data, std::size_t size) {
        static_cast<std::string *>(context)->assign(data, size);
    };
    char error[kErrorCapacity] = {};
    if (api.train(keys.data(), values.data(), keys.size(), files.data(), files.size(), sink, &model,
            error, sizeof error)
        != 0)
        throw Error::inFile(target, "SentencePiece training failed: " + shimError(error));

    if (!target.parent_path().empty()) {
        fs::create_directories(target.parent_path(), ec);
        if (ec)
            throw Error::inFile(target.parent_path(), "cannot create folder: " + ec.message());
    }
    // Trained in memory, so the one write below is all a reader can ever see of it.
    writeFileAtomically(target, model);
    return target;
}

fs::path trainSentencePiece(const std::vector<fs::path> &inputFiles, const fs::path &output,
    std::int32_t vocabSize, const std::string &modelType, double characterCoverage,
    const std::map<std::string, std::string> &extra)
{
    SentencePieceTrainOptions options;
    options.vocabSize = vocabSize;
    options.modelType = modelType;
    options.characterCoverage = characterCoverage;
    options.extra = extra;
    return trainSentencePiece(inputFiles, output, options);
}

} // namespace chatbench
