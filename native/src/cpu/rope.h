// Rotary position embedding in llama.cpp's NORM convention, the one GGUF `llama` files are written
// for (their q/k weights are permuted from HF's rotate-half layout so adjacent pairs rotate).
#pragma once

#include "core/thread_pool.h"

#include <cstdint>

namespace pxl::cpu {

// In place over x [n_rows][n_head][head_size]: each head's pairs (x[2i], x[2i+1]) rotate by the
// angle pos[row] * base^(-2i / head_size), i < head_size / 2. head_size is even and at most 256;
// positions may be any values (not only 0..n_rows-1).
//
// Rounding, as HF's LlamaRotaryEmbedding in f32: inv_freq_i is base^(-2i/d) computed in f64 and
// rounded once to f32 (HF's f32 pow and divide may differ from it by an ulp), the angle is the f32
// product pos * inv_freq_i, and cos / sin are the f32 functions of that angle. The table of one
// row's cos / sin is computed per row per call on the stack (head_size / 2 pairs, shared by all
// heads): no state to invalidate, no allocation, and its cost is a few percent of rotating the
// row's heads. Rows split over `pool` (up to 4 rows run on the calling thread, cheaper than waking
// it); results do not depend on the thread count.
void rope_norm(thread_pool& pool, float* x, int64_t n_rows, int n_head, int head_size, const int32_t* pos,
               float base = 10000.0f);

} // namespace pxl::cpu
