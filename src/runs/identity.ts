// A run's identity is the hash of its normalized config (defaults removed, keys sorted), so the
// same config always maps to the same folder and a rerun resumes instead of starting over.
import { createHash } from 'node:crypto';

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function configHash(normalized: unknown): string {
  return createHash('sha256').update(canonical(normalized)).digest('hex').slice(0, 12);
}
