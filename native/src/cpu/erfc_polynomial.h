// The erfc approximation of the SIMD GELU kernels (row_kernels::gelu_erf), for u >= 0:
//   erfc(u) = t * e^(-u^2 + P(t)),  t = 1 / (1 + u / 2),
// the Chebyshev-style form of Numerical Recipes' erfcc (Press et al., 6.2). t maps [0, inf) onto
// (0, 1], where log(erfc(u) / t) + u^2 is smooth; P is our own degree-11 least-squares fit of it
// on Chebyshev nodes of [0, 1] (f64, against the f64 erfc and its asymptotic series beyond u = 26),
// good to 1.1e-8 in the exponent, i.e. 1.1e-8 relative in erfc: the f32 evaluation dominates.
// Plain data: included by the AVX2 and AVX-512 translation units alike.
#pragma once

namespace pxl::cpu {

// P's coefficients, lowest degree first (Horner runs from the back).
inline constexpr float k_erfc_polynomial[] = {
    -1.2655121242766179f, 0.9999999272323015f,  0.37502019555799543f, 0.08259250828897054f,
    -0.0747348458873516f, -0.23370481184582648f, 0.33553137941077965f, -1.225408993160001f,
    2.39871478803078f,    -2.205093735427934f,  0.9913519402824247f,  -0.17875623866798254f,
};

} // namespace pxl::cpu
