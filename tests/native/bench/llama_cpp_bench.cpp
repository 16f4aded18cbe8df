// The rival's side of `pixellm bench llm`: llama.cpp's CPU library (npm @node-llama-cpp/linux-x64,
// fetched by build.sh) run on the same GGUF file with the same thread count and the same workloads,
// plus this machine's streaming-read bandwidth, so tools/bench_llm.py can put everything in one
// table as ratios. Prints one JSON object per line with the keys of `pixellm bench --json`.
//
//   llama_cpp_bench bandwidth [--threads N] [--mb 1024] [--runs 5]
//   llama_cpp_bench llm --model LLM.gguf [--threads N] [--pp 512] [--tg 128] [--runs 5]
//                       [--sequences 1,4,16] [--batch-steps 32] [--prompt 16]
//
// The workloads mirror the engine's: pp = one batch of N tokens into an empty cache; tg = single-token
// decodes after a short (untimed) prompt; batched = S sequences, one token each per decode call. One
// warm-up run, then the median of --runs. Token ids: the same xorshift32 stream as the engine's.
#include <dlfcn.h>
#include <immintrin.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#ifndef PIXELLM_LLAMA_CPP_DIR
#define PIXELLM_LLAMA_CPP_DIR ""
#endif

namespace {

using clock_type = std::chrono::steady_clock;

double ms_since(clock_type::time_point start) {
    return std::chrono::duration<double, std::milli>(clock_type::now() - start).count();
}

double median(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    const size_t n = values.size();
    return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

double peak_rss_mb() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("VmHWM:", 0) == 0) return std::strtod(line.c_str() + 6, nullptr) / 1024.0;
    }
    return 0;
}

[[noreturn]] void die(const std::string& message) {
    std::fprintf(stderr, "llama_cpp_bench: error: %s\n", message.c_str());
    std::exit(1);
}

// ---- bandwidth ----------------------------------------------------------------------------------

// Sums a range with 256-bit loads and four independent accumulators: enough outstanding loads per
// core to reach the memory limit, no stores to halve it. The sum is returned so nothing is elided.
__attribute__((target("avx2"))) uint64_t stream_read(const uint8_t* data, size_t bytes) {
    __m256i a0 = _mm256_setzero_si256(), a1 = a0, a2 = a0, a3 = a0;
    for (size_t i = 0; i + 128 <= bytes; i += 128) {
        a0 = _mm256_add_epi64(a0, _mm256_load_si256(reinterpret_cast<const __m256i*>(data + i)));
        a1 = _mm256_add_epi64(a1, _mm256_load_si256(reinterpret_cast<const __m256i*>(data + i + 32)));
        a2 = _mm256_add_epi64(a2, _mm256_load_si256(reinterpret_cast<const __m256i*>(data + i + 64)));
        a3 = _mm256_add_epi64(a3, _mm256_load_si256(reinterpret_cast<const __m256i*>(data + i + 96)));
    }
    const __m256i s = _mm256_add_epi64(_mm256_add_epi64(a0, a1), _mm256_add_epi64(a2, a3));
    alignas(32) uint64_t lanes[4];
    _mm256_store_si256(reinterpret_cast<__m256i*>(lanes), s);
    return lanes[0] + lanes[1] + lanes[2] + lanes[3];
}

// Each thread reads its own contiguous slice of a buffer far larger than the last-level cache; a run's
// time is from the common start to the last thread's end.
int run_bandwidth(int threads, size_t mb, int runs) {
    const size_t bytes = mb << 20;
    auto* data = static_cast<uint8_t*>(std::aligned_alloc(4096, bytes));
    if (data == nullptr) die("cannot allocate the bandwidth buffer");
    for (size_t i = 0; i < bytes; i += 64) data[i] = static_cast<uint8_t>(i);  // fault every page in
    std::memset(data, 1, bytes);
    const size_t slice = bytes / static_cast<size_t>(threads) / 128 * 128;
    std::vector<double> times;
    std::atomic<uint64_t> sink{0};
    for (int run = 0; run <= runs; ++run) {  // run 0 is the warm-up
        std::atomic<int> ready{0};
        std::atomic<bool> go{false};
        std::vector<std::thread> workers;
        for (int t = 0; t < threads; ++t) {
            workers.emplace_back([&, t] {
                ready.fetch_add(1);
                while (!go.load(std::memory_order_acquire)) {}
                sink.fetch_add(stream_read(data + static_cast<size_t>(t) * slice, slice));
            });
        }
        while (ready.load() < threads) {}
        const auto start = clock_type::now();
        go.store(true, std::memory_order_release);
        for (auto& w : workers) w.join();
        if (run > 0) times.push_back(ms_since(start));
    }
    const double ms = median(times);
    const double read = static_cast<double>(slice) * threads;
    std::printf("{\"stage\":\"memory-read\",\"shape\":\"%zuMiB\",\"threads\":%d,\"median_ms\":%.4f,\"runs\":%d,"
                "\"bytes\":%.0f,\"gb_per_s\":%.3f,\"checksum\":%llu}\n",
                mb, threads, ms, runs, read, read / (ms * 1e6), static_cast<unsigned long long>(sink.load() & 1));
    std::free(data);
    return 0;
}

// ---- llama.cpp ----------------------------------------------------------------------------------

// llama.h passes llama_model_params and llama_context_params by value and their layouts change between
// releases, so they travel as oversized opaque buffers (valid on x86-64 System V: a struct over 16 bytes
// goes by hidden pointer / stack copy), as in tests/native/interop. Only the context's leading fields,
// stable for years, are written; run() checks the library's defaults where it expects them first.
struct opaque_struct {
    alignas(16) unsigned char bytes[1024];
};

// The leading fields of llama_context_params: n_ctx, n_batch, n_ubatch, n_seq_max, stable for years.
// n_threads and n_threads_batch follow, but releases insert fields before them (n_rs_seq,
// n_outputs_max, ...), so they are found by their defaults instead (thread_offset).
struct context_head {
    uint32_t n_ctx, n_batch, n_ubatch, n_seq_max;
};

// GGML_DEFAULT_N_THREADS: the default of both n_threads and n_threads_batch.
constexpr int32_t k_default_threads = 4;

// The offset of n_threads: the first pair of adjacent int32 fields after n_seq_max that both hold the
// default thread count. Writing the wrong field would silently leave llama.cpp on 4 threads, which on
// a 2-core machine oversubscribes it and makes the rival look far slower than it is.
size_t thread_offset(const opaque_struct& defaults) {
    for (size_t offset = sizeof(context_head); offset + 8 <= 96; offset += 4) {
        int32_t pair[2];
        std::memcpy(pair, defaults.bytes + offset, sizeof pair);
        if (pair[0] == k_default_threads && pair[1] == k_default_threads) return offset;
    }
    die("cannot find n_threads in llama_context_params (no pair of default thread counts)");
}

// llama_batch, mirrored exactly (its layout has not changed since the C API took it by value).
struct llama_batch_view {
    int32_t n_tokens;
    int32_t* token;
    float* embd;
    int32_t* pos;
    int32_t* n_seq_id;
    int32_t** seq_id;
    int8_t* logits;
};

struct llama_api {
    void (*backend_load_all_from_path)(const char*) = nullptr;
    void (*backend_init)() = nullptr;
    void (*log_set)(void (*)(int, const char*, void*), void*) = nullptr;
    opaque_struct (*model_default_params)() = nullptr;
    void* (*model_load_from_file)(const char*, opaque_struct) = nullptr;
    void (*model_free)(void*) = nullptr;
    const void* (*model_get_vocab)(const void*) = nullptr;
    int32_t (*vocab_n_tokens)(const void*) = nullptr;
    opaque_struct (*context_default_params)() = nullptr;
    void* (*init_from_model)(void*, opaque_struct) = nullptr;
    void (*free_context)(void*) = nullptr;
    opaque_struct (*batch_get_one)(int32_t*, int32_t) = nullptr;
    llama_batch_view (*batch_init)(int32_t, int32_t, int32_t) = nullptr;
    void (*batch_free)(llama_batch_view) = nullptr;
    int32_t (*decode)(void*, opaque_struct) = nullptr;
    int32_t (*decode_view)(void*, llama_batch_view) = nullptr;
    void* (*get_memory)(void*) = nullptr;
    void (*memory_clear)(void*, bool) = nullptr;

    template <class F>
    void bind(void* handle, F& function, const char* name) {
        function = reinterpret_cast<F>(dlsym(handle, name));
        if (function == nullptr) die(std::string("llama.cpp symbol missing: ") + name);
    }

    llama_api() {
        const std::string dir = PIXELLM_LLAMA_CPP_DIR;
        void* ggml = dlopen((dir + "/libggml.v0.5.0.so").c_str(), RTLD_NOW | RTLD_LOCAL);
        void* llama = dlopen((dir + "/libllama.v0.5.0.so").c_str(), RTLD_NOW | RTLD_LOCAL);
        if (ggml == nullptr || llama == nullptr)
            die("cannot load llama.cpp from " + dir + " (build.sh fetches it from npm @node-llama-cpp/linux-x64)");
        bind(ggml, backend_load_all_from_path, "ggml_backend_load_all_from_path");
        bind(llama, backend_init, "llama_backend_init");
        bind(llama, log_set, "llama_log_set");
        bind(llama, model_default_params, "llama_model_default_params");
        bind(llama, model_load_from_file, "llama_model_load_from_file");
        bind(llama, model_free, "llama_model_free");
        bind(llama, model_get_vocab, "llama_model_get_vocab");
        bind(llama, vocab_n_tokens, "llama_vocab_n_tokens");
        bind(llama, context_default_params, "llama_context_default_params");
        bind(llama, init_from_model, "llama_init_from_model");
        bind(llama, free_context, "llama_free");
        bind(llama, batch_get_one, "llama_batch_get_one");
        bind(llama, batch_init, "llama_batch_init");
        bind(llama, batch_free, "llama_batch_free");
        bind(llama, decode, "llama_decode");
        bind(llama, decode_view, "llama_decode");
        bind(llama, get_memory, "llama_get_memory");
        bind(llama, memory_clear, "llama_memory_clear");
        backend_load_all_from_path(dir.c_str());  // the CPU backend is a plugin, one per CPU generation
        log_set([](int, const char*, void*) {}, nullptr);
        backend_init();
    }
};

// The engine's token stream (src/PixelLM.Cli/Bench/BenchTokens.cs): xorshift32, ids in [3, vocab).
struct token_stream {
    uint32_t state = 12345;
    int32_t vocab;
    int32_t next() {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        return 3 + static_cast<int32_t>(state % static_cast<uint32_t>(vocab - 3));
    }
};

struct llm_options {
    std::string model;
    int threads = 2, pp = 512, tg = 128, runs = 5, prompt = 16, batch_steps = 32;
    std::vector<int> sequences{1, 4, 16};
};

struct bench_context {
    const llama_api& api;
    void* model;
    void* context = nullptr;

    bench_context(const llama_api& a, void* m, const llm_options& o, uint32_t n_ctx, uint32_t n_seq, uint32_t n_batch)
        : api(a), model(m) {
        opaque_struct params = api.context_default_params();
        context_head head;
        std::memcpy(&head, params.bytes, sizeof head);
        // llama.cpp's documented defaults: a different layout would not show these.
        if (head.n_seq_max != 1 || head.n_ubatch != 512 || head.n_ctx > 1u << 20)
            die("llama_context_params does not start as expected (n_ctx, n_batch, n_ubatch, n_seq_max, ...)");
        head.n_ctx = n_ctx;
        head.n_batch = n_batch;
        head.n_ubatch = std::min<uint32_t>(n_batch, 512);  // llama.cpp's default micro-batch, as llama-bench
        head.n_seq_max = n_seq;
        std::memcpy(params.bytes, &head, sizeof head);
        const int32_t threads[2] = {o.threads, o.threads};
        std::memcpy(params.bytes + thread_offset(params), threads, sizeof threads);
        context = api.init_from_model(model, params);
        if (context == nullptr) die("llama.cpp could not create a context");
    }
    ~bench_context() { api.free_context(context); }

    void clear() { api.memory_clear(api.get_memory(context), true); }

    void decode_tokens(std::vector<int32_t>& tokens) {
        if (api.decode(context, api.batch_get_one(tokens.data(), static_cast<int32_t>(tokens.size()))) != 0)
            die("llama_decode failed");
    }
};

// "pp" + 512 -> "pp512" (snprintf: GCC 12 warns falsely, -Wrestrict, on const char* + std::string).
std::string shape_name(const char* prefix, int count) {
    char text[64];
    std::snprintf(text, sizeof text, "%s%d", prefix, count);
    return text;
}

double median_run(int runs, const std::function<double()>& run) {
    run();
    std::vector<double> times;
    for (int i = 0; i < runs; ++i) times.push_back(run());
    return median(times);
}

void print_result(const char* stage, const std::string& shape, const llm_options& o, double ms, int tokens,
                  int sequences) {
    std::printf("{\"stage\":\"%s\",\"shape\":\"%s\",\"threads\":%d,\"median_ms\":%.4f,\"runs\":%d,\"tokens\":%d,"
                "\"tokens_per_s\":%.4f,\"peak_rss_mb\":%.4f",
                stage, shape.c_str(), o.threads, ms, o.runs, tokens, tokens * 1000.0 / ms, peak_rss_mb());
    if (sequences > 0) std::printf(",\"sequences\":%d", sequences);
    std::printf("}\n");
    std::fflush(stdout);
}

int run_llm(const llm_options& o) {
    const llama_api api;
    void* model = api.model_load_from_file(o.model.c_str(), api.model_default_params());  // mmap by default
    if (model == nullptr) die("llama.cpp could not load " + o.model);
    token_stream stream{12345, api.vocab_n_tokens(api.model_get_vocab(model))};

    if (o.pp > 0 || o.tg > 0) {
        const int n_ctx = std::max(o.pp, o.prompt + o.tg);
        bench_context ctx(api, model, o, static_cast<uint32_t>(n_ctx), 1, static_cast<uint32_t>(std::max(o.pp, 512)));
        if (o.pp > 0) {
            const double ms = median_run(o.runs, [&] {
                ctx.clear();
                std::vector<int32_t> tokens(static_cast<size_t>(o.pp));
                for (auto& t : tokens) t = stream.next();
                const auto start = clock_type::now();
                ctx.decode_tokens(tokens);
                return ms_since(start);
            });
            print_result("llm-prefill", shape_name("pp", o.pp), o, ms, o.pp, 0);
        }
        if (o.tg > 0) {
            const double ms = median_run(o.runs, [&] {
                ctx.clear();
                std::vector<int32_t> prompt(static_cast<size_t>(o.prompt));
                for (auto& t : prompt) t = stream.next();
                ctx.decode_tokens(prompt);
                const auto start = clock_type::now();
                for (int i = 0; i < o.tg; ++i) {
                    std::vector<int32_t> one{stream.next()};
                    ctx.decode_tokens(one);
                }
                return ms_since(start);
            });
            print_result("llm-decode", shape_name("tg", o.tg), o, ms, o.tg, 0);
        }
    }

    for (const int n_seq : o.sequences) {
        const int per_seq = o.prompt + o.batch_steps;
        bench_context ctx(api, model, o, static_cast<uint32_t>(n_seq * per_seq), static_cast<uint32_t>(n_seq),
                          static_cast<uint32_t>(std::max(512, n_seq * o.prompt)));
        llama_batch_view batch = api.batch_init(std::max(n_seq * o.prompt, n_seq), 0, 1);
        auto add = [&](int32_t token, int32_t seq, int32_t pos, bool output) {
            const int i = batch.n_tokens++;
            batch.token[i] = token;
            batch.pos[i] = pos;
            batch.n_seq_id[i] = 1;
            batch.seq_id[i][0] = seq;
            batch.logits[i] = output ? 1 : 0;
        };
        const double ms = median_run(o.runs, [&] {
            ctx.clear();
            batch.n_tokens = 0;
            for (int s = 0; s < n_seq; ++s) {
                for (int p = 0; p < o.prompt; ++p) add(stream.next(), s, p, p == o.prompt - 1);
            }
            if (api.decode_view(ctx.context, batch) != 0) die("llama_decode (batched prompt) failed");
            const auto start = clock_type::now();
            for (int step = 0; step < o.batch_steps; ++step) {
                batch.n_tokens = 0;
                for (int s = 0; s < n_seq; ++s) add(stream.next(), s, o.prompt + step, true);
                if (api.decode_view(ctx.context, batch) != 0) die("llama_decode (batched step) failed");
            }
            return ms_since(start);
        });
        api.batch_free(batch);
        print_result("llm-batched", shape_name("s", n_seq) + shape_name("xtg", o.batch_steps), o, ms,
                     n_seq * o.batch_steps, n_seq);
    }
    api.model_free(model);
    return 0;
}

std::vector<int> parse_counts(const std::string& text) {
    std::vector<int> counts;
    std::stringstream in(text);
    std::string part;
    while (std::getline(in, part, ',')) {
        if (!part.empty()) counts.push_back(std::atoi(part.c_str()));
    }
    return counts;
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 2) die("usage: llama_cpp_bench bandwidth|llm [options] (see the source's header)");
    const std::string mode = argv[1];
    llm_options o;
    size_t mb = 1024;
    for (int i = 2; i < argc; ++i) {
        const std::string arg = argv[i];
        if (i + 1 >= argc) die("missing value for " + arg);
        const std::string value = argv[++i];
        if (arg == "--model") o.model = value;
        else if (arg == "--threads") o.threads = std::atoi(value.c_str());
        else if (arg == "--pp") o.pp = std::atoi(value.c_str());
        else if (arg == "--tg") o.tg = std::atoi(value.c_str());
        else if (arg == "--runs") o.runs = std::atoi(value.c_str());
        else if (arg == "--prompt") o.prompt = std::atoi(value.c_str());
        else if (arg == "--batch-steps") o.batch_steps = std::atoi(value.c_str());
        else if (arg == "--sequences") o.sequences = parse_counts(value);
        else if (arg == "--mb") mb = static_cast<size_t>(std::atoll(value.c_str()));
        else die("unknown option " + arg);
    }
    if (o.threads < 1 || o.runs < 1 || o.prompt < 1 || o.batch_steps < 1) die("counts must be positive");
    if (mode == "bandwidth") return run_bandwidth(o.threads, mb, o.runs);
    if (mode == "llm") {
        if (o.model.empty()) die("--model is required");
        return run_llm(o);
    }
    die("unknown mode " + mode);
}
