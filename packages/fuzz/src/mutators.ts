import fc from 'fast-check';
import type { FuzzRng } from './rng.js';
import type { FuzzInput, JsonSlot, Target } from './target.js';
import type { Seed } from './test-fixtures/seeds.js';

/** Byte values that tend to matter: zero, sign bits, all ones, ASCII structure. */
const INTERESTING_BYTES = [0x00, 0x01, 0x7f, 0x80, 0xff, 0x22, 0x2c, 0x5b, 0x5d, 0x7b, 0x7d, 0x30, 0x39, 0x2d];

type ByteMutator = (bytes: Uint8Array, rng: FuzzRng, seeds: readonly Seed[]) => FuzzInput;

/** Byte-level mutators: they know nothing of the format. */
export const BYTE_MUTATORS: Record<string, ByteMutator> = {
  truncate(bytes, rng) {
    const at = rng.chance(0.3) ? rng.int(Math.min(bytes.length, 64) + 1) : rng.int(bytes.length + 1);
    return { bytes: bytes.slice(0, at), description: `truncate to ${at} of ${bytes.length} bytes` };
  },
  flipBits(bytes, rng) {
    const out = bytes.slice();
    const n = 1 + rng.int(8);
    const at: number[] = [];
    for (let i = 0; i < n && out.length > 0; i++) {
      const pos = rng.int(out.length);
      out[pos] = (out[pos] as number) ^ (1 << rng.int(8));
      at.push(pos);
    }
    return { bytes: out, description: `flip ${n} bit(s) at ${at.slice(0, 4).join(',')}${at.length > 4 ? ',…' : ''}` };
  },
  setBytes(bytes, rng) {
    const out = bytes.slice();
    const n = 1 + rng.int(4);
    const at: number[] = [];
    for (let i = 0; i < n && out.length > 0; i++) {
      const pos = rng.chance(0.5) ? rng.int(Math.min(out.length, 32)) : rng.int(out.length);
      out[pos] = rng.chance(0.7) ? rng.pick(INTERESTING_BYTES) : rng.int(256);
      at.push(pos);
    }
    return { bytes: out, description: `set ${n} byte(s) at ${at.join(',')}` };
  },
  splice(bytes, rng, seeds) {
    const other = rng.pick(seeds);
    const a = rng.int(bytes.length + 1);
    const b = rng.int(other.bytes.length + 1);
    const out = new Uint8Array(a + other.bytes.length - b);
    out.set(bytes.subarray(0, a));
    out.set(other.bytes.subarray(b), a);
    return { bytes: out, description: `splice first ${a} bytes with ${other.name} from byte ${b}` };
  },
  insertBytes(bytes, rng) {
    const at = rng.int(bytes.length + 1);
    const n = 1 + rng.int(rng.chance(0.2) ? 4096 : 16);
    const fill = rng.int(256);
    const extra = rng.chance(0.5) ? new Uint8Array(n).fill(fill) : Uint8Array.from({ length: n }, () => rng.int(256));
    const out = new Uint8Array(bytes.length + n);
    out.set(bytes.subarray(0, at));
    out.set(extra, at);
    out.set(bytes.subarray(at), at + n);
    return { bytes: out, description: `insert ${n} byte(s) at ${at}` };
  },
  duplicateChunk(bytes, rng) {
    const from = rng.int(bytes.length + 1);
    const len = rng.int(Math.min(bytes.length - from, 256) + 1);
    const at = rng.int(bytes.length + 1);
    const chunk = bytes.subarray(from, from + len);
    const out = new Uint8Array(bytes.length + len);
    out.set(bytes.subarray(0, at));
    out.set(chunk, at);
    out.set(bytes.subarray(at), at + len);
    return { bytes: out, description: `copy ${len} bytes from ${from} to ${at}` };
  },
};

// ---------------------------------------------------------------- JSON-aware

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type PathStep = string | number;

/** Every node of a JSON value with its path. */
function nodes(value: Json, path: PathStep[] = [], out: Array<{ path: PathStep[]; value: Json }> = []) {
  out.push({ path, value });
  if (Array.isArray(value)) {
    // Long arrays (vocabularies, merges): visit a sample, not all of them.
    const step = Math.max(1, Math.floor(value.length / 32));
    for (let i = 0; i < value.length; i += step) nodes(value[i] as Json, [...path, i], out);
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) nodes(v, [...path, k], out);
  }
  return out;
}

function setAt(root: Json, path: PathStep[], value: Json | undefined): Json {
  if (path.length === 0) return value ?? null;
  const parent = path.slice(0, -1).reduce<Json>((node, step) => (node as Record<string, Json>)[step] as Json, root);
  const key = path[path.length - 1] as PathStep;
  if (Array.isArray(parent)) {
    if (value === undefined) parent.splice(key as number, 1);
    else parent[key as number] = value;
  } else if (parent !== null && typeof parent === 'object') {
    if (value === undefined) delete (parent as Record<string, Json>)[key as string];
    else (parent as Record<string, Json>)[key as string] = value;
  }
  return root;
}

const show = (path: PathStep[]) => `$${path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('')}`;

/** Factors and values that break size checks: huge, negative, fractional, beyond int32 and 2^53. */
const INFLATIONS: Array<[string, (n: number) => number]> = [
  ['×1000', (n) => n * 1000],
  ['×1e6', (n) => n * 1e6],
  ['×1e9', (n) => n * 1e9],
  ['= 1e12', () => 1e12],
  ['= 1e308', () => 1e308],
  ['= 2^31', () => 2 ** 31],
  ['= 2^40+5', () => 2 ** 40 + 5],
  ['= 2^53+2', () => 2 ** 53 + 2],
  ['negated', (n) => -n - 1],
  ['+0.5', (n) => n + 0.5],
  ['= 0', () => 0],
  ['+1', (n) => n + 1],
  ['-1', (n) => n - 1],
];

/** Replacement values of every other type (and the property names that trick lookups). */
const SWAPS: Json[] = [
  null,
  true,
  0,
  -1,
  '',
  '256',
  'toString',
  '__proto__',
  'constructor',
  [],
  [1, 2, 3],
  {},
  { length: 1e9 },
  'x'.repeat(5000),
];

/** Regexes whose backtracking explodes on some inputs; SAMPLE_TEXT holds those inputs. */
const EVIL_PATTERNS = [
  '(a+)+$|\\S',
  '(a|a)*b|\\s',
  '(\\w+\\s?)*$|.',
  '(a|aa)+$|[\\s\\S]',
  '(.*a){20}|.',
  '(?:\\s*)*x|.',
];

type JsonMutator = (value: Json, rng: FuzzRng) => { value?: Json; text?: string; description: string } | undefined;

export const JSON_MUTATORS: Record<string, JsonMutator> = {
  inflateNumber(value, rng) {
    const numbers = nodes(value).filter((n) => typeof n.value === 'number');
    if (numbers.length === 0) return undefined;
    const node = rng.pick(numbers);
    const [name, f] = rng.pick(INFLATIONS);
    return { value: setAt(value, node.path, f(node.value as number)), description: `${show(node.path)} ${name}` };
  },
  inflateShape(value, rng) {
    // Arrays of small integers: shapes, lengths, offsets.
    const shapes = nodes(value).filter(
      (n) => Array.isArray(n.value) && n.value.length > 0 && n.value.length <= 4 && n.value.every(Number.isInteger),
    );
    if (shapes.length === 0) return undefined;
    const node = rng.pick(shapes);
    const arr = [...(node.value as number[])];
    const i = rng.int(arr.length);
    const choice = rng.int(4);
    if (choice === 0) arr[i] = (arr[i] as number) * 1000;
    else if (choice === 1) arr.push(rng.pick([1, 2, 1000]));
    else if (choice === 2) arr.splice(i, 1);
    else arr[i] = rng.pick([0, -1, 2 ** 32, 2 ** 53]);
    return {
      value: setAt(value, node.path, arr),
      description: `${show(node.path)} ${JSON.stringify(node.value)} → ${JSON.stringify(arr)}`,
    };
  },
  swapType(value, rng) {
    const all = nodes(value).filter((n) => n.path.length > 0);
    if (all.length === 0) return undefined;
    const node = rng.pick(all);
    const replacement = rng.pick(SWAPS);
    return {
      value: setAt(value, node.path, replacement),
      description: `${show(node.path)} → ${JSON.stringify(replacement).slice(0, 40)}`,
    };
  },
  deleteKey(value, rng) {
    const keyed = nodes(value).filter((n) => n.path.length > 0 && typeof n.path[n.path.length - 1] === 'string');
    if (keyed.length === 0) return undefined;
    const node = rng.pick(keyed);
    return { value: setAt(value, node.path, undefined), description: `delete ${show(node.path)}` };
  },
  duplicateKey(value, rng) {
    const keyed = nodes(value).filter((n) => n.path.length > 0 && typeof n.path[n.path.length - 1] === 'string');
    if (keyed.length === 0) return undefined;
    const node = rng.pick(keyed);
    const other = rng.pick(SWAPS.concat([node.value]));
    // A second entry for the key, after the first: JSON.parse keeps the last.
    const marker = '"\u0000fuzz-dup\u0000"';
    const parent = node.path.slice(0, -1);
    const key = node.path[node.path.length - 1] as string;
    const holder = parent.reduce<Json>((n, s) => (n as Record<string, Json>)[s] as Json, value) as Record<string, Json>;
    const entries = Object.entries(holder);
    const rebuilt: Record<string, Json> = {};
    for (const [k, v] of entries) {
      rebuilt[k] = v;
      if (k === key) rebuilt[marker] = other;
    }
    const root = parent.length === 0 ? rebuilt : setAt(value, parent, rebuilt);
    const text = JSON.stringify(root).replace(JSON.stringify(marker), JSON.stringify(key));
    return { text, description: `duplicate key ${show(node.path)} = ${JSON.stringify(other).slice(0, 40)}` };
  },
  evilRegex(value, rng) {
    const strings = nodes(value).filter((n) => typeof n.value === 'string' && n.path.length > 0);
    const patterns = strings.filter((n) => /pattern|regex/i.test(String(n.path[n.path.length - 1])));
    const pool = patterns.length > 0 && rng.chance(0.8) ? patterns : strings;
    if (pool.length === 0) return undefined;
    const node = rng.pick(pool);
    const pattern = rng.pick(EVIL_PATTERNS);
    return { value: setAt(value, node.path, pattern), description: `${show(node.path)} → regex ${pattern}` };
  },
  arbitrarySubtree(value, rng) {
    const all = nodes(value);
    const node = rng.pick(all);
    const [replacement] = fc.sample(fc.jsonValue({ maxDepth: 3 }), { seed: rng.int(2 ** 31), numRuns: 1 });
    return {
      value: setAt(value, node.path, replacement as Json),
      description: `${show(node.path)} → fast-check jsonValue ${JSON.stringify(replacement).slice(0, 40)}`,
    };
  },
};

function mutateJson(slot: JsonSlot, rng: FuzzRng): FuzzInput | undefined {
  let value: Json;
  try {
    value = JSON.parse(slot.text) as Json;
  } catch {
    return undefined;
  }
  const names = Object.keys(JSON_MUTATORS);
  const name = rng.pick(names);
  const out = (JSON_MUTATORS[name] as JsonMutator)(value, rng);
  if (!out) return undefined;
  const text = out.text ?? JSON.stringify(out.value);
  return { bytes: slot.rebuild(text), description: `json ${name}: ${out.description}` };
}

/** Property-based inputs (fast-check): arbitrary bytes, arbitrary JSON in the JSON slot. */
function generated(target: Target, seed: Seed, rng: FuzzRng): FuzzInput {
  const slot = target.json?.(seed.bytes);
  const fcSeed = rng.int(2 ** 31);
  if (slot && rng.chance(0.7)) {
    const [value] = fc.sample(fc.json({ maxDepth: 4 }), { seed: fcSeed, numRuns: 1 });
    const text = rng.chance(0.5) ? String(value) : `{"format":"seqgen-checkpoint","type":"char","x":${value}}`;
    return { bytes: slot.rebuild(text), description: `fast-check json (seed ${fcSeed}) in the JSON slot` };
  }
  const [bytes] = fc.sample(fc.uint8Array({ maxLength: 512 }), { seed: fcSeed, numRuns: 1 });
  return { bytes: bytes ?? new Uint8Array(), description: `fast-check uint8Array (seed ${fcSeed})` };
}

/**
 * One fuzz input for `target`: a seed, mutated once or twice (bytes or its
 * JSON), or (one in ten) a property-based input from fast-check.
 */
export function nextInput(target: Target, seeds: readonly Seed[], rng: FuzzRng): FuzzInput {
  const seed = rng.pick(seeds);
  if (rng.chance(0.1)) {
    const g = generated(target, seed, rng);
    return { bytes: g.bytes, description: `${seed.name} > ${g.description}` };
  }
  let current: FuzzInput = { bytes: seed.bytes, description: seed.name };
  const rounds = rng.chance(0.25) ? 2 : 1;
  for (let r = 0; r < rounds; r++) {
    const slot = target.json?.(current.bytes);
    let next: FuzzInput | undefined;
    if (slot && rng.chance(0.6)) next = mutateJson(slot, rng);
    if (!next) {
      const name = rng.pick(Object.keys(BYTE_MUTATORS));
      next = (BYTE_MUTATORS[name] as ByteMutator)(current.bytes, rng, seeds);
      next = { bytes: next.bytes, description: `${name}: ${next.description}` };
    }
    current = { bytes: next.bytes, description: `${current.description} > ${next.description}` };
  }
  return current;
}
