// SHA-256 block compression with the x86 SHA extensions (sha256rnds2 / sha256msg1 / sha256msg2).
// Compiled with -msha -msse4.1; called only where the CPU has them (sha256_blocks_best()).
// Dispatched by CPUID rather than through the kernel table: the SHA extensions do not follow the
// AVX2 / AVX-512 levels (many AVX2 CPUs lack them, some CPUs without AVX-512 have them).
#include "cpu/sha256_blocks.h"

#if defined(__x86_64__) || defined(_M_X64)

#include <immintrin.h>

namespace pxl {

namespace {

void blocks_sha_extensions(uint32_t state[8], const uint8_t* data, size_t count) {
    // Message words are big-endian; the instructions keep the state as (A,B,E,F) and (C,D,G,H).
    const __m128i byte_swap = _mm_set_epi64x(0x0c0d0e0f08090a0bLL, 0x0405060700010203LL);
    const __m128i dcba = _mm_loadu_si128(reinterpret_cast<const __m128i*>(state));
    const __m128i hgfe = _mm_loadu_si128(reinterpret_cast<const __m128i*>(state + 4));
    const __m128i cdab = _mm_shuffle_epi32(dcba, 0xb1);
    const __m128i efgh = _mm_shuffle_epi32(hgfe, 0x1b);
    __m128i abef = _mm_alignr_epi8(cdab, efgh, 8);
    __m128i cdgh = _mm_blend_epi16(efgh, cdab, 0xf0);

    for (size_t block = 0; block < count; ++block, data += 64) {
        const __m128i abef_start = abef, cdgh_start = cdgh;
        __m128i w[4];  // message schedule, four words per group of four rounds; w[g % 4] is group g's
        for (int g = 0; g < 4; ++g)
            w[g] = _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(data + 16 * g)), byte_swap);
        for (int g = 0; g < 16; ++g) {
            if (g >= 4) {
                // W[t] = σ1(W[t-2]) + W[t-7] + σ0(W[t-15]) + W[t-16] for t = 4g..4g+3:
                // msg1 adds the σ0 terms, alignr supplies W[t-7], msg2 adds the σ1 terms.
                __m128i x = _mm_sha256msg1_epu32(w[g % 4], w[(g + 1) % 4]);
                x = _mm_add_epi32(x, _mm_alignr_epi8(w[(g + 3) % 4], w[(g + 2) % 4], 4));
                w[g % 4] = _mm_sha256msg2_epu32(x, w[(g + 3) % 4]);
            }
            __m128i wk = _mm_add_epi32(w[g % 4], _mm_load_si128(reinterpret_cast<const __m128i*>(k_sha256_round + 4 * g)));
            cdgh = _mm_sha256rnds2_epu32(cdgh, abef, wk);  // two rounds with the low two words
            wk = _mm_shuffle_epi32(wk, 0x0e);
            abef = _mm_sha256rnds2_epu32(abef, cdgh, wk);  // two rounds with the high two
        }
        abef = _mm_add_epi32(abef, abef_start);
        cdgh = _mm_add_epi32(cdgh, cdgh_start);
    }

    const __m128i feba = _mm_shuffle_epi32(abef, 0x1b);
    const __m128i dchg = _mm_shuffle_epi32(cdgh, 0xb1);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(state), _mm_blend_epi16(feba, dchg, 0xf0));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(state + 4), _mm_alignr_epi8(dchg, feba, 8));
}

} // namespace

const sha256_blocks_fn sha256_blocks_sha_extensions = blocks_sha_extensions;

} // namespace pxl

#else

namespace pxl {
const sha256_blocks_fn sha256_blocks_sha_extensions = nullptr;
} // namespace pxl

#endif
