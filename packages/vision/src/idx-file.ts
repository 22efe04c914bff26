import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { VisionDataError } from './vision-data-error.js';

/** A decoded idx array (the MNIST file format): its shape and its values, row-major. */
export type IdxArray = {
  /** Dimension sizes, outermost first (images: `[count, rows, cols]`; labels: `[count]`). */
  shape: number[];
  /** The values (`Uint8Array` for the unsigned-byte type MNIST uses). */
  data: Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;
};

// idx type codes (third magic byte) → element size and reader.
const IDX_TYPES: Record<number, { name: string; bytes: number }> = {
  8: { name: 'uint8', bytes: 1 },
  9: { name: 'int8', bytes: 1 },
  11: { name: 'int16', bytes: 2 },
  12: { name: 'int32', bytes: 4 },
  13: { name: 'float32', bytes: 4 },
  14: { name: 'float64', bytes: 8 },
};

/** Default largest idx payload accepted: 1 GiB. */
const DEFAULT_MAX_BYTES = 2 ** 30;

/**
 * Parses idx bytes (gzip-compressed or not: `train-images-idx3-ubyte.gz`
 * as Debian and yann.lecun.com ship it). Magic `00 00 <type> <dims>`, then
 * big-endian uint32 dimension sizes, then the values big-endian. A wrong magic,
 * a header or payload cut short, or trailing bytes are a `VisionDataError`.
 */
export function parseIdx(bytes: Uint8Array, name = 'idx', options: { maxBytes?: number } = {}): IdxArray {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  let raw = bytes;
  if (raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b) {
    try {
      raw = gunzipSync(raw, { maxOutputLength: maxBytes + 1024 });
    } catch (cause) {
      throw new VisionDataError(
        'corrupt',
        name,
        `gzip stream is damaged or larger than ${maxBytes} bytes: ${(cause as Error).message}`,
        { cause },
      );
    }
  }
  if (raw.length < 4)
    throw new VisionDataError('truncated', name, `idx file is ${raw.length} bytes, shorter than its 4-byte magic`);
  if (raw[0] !== 0 || raw[1] !== 0) {
    throw new VisionDataError('bad-magic', name, `idx magic must start with 00 00, got ${hex(raw[0])} ${hex(raw[1])}`);
  }
  const type = IDX_TYPES[raw[2] as number];
  if (!type) throw new VisionDataError('bad-magic', name, `unknown idx element type 0x${hex(raw[2])}`);
  const dims = raw[3] as number;
  if (dims === 0) throw new VisionDataError('bad-magic', name, 'idx file declares 0 dimensions');
  const headerBytes = 4 + 4 * dims;
  if (raw.length < headerBytes) {
    throw new VisionDataError(
      'truncated',
      name,
      `idx header needs ${headerBytes} bytes for ${dims} dimensions, file has ${raw.length}`,
    );
  }
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const shape: number[] = [];
  let count = 1;
  for (let d = 0; d < dims; d++) {
    const size = view.getUint32(4 + 4 * d);
    shape.push(size);
    count *= size;
  }
  const payload = count * type.bytes;
  if (payload > maxBytes)
    throw new VisionDataError('too-large', name, `idx payload of ${payload} bytes exceeds ${maxBytes}`);
  const available = raw.length - headerBytes;
  if (available < payload) {
    throw new VisionDataError(
      'truncated',
      name,
      `idx shape [${shape.join(', ')}] needs ${payload} data bytes, file has ${available}`,
    );
  }
  if (available > payload) {
    throw new VisionDataError(
      'corrupt',
      name,
      `${available - payload} bytes follow the idx data of shape [${shape.join(', ')}]`,
    );
  }
  return { shape, data: readValues(view, headerBytes, count, type.name) };
}

function readValues(view: DataView, at: number, count: number, type: string): IdxArray['data'] {
  switch (type) {
    case 'uint8':
      return new Uint8Array(view.buffer.slice(view.byteOffset + at, view.byteOffset + at + count));
    case 'int8':
      return new Int8Array(view.buffer.slice(view.byteOffset + at, view.byteOffset + at + count));
    case 'int16':
      return Int16Array.from({ length: count }, (_, i) => view.getInt16(at + 2 * i));
    case 'int32':
      return Int32Array.from({ length: count }, (_, i) => view.getInt32(at + 4 * i));
    case 'float32':
      return Float32Array.from({ length: count }, (_, i) => view.getFloat32(at + 4 * i));
    default:
      return Float64Array.from({ length: count }, (_, i) => view.getFloat64(at + 8 * i));
  }
}

function hex(b: number | undefined): string {
  return (b ?? 0).toString(16).padStart(2, '0');
}

/** Reads and parses an idx file (`.gz` or plain) from disk; a missing file is `VisionDataError` `'not-found'`. */
export async function readIdxFile(path: string, options: { maxBytes?: number } = {}): Promise<IdxArray> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    throw new VisionDataError(
      code === 'ENOENT' ? 'not-found' : 'io',
      path,
      `could not be read (${code ?? (cause as Error).message})`,
      { cause },
    );
  }
  return parseIdx(bytes, path, options);
}
