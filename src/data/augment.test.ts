import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConfigError } from '../errors.js';
import { Rng } from '../util/rng.js';
import { checkAugment, drawAug, NO_AUG, normalisationTable, writeImage, type AugDraw } from './augment.js';

const g = { channels: 3, height: 8, width: 6 };
const mean = [0.5, 0.4, 0.3];
const std = [0.2, 0.25, 0.3];

function randomImage(seed: number): Uint8Array {
  const rng = new Rng(seed);
  return Uint8Array.from({ length: 3 * 8 * 6 }, () => rng.int(256));
}

/**
 * Straightforward reference, step by step as torchvision + DARTS do it: pad with zeros,
 * crop at (oy, ox), flip, scale to [0,1], normalise, cut out. Returns CHW.
 */
function reference(img: Uint8Array, pad: number, cutout: number, d: AugDraw): number[] {
  const { channels: C, height: H, width: W } = g;
  const P = (c: number, y: number, x: number): number =>
    y < 0 || y >= H || x < 0 || x >= W ? 0 : (img[(c * H + y) * W + x] as number);
  const out: number[] = [];
  for (let c = 0; c < C; c++) {
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        const cx = d.flip ? W - 1 - x : x; // flip after crop
        const v = P(c, y + d.oy - pad, cx + d.ox - pad) / 255;
        let z = (v - (mean[c] as number)) / (std[c] as number);
        const h = Math.floor(cutout / 2);
        if (cutout > 0 && y >= Math.max(0, d.cy - h) && y < Math.min(H, d.cy + h) && x >= Math.max(0, d.cx - h) && x < Math.min(W, d.cx + h)) z = 0;
        out.push(z);
      }
    }
  }
  return out;
}

function close(a: ArrayLike<number>, b: ArrayLike<number>): void {
  assert.equal(a.length, b.length);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs((a[i] as number) - (b[i] as number)) < 1e-5, `element ${i}: ${a[i]} vs ${b[i]}`);
}

describe('augmentation kernel', () => {
  const lut = normalisationTable(mean, std, 3);
  const per = 3 * 8 * 6;

  test('no augmentation: plain normalisation', () => {
    const img = randomImage(1);
    const out = new Float32Array(per * 2);
    writeImage(img, 0, g, 0, 0, NO_AUG, lut, out, 1, 'nchw');
    assert.ok(out.subarray(0, per).every((v) => v === 0), 'batch item 0 untouched');
    close(out.subarray(per), Array.from(img, (v, i) => (v / 255 - (mean[Math.floor(i / 48)] as number)) / (std[Math.floor(i / 48)] as number)));
  });

  test('matches the reference for random crops, flips and cutouts, in both layouts', () => {
    const rng = new Rng(3);
    const aug = checkAugment({ padding: 3, flip: true, cutout: 4 });
    const d: AugDraw = { ...NO_AUG };
    let flips = 0;
    for (let trial = 0; trial < 200; trial++) {
      const img = randomImage(trial);
      drawAug(rng, aug, g, d);
      if (d.flip) flips++;
      assert.ok(d.oy >= 0 && d.oy <= 6 && d.ox >= 0 && d.ox <= 6);
      const ref = reference(img, 3, 4, d);
      const nchw = new Float32Array(per);
      writeImage(img, 0, g, 3, 4, d, lut, nchw, 0, 'nchw');
      close(nchw, ref);
      const nhwc = new Float32Array(per);
      writeImage(img, 0, g, 3, 4, d, lut, nhwc, 0, 'nhwc');
      for (let c = 0; c < 3; c++) for (let p = 0; p < 48; p++) assert.equal(nhwc[p * 3 + c], nchw[c * 48 + p]);
    }
    assert.ok(flips > 70 && flips < 130, `flips ${flips}/200`);
  });

  test('an extreme crop shows the normalised black padding', () => {
    const img = new Uint8Array(per).fill(255);
    const out = new Float32Array(per);
    // Offset (0,0) with padding 4 shifts the image 4 down and 4 right.
    writeImage(img, 0, g, 4, 0, { oy: 0, ox: 0, flip: false, cy: -1, cx: -1 }, lut, out, 0, 'nchw');
    assert.equal(out[0], (0 - 0.5) / 0.2);
    assert.ok(Math.abs((out[4 * 6 + 4] as number) - (1 - 0.5) / 0.2) < 1e-6);
  });

  test('options are validated', () => {
    assert.throws(() => checkAugment({ padding: -1 }), ConfigError);
    assert.throws(() => checkAugment({ cutout: 1.5 }), ConfigError);
    assert.throws(() => normalisationTable([0.5], [0.2], 3), ConfigError);
    assert.throws(() => normalisationTable([0.5], [0], 1), ConfigError);
  });
});
