import { closeSync, constants as fsConstants, fstatSync, openSync, readSync, type Stats, statSync } from 'node:fs';
import { CheckpointError, ConfigError, fileKind } from '@seqgen/core';

/** One tensor read from a `.safetensors` file, converted to float32 (or int32 for integer and bool dtypes). */
export interface SafeTensor {
  /** The tensor's dimensions as stored; `[]` for a scalar. */
  shape: number[];
  /** `float32` for float dtypes (F64, F32, F16, BF16), `int32` for integer and bool dtypes. */
  dtype: 'float32' | 'int32';
  /** The elements in row-major order, converted from the stored dtype. */
  data: Float32Array | Int32Array;
}

/** Everything a `.safetensors` file holds: its tensors by name and its string metadata. */
export interface SafetensorsFile {
  /** Every tensor in the file, by its stored name. */
  tensors: Record<string, SafeTensor>;
  /** The header's `__metadata__` string map (`{}` when absent). */
  metadata: Record<string, string>;
}

/** Limits applied by {@link readSafetensors} while reading a file. */
export interface ReadSafetensorsOptions {
  /** Largest file accepted, in bytes (default 2 GiB − 1, the most one buffer read holds). Checked before reading. */
  maxBytes?: number;
}

/** Bytes per element of every dtype this reader converts. F8_E4M3 / F8_E5M2 are known to the format but not supported. */
const DTYPE_BYTES: ReadonlyMap<string, number> = new Map([
  ['F64', 8],
  ['F32', 4],
  ['F16', 2],
  ['BF16', 2],
  ['I64', 8],
  ['I32', 4],
  ['I16', 2],
  ['I8', 1],
  ['U64', 8],
  ['U32', 4],
  ['U16', 2],
  ['U8', 1],
  ['BOOL', 1],
]);
const FLOAT_DTYPES = new Set(['F64', 'F32', 'F16', 'BF16']);
const MAX_HEADER_BYTES = 100 * 1024 * 1024;
const DEFAULT_MAX_BYTES = 2 ** 31 - 1;

/**
 * Reads the safetensors format (8-byte little-endian header length, JSON
 * header, raw little-endian data) as written by PyTorch and Hugging Face.
 * Only a regular file is read: its kind is checked before it is opened (a
 * directory, FIFO or device, directly or through a symlink, is refused and
 * never blocks), its size against `maxBytes` before any byte is read, and no
 * more than that size is ever read. The contents are then checked as
 * {@link parseSafetensors} does. Every problem is a `CheckpointError` naming the file.
 */
export function readSafetensors(path: string, options: ReadSafetensorsOptions = {}): SafetensorsFile {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 8 || maxBytes > DEFAULT_MAX_BYTES) {
    throw new ConfigError('maxBytes', `expected an integer in [8, ${DEFAULT_MAX_BYTES}], got ${maxBytes}`);
  }
  let before: Stats;
  try {
    before = statSync(path);
  } catch (error) {
    throw new CheckpointError('not-found', path, 'does not exist or cannot be read', { cause: error });
  }
  if (!before.isFile()) throw new CheckpointError('io', path, `is ${fileKind(before)}, not a regular safetensors file`);
  if (before.size > maxBytes) {
    throw new CheckpointError('too-large', path, `is ${before.size} bytes, over the limit of ${maxBytes} (maxBytes)`);
  }
  let fd: number;
  try {
    // O_NONBLOCK: should a FIFO be swapped in after the check, opening it must not wait for a writer.
    fd = openSync(path, fsConstants.O_RDONLY | (fsConstants.O_NONBLOCK ?? 0));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new CheckpointError('io', path, `cannot be opened: ${code}`, { cause: error });
  }
  try {
    const after = fstatSync(fd);
    if (!after.isFile() || after.ino !== before.ino || after.dev !== before.dev) {
      throw new CheckpointError('io', path, 'was replaced while being opened');
    }
    if (after.size > maxBytes) {
      throw new CheckpointError('too-large', path, `is ${after.size} bytes, over the limit of ${maxBytes} (maxBytes)`);
    }
    const bytes = new Uint8Array(after.size);
    let read = 0;
    while (read < bytes.length) {
      const n = readAt(fd, path, bytes, read, bytes.length - read, read);
      if (n === 0) throw new CheckpointError('truncated', path, `ended after ${read} of ${bytes.length} bytes`);
      read += n;
    }
    // One more byte means the file grew while being read (or lied about its size): never read past the limit.
    if (readAt(fd, path, new Uint8Array(1), 0, 1, bytes.length) !== 0) {
      throw new CheckpointError('corrupt', path, `holds more than the ${bytes.length} bytes it had when opened`);
    }
    return parseSafetensors(bytes, path);
  } finally {
    closeSync(fd);
  }
}

function readAt(fd: number, path: string, into: Uint8Array, offset: number, length: number, position: number): number {
  try {
    return readSync(fd, into, offset, length, position);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new CheckpointError('io', path, `cannot be read: ${code}`, { cause: error });
  }
}

/**
 * Parses safetensors bytes and checks them against the format's rules before
 * converting anything: a header of at most 100 MiB that is a JSON object
 * with unique keys; `__metadata__`, when present, an object of string values;
 * every tensor a known dtype, a shape of non-negative integers and
 * `data_offsets` whose span matches the shape; the tensors' byte ranges
 * contiguous, non-overlapping and covering the whole data section exactly (no
 * holes, no trailing bytes). Integer values must fit int32 exactly. Every
 * problem is a `CheckpointError` naming `path` and the field.
 */
export function parseSafetensors(bytes: Uint8Array, path = '<buffer>'): SafetensorsFile {
  const size = bytes.byteLength;
  if (size < 8)
    throw new CheckpointError('truncated', path, `is ${size} bytes, shorter than the 8-byte safetensors header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const declared = view.getBigUint64(0, true);
  if (declared > BigInt(MAX_HEADER_BYTES)) {
    throw new CheckpointError(
      'too-large',
      path,
      `declares a ${declared}-byte header, over the limit of ${MAX_HEADER_BYTES}`,
    );
  }
  const headerBytes = Number(declared);
  if (8 + headerBytes > size)
    throw new CheckpointError('truncated', path, `ends inside its ${headerBytes}-byte header`);
  let text: string;
  let header: unknown;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerBytes));
    header = JSON.parse(text);
  } catch (error) {
    throw new CheckpointError('bad-json', path, `header is not valid JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    throw new CheckpointError('invalid-manifest', path, 'header must be a JSON object');
  }
  const duplicate = findDuplicateKey(text);
  if (duplicate !== undefined) {
    throw new CheckpointError('invalid-manifest', path, `header repeats the key ${JSON.stringify(duplicate)}`);
  }
  const dataStart = 8 + headerBytes;
  const dataBytes = size - dataStart;
  let metadata: Record<string, string> = {};
  const specs: Array<{ name: string; dtype: string; shape: number[]; begin: number; end: number; count: number }> = [];
  for (const [name, entry] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      metadata = readMetadata(entry, path);
      continue;
    }
    const bad = (msg: string): never => {
      throw new CheckpointError('invalid-manifest', path, `tensor ${JSON.stringify(name)} ${msg}`);
    };
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) bad('must be an object');
    const e = entry as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    const dtype = e.dtype;
    if (typeof dtype !== 'string' || !DTYPE_BYTES.has(dtype)) {
      bad(`has unsupported dtype ${shortJson(dtype)} (dtype: one of ${[...DTYPE_BYTES.keys()].join(', ')})`);
    }
    if (!Array.isArray(e.shape) || !e.shape.every((d) => Number.isSafeInteger(d) && d >= 0))
      bad('has an invalid shape (shape: an array of non-negative integers)');
    const offsets = e.data_offsets;
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0)) {
      bad('has invalid data_offsets (expected [begin, end], non-negative integers)');
    }
    const [begin, end] = offsets as [number, number];
    const shape = e.shape as number[];
    const width = DTYPE_BYTES.get(dtype as string) as number;
    let count = 1;
    for (const d of shape) count *= d;
    if (!Number.isSafeInteger(count * width)) bad(`has shape [${shape}], too large to address`);
    if (end < begin || end - begin !== count * width) {
      bad(`spans ${end - begin} bytes but shape [${shape}] of ${dtype} needs ${count * width} (data_offsets)`);
    }
    if (end > dataBytes)
      throw new CheckpointError(
        'truncated',
        path,
        `tensor ${JSON.stringify(name)} ends at byte ${end} of a ${dataBytes}-byte data section`,
      );
    specs.push({ name, dtype: dtype as string, shape, begin, end, count });
  }
  // The format requires the data section to be exactly the tensors, back to back, in some order.
  const ordered = [...specs].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let at = 0;
  let previous: string | undefined;
  for (const spec of ordered) {
    if (spec.begin < at) {
      throw new CheckpointError('corrupt', path, `tensors "${previous}" and "${spec.name}" overlap (data_offsets)`);
    }
    if (spec.begin > at) {
      throw new CheckpointError(
        'corrupt',
        path,
        `bytes ${at}..${spec.begin} of the data section belong to no tensor (a hole before "${spec.name}"; data_offsets must be contiguous)`,
      );
    }
    at = spec.end;
    previous = spec.name;
  }
  if (at !== dataBytes) {
    throw new CheckpointError(
      'corrupt',
      path,
      `has ${dataBytes - at} trailing bytes after the last tensor (the data section is ${dataBytes} bytes, the tensors cover ${at})`,
    );
  }
  const tensors: Record<string, SafeTensor> = Object.create(null);
  for (const spec of specs) {
    tensors[spec.name] = convert(bytes, dataStart + spec.begin, spec.count, spec.dtype, spec.shape, (i, value) => {
      throw new CheckpointError(
        'invalid-weights',
        path,
        `tensor ${JSON.stringify(spec.name)} holds ${value} at index ${i}, which ${spec.dtype === 'BOOL' ? 'is not a bool (0 or 1)' : 'does not fit in int32'}`,
      );
    });
  }
  return { tensors, metadata };
}

function readMetadata(entry: unknown, path: string): Record<string, string> {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    throw new CheckpointError(
      'invalid-manifest',
      path,
      `__metadata__ must be an object of string values, got ${entry === null ? 'null' : Array.isArray(entry) ? 'an array' : typeof entry}`,
    );
  }
  const out: Record<string, string> = Object.create(null);
  for (const [k, v] of Object.entries(entry)) {
    if (typeof v !== 'string') {
      throw new CheckpointError(
        'invalid-manifest',
        path,
        `__metadata__ must be an object of string values, but ${JSON.stringify(k)} is ${v === null ? 'null' : Array.isArray(v) ? 'an array' : `a ${typeof v}`}`,
      );
    }
    out[k] = v;
  }
  return { ...out };
}

function shortJson(value: unknown): string {
  const json = JSON.stringify(value) ?? String(value);
  return json.length > 40 ? `${json.slice(0, 40)}…` : json;
}

/**
 * The first key that appears twice in one object of a JSON text, if any
 * (`JSON.parse` silently keeps the last). Keys compare after unescaping. The
 * text must be valid JSON; one linear pass.
 */
export function findDuplicateKey(text: string): string | undefined {
  const stack: Array<Set<string> | null> = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x7b /* { */) stack.push(new Set());
    else if (c === 0x5b /* [ */) stack.push(null);
    else if (c === 0x7d /* } */ || c === 0x5d /* ] */) stack.pop();
    else if (c === 0x22 /* " */) {
      let j = i + 1;
      let escaped = false;
      while (j < text.length) {
        const d = text.charCodeAt(j);
        if (d === 0x5c /* \ */) {
          escaped = true;
          j += 2;
          continue;
        }
        if (d === 0x22) break;
        j++;
      }
      let k = j + 1;
      while (k < text.length && /\s/.test(text[k] as string)) k++;
      const keys = stack[stack.length - 1];
      if (keys && text[k] === ':') {
        const key = escaped ? (JSON.parse(text.slice(i, j + 1)) as string) : text.slice(i + 1, j);
        if (keys.has(key)) return key;
        keys.add(key);
      }
      i = j;
    }
  }
  return undefined;
}

/** Converts one tensor; `onBad(index, value)` is called (and must throw) for an integer that int32 cannot hold exactly. */
function convert(
  bytes: Uint8Array,
  start: number,
  count: number,
  dtype: string,
  shape: number[],
  onBad: (index: number, value: bigint | number) => never,
): SafeTensor {
  const view = new DataView(bytes.buffer, bytes.byteOffset + start, count * (DTYPE_BYTES.get(dtype) as number));
  const isInt = !FLOAT_DTYPES.has(dtype);
  const out = isInt ? new Int32Array(count) : new Float32Array(count);
  for (let i = 0; i < count; i++) {
    switch (dtype) {
      case 'F64':
        out[i] = view.getFloat64(i * 8, true);
        break;
      case 'F32':
        out[i] = view.getFloat32(i * 4, true);
        break;
      case 'F16':
        out[i] = halfToFloat(view.getUint16(i * 2, true));
        break;
      case 'BF16':
        out[i] = new Float32Array(new Uint32Array([view.getUint16(i * 2, true) << 16]).buffer)[0] as number;
        break;
      case 'I64': {
        const v = view.getBigInt64(i * 8, true);
        if (v < -0x80000000n || v > 0x7fffffffn) onBad(i, v);
        out[i] = Number(v);
        break;
      }
      case 'U64': {
        const v = view.getBigUint64(i * 8, true);
        if (v > 0x7fffffffn) onBad(i, v);
        out[i] = Number(v);
        break;
      }
      case 'I32':
        out[i] = view.getInt32(i * 4, true);
        break;
      case 'U32': {
        const v = view.getUint32(i * 4, true);
        if (v > 0x7fffffff) onBad(i, v);
        out[i] = v;
        break;
      }
      case 'I16':
        out[i] = view.getInt16(i * 2, true);
        break;
      case 'U16':
        out[i] = view.getUint16(i * 2, true);
        break;
      case 'I8':
        out[i] = view.getInt8(i);
        break;
      case 'BOOL': {
        const v = view.getUint8(i);
        if (v > 1) onBad(i, v);
        out[i] = v;
        break;
      }
      default:
        out[i] = view.getUint8(i);
    }
  }
  return { shape, dtype: isInt ? 'int32' : 'float32', data: out };
}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 31) return frac ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}

/** Serializes float32 tensors to the safetensors format (for exporting weights to PyTorch). */
export function encodeSafetensors(
  tensors: Record<string, { shape: number[]; data: Float32Array }>,
  metadata: Record<string, string> = {},
): Uint8Array {
  const header: Record<string, unknown> = { __metadata__: metadata };
  let offset = 0;
  for (const [name, t] of Object.entries(tensors)) {
    if (t.data.length !== t.shape.reduce((a, b) => a * b, 1)) {
      throw new ConfigError(name, `has ${t.data.length} values for shape [${t.shape}]`);
    }
    header[name] = { dtype: 'F32', shape: t.shape, data_offsets: [offset, offset + t.data.byteLength] };
    offset += t.data.byteLength;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (Buffer.byteLength(json) % 8)) % 8);
  const headerBytes = Buffer.from(json, 'utf8');
  const out = new Uint8Array(8 + headerBytes.byteLength + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.byteLength), true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.byteLength;
  for (const t of Object.values(tensors)) {
    out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), at);
    at += t.data.byteLength;
  }
  return out;
}
