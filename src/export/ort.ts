// ONNX Runtime for Node (onnxruntime-node, an optional dependency): loaded on first use, so lnas
// works without it until a command needs it; a missing install is a typed error saying how to add it.
import { LnasError } from '../errors.js';

type Ort = typeof import('onnxruntime-node');
export type OrtSession = import('onnxruntime-node').InferenceSession;

let cached: Ort | null = null;

export async function loadOrt(): Promise<Ort> {
  if (cached) return cached;
  try {
    const m = (await import('onnxruntime-node')) as Ort & { default?: Ort };
    cached = (m.InferenceSession ? m : m.default) as Ort;
    return cached;
  } catch (e) {
    throw new LnasError('LNAS_ORT_MISSING', 'onnxruntime-node is not installed (it is an optional dependency of lnas); ' +
      'install it with ONNXRUNTIME_NODE_INSTALL=skip npm install onnxruntime-node@1.30.0', { cause: e });
  }
}

/** A CPU session with a fixed number of intra-op threads and sequential execution (comparable timings). */
export async function createSession(model: Uint8Array | string, threads: number): Promise<OrtSession> {
  const ort = await loadOrt();
  const opts = { intraOpNumThreads: threads, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all', executionProviders: ['cpu'] } as const;
  try {
    return typeof model === 'string' ? await ort.InferenceSession.create(model, opts) : await ort.InferenceSession.create(model, opts);
  } catch (e) {
    throw new LnasError('LNAS_ONNX_INVALID', `ONNX Runtime cannot load ${typeof model === 'string' ? model : 'the model'}: ${(e as Error).message}`, { cause: e });
  }
}

/** Logits of a batch of NCHW float32 images. */
export async function runSession(session: OrtSession, x: Float32Array, shape: readonly number[]): Promise<Float32Array> {
  const ort = await loadOrt();
  const input = new ort.Tensor('float32', x, [...shape]);
  const out = await session.run({ [session.inputNames[0] as string]: input });
  const y = out[session.outputNames[0] as string];
  if (!y) throw new LnasError('LNAS_ONNX_INVALID', 'the ONNX model produced no output');
  return y.data as Float32Array;
}
