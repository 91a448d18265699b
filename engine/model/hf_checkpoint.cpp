#include "model/hf_checkpoint.h"

#include "chatbench/atomic_file.h"
#include "chatbench/error.h"
#include "io/safetensors.h"

#include <set>
#include <sstream>
#include <torch/serialize.h>

namespace chatbench {
namespace {

const std::string kPrefix = "transformer.";

bool endsWith(const std::string &s, const std::string &suffix)
{
    return s.size() >= suffix.size()
        && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// The causal-mask buffers older transformers saved with a GPT-2 (bool, uint8 or float), in
// the self- and cross-attention, with or without a prefix: not weights, so never read.
bool isLegacyBuffer(const std::string &name)
{
    for (const char *suffix : { ".attn.bias", ".attn.masked_bias", ".crossattention.bias",
             ".crossattention.masked_bias" })
        if (endsWith(name, suffix))
            return true;
    return false;
}

std::string shapeText(at::IntArrayRef shape)
{
    std::ostringstream s;
    s << '[';
    for (std::size_t i = 0; i < shape.size(); ++i)
        s << (i ? ", " : "") << shape[i];
    s << ']';
    return s.str();
}

std::string listNames(const std::vector<std::string> &names)
{
    std::string out;
    const std::size_t shown = std::min<std::size_t>(names.size(), 12);
    for (std::size_t i = 0; i < shown; ++i)
        out += (i ? ", " : "") + names[i];
    if (names.size() > shown)
        out += " and " + std::to_string(names.size() - shown) + " more";
    return out;
}

// One message for every tensor a checkpoint lacks or has in another shape than config.json says.
void throwIfIncomplete(const std::filesystem::path &origin, const std::vector<std::string> &missing,
    const std::vector<std::string> &wrongShape)
{
    if (missing.empty() && wrongShape.empty())
        return;
    std::string what;
    if (!missing.empty())
        what += std::to_string(missing.size()) + " missing tensor(s): " + listNames(missing);
    if (!wrongShape.empty())
        what += std::string(what.empty() ? "" : "; ") + std::to_string(wrongShape.size())
            + " tensor(s) of the wrong shape for config.json: " + listNames(wrongShape);
    throw Error::inFile(origin, what);
}

// Every header entry is validated on open, legacy buffers included; their data is not read.
std::map<std::string, torch::Tensor> readSafetensors(
    const std::filesystem::path &file, CheckpointReport &report)
{
    auto st = SafetensorsFile::open(file);
    std::map<std::string, torch::Tensor> out;
    for (const TensorInfo &info : st.tensors()) {
        if (isLegacyBuffer(info.name)) {
            report.ignored.push_back(info.name);
            continue;
        }
        if (report.storedDtype.empty())
            report.storedDtype = dtypeName(info.dtype);
        auto t = torch::empty(info.shape, torch::kFloat32);
        st.readFloat32(info, t.data_ptr<float>());
        out.emplace(info.name, std::move(t));
    }
    return out;
}

std::map<std::string, torch::Tensor> readPickle(
    const std::filesystem::path &file, CheckpointReport &report)
{
    const std::string bytes = readSmallFile(file);
    torch::IValue value;
    try {
        value = torch::pickle_load(std::vector<char>(bytes.begin(), bytes.end()));
    } catch (const std::exception &e) {
        std::string what = e.what();
        what = what.substr(0, what.find('\n'));
        throw Error::inFile(file,
            "cannot read this PyTorch file (" + what
                + "). Convert it to safetensors in Python: "
                  "AutoModelForCausalLM.from_pretrained(DIR)"
                  ".save_pretrained(DIR, safe_serialization=True)");
    }
    if (!value.isGenericDict())
        throw Error::inFile(
            file, "expected a state dict (a dict of tensors), got " + value.tagKind());
    std::map<std::string, torch::Tensor> out;
    for (const auto &item : value.toGenericDict()) {
        if (!item.key().isString() || !item.value().isTensor())
            throw Error::inFile(file, "expected a state dict of name -> tensor entries");
        const std::string &name = item.key().toStringRef();
        const torch::Tensor tensor = item.value().toTensor();
        if (isLegacyBuffer(name)) {
            report.ignored.push_back(name);
            continue;
        }
        const auto type = tensor.scalar_type();
        if (type != torch::kFloat32 && type != torch::kFloat16 && type != torch::kBFloat16
            && type != torch::kFloat64)
            throw Error::inFile(file,
                "unsupported dtype " + std::string(c10::toString(type)) + " for tensor '" + name
                    + "'; ChatBench reads weights stored as float32, float16, bfloat16 or "
                      "float64");
        out.emplace(name, tensor.to(torch::kFloat32));
    }
    return out;
}

} // namespace

std::map<std::string, torch::Tensor> readStateDict(
    const std::filesystem::path &weightsFile, CheckpointReport &report)
{
    if (weightsFile.extension() == ".safetensors")
        return readSafetensors(weightsFile, report);
    report.storedDtype = "pickle";
    return readPickle(weightsFile, report);
}

std::filesystem::path findWeightsFile(const std::filesystem::path &dir)
{
    if (!std::filesystem::is_directory(dir))
        throw Error::inFile(dir,
            "not a folder (expected a Hugging Face checkpoint folder with "
            "config.json and model.safetensors)");
    for (const char *name : { "model.safetensors", "pytorch_model.bin" })
        if (std::filesystem::exists(dir / name))
            return dir / name;
    if (std::filesystem::exists(dir / "model.safetensors.index.json"))
        throw Error::inFile(dir,
            "sharded checkpoints (model.safetensors.index.json) are not "
            "supported yet; save the model unsharded");
    throw Error::inFile(dir, "no model weights: expected model.safetensors or pytorch_model.bin");
}

void loadStateDict(Gpt2LMHeadModelImpl &model, const std::map<std::string, torch::Tensor> &tensors,
    const std::filesystem::path &origin, CheckpointReport *report)
{
    CheckpointReport local;
    CheckpointReport &r = report ? *report : local;
    auto params = model.named_parameters(/*recurse=*/true);
    std::set<std::string> loaded;
    std::vector<std::string> wrongShape;
    torch::Tensor lmHead;
    torch::NoGradGuard noGrad;
    for (const auto &[storedName, tensor] : tensors) {
        if (storedName == "lm_head.weight") {
            r.lmHeadStored = true;
            lmHead = tensor;
            continue;
        }
        std::string name = storedName;
        if (name.compare(0, kPrefix.size(), kPrefix) == 0)
            r.namePrefixed = true;
        else
            name = kPrefix + name;
        torch::Tensor *param = params.find(name);
        if (!param) {
            r.unexpected.push_back(storedName);
            continue;
        }
        if (param->sizes() != tensor.sizes()) {
            wrongShape.push_back(storedName + " is " + shapeText(tensor.sizes()) + ", expected "
                + shapeText(param->sizes()));
            continue;
        }
        param->copy_(tensor);
        loaded.insert(name);
    }
    std::vector<std::string> missing;
    for (const auto &item : params)
        if (!loaded.count(item.key()))
            missing.push_back(item.key());
    throwIfIncomplete(origin, missing, wrongShape);
    if (lmHead.defined()) {
        const auto &wte = model.transformer->wte->weight;
        if (lmHead.sizes() != wte.sizes() || !torch::allclose(lmHead, wte))
            r.warnings.push_back("lm_head.weight differs from transformer.wte.weight; ChatBench "
                                 "ties the output layer to the embeddings as GPT2LMHeadModel does");
    }
    if (!r.unexpected.empty())
        r.warnings.push_back(std::to_string(r.unexpected.size())
            + " tensor(s) not used by GPT-2: " + listNames(r.unexpected));
}

void copyNamedTensors(torch::nn::Module &module,
    const std::map<std::string, torch::Tensor> &tensors, const std::filesystem::path &origin,
    std::vector<std::string> *unexpected)
{
    auto params = module.named_parameters(/*recurse=*/true);
    std::set<std::string> loaded;
    std::vector<std::string> missing, wrongShape;
    torch::NoGradGuard noGrad;
    for (const auto &[name, tensor] : tensors) {
        torch::Tensor *param = params.find(name);
        if (!param) {
            unexpected->push_back(name);
        } else if (param->sizes() != tensor.sizes()) {
            wrongShape.push_back(name + " is " + shapeText(tensor.sizes()) + ", expected "
                + shapeText(param->sizes()));
        } else {
            param->copy_(tensor);
            loaded.insert(name);
        }
    }
    for (const auto &item : params)
        if (!loaded.count(item.key()) && tensors.find(item.key()) == tensors.end())
            missing.push_back(item.key());
    throwIfIncomplete(origin, missing, wrongShape);
}

Gpt2LMHeadModel loadGpt2Checkpoint(const std::filesystem::path &dir, CheckpointReport *report)
{
    const auto weightsFile = findWeightsFile(dir);
    const auto configFile = dir / "config.json";
    if (!std::filesystem::exists(configFile))
        throw Error::inFile(configFile, "missing (a checkpoint folder needs config.json)");
    const Gpt2Config config = Gpt2Config::fromJsonFile(configFile);
    Gpt2LMHeadModel model(config);
    CheckpointReport local;
    CheckpointReport &r = report ? *report : local;
    r.weightsFile = weightsFile;
    const auto tensors = readStateDict(weightsFile, r);
    loadStateDict(*model, tensors, weightsFile, &r);
    model->eval();
    return model;
}

void writeModelWeights(torch::nn::Module &model, const std::filesystem::path &dir)
{
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec)
        throw Error::inFile(dir, "cannot create folder: " + ec.message());
    std::vector<torch::Tensor> keepAlive;
    std::vector<TensorToWrite> out;
    for (const auto &item : model.named_parameters()) {
        // A CPU copy: the model may live on a GPU.
        auto t = item.value().detach().to(torch::kCPU, torch::kFloat32).contiguous();
        keepAlive.push_back(t);
        out.push_back({ item.key(), t.sizes().vec(), t.data_ptr<float>(), DType::F32 });
    }
    writeSafetensors(dir / "model.safetensors", out, { { "format", "pt" } });
}

void saveGpt2Checkpoint(Gpt2LMHeadModelImpl &model, const std::filesystem::path &dir)
{
    writeModelWeights(model, dir);
    writeFileAtomically(dir / "config.json", model.config().toJsonText());
}

} // namespace chatbench
