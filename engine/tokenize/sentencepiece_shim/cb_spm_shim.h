/* The C ABI of libchatbench_spm_shim, the only code in ChatBench that touches libsentencepiece.
 *
 * Why a separate library with a C ABI: Debian's libsentencepiece exports the symbols of the
 * protobuf-lite 3.14 it embeds, libtorch loads the system libprotobuf 3.21, and in one link
 * namespace the two interpose and crash at start-up. The engine therefore loads this library with
 * dlmopen(LM_ID_NEWLM), which gives it (and its libsentencepiece, libstdc++ and libc) a link
 * namespace of its own. Objects from one namespace must never be used or freed by the other,
 * so nothing crosses this boundary but plain C types: the caller owns every buffer, the shim
 * owns the opaque handle, and bytes the shim produces are handed out through a callback.
 *
 * Conventions: functions that fill a caller buffer return the size they need (elements or bytes)
 * and write only when it fits, so a caller retries with a bigger buffer; -1 means failure with
 * the reason (NUL-terminated, truncated to fit) in err. No function throws.
 */
#ifndef CHATBENCH_CB_SPM_SHIM_H
#define CHATBENCH_CB_SPM_SHIM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Bumped whenever a signature below changes, so a stale installed shim is refused. */
#define CB_SPM_ABI_VERSION 1

/* The shim is built with hidden visibility; only these functions are exported. */
#define CB_SPM_API __attribute__((visibility("default")))

typedef struct cb_spm cb_spm;

/* Receives bytes produced inside the shim; they are only valid during the call. */
typedef void (*cb_spm_sink)(void *context, const char *data, size_t size);

CB_SPM_API int cb_spm_abi_version(void);

/* A serialized ModelProto (the bytes of a .model file). NULL on failure. */
CB_SPM_API cb_spm *cb_spm_load(const char *model_bytes, size_t size, char *err, size_t err_len);
CB_SPM_API void cb_spm_free(cb_spm *handle);

/* Ids of utf8 without bos/eos. */
CB_SPM_API int64_t cb_spm_encode(const cb_spm *handle, const char *utf8, size_t len, int32_t *out,
    size_t cap, char *err, size_t err_len);
/* Pieces of utf8 (surface text for unknown pieces), each followed by a NUL byte. */
CB_SPM_API int64_t cb_spm_encode_pieces(const cb_spm *handle, const char *utf8, size_t len,
    char *out, size_t cap, char *err, size_t err_len);
/* Text of ids; control ids (bos, eos, pad) decode to nothing. The result is not NUL-terminated. */
CB_SPM_API int64_t cb_spm_decode(const cb_spm *handle, const int32_t *ids, size_t count, char *out,
    size_t cap, char *err, size_t err_len);

/* -1 when the piece is not in the vocabulary (SentencePiece itself would answer unk). */
CB_SPM_API int32_t cb_spm_piece_to_id(const cb_spm *handle, const char *piece, size_t len);
/* Byte length of the piece (not NUL-terminated), -1 for an id out of range. */
CB_SPM_API int64_t cb_spm_id_to_piece(const cb_spm *handle, int32_t id, char *out, size_t cap);
CB_SPM_API int32_t cb_spm_vocab_size(const cb_spm *handle);
/* 1 for control pieces (bos, eos, pad, and others a model declares), 0 otherwise. */
CB_SPM_API int cb_spm_is_control(const cb_spm *handle, int32_t id);
/* -1 for each one the model does not define. */
CB_SPM_API void cb_spm_special_ids(
    const cb_spm *handle, int32_t *unk, int32_t *bos, int32_t *eos, int32_t *pad);

/* Trains a model on the lines of input_files (empty lines skipped). keys/values are
 * SentencePiece trainer flags without the leading "--" (e.g. "vocab_size", "8000"); the
 * serialized model goes to sink, nothing is written to disk. Returns 0 on success, -1 on
 * failure. */
CB_SPM_API int cb_spm_train(const char *const *keys, const char *const *values, size_t option_count,
    const char *const *input_files, size_t file_count, cb_spm_sink sink, void *sink_context,
    char *err, size_t err_len);

#ifdef __cplusplus
}
#endif

#endif
