// CPU kernels that libtorch has only in a slow form for the shapes NAS uses, registered as
// `lnas::` operators so that TypeScript calls them through the same dispatcher path as aten's.
//
// lnas::pool3x3 — 3×3 max or average pooling, padding 1, stride 1 or 2: the DARTS and
// NAS-Bench-201 pooling ops. For channels_last float32 on the CPU below 64 channels, with no
// gradient wanted, it runs a direct kernel: aten's channels_last max_pool2d always computes the
// argmax indices, and at 8 channels (32², batch 32, 2 threads) its pools take 6.6× (max) and
// 11× (avg) this kernel's time (scripts/bench/pool3x3.mjs). Every other case (a gradient is needed, another layout, dtype or device) calls aten's own
// max_pool2d / avg_pool2d, so the operator is registered above autograd
// (CompositeImplicitAutograd) and its gradient is aten's.
//
// Max equals aten's exactly (its NaN rule: a NaN wins). The average sums the window in another
// order (columns of the window's rows first), so it agrees within float rounding, and it
// divides by the same count.
#pragma GCC optimize("O3")  // the pooling loops below need the vectoriser

#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <ATen/TensorIterator.h>
#include <c10/core/GradMode.h>
#include <torch/library.h>
#include <torch/version.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

// Optional arguments: c10::optional, a class of its own in 1.13, became an alias of std::optional
// in 2.x (2.6 has the alias; later releases may drop it). From 2.5 on this file spells std::.
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 5)
#include <optional>
using OptionalTensor = std::optional<at::Tensor>;
#define LNAS_NULLOPT std::nullopt
#else
using OptionalTensor = c10::optional<at::Tensor>;
#define LNAS_NULLOPT c10::nullopt
#endif

namespace {

// Splits [0, n) over libtorch's intra-op threads. at::parallel_for cannot be used here: it is a
// header template whose OpenMP region exists only in code compiled with -fopenmp, and compiling
// this file so would link a second OpenMP runtime beside the one a PyTorch wheel bundles. A
// TensorIterator's for_each runs inside libtorch, on libtorch's own threads; over a scratch byte
// vector of length n it hands each thread a contiguous range, read off the data pointer.
template <typename F>
void parallelRange(int64_t n, int64_t grain, const F& f) {
  if (n <= grain || at::get_num_threads() == 1) { f(0, n); return; }
  at::Tensor scratch = at::empty({n}, at::TensorOptions().dtype(at::kByte));
  const char* base = static_cast<const char*>(scratch.data_ptr());
  at::TensorIterator iter = at::TensorIteratorConfig().add_output(scratch).resize_outputs(false).check_all_same_dtype(false).build();
  iter.for_each([&](char** data, const int64_t* strides, int64_t size0, int64_t size1) {
    const int64_t begin = data[0] - base;
    f(begin, begin + size0 * std::max<int64_t>(size1, 1));
  }, grain);
}

bool fastPoolApplies(const at::Tensor& x, int64_t stride) {
  if (stride != 1 && stride != 2) return false;
  if (x.dim() != 4 || x.scalar_type() != at::kFloat || !x.device().is_cpu() || x.is_mkldnn() || x.is_quantized()) return false;
  if (c10::GradMode::is_enabled() && x.requires_grad()) return false;
  if (x.size(0) == 0 || x.size(1) == 0 || x.size(2) == 0 || x.size(3) == 0) return false;
  // Measured (scripts/bench/pool3x3.mjs): 1.1–6.6× aten's speed below 64 channels, slower from
  // 64 channels at stride 2, where aten's vectorised kernel has enough channels to fill vectors.
  return x.size(1) < 64 && x.is_contiguous(at::MemoryFormat::ChannelsLast);
}

template <bool IsMax>
inline float combine(float a, float b) {
  // aten's rule: a NaN wins. Written without short-circuits so that it vectorises (blends).
  if (IsMax) return ((b > a) | (b != b)) ? b : a;
  return a + b;
}

// Pools output rows [begin, end) (row r is image r / Ho, output row r % Ho) in two passes over
// contiguous memory (channels_last rows are W·C floats): first the window's 1–3 input rows into
// `col` (column max or sum), then the window's columns of `col` into the output row. Stride-1
// interiors are one vector loop.
template <bool IsMax>
void poolRows(const float* __restrict in, float* __restrict out, int64_t C, int64_t H, int64_t W, int64_t Ho, int64_t Wo,
              int64_t stride, bool countIncludePad, int64_t begin, int64_t end) {
  std::vector<float> buffer(static_cast<size_t>(W * C));
  float* __restrict col = buffer.data();
  const int64_t WC = W * C;
  for (int64_t r = begin; r < end; ++r) {
    const int64_t n = r / Ho;
    const int64_t oh = r % Ho;
    const int64_t hs = std::max<int64_t>(oh * stride - 1, 0);
    const int64_t he = std::min<int64_t>(oh * stride + 2, H);
    const float* first = in + (n * H + hs) * WC;
    for (int64_t i = 0; i < WC; ++i) col[i] = first[i];
    for (int64_t h = hs + 1; h < he; ++h) {
      const float* row = in + (n * H + h) * WC;
      for (int64_t i = 0; i < WC; ++i) col[i] = combine<IsMax>(col[i], row[i]);
    }
    float* dst = out + (n * Ho + oh) * Wo * C;
    const int64_t rows = he - hs;
    auto pixel = [&](int64_t ow) {
      const int64_t ws = std::max<int64_t>(ow * stride - 1, 0);
      const int64_t we = std::min<int64_t>(ow * stride + 2, W);
      float* __restrict d = dst + ow * C;
      const float* a = col + ws * C;
      for (int64_t c = 0; c < C; ++c) d[c] = a[c];
      for (int64_t w = ws + 1; w < we; ++w) {
        const float* b = col + w * C;
        for (int64_t c = 0; c < C; ++c) d[c] = combine<IsMax>(d[c], b[c]);
      }
      if (!IsMax) {
        const float count = static_cast<float>(countIncludePad ? 9 : rows * (we - ws));
        for (int64_t c = 0; c < C; ++c) d[c] /= count;
      }
    };
    if (stride == 1 && W > 2) {
      pixel(0);
      pixel(W - 1);
      const float count = static_cast<float>(countIncludePad ? 9 : rows * 3);
      for (int64_t i = C; i < (W - 1) * C; ++i) {
        const float v = combine<IsMax>(combine<IsMax>(col[i - C], col[i]), col[i + C]);
        dst[i] = IsMax ? v : v / count;
      }
    } else {
      for (int64_t ow = 0; ow < Wo; ++ow) pixel(ow);
    }
  }
}

at::Tensor pool3x3(const at::Tensor& x, bool isMax, int64_t stride, bool countIncludePad) {
  if (!fastPoolApplies(x, stride)) {
    return isMax ? at::max_pool2d(x, {3, 3}, {stride, stride}, {1, 1}, {1, 1}, false)
                 : at::avg_pool2d(x, {3, 3}, {stride, stride}, {1, 1}, false, countIncludePad, LNAS_NULLOPT);
  }
  const int64_t N = x.size(0), C = x.size(1), H = x.size(2), W = x.size(3);
  const int64_t Ho = (H - 1) / stride + 1, Wo = (W - 1) / stride + 1;
  at::Tensor out = at::empty({N, C, Ho, Wo}, x.options().memory_format(at::MemoryFormat::ChannelsLast));
  const float* in = x.data_ptr<float>();
  float* o = out.data_ptr<float>();
  // About 32 K outputs per task: small maps stay on one thread.
  const int64_t grain = std::max<int64_t>(1, 32768 / std::max<int64_t>(1, Wo * C));
  parallelRange(N * Ho, grain, [&](int64_t b, int64_t e) {
    if (isMax) poolRows<true>(in, o, C, H, W, Ho, Wo, stride, countIncludePad, b, e);
    else poolRows<false>(in, o, C, H, W, Ho, Wo, stride, countIncludePad, b, e);
  });
  return out;
}

// lnas::batch_norm_eval — batch norm with running statistics (eval mode), y = x·α + β per channel
// with aten's α = weight / sqrt(var + eps) and β = bias − mean·α. aten's channels_last eval
// kernel costs 3× an elementwise op at 8 channels; this one is a single pass over x with α and β
// tiled to a whole number of pixels. Same fallback rule as pool3x3: aten's batch_norm wherever a
// gradient is wanted or the input is not channels_last float32 on the CPU.
at::Tensor batchNormEval(const at::Tensor& x, const OptionalTensor& weight, const OptionalTensor& bias,
                         const at::Tensor& mean, const at::Tensor& var, double eps) {
  const bool hasW = weight.has_value() && weight->defined();
  const bool hasB = bias.has_value() && bias->defined();
  const bool wantsGrad = c10::GradMode::is_enabled() &&
                         (x.requires_grad() || (hasW && weight->requires_grad()) || (hasB && bias->requires_grad()));
  const auto isVector = [&](const at::Tensor& t) {
    return t.scalar_type() == at::kFloat && t.device().is_cpu() && t.dim() == 1 && t.size(0) == x.size(1) && t.is_contiguous();
  };
  const bool applies = !wantsGrad && x.dim() == 4 && x.scalar_type() == at::kFloat && x.device().is_cpu() && !x.is_mkldnn() &&
                       x.numel() > 0 && x.is_contiguous(at::MemoryFormat::ChannelsLast) && isVector(mean) && isVector(var) &&
                       (!hasW || isVector(*weight)) && (!hasB || isVector(*bias));
  if (!applies) return at::batch_norm(x, weight, bias, mean, var, false, 0.0, eps, true);
  const int64_t C = x.size(1);
  const int64_t pixels = x.numel() / C;
  const int64_t perTile = std::max<int64_t>(1, 64 / C);
  std::vector<float> alpha(static_cast<size_t>(perTile * C)), beta(static_cast<size_t>(perTile * C));
  const float* m = mean.data_ptr<float>();
  const float* v = var.data_ptr<float>();
  const float* w = hasW ? weight->data_ptr<float>() : nullptr;
  const float* b = hasB ? bias->data_ptr<float>() : nullptr;
  for (int64_t c = 0; c < C; ++c) {
    const float invstd = 1 / std::sqrt(v[c] + static_cast<float>(eps));
    const float a = invstd * (w ? w[c] : 1.0f);
    alpha[c] = a;
    beta[c] = (b ? b[c] : 0.0f) - m[c] * a;
  }
  for (int64_t k = 1; k < perTile; ++k) {
    std::copy(alpha.begin(), alpha.begin() + C, alpha.begin() + k * C);
    std::copy(beta.begin(), beta.begin() + C, beta.begin() + k * C);
  }
  at::Tensor out = at::empty_like(x, at::MemoryFormat::ChannelsLast);
  const float* in = x.data_ptr<float>();
  float* o = out.data_ptr<float>();
  const int64_t tiles = (pixels + perTile - 1) / perTile;
  const int64_t L = perTile * C;
  parallelRange(tiles, std::max<int64_t>(1, 32768 / L), [&](int64_t t0, int64_t t1) {
    const float* __restrict al = alpha.data();
    const float* __restrict be = beta.data();
    for (int64_t t = t0; t < t1; ++t) {
      const int64_t start = t * L;
      const int64_t len = std::min<int64_t>(L, pixels * C - start);
      const float* __restrict src = in + start;
      float* __restrict dst = o + start;
      for (int64_t i = 0; i < len; ++i) dst[i] = src[i] * al[i] + be[i];
    }
  });
  return out;
}

}  // namespace

TORCH_LIBRARY(lnas, m) {
  m.def("pool3x3(Tensor x, bool is_max, int stride, bool count_include_pad) -> Tensor");
  m.def("batch_norm_eval(Tensor x, Tensor? weight, Tensor? bias, Tensor running_mean, Tensor running_var, float eps) -> Tensor");
}

TORCH_LIBRARY_IMPL(lnas, CompositeImplicitAutograd, m) {
  m.impl("pool3x3", &pool3x3);
  m.impl("batch_norm_eval", &batchNormEval);
}
