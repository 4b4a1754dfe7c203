// ONNX export by walking lnas's own module tree (libtorch's exporter lives in Python). Each module
// class has a converter that emits ONNX nodes with eval-mode semantics: BatchNorm uses its running
// statistics (BatchNormalization, which ONNX Runtime folds into the convolution), dropout and
// drop-path vanish, the auxiliary head is left out. Weights become initializers named by their
// state-dict path; shapes are tracked statically so that adaptive pools and slices get constants.
// A module or function with no ONNX mapping is an LnasError (LNAS_EXPORT_UNSUPPORTED) that names it.
import { LnasError } from '../errors.js';
import { BatchNorm2d, Conv2d, Dropout, Fn, Linear, Sequential, SqueezeExcite } from '../nn/layers.js';
import type { Layer, Module } from '../nn/module.js';
import { DilConv, FactorizedReduce, Identity, Pool, ReLUConvBN, type ReluFirst, SepConv, Zero } from '../spaces/darts/ops.js';
import { EvalCell, GenotypeNetwork } from '../spaces/darts/network.js';
import { ConvBnAct, InvertedResidual } from '../spaces/mobilenet/blocks.js';
import { MobileNetNetwork } from '../spaces/mobilenet/network.js';
import type { Tensor } from '../tensor/tensor.js';
import { ATTR, encodeModel, ONNX_FLOAT, ONNX_INT64, type OnnxAttribute, type OnnxModel, type OnnxNode, type OnnxTensor } from './onnx-proto.js';

export const OPSET = 17;
/** ONNX IR version 8 goes with opset 17. */
const IR_VERSION = 8;

export interface OnnxExportOptions {
  /** Channels, height, width of one input image. */
  input: readonly [number, number, number];
  /** A fixed batch size, or 'dynamic' (a symbolic `batch` dimension; the default). */
  batch?: number | 'dynamic';
  /** Strings stored in the model's metadata_props (architecture, dataset, normalisation). */
  metadata?: Readonly<Record<string, string>>;
  /** Graph name (default: lnas). */
  name?: string;
}

type Dim = number | 'batch';
interface Value { name: string; shape: Dim[] }

export class UnsupportedExportError extends LnasError {
  constructor(readonly op: string, modulePath: string, why: string) {
    super('LNAS_EXPORT_UNSUPPORTED', `cannot export op '${op}' at '${modulePath || '<root>'}' to ONNX: ${why}`, { path: modulePath });
  }
}

const attrInt = (name: string, i: number): OnnxAttribute => ({ name, type: ATTR.INT, i });
const attrInts = (name: string, ints: readonly number[]): OnnxAttribute => ({ name, type: ATTR.INTS, ints: [...ints] });
const attrFloat = (name: string, f: number): OnnxAttribute => ({ name, type: ATTR.FLOAT, f });

function bytesOf(data: Float32Array | BigInt64Array): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** Builds one graph: nodes, initializers (weights by state-dict name) and shapes. */
class GraphBuilder {
  readonly nodes: OnnxNode[] = [];
  readonly initializers: OnnxTensor[] = [];
  private readonly used = new Set<string>();
  private counter = 0;

  private fresh(base: string): string {
    let name = base;
    while (this.used.has(name)) name = `${base}_${++this.counter}`;
    this.used.add(name);
    return name;
  }

  /** A float32 initializer from an lnas tensor (logical NCHW order whatever its memory layout). */
  weight(name: string, t: Tensor): string {
    if (t.dtype !== 'float32' && t.dtype !== 'float64') throw new UnsupportedExportError(`${t.dtype} tensor`, name, 'only floating-point weights are exported');
    const raw = t.toArray() as Float32Array | Float64Array;
    return this.floats(name, raw instanceof Float32Array ? raw : Float32Array.from(raw), t.shape);
  }

  floats(name: string, data: Float32Array, dims: readonly number[]): string {
    const n = this.fresh(name);
    // A copy: the raw bytes must not alias a buffer that is reused.
    this.initializers.push({ name: n, dims: [...dims], dataType: ONNX_FLOAT, rawData: new Uint8Array(bytesOf(data)) });
    return n;
  }

  int64s(name: string, values: readonly number[]): string {
    const n = this.fresh(name);
    this.initializers.push({ name: n, dims: [values.length], dataType: ONNX_INT64, rawData: new Uint8Array(bytesOf(BigInt64Array.from(values.map(BigInt)))) });
    return n;
  }

  node(opType: string, path: string, inputs: string[], shape: Dim[], attribute: OnnxAttribute[] = []): Value {
    const name = this.fresh(`${path ? `${path}/` : ''}${opType}`);
    this.nodes.push({ name, opType, input: inputs, output: [name], attribute });
    return { name, shape };
  }
}

const join = (path: string, name: string) => (path ? `${path}.${name}` : name);
const spatial = (size: number, k: number, s: number, p: number, d = 1) => Math.floor((size + 2 * p - d * (k - 1) - 1) / s) + 1;
const dimsOf = (v: Value): [Dim, number, number, number] => {
  if (v.shape.length !== 4) throw new UnsupportedExportError('4-d op', v.name, `expected a 4-d input, got shape [${v.shape.join(', ')}]`);
  return v.shape as [Dim, number, number, number];
};

class Exporter {
  constructor(readonly g: GraphBuilder) {}

  // ---- lnas layers ---------------------------------------------------------------------------

  conv(m: Conv2d, path: string, x: Value): Value {
    const [n, , h, w] = dimsOf(x);
    const o = m.options;
    const [s, p, d, groups] = [o.stride ?? 1, o.padding ?? 0, o.dilation ?? 1, o.groups ?? 1];
    const inputs = [x.name, this.g.weight(join(path, 'weight'), m.weight)];
    if (m.bias) inputs.push(this.g.weight(join(path, 'bias'), m.bias));
    return this.g.node('Conv', path, inputs, [n, m.outChannels, spatial(h, m.kernel, s, p, d), spatial(w, m.kernel, s, p, d)], [
      attrInts('kernel_shape', [m.kernel, m.kernel]), attrInts('strides', [s, s]), attrInts('pads', [p, p, p, p]),
      attrInts('dilations', [d, d]), attrInt('group', groups),
    ]);
  }

  batchNorm(m: BatchNorm2d, path: string, x: Value): Value {
    if (m.runningMean === null || m.runningVar === null) {
      throw new UnsupportedExportError('batch_norm', path, 'BatchNorm without running statistics normalises with batch statistics even in eval mode, which has no ONNX inference op');
    }
    const c = m.channels;
    const scale = m.weight ? this.g.weight(join(path, 'weight'), m.weight) : this.g.floats(join(path, 'weight'), new Float32Array(c).fill(1), [c]);
    const bias = m.bias ? this.g.weight(join(path, 'bias'), m.bias) : this.g.floats(join(path, 'bias'), new Float32Array(c), [c]);
    const inputs = [x.name, scale, bias, this.g.weight(join(path, 'running_mean'), m.runningMean), this.g.weight(join(path, 'running_var'), m.runningVar)];
    return this.g.node('BatchNormalization', path, inputs, [...x.shape], [attrFloat('epsilon', m.options.eps ?? 1e-5)]);
  }

  linear(m: Linear, path: string, x: Value): Value {
    if (x.shape.length !== 2) throw new UnsupportedExportError('linear', path, `expected a 2-d input, got shape [${x.shape.join(', ')}]`);
    const inputs = [x.name, this.g.weight(join(path, 'weight'), m.weight)];
    if (m.bias) inputs.push(this.g.weight(join(path, 'bias'), m.bias));
    return this.g.node('Gemm', path, inputs, [x.shape[0] as Dim, m.outFeatures], [attrInt('transB', 1)]);
  }

  relu(path: string, x: Value): Value { return this.g.node('Relu', path, [x.name], [...x.shape]); }
  hardswish(path: string, x: Value): Value { return this.g.node('HardSwish', path, [x.name], [...x.shape]); }
  /** torch's hardsigmoid is relu6(x + 3) / 6; ONNX's default alpha is 0.2, so both are set. */
  hardsigmoid(path: string, x: Value): Value { return this.g.node('HardSigmoid', path, [x.name], [...x.shape], [attrFloat('alpha', 1 / 6), attrFloat('beta', 0.5)]); }
  globalPool(path: string, x: Value): Value {
    const [n, c] = dimsOf(x);
    return this.g.node('GlobalAveragePool', path, [x.name], [n, c, 1, 1]);
  }
  flatten(path: string, x: Value): Value {
    const rest = x.shape.slice(1);
    if (!rest.every((d): d is number => typeof d === 'number')) throw new UnsupportedExportError('flatten', path, 'non-batch dimensions must be static');
    return this.g.node('Flatten', path, [x.name], [x.shape[0] as Dim, rest.reduce((a, b) => a * b, 1)], [attrInt('axis', 1)]);
  }
  add(path: string, a: Value, b: Value): Value { return this.g.node('Add', path, [a.name, b.name], [...a.shape]); }

  maxPool(path: string, x: Value, k: number, s: number, p: number): Value {
    const [n, c, h, w] = dimsOf(x);
    return this.g.node('MaxPool', path, [x.name], [n, c, spatial(h, k, s, p), spatial(w, k, s, p)],
      [attrInts('kernel_shape', [k, k]), attrInts('strides', [s, s]), attrInts('pads', [p, p, p, p])]);
  }

  avgPool(path: string, x: Value, k: number, s: number, p: number, countIncludePad: boolean): Value {
    const [n, c, h, w] = dimsOf(x);
    return this.g.node('AveragePool', path, [x.name], [n, c, spatial(h, k, s, p), spatial(w, k, s, p)],
      [attrInts('kernel_shape', [k, k]), attrInts('strides', [s, s]), attrInts('pads', [p, p, p, p]), attrInt('count_include_pad', countIncludePad ? 1 : 0)]);
  }

  adaptivePool(path: string, x: Value, size: number): Value {
    const [, , h, w] = dimsOf(x);
    if (size === 1) return this.globalPool(path, x);
    if (h % size !== 0 || w % size !== 0) {
      throw new UnsupportedExportError('adaptive_avg_pool2d', path, `output ${size}×${size} from a ${h}×${w} input has uneven windows, which no fixed ONNX AveragePool reproduces`);
    }
    return this.avgPool(path, x, h / size, h / size, 0, true);
  }

  fn(m: Fn, path: string, x: Value): Value {
    const a = m.attrs;
    switch (m.name) {
      case 'relu': return this.relu(path, x);
      case 'relu6': {
        const lo = this.g.floats(join(path, 'min'), new Float32Array([0]), []);
        const hi = this.g.floats(join(path, 'max'), new Float32Array([6]), []);
        return this.g.node('Clip', path, [x.name, lo, hi], [...x.shape]);
      }
      case 'hardswish': return this.hardswish(path, x);
      case 'hardsigmoid': return this.hardsigmoid(path, x);
      case 'identity': return x;
      case 'flatten': return this.flatten(path, x);
      case 'global_avg_pool': return this.globalPool(path, x);
      case 'max_pool2d':
        if (a.kernel !== undefined && a.stride !== undefined && a.padding !== undefined) return this.maxPool(path, x, a.kernel, a.stride, a.padding);
        break;
      case 'adaptive_avg_pool2d':
        if (a.size !== undefined) return this.adaptivePool(path, x, a.size);
        break;
      default:
    }
    throw new UnsupportedExportError(m.name, path, 'this function layer has no ONNX mapping (or does not record its parameters in attrs)');
  }

  sequential(layers: readonly Layer[], path: string, x: Value): Value {
    return layers.reduce((v, l, i) => this.layer(l, join(path, String(i)), v), x);
  }

  squeezeExcite(m: SqueezeExcite, path: string, x: Value): Value {
    let gate = this.globalPool(join(path, 'pool'), x);
    gate = this.conv(m.reduce, join(path, 'reduce'), gate);
    gate = this.relu(join(path, 'relu'), gate);
    gate = this.conv(m.expand, join(path, 'expand'), gate);
    gate = this.hardsigmoid(join(path, 'gate'), gate);
    return this.g.node('Mul', path, [x.name, gate.name], [...x.shape]);
  }

  // ---- MobileNet3-MT -------------------------------------------------------------------------

  convBnAct(m: ConvBnAct, path: string, x: Value): Value {
    const y = this.batchNorm(m.bn, join(path, 'bn'), this.conv(m.conv, join(path, 'conv'), x));
    if (m.activation === null) return y;
    return m.activation === 'relu' ? this.relu(join(path, 'act'), y) : this.hardswish(join(path, 'act'), y);
  }

  invertedResidual(m: InvertedResidual, path: string, x: Value): Value {
    let y = this.convBnAct(m.depthwise, join(path, 'depthwise'), this.convBnAct(m.expand, join(path, 'expand'), x));
    if (m.se) y = this.squeezeExcite(m.se, join(path, 'se'), y);
    y = this.convBnAct(m.project, join(path, 'project'), y);
    return m.spec.residual ? this.add(join(path, 'residual'), y, x) : y;
  }

  mobilenet(m: MobileNetNetwork, path: string, x: Value): Value {
    let y = this.convBnAct(m.stem, join(path, 'stem'), x);
    m.stages.layers.forEach((stage, s) => {
      (stage as Sequential).layers.forEach((block, i) => { y = this.invertedResidual(block as InvertedResidual, join(path, `stages.${s}.${i}`), y); });
    });
    y = this.convBnAct(m.head, join(path, 'head'), y);
    y = this.flatten(join(path, 'flatten'), this.globalPool(join(path, 'pool'), y));
    if (m.features) y = this.hardswish(join(path, 'features_act'), this.linear(m.features, join(path, 'features'), y));
    return this.linear(m.classifier, join(path, 'classifier'), y);
  }

  // ---- DARTS genotype network ----------------------------------------------------------------

  /** A ReLU-first op given its input before the ReLU. */
  reluFirst(m: ReluFirst, path: string, x: Value): Value {
    return this.activated(m, path, this.relu(join(path, 'relu'), x));
  }

  /** A ReLU-first op given ReLU(x) (its forwardActivated). */
  activated(m: ReluFirst, path: string, xr: Value): Value {
    if (m instanceof DilConv) {
      const y = this.conv(m.pw, join(path, 'pw'), this.conv(m.dw, join(path, 'dw'), xr));
      return this.batchNorm(m.bn, join(path, 'bn'), y);
    }
    if (m instanceof SepConv) return this.reluFirst(m.b, join(path, 'b'), this.activated(m.a, join(path, 'a'), xr));
    if (m instanceof ReLUConvBN) return this.batchNorm(m.bn, join(path, 'bn'), this.conv(m.conv, join(path, 'conv'), xr));
    if (m instanceof FactorizedReduce) {
      const [n, c, h, w] = dimsOf(xr);
      const shifted = this.g.node('Slice', join(path, 'shift'),
        [xr.name, this.g.int64s(join(path, 'starts'), [1, 1]), this.g.int64s(join(path, 'ends'), [h, w]), this.g.int64s(join(path, 'axes'), [2, 3])], [n, c, h - 1, w - 1]);
      const a = this.conv(m.c1, join(path, 'c1'), xr);
      const b = this.conv(m.c2, join(path, 'c2'), shifted);
      const [, ca, ha, wa] = dimsOf(a);
      const [, cb] = dimsOf(b);
      const joined = this.g.node('Concat', join(path, 'cat'), [a.name, b.name], [n, ca + cb, ha, wa], [attrInt('axis', 1)]);
      return this.batchNorm(m.bn, join(path, 'bn'), joined);
    }
    throw new UnsupportedExportError(m.constructor.name, path, 'this ReLU-first op has no ONNX mapping');
  }

  cellOp(m: Layer, path: string, x: Value): Value {
    if (m instanceof Identity) return x;
    if (m instanceof Pool) {
      const y = m.kind === 'max' ? this.maxPool(path, x, 3, m.stride, 1) : this.avgPool(path, x, 3, m.stride, 1, false);
      return m.bn ? this.batchNorm(m.bn, join(path, 'bn'), y) : y;
    }
    if (m instanceof Zero) {
      const [n, c, h, w] = dimsOf(x);
      let s = x;
      if (m.stride !== 1) {
        s = this.g.node('Slice', join(path, 'stride'), [x.name, this.g.int64s(join(path, 'starts'), [0, 0]), this.g.int64s(join(path, 'ends'), [h, w]),
          this.g.int64s(join(path, 'axes'), [2, 3]), this.g.int64s(join(path, 'steps'), [m.stride, m.stride])], [n, c, Math.ceil(h / m.stride), Math.ceil(w / m.stride)]);
      }
      return this.g.node('Mul', path, [s.name, this.g.floats(join(path, 'zero'), new Float32Array([0]), [])], [...s.shape]);
    }
    if (m instanceof DilConv || m instanceof SepConv || m instanceof ReLUConvBN || m instanceof FactorizedReduce) return this.reluFirst(m, path, x);
    return this.layer(m, path, x);
  }

  cell(m: EvalCell, path: string, s0: Value, s1: Value): Value {
    const states = [this.reluFirst(m.pre0, join(path, 'pre0'), s0), this.reluFirst(m.pre1, join(path, 'pre1'), s1)];
    for (let node = 0; node < m.ops.length / 2; node++) {
      const branch = (k: number) => this.cellOp(m.ops[k] as Layer, join(path, `op${k}`), states[m.inputs[k] as number] as Value);
      const a = branch(2 * node);
      const b = branch(2 * node + 1);
      states.push(this.add(join(path, `node${node + 2}`), a, b));
    }
    const parts = m.concat.map((i) => states[i] as Value);
    const [n, , h, w] = dimsOf(parts[0] as Value);
    const channels = parts.reduce((sum, v) => sum + (dimsOf(v)[1]), 0);
    return this.g.node('Concat', join(path, 'concat'), parts.map((v) => v.name), [n, channels, h, w], [attrInt('axis', 1)]);
  }

  genotypeNetwork(m: GenotypeNetwork, path: string, x: Value): Value {
    let s0 = this.batchNorm(m.stemBn, join(path, 'stem_bn'), this.conv(m.stem, join(path, 'stem'), x));
    let s1 = s0;
    m.cells.forEach((cell, i) => { [s0, s1] = [s1, this.cell(cell, join(path, `cell${i}`), s0, s1)]; });
    const pooled = this.flatten(join(path, 'flatten'), this.globalPool(join(path, 'pool'), s1));
    return this.linear(m.classifier, join(path, 'classifier'), pooled);
  }

  // ---- dispatch ------------------------------------------------------------------------------

  layer(m: Module, path: string, x: Value): Value {
    if (m instanceof Conv2d) return this.conv(m, path, x);
    if (m instanceof BatchNorm2d) return this.batchNorm(m, path, x);
    if (m instanceof Linear) return this.linear(m, path, x);
    if (m instanceof Fn) return this.fn(m, path, x);
    if (m instanceof Dropout) return x;
    if (m instanceof Sequential) return this.sequential(m.layers, path, x);
    if (m instanceof SqueezeExcite) return this.squeezeExcite(m, path, x);
    if (m instanceof ConvBnAct) return this.convBnAct(m, path, x);
    if (m instanceof InvertedResidual) return this.invertedResidual(m, path, x);
    if (m instanceof MobileNetNetwork) return this.mobilenet(m, path, x);
    if (m instanceof GenotypeNetwork) return this.genotypeNetwork(m, path, x);
    if (m instanceof Identity || m instanceof Pool || m instanceof Zero || m instanceof DilConv || m instanceof SepConv
      || m instanceof ReLUConvBN || m instanceof FactorizedReduce) return this.cellOp(m as Layer, path, x);
    throw new UnsupportedExportError(m.constructor.name, path, 'this module has no ONNX mapping');
  }
}

/** The model as an ONNX ModelProto object (eval mode; the model's own train/eval flag is restored). */
export function buildOnnxModel(model: Layer, o: OnnxExportOptions): OnnxModel {
  const [c, h, w] = o.input;
  const batch = o.batch ?? 'dynamic';
  if (batch !== 'dynamic' && !(Number.isInteger(batch) && batch >= 1)) {
    throw new LnasError('LNAS_CONFIG', `batch must be a positive integer or 'dynamic', got ${String(batch)}`, { path: 'batch' });
  }
  const g = new GraphBuilder();
  const input: Value = { name: 'input', shape: [batch === 'dynamic' ? 'batch' : batch, c, h, w] };
  const out = new Exporter(g).layer(model, '', input);
  const logits = g.node('Identity', '', [out.name], out.shape);
  logits.name = 'logits';
  (g.nodes[g.nodes.length - 1] as OnnxNode).output = ['logits'];
  const info = (name: string, shape: Dim[]) => ({
    name, type: { tensorType: { elemType: ONNX_FLOAT, shape: { dim: shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } },
  });
  return {
    irVersion: IR_VERSION, producerName: 'lnas', producerVersion: '0.1.0', opsetImport: [{ domain: '', version: OPSET }],
    metadataProps: Object.entries(o.metadata ?? {}).map(([key, value]) => ({ key, value })),
    graph: { name: o.name ?? 'lnas', node: g.nodes, initializer: g.initializers, input: [info('input', input.shape)], output: [info('logits', logits.shape)] },
  };
}

/** Serialized ONNX bytes of `model` (in eval mode). */
export function exportOnnx(model: Layer, o: OnnxExportOptions): Uint8Array {
  return encodeModel(buildOnnxModel(model, o));
}
