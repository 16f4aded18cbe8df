// A tiny LLaMA GGUF for native model tests, described as data so each test can break one thing.
#pragma once

#include "core/tensor_type.h"
#include "cpu/convert.h"
#include "format/gguf_bytes.h"
#include "format/gguf_file.h"
#include "format/gguf_writer.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace pxl::test {
using ::pxl_test::scratch_dir;

// A tiny LLaMA: D = 64, 4 heads of 16 (2 kv heads), 2 layers, FFN 96, 40 tokens. Tests edit the
// description before it is written.
struct tiny_llama {
    std::map<std::string, gguf_value> metadata;
    struct tensor {
        int32_t type;
        std::vector<int64_t> dims;
    };
    std::map<std::string, tensor> tensors;

    tiny_llama() {
        metadata.emplace("general.architecture", gguf_value::string("llama"));
        metadata.emplace("llama.embedding_length", gguf_value::u32(64));
        metadata.emplace("llama.block_count", gguf_value::u32(2));
        metadata.emplace("llama.attention.head_count", gguf_value::u32(4));
        metadata.emplace("llama.attention.head_count_kv", gguf_value::u32(2));
        metadata.emplace("llama.feed_forward_length", gguf_value::u32(96));
        metadata.emplace("llama.context_length", gguf_value::u32(128));
        metadata.emplace("llama.rope.dimension_count", gguf_value::u32(16));
        metadata.emplace("llama.attention.layer_norm_rms_epsilon", gguf_value::f32(1e-5f));
        std::vector<std::string> words(40);
        std::vector<const char*> pointers;
        std::vector<uint64_t> lengths;
        for (size_t i = 0; i < words.size(); ++i) {
            words[i] = "t" + std::to_string(i);
            pointers.push_back(words[i].c_str());
            lengths.push_back(words[i].size());
        }
        metadata.emplace("tokenizer.ggml.tokens", gguf_value::string_array(pointers.data(), lengths.data(), 40));

        tensors["token_embd.weight"] = {PXL_TENSOR_TYPE_Q8_0, {64, 40}};
        for (int i = 0; i < 2; ++i) {
            const std::string p = "blk." + std::to_string(i) + ".";
            tensors[p + "attn_norm.weight"] = {PXL_TENSOR_TYPE_F32, {64}};
            tensors[p + "attn_q.weight"] = {PXL_TENSOR_TYPE_Q4_0, {64, 64}};
            tensors[p + "attn_k.weight"] = {PXL_TENSOR_TYPE_Q4_0, {64, 32}};
            tensors[p + "attn_v.weight"] = {PXL_TENSOR_TYPE_Q8_0, {64, 32}};
            tensors[p + "attn_output.weight"] = {PXL_TENSOR_TYPE_F16, {64, 64}};
            tensors[p + "ffn_norm.weight"] = {PXL_TENSOR_TYPE_F32, {64}};
            tensors[p + "ffn_gate.weight"] = {PXL_TENSOR_TYPE_BF16, {64, 96}};
            tensors[p + "ffn_up.weight"] = {PXL_TENSOR_TYPE_BF16, {64, 96}};
            tensors[p + "ffn_down.weight"] = {PXL_TENSOR_TYPE_F32, {96, 64}};
        }
        tensors["output_norm.weight"] = {PXL_TENSOR_TYPE_F32, {64}};
        tensors["output.weight"] = {PXL_TENSOR_TYPE_Q8_0, {64, 40}};
    }

    // Writes the file into `dir`: zero-filled tensors, or with `seed` != 0 deterministic random
    // weights (norms near 1, matrices uniform in +-0.25) so the forward pass computes something.
    std::string write(const scratch_dir& dir, const std::string& name = "llama.gguf", uint32_t seed = 0) const {
        const std::string path = dir.file(name);
        gguf_writer writer;
        for (const auto& [key, value] : metadata) writer.set(key, value);
        for (const auto& [name, t] : tensors)
            writer.add_tensor(name, t.type, t.dims.data(), static_cast<int32_t>(t.dims.size()));
        writer.begin(path);
        uint32_t state = seed;
        for (const auto& [tensor_name, t] : tensors) {
            uint64_t count = 1;
            for (int64_t d : t.dims) count *= static_cast<uint64_t>(d);
            std::vector<float> values(count, 0.0f);
            const bool is_norm = t.dims.size() == 1;
            if (seed != 0)
                for (float& value : values) {
                    state = state * 1664525u + 1013904223u;
                    const float uniform = static_cast<float>(state >> 8) / 16777216.0f - 0.5f; // [-0.5, 0.5)
                    value = is_norm ? 1.0f + 0.2f * uniform : 0.5f * uniform;
                }
            if (cpu::is_convertible(t.type)) {
                writer.write_tensor_f32(values.data(), count);
            } else { // a type the engine cannot compute with: zero bytes, for the refusal tests
                uint64_t bytes = 0;
                tensor_bytes(*find_tensor_type(t.type), count, &bytes);
                writer.write_tensor(std::vector<uint8_t>(bytes, 0).data(), bytes);
            }
        }
        writer.finish();
        return path;
    }

    // Writes the file (zero-filled tensors) into `dir` and parses it.
    std::unique_ptr<gguf_file> open(const scratch_dir& dir, const std::string& name = "llama.gguf") const {
        return std::make_unique<gguf_file>(file_mapping::map_file(write(dir, name)), gguf_open_options{});
    }
};

} // namespace pxl::test
