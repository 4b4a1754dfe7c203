// `lnas export`'s library side: a run folder's network to ONNX and/or safetensors files, written
// atomically. The safetensors file holds the eval-mode state dict (pruned weights as zeros) under
// PyTorch's names; both files carry the architecture and normalisation as metadata.
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { saveSafetensors } from '../nn/safetensors.js';
import { writeFileAtomic } from '../util/fs.js';
import { exportOnnx } from '../export/onnx.js';
import { loadRunModel, type NetworkChoice, type RunModel } from './run-model.js';

export type ExportFormat = 'onnx' | 'safetensors' | 'all';

export interface ExportOptions {
  format?: ExportFormat;
  /** Output folder (default: <run folder>/export). */
  out?: string;
  batch?: number | 'dynamic';
  network?: NetworkChoice;
}

export interface ExportedFile { format: 'onnx' | 'safetensors'; path: string; bytes: number; seconds: number }

export interface ExportResult {
  run: string;
  family: string;
  role: string;
  dataset: string;
  input: [number, number, number];
  classes: number;
  parameters: number;
  /** Seconds to rebuild the network from the run folder. */
  load_seconds: number;
  files: ExportedFile[];
}

/** Writes the files of an already loaded network. */
export function writeExports(rm: RunModel, dir: string, base: string, o: Pick<ExportOptions, 'format' | 'batch'> = {}): ExportedFile[] {
  const format = o.format ?? 'all';
  mkdirSync(dir, { recursive: true });
  const files: ExportedFile[] = [];
  if (format === 'onnx' || format === 'all') {
    const t0 = performance.now();
    const bytes = exportOnnx(rm.model, { input: rm.input, batch: o.batch ?? 'dynamic', metadata: rm.metadata, name: rm.metadata['lnas.run'] ?? 'lnas' });
    const path = join(dir, `${base}.onnx`);
    writeFileAtomic(path, bytes);
    files.push({ format: 'onnx', path, bytes: statSync(path).size, seconds: (performance.now() - t0) / 1000 });
  }
  if (format === 'safetensors' || format === 'all') {
    const t0 = performance.now();
    const path = join(dir, `${base}.safetensors`);
    saveSafetensors(path, rm.model.stateDict(), { format: 'lnas-export-1', ...rm.metadata });
    files.push({ format: 'safetensors', path, bytes: statSync(path).size, seconds: (performance.now() - t0) / 1000 });
  }
  return files;
}

export async function exportRun(runDir: string, o: ExportOptions = {}): Promise<ExportResult> {
  const t0 = performance.now();
  const rm = await loadRunModel(runDir, o.network === undefined ? {} : { network: o.network });
  const loadSeconds = (performance.now() - t0) / 1000;
  try {
    const files = writeExports(rm, o.out ?? join(runDir, 'export'), rm.role === 'train' ? 'model' : rm.role, o);
    return {
      run: runDir, family: rm.family, role: rm.role, dataset: rm.dataset, input: rm.input, classes: rm.classes,
      parameters: rm.model.parameterCount(), load_seconds: loadSeconds, files,
    };
  } finally {
    rm.model.dispose();
  }
}
