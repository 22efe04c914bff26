import { BinaryHeap } from './binary-heap.js';

/**
 * Symbols are numbered 0..255 for the bytes, then 256 + r for the symbol made
 * by merge r. A merge's rank is its index, so lower rank = learned earlier =
 * applied first. Pair keys pack two symbols into one safe integer.
 */
export const BYTE_SYMBOLS = 256;
/** Largest number of symbols (bytes + merges); keeps pair keys below 2^53. */
export const MAX_SYMBOLS = 1 << 21;

export function pairKey(a: number, b: number): number {
  return a * MAX_SYMBOLS + b;
}

/** One BPE merge: the left and right symbol ids it joins into a new symbol. */
export type Merge = readonly [left: number, right: number];

/** rank lookup for a merge list: pair key → rank. */
export function rankMerges(merges: readonly Merge[]): Map<number, number> {
  const ranks = new Map<number, number>();
  merges.forEach(([a, b], rank) => {
    if (!ranks.has(pairKey(a, b))) ranks.set(pairKey(a, b), rank);
  });
  return ranks;
}

/**
 * Applies merges to one pre-token's bytes: repeatedly merge the adjacent pair
 * of lowest rank, leftmost first (the same order the trainer merges in). A
 * heap over a linked list keeps this O(n log n), so a long pre-token (a
 * megabyte of dashes) cannot go quadratic. Returns symbols + `offset`.
 */
export function applyMerges(bytes: Uint8Array, ranks: Map<number, number>, offset: number): number[] {
  const n = bytes.length;
  if (n === 1) return [bytes[0]! + offset];
  const sym = new Int32Array(n);
  const next = new Int32Array(n);
  const prev = new Int32Array(n);
  // Entries are rank * 2^31 + position: lowest rank first, then leftmost.
  const heap = new BinaryHeap<number>((x, y) => x < y);
  const push = (left: number): void => {
    const right = next[left]!;
    if (right < 0) return;
    const rank = ranks.get(pairKey(sym[left]!, sym[right]!));
    if (rank !== undefined) heap.push(rank * 2147483648 + left);
  };
  for (let i = 0; i < n; i++) {
    sym[i] = bytes[i]!;
    next[i] = i + 1 < n ? i + 1 : -1;
    prev[i] = i - 1;
  }
  for (let i = 0; i + 1 < n; i++) push(i);
  while (heap.size > 0) {
    const entry = heap.pop()!;
    const left = entry % 2147483648;
    const rank = (entry - left) / 2147483648;
    const right = next[left]!;
    // Stale entry: a neighbour was merged away since it was pushed.
    if (sym[left]! < 0 || right < 0 || ranks.get(pairKey(sym[left]!, sym[right]!)) !== rank) continue;
    sym[left] = BYTE_SYMBOLS + rank;
    sym[right] = -1;
    const after = next[right]!;
    next[left] = after;
    if (after >= 0) prev[after] = left;
    if (prev[left]! >= 0) push(prev[left]!);
    push(left);
  }
  const out: number[] = [];
  for (let i = 0; i >= 0; i = next[i]!) out.push(sym[i]! + offset);
  return out;
}
