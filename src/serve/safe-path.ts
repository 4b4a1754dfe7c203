// Maps the path of a /files/... request onto a file under the runs folder, or refuses it. The
// raw request path is split and decoded here, segment by segment, before any URL normalization
// could fold `..` away: a segment that is empty, `.`, `..`, or holds a slash, a backslash or a
// NUL is refused, and so is a file whose real path (symlinks resolved) leaves the runs folder.
import { realpathSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';

export type Resolved = { ok: true; path: string } | { ok: false; status: 403 | 404; why: string };

/** Decoded path segments of a raw request path (`/a/b%20c` → ['a', 'b c']), or null when one is not valid percent-encoding. */
export function decodeSegments(rawPath: string): string[] | null {
  const parts = rawPath.split('/').slice(1);
  const out: string[] = [];
  for (const p of parts) {
    try { out.push(decodeURIComponent(p)); } catch { return null; }
  }
  return out;
}

export function badSegment(s: string): boolean {
  return s === '' || s === '.' || s === '..' || s.includes('/') || s.includes('\\') || s.includes('\0');
}

/** The real path of the file `segments` names under `root`, if it is a regular file inside it. */
export function resolveUnder(root: string, segments: readonly string[]): Resolved {
  if (segments.length === 0) return { ok: false, status: 404, why: 'no file named' };
  if (segments.some(badSegment)) return { ok: false, status: 403, why: 'the path leaves the runs folder or is not a plain path' };
  let realRoot: string;
  let real: string;
  try {
    realRoot = realpathSync(root);
    real = realpathSync(join(root, ...segments));
  } catch {
    return { ok: false, status: 404, why: 'no such file' };
  }
  if (!real.startsWith(realRoot + sep)) return { ok: false, status: 403, why: 'the file is outside the runs folder (a symlink out)' };
  try {
    if (!statSync(real).isFile()) return { ok: false, status: 404, why: 'not a file' };
  } catch {
    return { ok: false, status: 404, why: 'no such file' };
  }
  return { ok: true, path: real };
}
