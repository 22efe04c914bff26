import { readFileSync, statSync } from 'node:fs';
import { CheckpointError, ConfigError } from '@seqgen/core';

/** One tensor read from a `.safetensors` file, converted to float32 (or int32 for integer dtypes). */
export interface SafeTensor {
  shape: number[];
  dtype: 'float32' | 'int32';
  data: Float32Array | Int32Array;
}

export interface SafetensorsFile {
  tensors: Record<string, SafeTensor>;
  metadata: Record<string, string>;
}

const DTYPE_BYTES: Record<string, number> = { F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U8: 1 };
const MAX_HEADER_BYTES = 100 * 1024 * 1024;

/**
 * Reads the safetensors format (8-byte little-endian header length, JSON
 * header, raw little-endian data) as written by PyTorch and Hugging Face. It
 * checks the header size, every dtype, shape and byte range (inside the data,
 * no overlaps, size matching the shape) before converting anything, and gives
 * a CheckpointError saying what is wrong otherwise. Nothing in it is executed.
 */
export function readSafetensors(path: string): SafetensorsFile {
  let size: number;
  try {
    size = statSync(path).size;
  } catch (error) {
    throw new CheckpointError('not-found', path, 'does not exist or cannot be read', { cause: error });
  }
  return parseSafetensors(new Uint8Array(readFileSync(path)), path, size);
}

export function parseSafetensors(bytes: Uint8Array, path = '<buffer>', size = bytes.byteLength): SafetensorsFile {
  if (size < 8)
    throw new CheckpointError('truncated', path, `is ${size} bytes, shorter than the 8-byte safetensors header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerBytes = Number(view.getBigUint64(0, true));
  if (headerBytes > MAX_HEADER_BYTES) {
    throw new CheckpointError(
      'too-large',
      path,
      `declares a ${headerBytes}-byte header, over the limit of ${MAX_HEADER_BYTES}`,
    );
  }
  if (8 + headerBytes > size)
    throw new CheckpointError('truncated', path, `ends inside its ${headerBytes}-byte header`);
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerBytes)));
  } catch (error) {
    throw new CheckpointError('bad-json', path, `header is not valid JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    throw new CheckpointError('invalid-manifest', path, 'header must be a JSON object');
  }
  const dataStart = 8 + headerBytes;
  const dataBytes = size - dataStart;
  const metadata: Record<string, string> = {};
  const tensors: Record<string, SafeTensor> = Object.create(null);
  const ranges: Array<[number, number, string]> = [];
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') {
      for (const [k, v] of Object.entries((entry ?? {}) as Record<string, unknown>)) {
        if (typeof v === 'string') metadata[k] = v;
      }
      continue;
    }
    const bad = (msg: string): never => {
      throw new CheckpointError('invalid-manifest', path, `tensor "${name}" ${msg}`);
    };
    const e = entry as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (typeof e?.dtype !== 'string' || !(e.dtype in DTYPE_BYTES))
      bad(`has unsupported dtype ${JSON.stringify(e?.dtype)}`);
    if (!Array.isArray(e.shape) || !e.shape.every((d) => Number.isSafeInteger(d) && d >= 0))
      bad('has an invalid shape');
    const offsets = e.data_offsets;
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0)) {
      bad('has invalid data_offsets');
    }
    const [begin, end] = offsets as [number, number];
    const shape = e.shape as number[];
    const count = shape.reduce((a, b) => a * b, 1);
    const width = DTYPE_BYTES[e.dtype as string] as number;
    if (end < begin || end - begin !== count * width) {
      bad(`spans ${end - begin} bytes but shape [${shape}] of ${e.dtype} needs ${count * width}`);
    }
    if (end > dataBytes)
      throw new CheckpointError(
        'truncated',
        path,
        `tensor "${name}" ends at byte ${end} of a ${dataBytes}-byte data section`,
      );
    ranges.push([begin, end, name]);
    tensors[name] = convert(bytes, dataStart + begin, count, e.dtype as string, shape);
  }
  ranges.sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < ranges.length; i++) {
    const [prev, cur] = [ranges[i - 1] as [number, number, string], ranges[i] as [number, number, string]];
    if (cur[0] < prev[1]) throw new CheckpointError('corrupt', path, `tensors "${prev[2]}" and "${cur[2]}" overlap`);
  }
  return { tensors, metadata };
}

function convert(bytes: Uint8Array, start: number, count: number, dtype: string, shape: number[]): SafeTensor {
  const view = new DataView(bytes.buffer, bytes.byteOffset + start, count * (DTYPE_BYTES[dtype] as number));
  const isInt = dtype.startsWith('I') || dtype === 'U8';
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
      case 'I64':
        out[i] = Number(view.getBigInt64(i * 8, true));
        break;
      case 'I32':
        out[i] = view.getInt32(i * 4, true);
        break;
      case 'I16':
        out[i] = view.getInt16(i * 2, true);
        break;
      case 'I8':
        out[i] = view.getInt8(i);
        break;
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
