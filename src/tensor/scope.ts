// Deterministic tensor lifetime. libtorch memory is freed when the last handle goes, and V8's
// garbage collector does not see that memory pressure (measured: 4x slower and 2.9 GB RSS when
// left to GC). So every step runs in scope(): tensors created inside are freed on exit, except
// the ones returned (which move to the enclosing scope) and the ones explicitly kept.

export interface Scoped {
  dispose(): void;
  readonly kept: boolean;
}

const stack: Scoped[][] = [];

/** Registers a new tensor with the innermost scope (no-op outside any scope). */
export function track(t: Scoped): void {
  const top = stack[stack.length - 1];
  if (top !== undefined) top.push(t);
}

/** Depth of scope nesting (0 = no scope). */
export function scopeDepth(): number {
  return stack.length;
}

function collect(value: unknown, into: Set<unknown>, seen: Set<unknown>, depth: number): void {
  if (value === null || typeof value !== 'object' || depth > 8 || seen.has(value)) return;
  seen.add(value);
  if ('kept' in value && 'dispose' in value) { into.add(value); return; }
  if (Array.isArray(value)) { for (const v of value) collect(v, into, seen, depth + 1); return; }
  if (value instanceof Map) { for (const v of value.values()) collect(v, into, seen, depth + 1); return; }
  if (Object.getPrototypeOf(value) === Object.prototype) {
    for (const v of Object.values(value)) collect(v, into, seen, depth + 1);
  }
}

/**
 * Runs fn and frees every tensor created inside it, except those reachable from its return value
 * (through arrays, plain objects and Maps) and those marked with keep(). fn must be synchronous.
 */
export function scope<T>(fn: () => T): T {
  const mine: Scoped[] = [];
  stack.push(mine);
  let result: T | undefined;
  let ok = false;
  try {
    result = fn();
    if (result instanceof Promise) throw new TypeError('scope(): the callback must be synchronous (it returned a Promise)');
    ok = true;
  } finally {
    stack.pop();
    const survivors = new Set<unknown>();
    if (ok) collect(result, survivors, new Set(), 0);
    for (const t of mine) {
      if (survivors.has(t)) track(t);
      else if (!t.kept) t.dispose();
    }
  }
  return result as T;
}

interface Disposable { dispose(): void }

/**
 * Applies fns in order, freeing each intermediate result as soon as the next one exists (the
 * input x is not freed). Freeing a handle early is always safe: tensors autograd saved for the
 * backward pass keep their own reference, so only memory nobody needs is released, and the next
 * op reuses it while it is still in cache.
 */
export function pipe<T extends Disposable>(x: T, ...fns: ((t: T) => T)[]): T {
  let cur = x;
  for (const f of fns) {
    const next = f(cur);
    if (cur !== x && next !== cur) cur.dispose();
    cur = next;
  }
  return cur;
}

/** Frees the given tensors now (those that are not the same object as `keep`). */
export function release(keep: unknown, ...ts: (Disposable | null | undefined)[]): void {
  for (const t of ts) if (t && t !== keep) t.dispose();
}
