// Option checks shared by the strategies: each failure names the option path and the fix.

import { ConfigError } from '../../errors.js';

export function checkInt(value: number, path: string, min: number): number {
  if (!Number.isInteger(value) || value < min) {
    throw new ConfigError(`${path} must be an integer >= ${min}, got ${value}`, path);
  }
  return value;
}

export function checkProb(value: number, path: string): number {
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
    throw new ConfigError(`${path} must be a probability in [0, 1], got ${value}`, path);
  }
  return value;
}

export function checkFinite(value: number, path: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ConfigError(`${path} must be a finite number, got ${value}`, path);
  }
  return value;
}

/** `null` (unlimited) or an integer >= min. */
export function checkOptionalInt(value: number | null | undefined, path: string, min: number): number | null {
  return value === null || value === undefined ? null : checkInt(value, path, min);
}
