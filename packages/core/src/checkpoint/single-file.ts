import { CheckpointError } from '../errors.js';
import {
  CHECKPOINT_FORMAT_VERSION,
  type CheckpointLimits,
  type CheckpointManifest,
  EMBEDDED_PAYLOAD,
  READABLE_FORMAT_VERSIONS,
  SINGLE_FILE_MAGIC,
  validateManifest,
  type WeightFileInfo,
} from './format.js';
import { parseJsonStrict } from './safe-json.js';
import { sha256Hex } from './sha256.js';

/**
 * The single-file (`.seqgen`) layout, shared by every place such bytes come
 * from (a file, a Blob, a fetch, IndexedDB): a 16-byte header (8-byte magic,
 * u32 LE format version, u32 LE manifest length), the manifest JSON, then the
 * weight payload the manifest's `payload.bin` entry describes.
 */
export const HEADER_BYTES = 16;

/** Most bytes a single-file checkpoint within `limits` can hold: readers refuse to buffer more. */
export function maxSingleFileBytes(limits: CheckpointLimits): number {
  return HEADER_BYTES + limits.maxManifestBytes + limits.maxWeightBytes;
}

/**
 * Checks the header of a single-file checkpoint of `size` bytes and returns
 * the manifest's length: magic, readable version, manifest within the limit
 * and within the file.
 */
export function readHeader(header: Uint8Array, size: number, source: string, limits: CheckpointLimits): number {
  if (size < HEADER_BYTES || header.byteLength < HEADER_BYTES) {
    throw new CheckpointError('truncated', source, `is ${size} bytes, shorter than the ${HEADER_BYTES}-byte header`);
  }
  const magic = String.fromCharCode(...header.subarray(0, 8));
  if (magic !== SINGLE_FILE_MAGIC) {
    throw new CheckpointError(
      'corrupt',
      source,
      `does not start with the ${SINGLE_FILE_MAGIC} magic: not a seqgen checkpoint file`,
    );
  }
  const view = new DataView(header.buffer, header.byteOffset, HEADER_BYTES);
  const version = view.getUint32(8, true);
  if (!READABLE_FORMAT_VERSIONS.includes(version)) {
    throw new CheckpointError(
      'unsupported-version',
      source,
      `header says format version ${version}, which is not supported (this @seqgen/core reads versions ${READABLE_FORMAT_VERSIONS.join(', ')})`,
    );
  }
  const manifestBytes = view.getUint32(12, true);
  if (manifestBytes > limits.maxManifestBytes) {
    throw new CheckpointError(
      'too-large',
      source,
      `declares a ${manifestBytes}-byte manifest, over the limit of ${limits.maxManifestBytes}`,
    );
  }
  if (HEADER_BYTES + manifestBytes > size) {
    throw new CheckpointError('truncated', source, `ends inside its ${manifestBytes}-byte manifest`);
  }
  return manifestBytes;
}

/**
 * Where the embedded payload lies once the manifest is read: it must name
 * exactly one `payload.bin`, and the file must end exactly where it does.
 */
export function embeddedPayload(
  manifest: CheckpointManifest,
  manifestBytes: number,
  size: number,
  source: string,
): { offset: number; info: WeightFileInfo } {
  const files = manifest.weightsManifest.flatMap((g) => g.paths);
  if (files.length !== 1 || files[0] !== EMBEDDED_PAYLOAD) {
    throw new CheckpointError(
      'invalid-manifest',
      source,
      `a single-file checkpoint must embed exactly one "${EMBEDDED_PAYLOAD}"`,
    );
  }
  const info = manifest.weightFiles[EMBEDDED_PAYLOAD] as WeightFileInfo;
  const offset = HEADER_BYTES + manifestBytes;
  const expected = offset + info.bytes;
  if (size < expected)
    throw new CheckpointError('truncated', source, `is ${size} bytes, its header and manifest say ${expected}`);
  if (size > expected)
    throw new CheckpointError('corrupt', source, `has ${size - expected} unexpected bytes after the weights`);
  return { offset, info };
}

/** Parses manifest bytes as strict UTF-8 JSON data and validates them against `limits`. */
export function parseManifest(bytes: Uint8Array, source: string, limits: CheckpointLimits): CheckpointManifest {
  let value: ReturnType<typeof parseJsonStrict>;
  try {
    value = parseJsonStrict(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (error) {
    throw new CheckpointError('bad-json', source, `manifest is not valid JSON: ${jsonProblem(error)}`, {
      cause: error,
    });
  }
  return validateManifest(value, source, limits);
}

/**
 * What was wrong with a manifest's JSON, without quoting it: V8's messages
 * echo the text around the error, and the file may not be what the user meant
 * to show anyone.
 */
function jsonProblem(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const forbidden = /^forbidden key "(__proto__|constructor|prototype)"$/.exec(message);
  if (forbidden) return message;
  if (error instanceof TypeError) return 'it is not UTF-8 text';
  if (/Unexpected end of JSON input/i.test(message)) return 'it ends before the JSON is complete';
  const position = /at position (\d+)/.exec(message);
  return position ? `syntax error at character ${position[1]}` : 'syntax error';
}

/** Refuses `bytes` unless their SHA-256 is the one the manifest recorded. */
export async function checkHash(bytes: Uint8Array, sha256: string, source: string): Promise<void> {
  const actual = await sha256Hex(bytes);
  if (actual !== sha256) {
    throw new CheckpointError(
      'hash-mismatch',
      source,
      `SHA-256 is ${actual}, manifest says ${sha256}: the file was changed or damaged`,
    );
  }
}

/**
 * Reads a whole single-file checkpoint held in memory, with every check the
 * file reader makes; `check` sees the manifest before the payload is hashed.
 */
export async function decodeSingleFile(
  bytes: Uint8Array,
  source: string,
  limits: CheckpointLimits,
  check: ((manifest: CheckpointManifest, source: string) => void) | undefined,
): Promise<{ manifest: CheckpointManifest; payload: Uint8Array }> {
  const size = bytes.byteLength;
  const manifestBytes = readHeader(bytes.subarray(0, HEADER_BYTES), size, source, limits);
  const manifest = parseManifest(bytes.subarray(HEADER_BYTES, HEADER_BYTES + manifestBytes), source, limits);
  const { offset, info } = embeddedPayload(manifest, manifestBytes, size, source);
  check?.(manifest, source);
  const payload = bytes.subarray(offset, offset + info.bytes);
  await checkHash(payload, info.sha256, source);
  return { manifest, payload };
}

/** The single-file layout's bytes for `manifest` and its `payload` (already described in the manifest). */
export function encodeSingleFile(manifest: CheckpointManifest, payload: Uint8Array): Uint8Array<ArrayBuffer> {
  const json = new TextEncoder().encode(JSON.stringify(manifest));
  const out = new Uint8Array(HEADER_BYTES + json.byteLength + payload.byteLength);
  for (let i = 0; i < SINGLE_FILE_MAGIC.length; i++) out[i] = SINGLE_FILE_MAGIC.charCodeAt(i);
  const view = new DataView(out.buffer);
  view.setUint32(8, CHECKPOINT_FORMAT_VERSION, true);
  view.setUint32(12, json.byteLength, true);
  out.set(json, HEADER_BYTES);
  out.set(payload, HEADER_BYTES + json.byteLength);
  return out;
}
