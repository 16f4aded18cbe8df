// A loaded LLaMA decoder: the mapped GGUF file, its hyper-parameters and its bound weights.
// Immutable after load, so any number of contexts and threads may share it (pxl_model).
#pragma once

#include "core/aligned_buffer.h"
#include "format/gguf_file.h"
#include "model/llama/llama_hparams.h"
#include "model/llama/llama_weights.h"

#include <memory>
#include <string>
#include <vector>

namespace pxl {

class llama_model {
public:
    // Opens, validates and binds; errors name the file and what is wrong with it.
    static std::unique_ptr<llama_model> load(const std::string& path, bool use_mmap);

    const llama_hparams& hparams() const { return hparams_; }
    const llama_weights& weights() const { return weights_; }

private:
    explicit llama_model(std::unique_ptr<gguf_file> file);
    // Regroups every Q8_0 / Q4_0 matrix for the product kernels (cpu/repack.h) and releases the
    // original bytes, so memory stays at the file's size.
    void repack_quantized_matrices();

    std::unique_ptr<gguf_file> file_; // owns the mapping every weight points into
    llama_hparams hparams_;
    llama_weights weights_;
    std::vector<aligned_buffer> packed_; // the repacked matrices weights_ point into
};

} // namespace pxl
