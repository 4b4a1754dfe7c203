// lnas native layer: a thin binding from Node to libtorch.
//
// Ops are not bound one by one. Any registered `aten::` operator is looked up once by name and
// overload (findOp) and then called through libtorch's boxed dispatcher (callOp), with arguments
// converted according to the operator's schema. Autograd, channels_last and every kernel are
// libtorch's own. Everything else here is what the dispatcher cannot do: buffers in and out,
// autograd entry points, RNG, threads, devices and deterministic tensor lifetime.
//
// One file for libtorch 1.13 (Debian 12) and 2.x (Debian 13, the official distributions, the
// libtorch inside PyTorch): differences between the API generations are guarded with
// LNAS_TORCH_AT_LEAST below. CUDA is reached only through libtorch's device-generic interfaces
// (hooks, device guards), so a CPU-only libtorch compiles the same code; the CUDA caching
// allocator's statistics need CUDA's headers and are compiled only with LNAS_CUDA_ALLOCATOR_STATS.

#include <napi.h>

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>
#include <ATen/core/dispatch/Dispatcher.h>
#include <ATen/detail/CUDAHooksInterface.h>
#include <c10/core/GradMode.h>
#include <c10/core/impl/DeviceGuardImplInterface.h>
#include <torch/csrc/autograd/autograd.h>
#include <torch/version.h>
#if defined(LNAS_CUDA_ALLOCATOR_STATS) && LNAS_CUDA_ALLOCATOR_STATS
#include <c10/cuda/CUDACachingAllocator.h>
#endif

#define LNAS_TORCH_AT_LEAST(major, minor) \
  (TORCH_VERSION_MAJOR > (major) || (TORCH_VERSION_MAJOR == (major) && TORCH_VERSION_MINOR >= (minor)))

#include <malloc.h>
#include <signal.h>
#include <unistd.h>

#ifndef LNAS_WITH_CUDA
#define LNAS_WITH_CUDA 0
#endif

#include <atomic>
#include <csignal>
#include <cstring>
#include <sstream>
#include <string>
#include <vector>

namespace {

// ---------------------------------------------------------------------------------------------
// Tensor handles

struct Handle {
  at::Tensor tensor;
  int64_t bytes = 0;
  bool onDevice = false;  // not on the CPU (counted in g_live_device_bytes too)
};

std::atomic<int64_t> g_live{0};
std::atomic<int64_t> g_live_bytes{0};
std::atomic<int64_t> g_live_device_bytes{0};

// Bytes freed by GC finalizers, not yet reported to V8 (finalizers may not call into V8).
std::atomic<int64_t> g_unreported_free{0};

void reportExternal(Napi::Env env, int64_t delta) {
  delta -= g_unreported_free.exchange(0);
  if (delta != 0) Napi::MemoryManagement::AdjustExternalMemory(env, delta);
}

int64_t resetHandle(Handle* h) {
  if (!h->tensor.defined()) return 0;
  g_live.fetch_sub(1);
  g_live_bytes.fetch_sub(h->bytes);
  if (h->onDevice) g_live_device_bytes.fetch_sub(h->bytes);
  h->tensor.reset();
  return h->bytes;
}

void releaseHandle(Napi::Env env, Handle* h) { reportExternal(env, -resetHandle(h)); }

// A "basic" finalizer: it runs inside the garbage collector and touches no JS state. With the
// default (non-basic) finalizers Node 20 queues the finalizer and runs it from setImmediate, so
// a synchronous training loop, which never yields to the event loop, accumulated every tensor
// handle it ever created (~0.14 MB per DARTS step, and gigabytes of fragmented heap over an
// epoch). The module is therefore built against the experimental Node-API (binding.gyp).
void finalizeHandle(node_api_basic_env, void* data, void*) {
  auto* h = static_cast<Handle*>(data);
  g_unreported_free.fetch_add(resetHandle(h));
  delete h;
}

Napi::Value wrap(Napi::Env env, at::Tensor t) {
  if (!t.defined()) return env.Null();
  auto* h = new Handle();
  h->bytes = static_cast<int64_t>(t.nbytes());
  h->onDevice = !t.is_cpu();
  h->tensor = std::move(t);
  g_live.fetch_add(1);
  g_live_bytes.fetch_add(h->bytes);
  if (h->onDevice) g_live_device_bytes.fetch_add(h->bytes);
  reportExternal(env, h->bytes);
  // The finalizer is only a safety net: TypeScript frees tensors deterministically via dispose().
  napi_value out;
  napi_status st = napi_create_external(env, h, finalizeHandle, nullptr, &out);
  if (st != napi_ok) {
    releaseHandle(env, h);
    delete h;
    NAPI_THROW_IF_FAILED(env, st, Napi::Value());
  }
  return Napi::Value(env, out);
}

Napi::Error makeError(Napi::Env env, const std::string& code, const std::string& message) {
  Napi::Error err = Napi::Error::New(env, message);
  err.Set("code", Napi::String::New(env, code));
  return err;
}

at::Tensor& unwrap(const Napi::Value& v) {
  if (!v.IsExternal()) throw makeError(v.Env(), "LNAS_BAD_ARGUMENT", "expected a tensor handle");
  Handle* h = v.As<Napi::External<Handle>>().Data();
  if (!h->tensor.defined()) throw makeError(v.Env(), "LNAS_DISPOSED", "tensor was used after dispose()");
  return h->tensor;
}

std::string describe(const at::Tensor& t) {
  std::ostringstream s;
  s << "Tensor[";
  for (int64_t i = 0; i < t.dim(); ++i) s << (i ? "," : "") << t.size(i);
  s << "] " << c10::toString(t.scalar_type());
  return s.str();
}

// Runs fn, turning libtorch's C++ exceptions into JS errors with a stable code.
template <typename F>
Napi::Value guarded(Napi::Env env, const std::string& what, F&& fn) {
  try {
    return fn();
  } catch (const Napi::Error&) {
    throw;
  } catch (const c10::Error& e) {
    throw makeError(env, "LNAS_TORCH", what + ": " + e.what_without_backtrace());
  } catch (const std::exception& e) {
    throw makeError(env, "LNAS_TORCH", what + ": " + e.what());
  }
}

// ---------------------------------------------------------------------------------------------
// Operators through the boxed dispatcher

struct OpEntry {
  c10::OperatorHandle handle;
  std::string name;
};
std::vector<OpEntry> g_ops;

int64_t toInt(const Napi::Value& v, const std::string& arg) {
  if (v.IsNumber()) return v.As<Napi::Number>().Int64Value();
  if (v.IsBoolean()) return v.As<Napi::Boolean>().Value() ? 1 : 0;
  throw makeError(v.Env(), "LNAS_BAD_ARGUMENT", "argument '" + arg + "' expects an integer");
}

c10::IValue toIValue(const Napi::Value& v, const c10::TypePtr& type, const c10::Argument& arg);

c10::IValue listToIValue(const Napi::Value& v, const c10::ListTypePtr& list, const c10::Argument& arg) {
  if (!v.IsArray()) {
    // A single number is accepted where libtorch accepts one for an int[N] (e.g. stride=1).
    if (v.IsNumber() && (list->getElementType()->kind() == c10::TypeKind::IntType ||
                         list->getElementType()->kind() == c10::TypeKind::SymIntType)) {
      int64_t n = arg.N() ? *arg.N() : 1;
      return c10::IValue(c10::List<int64_t>(std::vector<int64_t>(n, toInt(v, arg.name()))));
    }
    throw makeError(v.Env(), "LNAS_BAD_ARGUMENT", "argument '" + arg.name() + "' expects an array");
  }
  auto arr = v.As<Napi::Array>();
  uint32_t n = arr.Length();
  const auto& elem = list->getElementType();
  switch (elem->kind()) {
    case c10::TypeKind::IntType:
    case c10::TypeKind::SymIntType: {
      c10::List<int64_t> out;
      out.reserve(n);
      for (uint32_t i = 0; i < n; ++i) out.push_back(toInt(arr.Get(i), arg.name()));
      return c10::IValue(out);
    }
    case c10::TypeKind::FloatType: {
      c10::List<double> out;
      for (uint32_t i = 0; i < n; ++i) out.push_back(arr.Get(i).As<Napi::Number>().DoubleValue());
      return c10::IValue(out);
    }
    case c10::TypeKind::BoolType: {
      c10::List<bool> out;
      for (uint32_t i = 0; i < n; ++i) out.push_back(arr.Get(i).ToBoolean().Value());
      return c10::IValue(out);
    }
    case c10::TypeKind::TensorType: {
      c10::List<at::Tensor> out;
      out.reserve(n);
      for (uint32_t i = 0; i < n; ++i) out.push_back(unwrap(arr.Get(i)));
      return c10::IValue(out);
    }
    case c10::TypeKind::OptionalType: {
      c10::List<c10::optional<at::Tensor>> out;
      for (uint32_t i = 0; i < n; ++i) {
        Napi::Value e = arr.Get(i);
        if (e.IsNull() || e.IsUndefined()) out.push_back(c10::nullopt);
        else out.push_back(unwrap(e));
      }
      return c10::IValue(out);
    }
    default:
      throw makeError(v.Env(), "LNAS_BAD_ARGUMENT", "unsupported list type for argument '" + arg.name() + "': " + list->str());
  }
}

c10::IValue toIValue(const Napi::Value& v, const c10::TypePtr& type, const c10::Argument& arg) {
  switch (type->kind()) {
    case c10::TypeKind::TensorType:
      return c10::IValue(unwrap(v));
    case c10::TypeKind::OptionalType:
      if (v.IsNull() || v.IsUndefined()) return c10::IValue();
      return toIValue(v, type->castRaw<c10::OptionalType>()->getElementType(), arg);
    case c10::TypeKind::IntType:
    case c10::TypeKind::SymIntType:
    case c10::TypeKind::ScalarTypeType:
    case c10::TypeKind::LayoutType:
    case c10::TypeKind::MemoryFormatType:
      return c10::IValue(toInt(v, arg.name()));
    case c10::TypeKind::FloatType:
      if (!v.IsNumber()) throw makeError(v.Env(), "LNAS_BAD_ARGUMENT", "argument '" + arg.name() + "' expects a number");
      return c10::IValue(v.As<Napi::Number>().DoubleValue());
    case c10::TypeKind::BoolType:
      return c10::IValue(v.ToBoolean().Value());
    case c10::TypeKind::NumberType: {  // Scalar
      if (v.IsBoolean()) return c10::IValue(v.As<Napi::Boolean>().Value());
      if (!v.IsNumber()) throw makeError(v.Env(), "LNAS_BAD_ARGUMENT", "argument '" + arg.name() + "' expects a number");
      double d = v.As<Napi::Number>().DoubleValue();
      // Integral JS numbers stay integral so integer tensors keep their dtype.
      if (d == static_cast<double>(static_cast<int64_t>(d)) && std::abs(d) < 9.0e15) return c10::IValue(static_cast<int64_t>(d));
      return c10::IValue(d);
    }
    case c10::TypeKind::StringType:
      return c10::IValue(v.ToString().Utf8Value());
    case c10::TypeKind::DeviceObjType:
      return c10::IValue(c10::Device(v.ToString().Utf8Value()));
    case c10::TypeKind::ListType:
      return listToIValue(v, type->cast<c10::ListType>(), arg);
    default:
      throw makeError(v.Env(), "LNAS_BAD_ARGUMENT", "unsupported argument type for '" + arg.name() + "': " + type->str());
  }
}

Napi::Value fromIValue(Napi::Env env, const c10::IValue& iv) {
  if (iv.isTensor()) return wrap(env, iv.toTensor());
  if (iv.isNone()) return env.Null();
  if (iv.isInt()) return Napi::Number::New(env, static_cast<double>(iv.toInt()));
  if (iv.isDouble()) return Napi::Number::New(env, iv.toDouble());
  if (iv.isBool()) return Napi::Boolean::New(env, iv.toBool());
  if (iv.isTensorList()) {
    auto list = iv.toTensorList();
    auto arr = Napi::Array::New(env, list.size());
    for (size_t i = 0; i < list.size(); ++i) arr.Set(static_cast<uint32_t>(i), wrap(env, list.get(i)));
    return arr;
  }
  if (iv.isTuple()) {
    const auto& elems = iv.toTupleRef().elements();
    auto arr = Napi::Array::New(env, elems.size());
    for (size_t i = 0; i < elems.size(); ++i) arr.Set(static_cast<uint32_t>(i), fromIValue(env, elems[i]));
    return arr;
  }
  if (iv.isList()) {
    auto list = iv.toList();
    auto arr = Napi::Array::New(env, list.size());
    for (size_t i = 0; i < list.size(); ++i) arr.Set(static_cast<uint32_t>(i), fromIValue(env, list.get(i)));
    return arr;
  }
  throw makeError(env, "LNAS_UNSUPPORTED", "unsupported return type " + iv.tagKind());
}

// findOp(name, overload) -> id. Throws LNAS_UNKNOWN_OP when libtorch has no such operator.
Napi::Value FindOp(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string name = info[0].ToString().Utf8Value();
  std::string overload = info.Length() > 1 ? info[1].ToString().Utf8Value() : "";
  auto handle = c10::Dispatcher::singleton().findSchema({name, overload});
  if (!handle) throw makeError(env, "LNAS_UNKNOWN_OP", "libtorch has no operator " + name + (overload.empty() ? "" : "." + overload));
  g_ops.push_back({*handle, name + (overload.empty() ? "" : "." + overload)});
  return Napi::Number::New(env, static_cast<double>(g_ops.size() - 1));
}

std::string describeCall(const OpEntry& op, const Napi::Array& args) {
  std::ostringstream s;
  s << op.name << "(";
  for (uint32_t i = 0; i < args.Length(); ++i) {
    Napi::Value a = args.Get(i);
    if (i) s << ", ";
    if (a.IsExternal()) {
      Handle* h = a.As<Napi::External<Handle>>().Data();
      s << (h->tensor.defined() ? describe(h->tensor) : "<disposed>");
    } else if (a.IsArray()) {
      auto arr = a.As<Napi::Array>();
      s << "[";
      for (uint32_t j = 0; j < arr.Length(); ++j) {
        Napi::Value e = arr.Get(j);
        if (j) s << ", ";
        if (e.IsExternal()) {
          Handle* h = e.As<Napi::External<Handle>>().Data();
          s << (h->tensor.defined() ? describe(h->tensor) : "<disposed>");
        } else s << e.ToString().Utf8Value();
      }
      s << "]";
    } else if (a.IsUndefined()) {
      s << "default";
    } else {
      s << a.ToString().Utf8Value();
    }
  }
  s << ")";
  return s.str();
}

// callOp(id, args[], discardResult) -> result converted from the op's return values.
// discardResult is for in-place ops whose JS caller already holds the tensor.
Napi::Value CallOp(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  size_t id = static_cast<size_t>(info[0].As<Napi::Number>().Int64Value());
  if (id >= g_ops.size()) throw makeError(env, "LNAS_UNKNOWN_OP", "bad operator id");
  const OpEntry& op = g_ops[id];
  auto args = info[1].As<Napi::Array>();
  bool discard = info.Length() > 2 && info[2].ToBoolean().Value();
  const auto& schema = op.handle.schema();
  const auto& formals = schema.arguments();
  if (args.Length() > formals.size()) {
    throw makeError(env, "LNAS_BAD_ARGUMENT", op.name + " takes at most " + std::to_string(formals.size()) +
                                                  " arguments, got " + std::to_string(args.Length()));
  }
  try {
    torch::jit::Stack stack;
    stack.reserve(formals.size());
    for (size_t i = 0; i < formals.size(); ++i) {
      const auto& formal = formals[i];
      Napi::Value v = i < args.Length() ? args.Get(static_cast<uint32_t>(i)) : env.Undefined();
      if (v.IsUndefined()) {
        if (formal.default_value()) { stack.push_back(*formal.default_value()); continue; }
        if (formal.type()->kind() == c10::TypeKind::OptionalType) { stack.emplace_back(); continue; }
        throw makeError(env, "LNAS_BAD_ARGUMENT", op.name + ": missing argument '" + formal.name() + "'");
      }
      stack.push_back(toIValue(v, formal.type(), formal));
    }
    op.handle.callBoxed(&stack);
    if (discard) return env.Undefined();
    if (stack.size() == 1) return fromIValue(env, stack[0]);
    auto arr = Napi::Array::New(env, stack.size());
    for (size_t i = 0; i < stack.size(); ++i) arr.Set(static_cast<uint32_t>(i), fromIValue(env, stack[i]));
    return arr;
  } catch (const Napi::Error& e) {
    if (e.Value().Get("code").ToString().Utf8Value() == "LNAS_DISPOSED") throw makeError(env, "LNAS_DISPOSED", describeCall(op, args) + ": tensor was used after dispose()");
    throw;
  } catch (const c10::Error& e) {
    throw makeError(env, "LNAS_TORCH", describeCall(op, args) + ": " + e.what_without_backtrace());
  } catch (const std::exception& e) {
    throw makeError(env, "LNAS_TORCH", describeCall(op, args) + ": " + e.what());
  }
}

// ---------------------------------------------------------------------------------------------
// Buffers

Napi::Value FromBuffer(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, "fromBuffer", [&]() -> Napi::Value {
    auto ta = info[0].As<Napi::TypedArray>();
    auto shapeArr = info[1].As<Napi::Array>();
    auto dtype = static_cast<at::ScalarType>(info[2].As<Napi::Number>().Int32Value());
    std::vector<int64_t> shape;
    int64_t numel = 1;
    for (uint32_t i = 0; i < shapeArr.Length(); ++i) {
      shape.push_back(shapeArr.Get(i).As<Napi::Number>().Int64Value());
      numel *= shape.back();
    }
    c10::Device device(c10::kCPU);
    if (info.Length() > 3 && info[3].IsString()) device = c10::Device(info[3].ToString().Utf8Value());
    size_t bytes = static_cast<size_t>(numel) * at::elementSize(dtype);
    if (bytes != ta.ByteLength()) {
      throw makeError(env, "LNAS_BAD_ARGUMENT", "fromBuffer: " + std::to_string(ta.ByteLength()) + " bytes for shape of " +
                                                    std::to_string(bytes) + " bytes");
    }
    // For a CUDA tensor the data goes through pinned host memory and one asynchronous copy; the
    // caching host allocator keeps the pinned block until that copy has run.
    bool pinned = device.is_cuda();
    at::Tensor host = at::empty(shape, at::TensorOptions().dtype(dtype).pinned_memory(pinned));
    auto* src = static_cast<uint8_t*>(ta.ArrayBuffer().Data()) + ta.ByteOffset();
    if (bytes) std::memcpy(host.data_ptr(), src, bytes);
    if (device.is_cpu()) return wrap(env, host);
    return wrap(env, host.to(device, /*non_blocking=*/pinned));
  });
}

// toBuffer(t) -> ArrayBuffer with a contiguous CPU copy of the data.
Napi::Value ToBuffer(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  at::Tensor src = unwrap(info[0]);
  return guarded(env, "toBuffer(" + describe(src) + ")", [&]() -> Napi::Value {
    at::Tensor t = src.detach().to(at::kCPU).contiguous();
    auto buf = Napi::ArrayBuffer::New(env, t.nbytes());
    if (t.nbytes()) std::memcpy(buf.Data(), t.data_ptr(), t.nbytes());
    return buf;
  });
}

// ---------------------------------------------------------------------------------------------
// Tensor metadata and lifetime

Napi::Value Shape(const Napi::CallbackInfo& info) {
  const at::Tensor& t = unwrap(info[0]);
  auto arr = Napi::Array::New(info.Env(), t.dim());
  for (int64_t i = 0; i < t.dim(); ++i) arr.Set(static_cast<uint32_t>(i), Napi::Number::New(info.Env(), static_cast<double>(t.size(i))));
  return arr;
}

Napi::Value Strides(const Napi::CallbackInfo& info) {
  const at::Tensor& t = unwrap(info[0]);
  auto arr = Napi::Array::New(info.Env(), t.dim());
  for (int64_t i = 0; i < t.dim(); ++i) arr.Set(static_cast<uint32_t>(i), Napi::Number::New(info.Env(), static_cast<double>(t.stride(i))));
  return arr;
}

Napi::Value Dtype(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<int>(unwrap(info[0]).scalar_type()));
}

Napi::Value DeviceOf(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), unwrap(info[0]).device().str());
}

Napi::Value Dispose(const Napi::CallbackInfo& info) {
  if (info[0].IsExternal()) releaseHandle(info.Env(), info[0].As<Napi::External<Handle>>().Data());
  return info.Env().Undefined();
}

Napi::Value IsDisposed(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), !info[0].As<Napi::External<Handle>>().Data()->tensor.defined());
}

Napi::Value Live(const Napi::CallbackInfo& info) {
  auto o = Napi::Object::New(info.Env());
  o.Set("tensors", Napi::Number::New(info.Env(), static_cast<double>(g_live.load())));
  o.Set("bytes", Napi::Number::New(info.Env(), static_cast<double>(g_live_bytes.load())));
  return o;
}

// mallocStats(): glibc heap figures (bytes in use vs. held), to tell a leak from fragmentation.
Napi::Value MallocStats(const Napi::CallbackInfo& info) {
  auto o = Napi::Object::New(info.Env());
  struct mallinfo2 m = mallinfo2();
  o.Set("arena", Napi::Number::New(info.Env(), static_cast<double>(m.arena)));
  o.Set("mmapped", Napi::Number::New(info.Env(), static_cast<double>(m.hblkhd)));
  o.Set("inUse", Napi::Number::New(info.Env(), static_cast<double>(m.uordblks)));
  o.Set("free", Napi::Number::New(info.Env(), static_cast<double>(m.fordblks)));
  return o;
}

// sameStorage(a, b): whether two handles view the same memory (used by scope() bookkeeping tests).
Napi::Value SameStorage(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), unwrap(info[0]).is_alias_of(unwrap(info[1])));
}

// ---------------------------------------------------------------------------------------------
// Autograd

Napi::Value RequiresGrad(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), unwrap(info[0]).requires_grad());
}

Napi::Value SetRequiresGrad(const Napi::CallbackInfo& info) {
  at::Tensor& t = unwrap(info[0]);
  return guarded(info.Env(), "requiresGrad(" + describe(t) + ")", [&]() -> Napi::Value {
    t.set_requires_grad(info[1].ToBoolean().Value());
    return info.Env().Undefined();
  });
}

Napi::Value Grad(const Napi::CallbackInfo& info) {
  const at::Tensor& g = unwrap(info[0]).grad();
  return g.defined() ? wrap(info.Env(), g) : info.Env().Null();
}

Napi::Value SetGrad(const Napi::CallbackInfo& info) {
  at::Tensor& t = unwrap(info[0]);
  return guarded(info.Env(), "setGrad(" + describe(t) + ")", [&]() -> Napi::Value {
    if (info[1].IsNull() || info[1].IsUndefined()) t.mutable_grad().reset();
    else t.mutable_grad() = unwrap(info[1]);
    return info.Env().Undefined();
  });
}

// setData(t, src): t takes src's storage and layout, keeping its identity and autograd leaf status
// (PyTorch's `param.data = src`). Used to move parameters to channels_last in place.
Napi::Value SetData(const Napi::CallbackInfo& info) {
  at::Tensor& t = unwrap(info[0]);
  const at::Tensor& src = unwrap(info[1]);
  return guarded(info.Env(), "setData(" + describe(t) + ", " + describe(src) + ")", [&]() -> Napi::Value {
    t.set_data(src);
    return info.Env().Undefined();
  });
}

Napi::Value IsLeaf(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), unwrap(info[0]).is_leaf());
}

std::vector<at::Tensor> tensorArray(const Napi::Value& v) {
  std::vector<at::Tensor> out;
  if (v.IsNull() || v.IsUndefined()) return out;
  auto arr = v.As<Napi::Array>();
  for (uint32_t i = 0; i < arr.Length(); ++i) {
    Napi::Value e = arr.Get(i);
    out.push_back(e.IsNull() || e.IsUndefined() ? at::Tensor() : unwrap(e));
  }
  return out;
}

// backward(outputs[], grads[]|null, retainGraph)
Napi::Value Backward(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, "backward", [&]() -> Napi::Value {
    auto outputs = tensorArray(info[0]);
    auto grads = tensorArray(info[1]);
    bool retain = info[2].ToBoolean().Value();
    torch::autograd::backward(outputs, grads, retain, false);
    return env.Undefined();
  });
}

// grad(outputs[], inputs[], gradOutputs[]|null, retainGraph, createGraph, allowUnused) -> (Tensor|null)[]
Napi::Value AutogradGrad(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, "grad", [&]() -> Napi::Value {
    auto outputs = tensorArray(info[0]);
    auto inputs = tensorArray(info[1]);
    auto gradOutputs = tensorArray(info[2]);
    bool retain = info[3].ToBoolean().Value();
    bool create = info[4].ToBoolean().Value();
    bool allowUnused = info[5].ToBoolean().Value();
    auto grads = torch::autograd::grad(outputs, inputs, gradOutputs, retain, create, allowUnused);
    auto arr = Napi::Array::New(env, grads.size());
    for (size_t i = 0; i < grads.size(); ++i) arr.Set(static_cast<uint32_t>(i), wrap(env, grads[i]));
    return arr;
  });
}

Napi::Value SetGradEnabled(const Napi::CallbackInfo& info) {
  bool prev = c10::GradMode::is_enabled();
  c10::GradMode::set_enabled(info[0].ToBoolean().Value());
  return Napi::Boolean::New(info.Env(), prev);
}

Napi::Value IsGradEnabled(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), c10::GradMode::is_enabled());
}

// ---------------------------------------------------------------------------------------------
// RNG, threads, device

// Seeds the CPU generator and, on a CUDA build with devices, every CUDA generator.
Napi::Value ManualSeed(const Napi::CallbackInfo& info) {
  uint64_t seed = static_cast<uint64_t>(info[0].As<Napi::Number>().Int64Value());
  return guarded(info.Env(), "manualSeed", [&]() -> Napi::Value {
    at::manual_seed(seed);
    return info.Env().Undefined();
  });
}

Napi::Value GetRngState(const Napi::CallbackInfo& info) {
  return guarded(info.Env(), "getRngState", [&]() -> Napi::Value {
    auto gen = at::detail::getDefaultCPUGenerator();
    std::lock_guard<std::mutex> lock(gen.mutex());
    return wrap(info.Env(), gen.get_state());
  });
}

Napi::Value SetRngState(const Napi::CallbackInfo& info) {
  const at::Tensor& state = unwrap(info[0]);
  return guarded(info.Env(), "setRngState", [&]() -> Napi::Value {
    auto gen = at::detail::getDefaultCPUGenerator();
    std::lock_guard<std::mutex> lock(gen.mutex());
    gen.set_state(state);
    return info.Env().Undefined();
  });
}

Napi::Value SetNumThreads(const Napi::CallbackInfo& info) {
  at::set_num_threads(info[0].As<Napi::Number>().Int32Value());
  return info.Env().Undefined();
}

Napi::Value GetNumThreads(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), at::get_num_threads());
}

int cudaDeviceCount() { return at::hasCUDA() ? at::detail::getCUDAHooks().getNumGPUs() : 0; }

Napi::Value CudaDeviceCount(const Napi::CallbackInfo& info) {
  return guarded(info.Env(), "cudaDeviceCount", [&]() -> Napi::Value { return Napi::Number::New(info.Env(), cudaDeviceCount()); });
}

// setAlgorithms(benchmark, deterministic, tf32): cuDNN autotuning; libtorch's deterministic
// algorithms (an op without a deterministic implementation then throws instead of running);
// TensorFloat-32 in cuDNN convolutions (libtorch's default) and cuBLAS matmuls.
Napi::Value SetAlgorithms(const Napi::CallbackInfo& info) {
  bool benchmark = info[0].ToBoolean().Value();
  bool deterministic = info[1].ToBoolean().Value();
  bool tf32 = info[2].ToBoolean().Value();
  return guarded(info.Env(), "setAlgorithms", [&]() -> Napi::Value {
    auto& ctx = at::globalContext();
    ctx.setAllowTF32CuDNN(tf32);
    ctx.setAllowTF32CuBLAS(false);
    ctx.setBenchmarkCuDNN(benchmark);
    ctx.setDeterministicCuDNN(deterministic);
    // warn_only: an op without a deterministic CUDA kernel (adaptive_avg_pool2d's backward) warns
    // and runs rather than stopping the run.
    ctx.setDeterministicAlgorithms(deterministic, /*warn_only=*/true);
    return info.Env().Undefined();
  });
}

// synchronize(device): waits for the device's current stream (timing; a no-op on the CPU).
Napi::Value Synchronize(const Napi::CallbackInfo& info) {
  return guarded(info.Env(), "synchronize", [&]() -> Napi::Value {
    c10::Device device(info[0].ToString().Utf8Value());
    if (!device.is_cpu()) c10::impl::getDeviceGuardImpl(device.type())->getStream(device).synchronize();
    return info.Env().Undefined();
  });
}

// deviceMemory(index) -> { live, allocated, reserved, peakAllocated } in bytes; live is what lnas's
// own tensor handles hold on devices, the rest come from the CUDA caching allocator (null when
// this build has no CUDA allocator statistics).
Napi::Value DeviceMemory(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, "deviceMemory", [&]() -> Napi::Value {
    auto o = Napi::Object::New(env);
    o.Set("live", Napi::Number::New(env, static_cast<double>(g_live_device_bytes.load())));
    o.Set("allocated", env.Null());
    o.Set("reserved", env.Null());
    o.Set("peakAllocated", env.Null());
#if defined(LNAS_CUDA_ALLOCATOR_STATS) && LNAS_CUDA_ALLOCATOR_STATS
    int index = info.Length() > 0 && info[0].IsNumber() ? info[0].As<Napi::Number>().Int32Value() : 0;
    if (index >= 0 && index < cudaDeviceCount()) {
      namespace alloc = c10::cuda::CUDACachingAllocator;
      const auto stats = alloc::getDeviceStats(static_cast<c10::DeviceIndex>(index));
      const auto agg = static_cast<size_t>(c10::cuda::CUDACachingAllocator::StatType::AGGREGATE);
      o.Set("allocated", Napi::Number::New(env, static_cast<double>(stats.allocated_bytes[agg].current)));
      o.Set("reserved", Napi::Number::New(env, static_cast<double>(stats.reserved_bytes[agg].current)));
      o.Set("peakAllocated", Napi::Number::New(env, static_cast<double>(stats.allocated_bytes[agg].peak)));
    }
#endif
    return o;
  });
}

Napi::Value Info(const Napi::CallbackInfo& info) {
  auto o = Napi::Object::New(info.Env());
  o.Set("cuda", Napi::Boolean::New(info.Env(), at::hasCUDA()));
  o.Set("cudaBuild", Napi::Boolean::New(info.Env(), LNAS_WITH_CUDA != 0));
  o.Set("cudaDevices", Napi::Number::New(info.Env(), cudaDeviceCount()));
  o.Set("torchVersion", Napi::String::New(info.Env(), TORCH_VERSION));
  o.Set("mkldnn", Napi::Boolean::New(info.Env(), at::hasMKLDNN()));
  o.Set("parallel", Napi::String::New(info.Env(), at::get_parallel_info()));
  o.Set("config", Napi::String::New(info.Env(), at::show_config()));
  return o;
}

// Stop requests. Training loops are synchronous, so Node's own signal events would only fire after
// the run; instead SIGINT/SIGTERM set a flag that the loop polls at every step (it checkpoints and
// stops). A second signal while the first is pending exits at once, as an unhandled signal would.
volatile std::sig_atomic_t g_stop_signal = 0;

void OnStopSignal(int sig) {
  if (g_stop_signal != 0) _exit(128 + sig);
  g_stop_signal = sig;
}

Napi::Value InstallStopSignals(const Napi::CallbackInfo& info) {
  struct sigaction sa {};
  sa.sa_handler = OnStopSignal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  return info.Env().Undefined();
}

/** The pending stop signal's number (0: none). */
Napi::Value StopSignal(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<int>(g_stop_signal));
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("findOp", Napi::Function::New(env, FindOp));
  exports.Set("callOp", Napi::Function::New(env, CallOp));
  exports.Set("fromBuffer", Napi::Function::New(env, FromBuffer));
  exports.Set("toBuffer", Napi::Function::New(env, ToBuffer));
  exports.Set("shape", Napi::Function::New(env, Shape));
  exports.Set("strides", Napi::Function::New(env, Strides));
  exports.Set("dtype", Napi::Function::New(env, Dtype));
  exports.Set("device", Napi::Function::New(env, DeviceOf));
  exports.Set("dispose", Napi::Function::New(env, Dispose));
  exports.Set("isDisposed", Napi::Function::New(env, IsDisposed));
  exports.Set("live", Napi::Function::New(env, Live));
  exports.Set("sameStorage", Napi::Function::New(env, SameStorage));
  exports.Set("requiresGrad", Napi::Function::New(env, RequiresGrad));
  exports.Set("setRequiresGrad", Napi::Function::New(env, SetRequiresGrad));
  exports.Set("grad", Napi::Function::New(env, Grad));
  exports.Set("setGrad", Napi::Function::New(env, SetGrad));
  exports.Set("setData", Napi::Function::New(env, SetData));
  exports.Set("isLeaf", Napi::Function::New(env, IsLeaf));
  exports.Set("backward", Napi::Function::New(env, Backward));
  exports.Set("autogradGrad", Napi::Function::New(env, AutogradGrad));
  exports.Set("setGradEnabled", Napi::Function::New(env, SetGradEnabled));
  exports.Set("isGradEnabled", Napi::Function::New(env, IsGradEnabled));
  exports.Set("manualSeed", Napi::Function::New(env, ManualSeed));
  exports.Set("getRngState", Napi::Function::New(env, GetRngState));
  exports.Set("setRngState", Napi::Function::New(env, SetRngState));
  exports.Set("setNumThreads", Napi::Function::New(env, SetNumThreads));
  exports.Set("getNumThreads", Napi::Function::New(env, GetNumThreads));
  exports.Set("info", Napi::Function::New(env, Info));
  exports.Set("mallocStats", Napi::Function::New(env, MallocStats));
  exports.Set("installStopSignals", Napi::Function::New(env, InstallStopSignals));
  exports.Set("stopSignal", Napi::Function::New(env, StopSignal));
  exports.Set("cudaDeviceCount", Napi::Function::New(env, CudaDeviceCount));
  exports.Set("setAlgorithms", Napi::Function::New(env, SetAlgorithms));
  exports.Set("synchronize", Napi::Function::New(env, Synchronize));
  exports.Set("deviceMemory", Napi::Function::New(env, DeviceMemory));
  return exports;
}

}  // namespace

NODE_API_MODULE(lnas_native, Init)
