// Implementation of the C ABI in cb_spm_shim.h over libsentencepiece. Runs in its own link
// namespace (see the header), so every C++ exception must be caught here: unwinding across
// the boundary into the other namespace's libstdc++ would be undefined.

#include "cb_spm_shim.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <exception>
#include <fstream>
#include <memory>
#include <sentencepiece_processor.h>
#include <sentencepiece_trainer.h>
#include <string>
#include <unordered_map>
#include <vector>

struct cb_spm
{
    sentencepiece::SentencePieceProcessor processor;
};

namespace {

void setError(char *err, std::size_t errLen, const std::string &message)
{
    if (err == nullptr || errLen == 0)
        return;
    const std::size_t n = std::min(message.size(), errLen - 1);
    std::memcpy(err, message.data(), n);
    err[n] = '\0';
}

void setError(char *err, std::size_t errLen, const sentencepiece::util::Status &status)
{
    setError(err, errLen, std::string(status.message()));
}

// Feeds the trainer from our own file reader rather than its "--input=a,b" flag, which splits
// on commas and so cannot name every path a user may have.
class LineIterator : public sentencepiece::SentenceIterator
{
public:
    explicit LineIterator(std::vector<std::string> files) : m_files(std::move(files))
    {
        openNext();
        Next();
    }

    bool done() const override { return m_done; }
    const std::string &value() const override { return m_line; }
    sentencepiece::util::Status status() const override { return m_status; }

    void Next() override
    {
        while (!m_done) {
            if (m_in.is_open() && std::getline(m_in, m_line)) {
                if (!m_line.empty() && m_line.back() == '\r')
                    m_line.pop_back();
                // Blank lines separate dialogues in chat corpora; they are not sentences.
                if (!m_line.empty())
                    return;
                continue;
            }
            if (m_in.is_open() && m_in.bad()) {
                fail(m_files[m_index - 1] + ": read failed");
                return;
            }
            openNext();
        }
    }

private:
    void openNext()
    {
        m_in.close();
        m_in.clear();
        if (m_index >= m_files.size()) {
            m_done = true;
            return;
        }
        const std::string &file = m_files[m_index++];
        m_in.open(file, std::ios::binary);
        if (!m_in)
            fail(file + ": cannot open: " + std::strerror(errno));
    }

    void fail(const std::string &message)
    {
        m_status = sentencepiece::util::Status(sentencepiece::util::StatusCode::kNotFound, message);
        m_done = true;
    }

    std::vector<std::string> m_files;
    std::size_t m_index = 0;
    std::ifstream m_in;
    std::string m_line;
    bool m_done = false;
    sentencepiece::util::Status m_status;
};

} // namespace

extern "C" {

int cb_spm_abi_version(void)
{
    return CB_SPM_ABI_VERSION;
}

cb_spm *cb_spm_load(const char *modelBytes, size_t size, char *err, size_t errLen)
{
    try {
        auto handle = std::make_unique<cb_spm>();
        const auto status
            = handle->processor.LoadFromSerializedProto(absl::string_view(modelBytes, size));
        if (!status.ok()) {
            setError(err, errLen, status);
            return nullptr;
        }
        return handle.release();
    } catch (const std::exception &e) {
        setError(err, errLen, e.what());
    } catch (...) {
        setError(err, errLen, "unknown error");
    }
    return nullptr;
}

void cb_spm_free(cb_spm *handle)
{
    delete handle;
}

int64_t cb_spm_encode(const cb_spm *handle, const char *utf8, size_t len, int32_t *out, size_t cap,
    char *err, size_t errLen)
{
    try {
        std::vector<int> ids;
        const auto status = handle->processor.Encode(absl::string_view(utf8, len), &ids);
        if (!status.ok()) {
            setError(err, errLen, status);
            return -1;
        }
        if (ids.size() <= cap)
            std::copy(ids.begin(), ids.end(), out);
        return static_cast<int64_t>(ids.size());
    } catch (const std::exception &e) {
        setError(err, errLen, e.what());
    } catch (...) {
        setError(err, errLen, "unknown error");
    }
    return -1;
}

int64_t cb_spm_encode_pieces(const cb_spm *handle, const char *utf8, size_t len, char *out,
    size_t cap, char *err, size_t errLen)
{
    try {
        std::vector<std::string> pieces;
        const auto status = handle->processor.Encode(absl::string_view(utf8, len), &pieces);
        if (!status.ok()) {
            setError(err, errLen, status);
            return -1;
        }
        std::size_t needed = 0;
        for (const auto &piece : pieces)
            needed += piece.size() + 1;
        if (needed <= cap) {
            for (const auto &piece : pieces) {
                std::memcpy(out, piece.data(), piece.size());
                out += piece.size();
                *out++ = '\0';
            }
        }
        return static_cast<int64_t>(needed);
    } catch (const std::exception &e) {
        setError(err, errLen, e.what());
    } catch (...) {
        setError(err, errLen, "unknown error");
    }
    return -1;
}

int64_t cb_spm_decode(const cb_spm *handle, const int32_t *ids, size_t count, char *out, size_t cap,
    char *err, size_t errLen)
{
    try {
        const int size = handle->processor.GetPieceSize();
        std::vector<int> v(ids, ids + count);
        for (int id : v) {
            // SentencePiece does not range-check ids on every code path.
            if (id < 0 || id >= size) {
                setError(err, errLen,
                    "id " + std::to_string(id) + " outside [0, " + std::to_string(size) + ")");
                return -1;
            }
        }
        std::string text;
        const auto status = handle->processor.Decode(v, &text);
        if (!status.ok()) {
            setError(err, errLen, status);
            return -1;
        }
        if (text.size() <= cap)
            std::memcpy(out, text.data(), text.size());
        return static_cast<int64_t>(text.size());
    } catch (const std::exception &e) {
        setError(err, errLen, e.what());
    } catch (...) {
        setError(err, errLen, "unknown error");
    }
    return -1;
}

int32_t cb_spm_piece_to_id(const cb_spm *handle, const char *piece, size_t len)
{
    try {
        const absl::string_view p(piece, len);
        const int id = handle->processor.PieceToId(p);
        // PieceToId answers unk for anything it does not know.
        if (id == handle->processor.unk_id() && handle->processor.IdToPiece(id) != p)
            return -1;
        return id;
    } catch (...) {
        return -1;
    }
}

int64_t cb_spm_id_to_piece(const cb_spm *handle, int32_t id, char *out, size_t cap)
{
    try {
        if (id < 0 || id >= handle->processor.GetPieceSize())
            return -1;
        const std::string &piece = handle->processor.IdToPiece(id);
        if (piece.size() <= cap)
            std::memcpy(out, piece.data(), piece.size());
        return static_cast<int64_t>(piece.size());
    } catch (...) {
        return -1;
    }
}

int32_t cb_spm_vocab_size(const cb_spm *handle)
{
    return handle->processor.GetPieceSize();
}

int cb_spm_is_control(const cb_spm *handle, int32_t id)
{
    if (id < 0 || id >= handle->processor.GetPieceSize())
        return 0;
    return handle->processor.IsControl(id) ? 1 : 0;
}

void cb_spm_special_ids(
    const cb_spm *handle, int32_t *unk, int32_t *bos, int32_t *eos, int32_t *pad)
{
    const auto &p = handle->processor;
    // The ids a model declares are only meaningful when they are inside its vocabulary.
    auto checked = [&](int id) { return id >= 0 && id < p.GetPieceSize() ? id : -1; };
    *unk = checked(p.unk_id());
    *bos = checked(p.bos_id());
    *eos = checked(p.eos_id());
    *pad = checked(p.pad_id());
}

int cb_spm_train(const char *const *keys, const char *const *values, size_t optionCount,
    const char *const *inputFiles, size_t fileCount, cb_spm_sink sink, void *sinkContext, char *err,
    size_t errLen)
{
    try {
        std::unordered_map<std::string, std::string> options;
        for (size_t i = 0; i < optionCount; ++i)
            options[keys[i]] = values[i];
        std::vector<std::string> files(inputFiles, inputFiles + fileCount);
        LineIterator lines(std::move(files));
        std::string model;
        const auto status = sentencepiece::SentencePieceTrainer::Train(options, &lines, &model);
        if (!status.ok()) {
            setError(err, errLen, status);
            return -1;
        }
        sink(sinkContext, model.data(), model.size());
        return 0;
    } catch (const std::exception &e) {
        setError(err, errLen, e.what());
    } catch (...) {
        setError(err, errLen, "unknown error");
    }
    return -1;
}

} // extern "C"
