#!/usr/bin/env python3
"""PyTorch reference side of the `lnas bench` side-by-side benchmarks.

Run by the TypeScript `lnas bench` command as a subprocess, with Debian's
Python (python3-torch, torch 1.13):

    /usr/bin/python3 scripts/bench/torch_reference.py <model> [options]

    model: small-cnn | mixed-edge | supernet

    common options:
      --threads N                        torch.set_num_threads(N) (default: torch's default)
      --batch B                          batch size (default 32)
      --warmup W                         untimed warm-up iterations (default 3)
      --repeats R                        timed iterations (default 10)
      --memory-format nchw|channels_last (default nchw)
      --seed S                           torch.manual_seed (default 0)
      --device cpu|cuda|cuda:N           where the model and batches live (default cpu);
                                         on CUDA cudnn.benchmark is on (as in lnas) and
                                         every timed iteration ends with a synchronize
    small-cnn:  --width W (default 32)
    mixed-edge: --C C (default 16)
    supernet:   --C C (default 8) --layers L (default 5) --order 1|2 (default 1)
                --fresh-unrolled  (order 2 only: rebuild the unrolled model every
                                   step, as DARTS' architect.py does, instead of
                                   reusing one preallocated shadow model)

It prints exactly ONE JSON line on stdout; everything else (warnings, library
chatter, errors) goes to stderr.  On failure the JSON line carries an "error"
field and the exit status is 1.  Nothing is downloaded: all inputs are random.

The product never depends on Python; this script is only for comparison.

Measurement protocol: W warm-up iterations, then R timed iterations, each
timed with time.perf_counter.  Throughput = batch / median(iteration seconds).
The per-iteration seconds are reported too, and the peak RSS (ru_maxrss, MB)
of the process at the end.

The models follow quark0/darts (operations.py, model_search.py, architect.py)
exactly; the TypeScript side builds the same ones.
"""

import argparse
import json
import os
import resource
import statistics
import sys
import time
import traceback

# Everything written to fd 1 (Python prints, warnings redirected there, C/C++
# library chatter) goes to stderr; the single JSON result line is written to a
# private duplicate of the original stdout at the very end.
_RESULT_FD = os.dup(1)
os.dup2(2, 1)
sys.stdout = sys.stderr

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

torch.set_num_interop_threads(1)


DEVICE = torch.device("cpu")


def emit(obj):
    line = json.dumps(obj, separators=(",", ":")) + "\n"
    os.write(_RESULT_FD, line.encode("utf-8"))


# --------------------------------------------------------------------------
# DARTS operations (quark0/darts operations.py), search-time semantics
# --------------------------------------------------------------------------

PRIMITIVES = [
    "none",
    "max_pool_3x3",
    "avg_pool_3x3",
    "skip_connect",
    "sep_conv_3x3",
    "sep_conv_5x5",
    "dil_conv_3x3",
    "dil_conv_5x5",
]


class ReLUConvBN(nn.Module):
    def __init__(self, C_in, C_out, kernel_size, stride, padding, affine=True):
        super().__init__()
        self.op = nn.Sequential(
            nn.ReLU(inplace=False),
            nn.Conv2d(C_in, C_out, kernel_size, stride=stride, padding=padding, bias=False),
            nn.BatchNorm2d(C_out, affine=affine),
        )

    def forward(self, x):
        return self.op(x)


class DilConv(nn.Module):
    def __init__(self, C_in, C_out, kernel_size, stride, padding, dilation, affine=True):
        super().__init__()
        self.op = nn.Sequential(
            nn.ReLU(inplace=False),
            nn.Conv2d(C_in, C_in, kernel_size=kernel_size, stride=stride, padding=padding,
                      dilation=dilation, groups=C_in, bias=False),
            nn.Conv2d(C_in, C_out, kernel_size=1, padding=0, bias=False),
            nn.BatchNorm2d(C_out, affine=affine),
        )

    def forward(self, x):
        return self.op(x)


class SepConv(nn.Module):
    def __init__(self, C_in, C_out, kernel_size, stride, padding, affine=True):
        super().__init__()
        self.op = nn.Sequential(
            nn.ReLU(inplace=False),
            nn.Conv2d(C_in, C_in, kernel_size=kernel_size, stride=stride, padding=padding,
                      groups=C_in, bias=False),
            nn.Conv2d(C_in, C_in, kernel_size=1, padding=0, bias=False),
            nn.BatchNorm2d(C_in, affine=affine),
            nn.ReLU(inplace=False),
            nn.Conv2d(C_in, C_in, kernel_size=kernel_size, stride=1, padding=padding,
                      groups=C_in, bias=False),
            nn.Conv2d(C_in, C_out, kernel_size=1, padding=0, bias=False),
            nn.BatchNorm2d(C_out, affine=affine),
        )

    def forward(self, x):
        return self.op(x)


class Identity(nn.Module):
    def forward(self, x):
        return x


class Zero(nn.Module):
    def __init__(self, stride):
        super().__init__()
        self.stride = stride

    def forward(self, x):
        if self.stride == 1:
            return x.mul(0.)
        return x[:, :, ::self.stride, ::self.stride].mul(0.)


class FactorizedReduce(nn.Module):
    def __init__(self, C_in, C_out, affine=True):
        super().__init__()
        assert C_out % 2 == 0
        self.relu = nn.ReLU(inplace=False)
        self.conv_1 = nn.Conv2d(C_in, C_out // 2, 1, stride=2, padding=0, bias=False)
        self.conv_2 = nn.Conv2d(C_in, C_out // 2, 1, stride=2, padding=0, bias=False)
        self.bn = nn.BatchNorm2d(C_out, affine=affine)

    def forward(self, x):
        x = self.relu(x)
        out = torch.cat([self.conv_1(x), self.conv_2(x[:, :, 1:, 1:])], dim=1)
        return self.bn(out)


OPS = {
    "none": lambda C, stride, affine: Zero(stride),
    "avg_pool_3x3": lambda C, stride, affine: nn.AvgPool2d(3, stride=stride, padding=1, count_include_pad=False),
    "max_pool_3x3": lambda C, stride, affine: nn.MaxPool2d(3, stride=stride, padding=1),
    "skip_connect": lambda C, stride, affine: Identity() if stride == 1 else FactorizedReduce(C, C, affine=affine),
    "sep_conv_3x3": lambda C, stride, affine: SepConv(C, C, 3, stride, 1, affine=affine),
    "sep_conv_5x5": lambda C, stride, affine: SepConv(C, C, 5, stride, 2, affine=affine),
    "dil_conv_3x3": lambda C, stride, affine: DilConv(C, C, 3, stride, 2, 2, affine=affine),
    "dil_conv_5x5": lambda C, stride, affine: DilConv(C, C, 5, stride, 4, 2, affine=affine),
}


# --------------------------------------------------------------------------
# DARTS search network (quark0/darts model_search.py)
# --------------------------------------------------------------------------

class MixedOp(nn.Module):
    def __init__(self, C, stride):
        super().__init__()
        self._ops = nn.ModuleList()
        for primitive in PRIMITIVES:
            op = OPS[primitive](C, stride, False)
            if "pool" in primitive:
                op = nn.Sequential(op, nn.BatchNorm2d(C, affine=False))
            self._ops.append(op)

    def forward(self, x, weights):
        return sum(w * op(x) for w, op in zip(weights, self._ops))


class Cell(nn.Module):
    def __init__(self, steps, multiplier, C_prev_prev, C_prev, C, reduction, reduction_prev):
        super().__init__()
        self.reduction = reduction
        if reduction_prev:
            self.preprocess0 = FactorizedReduce(C_prev_prev, C, affine=False)
        else:
            self.preprocess0 = ReLUConvBN(C_prev_prev, C, 1, 1, 0, affine=False)
        self.preprocess1 = ReLUConvBN(C_prev, C, 1, 1, 0, affine=False)
        self._steps = steps
        self._multiplier = multiplier
        self._ops = nn.ModuleList()
        for i in range(self._steps):
            for j in range(2 + i):
                stride = 2 if reduction and j < 2 else 1
                self._ops.append(MixedOp(C, stride))

    def forward(self, s0, s1, weights):
        s0 = self.preprocess0(s0)
        s1 = self.preprocess1(s1)
        states = [s0, s1]
        offset = 0
        for _ in range(self._steps):
            s = sum(self._ops[offset + j](h, weights[offset + j]) for j, h in enumerate(states))
            offset += len(states)
            states.append(s)
        return torch.cat(states[-self._multiplier:], dim=1)


class Network(nn.Module):
    """DARTS supernet.  As in DARTS, the architecture parameters are plain
    tensors with requires_grad (not nn.Parameters), so model.parameters()
    yields the weights only."""

    def __init__(self, C, num_classes, layers, steps=4, multiplier=4, stem_multiplier=3):
        super().__init__()
        self._C = C
        self._num_classes = num_classes
        self._layers = layers
        self._steps = steps
        self._multiplier = multiplier

        C_curr = stem_multiplier * C
        self.stem = nn.Sequential(
            nn.Conv2d(3, C_curr, 3, padding=1, bias=False),
            nn.BatchNorm2d(C_curr),
        )
        C_prev_prev, C_prev, C_curr = C_curr, C_curr, C
        self.cells = nn.ModuleList()
        reduction_prev = False
        for i in range(layers):
            if i in [layers // 3, 2 * layers // 3]:
                C_curr *= 2
                reduction = True
            else:
                reduction = False
            cell = Cell(steps, multiplier, C_prev_prev, C_prev, C_curr, reduction, reduction_prev)
            reduction_prev = reduction
            self.cells.append(cell)
            C_prev_prev, C_prev = C_prev, multiplier * C_curr
        self.global_pooling = nn.AdaptiveAvgPool2d(1)
        self.classifier = nn.Linear(C_prev, num_classes)
        self._initialize_alphas()

    def _initialize_alphas(self):
        k = sum(1 for i in range(self._steps) for _ in range(2 + i))
        num_ops = len(PRIMITIVES)
        self.alphas_normal = (1e-3 * torch.randn(k, num_ops, device=DEVICE)).requires_grad_(True)
        self.alphas_reduce = (1e-3 * torch.randn(k, num_ops, device=DEVICE)).requires_grad_(True)
        self._arch_parameters = [self.alphas_normal, self.alphas_reduce]

    def arch_parameters(self):
        return self._arch_parameters

    def new(self):
        model_new = Network(self._C, self._num_classes, self._layers, self._steps, self._multiplier)
        for x, y in zip(model_new.arch_parameters(), self.arch_parameters()):
            x.data.copy_(y.data)
        return model_new

    def forward(self, input):
        s0 = s1 = self.stem(input)
        for cell in self.cells:
            if cell.reduction:
                weights = F.softmax(self.alphas_reduce, dim=-1)
            else:
                weights = F.softmax(self.alphas_normal, dim=-1)
            s0, s1 = s1, cell(s0, s1, weights)
        out = self.global_pooling(s1)
        return self.classifier(out.view(out.size(0), -1))


# --------------------------------------------------------------------------
# Second-order architect (quark0/darts architect.py)
# --------------------------------------------------------------------------

def _concat(xs):
    # reshape, not view: parameters may be channels_last (non-contiguous);
    # reshape(-1) always flattens in logical (NCHW) order.
    return torch.cat([x.reshape(-1) for x in xs])


class Architect:
    def __init__(self, model, network_optimizer, momentum, weight_decay, memory_format,
                 fresh_unrolled):
        self.model = model
        self.network_optimizer = network_optimizer
        self.network_momentum = momentum
        self.network_weight_decay = weight_decay
        self.memory_format = memory_format
        self.fresh_unrolled = fresh_unrolled
        self.optimizer = torch.optim.Adam(model.arch_parameters(), lr=3e-4, betas=(0.5, 0.999),
                                          weight_decay=1e-3)
        self.shadow = None

    def step(self, input_train, target_train, input_valid, target_valid, eta, unrolled):
        self.optimizer.zero_grad(set_to_none=True)
        if unrolled:
            self._backward_step_unrolled(input_train, target_train, input_valid, target_valid, eta)
        else:
            loss = F.cross_entropy(self.model(input_valid), target_valid)
            loss.backward()
        self.optimizer.step()

    def _compute_unrolled_model(self, input, target, eta):
        params = list(self.model.parameters())
        loss = F.cross_entropy(self.model(input), target)
        theta = _concat(params).detach()
        state = self.network_optimizer.state
        if all(p in state and state[p].get("momentum_buffer") is not None for p in params):
            moment = _concat(state[p]["momentum_buffer"] for p in params).mul_(self.network_momentum)
        else:
            moment = torch.zeros_like(theta)
        dtheta = _concat(torch.autograd.grad(loss, params)).detach() + self.network_weight_decay * theta
        return self._construct_model_from_theta(theta.sub(moment + dtheta, alpha=eta))

    def _construct_model_from_theta(self, theta):
        # DARTS builds a fresh Network (model.new()) and load_state_dict()s the
        # model's buffers plus the unrolled weights into it.  By default we keep
        # one preallocated shadow network and copy the same state into it (same
        # math, no per-step construction/initialisation cost); --fresh-unrolled
        # reproduces DARTS literally.
        if self.fresh_unrolled or self.shadow is None:
            shadow = self.model.new().to(DEVICE, memory_format=self.memory_format)
            if not self.fresh_unrolled:
                self.shadow = shadow
        else:
            shadow = self.shadow
        with torch.no_grad():
            offset = 0
            for p_new, p in zip(shadow.parameters(), self.model.parameters()):
                n = p.numel()
                p_new.copy_(theta[offset:offset + n].view(p.size()))
                p_new.grad = None
                offset += n
            assert offset == theta.numel()
            for b_new, b in zip(shadow.buffers(), self.model.buffers()):
                b_new.copy_(b)
            for a_new, a in zip(shadow.arch_parameters(), self.model.arch_parameters()):
                a_new.copy_(a)
                a_new.grad = None
        shadow.train()
        return shadow

    def _backward_step_unrolled(self, input_train, target_train, input_valid, target_valid, eta):
        unrolled_model = self._compute_unrolled_model(input_train, target_train, eta)
        unrolled_loss = F.cross_entropy(unrolled_model(input_valid), target_valid)
        unrolled_loss.backward()
        dalpha = [v.grad for v in unrolled_model.arch_parameters()]
        vector = [v.grad.detach() if v.grad is not None else torch.zeros_like(v)
                  for v in unrolled_model.parameters()]
        implicit_grads = self._hessian_vector_product(vector, input_train, target_train)
        for g, ig in zip(dalpha, implicit_grads):
            g.data.sub_(ig.data, alpha=eta)
        for v, g in zip(self.model.arch_parameters(), dalpha):
            if v.grad is None:
                v.grad = g.data.clone()
            else:
                v.grad.data.copy_(g.data)

    def _hessian_vector_product(self, vector, input, target, r=1e-2):
        R = r / _concat(vector).norm()
        params = list(self.model.parameters())
        alphas = self.model.arch_parameters()
        with torch.no_grad():
            for p, v in zip(params, vector):
                p.add_(v, alpha=R)
        loss = F.cross_entropy(self.model(input), target)
        grads_p = torch.autograd.grad(loss, alphas)
        with torch.no_grad():
            for p, v in zip(params, vector):
                p.sub_(v, alpha=2 * R)
        loss = F.cross_entropy(self.model(input), target)
        grads_n = torch.autograd.grad(loss, alphas)
        with torch.no_grad():
            for p, v in zip(params, vector):
                p.add_(v, alpha=R)
        return [(x - y).div_(2 * R) for x, y in zip(grads_p, grads_n)]


# --------------------------------------------------------------------------
# Other models
# --------------------------------------------------------------------------

def small_cnn(W):
    return nn.Sequential(
        nn.Conv2d(3, W, 3, padding=1, bias=False), nn.BatchNorm2d(W), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(W, 2 * W, 3, padding=1, bias=False), nn.BatchNorm2d(2 * W), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(2 * W, 4 * W, 3, padding=1, bias=False), nn.BatchNorm2d(4 * W), nn.ReLU(),
        nn.AdaptiveAvgPool2d(2), nn.Flatten(), nn.Linear(4 * W * 4, 10),
    )


class MixedEdge(nn.Module):
    """One DARTS MixedOp (stride 1, affine=False) with its own alpha [8]."""

    def __init__(self, C):
        super().__init__()
        self.op = MixedOp(C, 1)
        self.alpha = (1e-3 * torch.randn(len(PRIMITIVES), device=DEVICE)).requires_grad_(True)

    def forward(self, x):
        return self.op(x, F.softmax(self.alpha, dim=-1))


# --------------------------------------------------------------------------
# Measurement
# --------------------------------------------------------------------------

def sync():
    if DEVICE.type == "cuda":
        torch.cuda.synchronize(DEVICE)


def measure(fn, warmup, repeats):
    for _ in range(warmup):
        fn()
    sync()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        sync()
        times.append(time.perf_counter() - t0)
    return times


def img_s(batch, times):
    return round(batch / statistics.median(times), 3) if times else None


def rounded(times):
    return [round(t, 6) for t in times]


def count(params):
    return sum(p.numel() for p in params)


def run_small_cnn(args, mf, out):
    model = small_cnn(args.width).to(DEVICE, memory_format=mf).train()
    x = torch.randn(args.batch, 3, 32, 32, device=DEVICE).contiguous(memory_format=mf)
    y = torch.randint(0, 10, (args.batch,), device=DEVICE)
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, weight_decay=5e-4)

    def step():
        loss = F.cross_entropy(model(x), y)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()

    times = measure(step, args.warmup, args.repeats)
    out.update(width=args.width, params=count(model.parameters()),
               train_img_s=img_s(args.batch, times), train_step_s=rounded(times))


def run_mixed_edge(args, mf, out):
    model = MixedEdge(args.C).to(DEVICE, memory_format=mf).train()
    x = torch.randn(args.batch, args.C, 32, 32, device=DEVICE).contiguous(memory_format=mf)
    # SGD on the op weights only (alpha gets a gradient but is not updated);
    # DARTS' weight-optimizer hyper-parameters.
    opt = torch.optim.SGD(model.parameters(), lr=0.025, momentum=0.9, weight_decay=3e-4)

    def step():
        out_ = model(x)
        loss = (out_ * out_).mean()
        opt.zero_grad(set_to_none=True)
        model.alpha.grad = None
        loss.backward()
        opt.step()

    times = measure(step, args.warmup, args.repeats)
    out.update(C=args.C, params=count(model.parameters()), arch_params=model.alpha.numel(),
               train_img_s=img_s(args.batch, times), train_step_s=rounded(times))


def run_supernet(args, mf, out):
    lr, momentum, wd, grad_clip = 0.025, 0.9, 3e-4, 5.0
    model = Network(args.C, 10, args.layers).to(DEVICE, memory_format=mf).train()
    weights = list(model.parameters())
    w_opt = torch.optim.SGD(weights, lr=lr, momentum=momentum, weight_decay=wd)
    architect = Architect(model, w_opt, momentum, wd, mf, args.fresh_unrolled)
    B = args.batch
    x_train = torch.randn(B, 3, 32, 32, device=DEVICE).contiguous(memory_format=mf)
    y_train = torch.randint(0, 10, (B,), device=DEVICE)
    x_val = torch.randn(B, 3, 32, 32, device=DEVICE).contiguous(memory_format=mf)
    y_val = torch.randint(0, 10, (B,), device=DEVICE)

    # One DARTS search step (train_search.py): architecture update on the
    # "val" batch (first order: plain gradient; second order: unrolled
    # architect with eta = the weight lr), then the weight update on the
    # "train" batch.  Throughput is reported as B / seconds-per-step, i.e.
    # how many *training* images one search step consumes per second (the
    # val batch of the same size is not counted).
    def search_step():
        model.train()
        architect.step(x_train, y_train, x_val, y_val, lr, unrolled=(args.order == 2))
        w_opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(x_train), y_train)
        loss.backward()
        nn.utils.clip_grad_norm_(weights, grad_clip)
        w_opt.step()

    search_times = measure(search_step, args.warmup, args.repeats)

    def eval_step():
        with torch.no_grad():
            model(x_train)

    model.eval()
    eval_times = measure(eval_step, args.warmup, args.repeats)
    model.train()

    out.update(C=args.C, layers=args.layers, order=args.order,
               params=count(weights),
               classifier_params=count(model.classifier.parameters()),
               arch_params=count(model.arch_parameters()),
               search_img_s=img_s(B, search_times), eval_img_s=img_s(B, eval_times),
               search_step_s=rounded(search_times), eval_step_s=rounded(eval_times))
    if args.order == 2:
        out["fresh_unrolled"] = bool(args.fresh_unrolled)


def parse_args(argv):
    p = argparse.ArgumentParser(description="PyTorch reference benchmarks for lnas bench")
    p.add_argument("model", choices=["small-cnn", "mixed-edge", "supernet"])
    p.add_argument("--threads", type=int, default=None)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--repeats", type=int, default=10)
    p.add_argument("--memory-format", choices=["nchw", "channels_last"], default="nchw")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--device", default="cpu", help="cpu, cuda or cuda:N")
    p.add_argument("--width", type=int, default=32, help="small-cnn base width")
    p.add_argument("--C", type=int, default=None, help="channels (mixed-edge: 16, supernet: 8)")
    p.add_argument("--layers", type=int, default=5, help="supernet cells")
    p.add_argument("--order", type=int, choices=[1, 2], default=1, help="supernet DARTS order")
    p.add_argument("--fresh-unrolled", action="store_true",
                   help="order 2: rebuild the unrolled model every step like DARTS")
    args = p.parse_args(argv)
    if args.C is None:
        args.C = 16 if args.model == "mixed-edge" else 8
    for name in ("batch", "C", "layers", "width"):
        if getattr(args, name) < 1:
            p.error("--%s must be >= 1" % name)
    if args.warmup < 0 or args.repeats < 1:
        p.error("--warmup must be >= 0 and --repeats >= 1")
    if args.threads is not None and args.threads < 1:
        p.error("--threads must be >= 1")
    return args


def main(argv):
    try:
        args = parse_args(argv)
    except SystemExit as e:  # argparse already wrote usage/help to stderr
        if not e.code:  # --help
            return 0
        emit({"impl": "pytorch", "error": "bad arguments"})
        return e.code if isinstance(e.code, int) else 2
    out = {"impl": "pytorch", "torch": torch.__version__, "model": args.model}
    try:
        global DEVICE
        DEVICE = torch.device(args.device)
        if DEVICE.type == "cuda":
            if not torch.cuda.is_available():
                raise RuntimeError("--device %s: this PyTorch has no usable CUDA" % args.device)
            torch.backends.cudnn.benchmark = True
            out["gpu"] = torch.cuda.get_device_name(DEVICE)
        out["device"] = str(DEVICE)
        out["env"] = {k: os.environ[k] for k in ("OMP_WAIT_POLICY", "GOMP_SPINCOUNT", "OMP_NUM_THREADS") if k in os.environ}
        if args.threads is not None:
            torch.set_num_threads(args.threads)
        torch.manual_seed(args.seed)
        mf = torch.channels_last if args.memory_format == "channels_last" else torch.contiguous_format
        out.update(batch=args.batch, threads=torch.get_num_threads(),
                   interop_threads=torch.get_num_interop_threads(),
                   memory_format=args.memory_format, warmup=args.warmup,
                   repeats=args.repeats, seed=args.seed)
        {"small-cnn": run_small_cnn, "mixed-edge": run_mixed_edge,
         "supernet": run_supernet}[args.model](args, mf, out)
        out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
        if DEVICE.type == "cuda":
            out["peak_device_mb"] = round(torch.cuda.max_memory_allocated(DEVICE) / 2**20, 1)
    except Exception as e:  # report, still as one JSON line
        traceback.print_exc(file=sys.stderr)
        out["error"] = "%s: %s" % (type(e).__name__, e)
        emit(out)
        return 1
    emit(out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
