// Image files for `lnas predict`: PNG (pngjs) and JPEG (jpeg-js), both pure JavaScript, decoded to
// the CHW uint8 planes of an ImageSet so that the training pipeline's own normalisation applies.
import { readFileSync } from 'node:fs';
import jpeg from 'jpeg-js';
import pngjs from 'pngjs';
import { DataError } from '../errors.js';
import type { ImageSet } from '../data/types.js';

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47];
const JPEG_MAGIC = [0xff, 0xd8, 0xff];

/** RGBA pixels of a PNG or JPEG file (detected by content, not by name). */
export function decodeImage(path: string): { width: number; height: number; rgba: Uint8Array } {
  let buf: Buffer;
  try { buf = readFileSync(path); } catch (e) {
    throw new DataError('LNAS_IMAGE_UNREADABLE', `cannot read ${path}: ${(e as Error).message}`, { path, cause: e });
  }
  const starts = (magic: number[]) => magic.every((b, i) => buf[i] === b);
  try {
    if (starts(PNG_MAGIC)) {
      const png = pngjs.PNG.sync.read(buf);
      return { width: png.width, height: png.height, rgba: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength) };
    }
    if (starts(JPEG_MAGIC)) {
      const img = jpeg.decode(buf, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 256 });
      return { width: img.width, height: img.height, rgba: img.data };
    }
  } catch (e) {
    throw new DataError('LNAS_IMAGE_CORRUPT', `${path} is not a readable PNG or JPEG: ${(e as Error).message}`, { path, cause: e });
  }
  throw new DataError('LNAS_IMAGE_FORMAT', `${path} is neither a PNG nor a JPEG file (by its first bytes); pass .png or .jpg images`, { path });
}

/** The files as one ImageSet (labels 0), each converted to `channels` (3: RGB, 1: luminance); sizes must match the model's. */
export function imageSetOf(paths: readonly string[], shape: { channels: number; height: number; width: number; classes: number }): ImageSet {
  const { channels, height, width } = shape;
  const plane = height * width;
  const images = new Uint8Array(paths.length * channels * plane);
  paths.forEach((path, n) => {
    const img = decodeImage(path);
    if (img.width !== width || img.height !== height) {
      throw new DataError('LNAS_IMAGE_SIZE', `${path} is ${img.width}×${img.height} pixels but the model takes ${width}×${height}; resize it first`, { path });
    }
    const base = n * channels * plane;
    for (let p = 0; p < plane; p++) {
      const [r, g, b] = [img.rgba[4 * p] as number, img.rgba[4 * p + 1] as number, img.rgba[4 * p + 2] as number];
      if (channels === 1) images[base + p] = Math.round(0.299 * r + 0.587 * g + 0.114 * b);
      else for (let c = 0; c < channels; c++) images[base + c * plane + p] = [r, g, b][c] ?? 0;
    }
  });
  return { images, labels: new Uint8Array(paths.length), n: paths.length, channels, height, width, classes: shape.classes };
}
