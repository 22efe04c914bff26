import { ConfigError, ShapeError } from '@seqgen/core';
import { VideoDataError } from './video-data-error.js';

/** Element types this package reads and writes in `.npy` files. */
export type NpyDType = 'uint8' | 'float32';

/**
 * An n-dimensional array as stored in a NumPy `.npy` file: row-major (C
 * order) `data` of `shape`. `mnist_test_seq.npy` is `uint8` of shape
 * `[20, 10000, 64, 64]` (frames, sequences, height, width).
 */
export type NpyArray = {
  /** Size of each dimension; the product is `data.length`. */
  shape: number[];
  /** Element type: `uint8` (`|u1` in the header) or `float32` (`<f4`). */
  dtype: NpyDType;
  /** The elements in row-major order. */
  data: Uint8Array | Float32Array;
};

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // "\x93NUMPY"
const DESCR: Record<NpyDType, string> = { uint8: '|u1', float32: '<f4' };
const FROM_DESCR: Record<string, NpyDType> = { '|u1': 'uint8', '<u1': 'uint8', u1: 'uint8', '<f4': 'float32' };

/**
 * Encodes an array as a NumPy `.npy` file, format version 1.0: the magic
 * string, version bytes, a little-endian uint16 header length, then the
 * header (a Python dict literal with `descr`, `fortran_order` and `shape`,
 * space-padded and ending in a newline so that the data starts on a 64-byte
 * boundary), then the raw elements. `numpy.load` reads it.
 */
export function encodeNpy(array: NpyArray): Uint8Array {
  checkNpyArray(array);
  const shape = array.shape.length === 1 ? `(${array.shape[0]},)` : `(${array.shape.join(', ')})`;
  let header = `{'descr': '${DESCR[array.dtype]}', 'fortran_order': False, 'shape': ${shape}, }`;
  const unpadded = MAGIC.length + 2 + 2 + header.length + 1;
  header += `${' '.repeat((64 - (unpadded % 64)) % 64)}\n`;
  if (header.length > 0xffff) throw new ConfigError('array.shape', 'too many dimensions for an .npy v1.0 header');
  const dataBytes = new Uint8Array(array.data.buffer, array.data.byteOffset, array.data.byteLength);
  const out = new Uint8Array(10 + header.length + dataBytes.length);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  out[8] = header.length & 0xff;
  out[9] = header.length >> 8;
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  // float32 is stored little-endian; every platform Node runs on is little-endian too.
  out.set(dataBytes, 10 + header.length);
  return out;
}

/**
 * Decodes a NumPy `.npy` file (format versions 1.0, 2.0 and 3.0) of `uint8`
 * or little-endian `float32` in C order. Anything else — a bad magic string,
 * Fortran order, another dtype, a shape whose size disagrees with the data —
 * is a `VideoDataError` naming `source`.
 */
export function decodeNpy(bytes: Uint8Array, source = '.npy'): NpyArray {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b))
    throw new VideoDataError('corrupt', source, 'not an .npy file (no \\x93NUMPY magic string)');
  const major = bytes[6] as number;
  if (major < 1 || major > 3)
    throw new VideoDataError('unsupported', source, `.npy format version ${major} is not 1, 2 or 3`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lengthBytes = major === 1 ? 2 : 4;
  if (bytes.length < 8 + lengthBytes) throw new VideoDataError('corrupt', source, 'truncated header length');
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const dataStart = 8 + lengthBytes + headerLength;
  if (dataStart > bytes.length)
    throw new VideoDataError('corrupt', source, `header of ${headerLength} bytes runs past the end of the file`);
  const header = new TextDecoder('latin1').decode(bytes.subarray(8 + lengthBytes, dataStart));
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined)
    throw new VideoDataError(
      'corrupt',
      source,
      `header is not a dict with descr, fortran_order and shape: ${JSON.stringify(header.slice(0, 200))}`,
    );
  const dtype = FROM_DESCR[descr];
  if (!dtype)
    throw new VideoDataError('unsupported', source, `dtype '${descr}' is not '|u1' (uint8) or '<f4' (float32)`);
  if (fortran === 'True')
    throw new VideoDataError('unsupported', source, 'Fortran-order arrays are not supported; save with C order');
  const parts = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (!parts.every((s) => /^\d{1,15}$/.test(s)))
    throw new VideoDataError('corrupt', source, `bad shape (${shapeText})`);
  const shape = parts.map(Number);
  const count = shape.reduce((a, b) => a * b, 1);
  const itemBytes = dtype === 'uint8' ? 1 : 4;
  const available = bytes.length - dataStart;
  if (count * itemBytes !== available) {
    throw new VideoDataError(
      'corrupt',
      source,
      `shape (${shape.join(', ')}) needs ${count * itemBytes} bytes of data, the file has ${available}`,
    );
  }
  const raw = bytes.subarray(dataStart);
  const data = dtype === 'uint8' ? raw.slice() : new Float32Array(raw.slice().buffer);
  return { shape, dtype, data };
}

function checkNpyArray(array: NpyArray): void {
  if (!Array.isArray(array?.shape) || !array.shape.every((d) => Number.isInteger(d) && d >= 0))
    throw new ShapeError('array.shape', 'non-negative integers', String(array?.shape));
  const expected = array.dtype === 'uint8' ? Uint8Array : array.dtype === 'float32' ? Float32Array : undefined;
  if (!expected) throw new ConfigError('array.dtype', `must be 'uint8' or 'float32', got ${String(array.dtype)}`);
  if (!(array.data instanceof expected))
    throw new ShapeError('array.data', expected.name, array.data?.constructor?.name ?? typeof array.data);
  const count = array.shape.reduce((a, b) => a * b, 1);
  if (array.data.length !== count)
    throw new ShapeError(
      'array.data',
      `${count} elements for shape [${array.shape.join(', ')}]`,
      `${array.data.length}`,
    );
}
