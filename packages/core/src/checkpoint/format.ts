import type { CodecJson } from '../contracts/codec.js';
import { CheckpointError } from '../errors.js';
import { describeValue } from '../validate.js';
import { isJsonObject, type JsonObject, type JsonValue } from './safe-json.js';

/** Tag written in every checkpoint manifest. */
export const CHECKPOINT_FORMAT = 'seqgen-checkpoint';
/** Manifest version this code writes. */
export const CHECKPOINT_FORMAT_VERSION = 2;
/**
 * Versions this code reads. Version 1 had one `tokenizer` slot; it is read as
 * the preprocessor named {@link DEFAULT_PREPROCESSOR}.
 */
export const READABLE_FORMAT_VERSIONS: readonly number[] = [1, 2];
/** The name a model with a single text tokenizer stores it under (and version-1 checkpoints are read as). */
export const DEFAULT_PREPROCESSOR = 'tokenizer';
/** Manifest file inside a checkpoint folder. */
export const MANIFEST_FILE = 'checkpoint.json';
/** Magic bytes opening a single-file checkpoint. */
export const SINGLE_FILE_MAGIC = 'SEQGENCK';
/** Extension that selects the single-file layout. */
export const SINGLE_FILE_EXTENSION = '.seqgen';
/** Name of the embedded weight payload in a single-file checkpoint manifest. */
export const EMBEDDED_PAYLOAD = 'payload.bin';

export const WEIGHT_DTYPES = ['float32', 'int32', 'bool'] as const;
/** Element types a checkpoint can store: `float32`, `int32` or `bool`. */
export type WeightDType = (typeof WEIGHT_DTYPES)[number];

/** Bytes per element in the tfjs weights binary layout (bool is one byte). */
export const DTYPE_BYTES: Readonly<Record<WeightDType, number>> = Object.freeze(
  Object.assign(Object.create(null) as Record<WeightDType, number>, { float32: 4, int32: 4, bool: 1 }),
);

/**
 * Whether `value` is one of {@link WEIGHT_DTYPES}: an exact, own match, so
 * that names such as `"toString"` or `"__proto__"` never reach an object's prototype.
 */
export function isWeightDType(value: unknown): value is WeightDType {
  return (
    typeof value === 'string' &&
    (WEIGHT_DTYPES as readonly string[]).includes(value) &&
    Object.hasOwn(DTYPE_BYTES, value)
  );
}

/** One entry of a tfjs weights manifest group. */
export interface WeightSpec {
  /** The weight's name, as the model's variable is named. */
  name: string;
  /** The weight's dimensions; its byte length is their product times the dtype's size. */
  shape: number[];
  /** Element type, which sets its bytes per element (4 for float32 and int32, 1 for bool). */
  dtype: WeightDType;
}

/** A tfjs weights-manifest group: weights laid end to end across the shard files in `paths`. */
export interface WeightsManifestGroup {
  /** Shard files, in order, whose concatenated bytes hold the group's weights. */
  paths: string[];
  /** The weights stored end to end in the shards, in byte order. */
  weights: WeightSpec[];
}

export interface WeightFileInfo {
  bytes: number;
  sha256: string;
}

/** The JSON manifest of a checkpoint (`checkpoint.json`, or the header of a single file). */
export interface CheckpointManifest {
  /** Always {@link CHECKPOINT_FORMAT}: tells a seqgen checkpoint from other JSON. */
  format: typeof CHECKPOINT_FORMAT;
  /**
   * Manifest layout version, one of {@link READABLE_FORMAT_VERSIONS} (this code writes {@link
   * CHECKPOINT_FORMAT_VERSION}).
   */
  formatVersion: number;
  /** When the checkpoint was written, as an ISO 8601 timestamp. */
  createdAt: string;
  /** The model's `type`-tagged config: what `fromConfig` factories rebuild the model from. */
  config: ModelConfig;
  /**
   * Named preprocessors, each a codec's own JSON (`type`-tagged, rebuilt by the
   * registry's `codec` kind): `tokenizer` for a language model, `source` and
   * `target` for translation, `events` for music, `audio` for speech.
   */
  preprocessors: Record<string, CodecJson>;
  /** Free-form JSON: training state, metrics, provenance. */
  metadata: JsonObject;
  /**
   * Where each weight lies: tfjs weights-manifest groups, each naming its shard files and the weights in them in order.
   */
  weightsManifest: WeightsManifestGroup[];
  /** Size and SHA-256 of every weight file named in `weightsManifest`. */
  weightFiles: Record<string, WeightFileInfo>;
}

/** A `type`-tagged, plain-JSON configuration. */
export interface ModelConfig {
  /** The registered model type that rebuilds this config (e.g. `recurrent-lm`). */
  type: string;
  [key: string]: JsonValue;
}

/** A tokenizer's serialized form: a codec's JSON (`type`-tagged with a version). */
export type TokenizerJson = CodecJson;

/** Limits enforced while loading; all of them can be raised by the caller. */
export interface CheckpointLimits {
  /** Largest manifest accepted, in bytes (default 64 MiB). */
  maxManifestBytes: number;
  /** Largest total weight payload accepted, in bytes (default 2 GiB). */
  maxWeightBytes: number;
  /** Most weights in one checkpoint (default 100,000). */
  maxWeights: number;
  /** Highest tensor rank (default 8). */
  maxRank: number;
}

/**
 * The loading limits used unless the caller raises them: 64 MiB manifest, 2 GiB of weights, 100,000 weights, rank 8.
 */
export const DEFAULT_LIMITS: CheckpointLimits = {
  maxManifestBytes: 64 * 1024 * 1024,
  maxWeightBytes: 2 * 1024 * 1024 * 1024,
  maxWeights: 100_000,
  maxRank: 8,
};

const SAFE_FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;

/** File names a manifest may refer to: plain names inside the checkpoint, never paths. */
export function isSafeFileName(name: string): boolean {
  return SAFE_FILE_NAME.test(name) && !name.includes('..');
}

export function elementCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/**
 * Checks that parsed JSON is a well-formed manifest within `limits`, and
 * returns it typed. Everything the loader later trusts is verified here:
 * tag, version, config and tokenizer shape, weight names, dtypes, shapes,
 * file names, and that the files' sizes add up to the weights' sizes.
 */
export function validateManifest(value: JsonValue, path: string, limits: CheckpointLimits): CheckpointManifest {
  const fail = (message: string): never => {
    throw new CheckpointError('invalid-manifest', path, message);
  };
  if (!isJsonObject(value)) return fail('manifest must be a JSON object');
  if (value.format !== CHECKPOINT_FORMAT)
    fail(`"format" must be "${CHECKPOINT_FORMAT}", got ${describeValue(value.format)}`);
  const version = value.formatVersion;
  if (typeof version !== 'number' || !Number.isInteger(version))
    fail(`"formatVersion" must be an integer, got ${describeValue(version)}`);
  if (!READABLE_FORMAT_VERSIONS.includes(version as number)) {
    throw new CheckpointError(
      'unsupported-version',
      path,
      `format version ${describeValue(version)} is not supported (this @seqgen/core reads versions ${READABLE_FORMAT_VERSIONS.join(', ')})`,
    );
  }
  if (typeof value.createdAt !== 'string') fail('"createdAt" must be a string');
  const config = value.config;
  if (!isJsonObject(config) || typeof config.type !== 'string' || config.type === '') {
    fail('"config" must be an object with a non-empty string "type"');
  }
  const preprocessors: Record<string, JsonValue> = {};
  if (version === 1) {
    const tokenizer = value.tokenizer;
    if (tokenizer !== null) {
      if (!isCodecJson(tokenizer))
        fail('"tokenizer" must be null or an object with string "type" and number "version"');
      preprocessors[DEFAULT_PREPROCESSOR] = tokenizer as JsonValue;
    }
  } else {
    if (!isJsonObject(value.preprocessors)) fail('"preprocessors" must be an object');
    for (const [name, json] of Object.entries(value.preprocessors as JsonObject)) {
      if (!PREPROCESSOR_NAME.test(name))
        fail(`preprocessor name ${describeValue(name)} must match ${PREPROCESSOR_NAME}`);
      if (!isCodecJson(json)) fail(`preprocessors.${name} must be an object with string "type" and number "version"`);
      preprocessors[name] = json;
    }
  }
  if (!isJsonObject(value.metadata)) fail('"metadata" must be an object');
  const files = value.weightFiles;
  if (!isJsonObject(files)) return fail('"weightFiles" must be an object');
  for (const [name, info] of Object.entries(files)) {
    if (!isSafeFileName(name))
      throw new CheckpointError(
        'unsafe-path',
        path,
        `weight file name ${describeValue(name)} is not a plain file name`,
      );
    if (
      !isJsonObject(info) ||
      !isByteCount(info.bytes) ||
      typeof info.sha256 !== 'string' ||
      !SHA256_HEX.test(info.sha256)
    ) {
      fail(`weightFiles[${describeValue(name)}] must have integer "bytes" and a lowercase hex "sha256"`);
    }
  }
  const groups = value.weightsManifest;
  if (!Array.isArray(groups)) return fail('"weightsManifest" must be an array');
  const names = new Set<string>();
  const usedFiles = new Set<string>();
  let totalBytes = 0;
  groups.forEach((group, g) => {
    if (!isJsonObject(group) || !Array.isArray(group.paths) || !Array.isArray(group.weights)) {
      fail(`weightsManifest[${g}] must have "paths" and "weights" arrays`);
      return;
    }
    let fileBytes = 0;
    for (const file of group.paths as JsonValue[]) {
      if (typeof file !== 'string' || !isSafeFileName(file)) {
        throw new CheckpointError(
          'unsafe-path',
          path,
          `weightsManifest[${g}] names ${describeValue(file)}, not a plain file name`,
        );
      }
      const info = Object.hasOwn(files, file) ? (files as Record<string, JsonObject>)[file] : undefined;
      if (!info) fail(`weightsManifest[${g}] names "${file}" but weightFiles has no entry for it`);
      if (usedFiles.has(file)) fail(`weight file "${file}" is listed twice`);
      usedFiles.add(file);
      fileBytes += (info as { bytes: number }).bytes;
    }
    let weightBytes = 0;
    (group.weights as JsonValue[]).forEach((spec, w) => {
      const where = `weightsManifest[${g}].weights[${w}]`;
      if (!isJsonObject(spec) || typeof spec.name !== 'string' || spec.name === '')
        fail(`${where} needs a non-empty "name"`);
      const { name, dtype, shape } = spec as JsonObject;
      const shown = describeValue(name);
      if (names.has(name as string)) fail(`weight ${shown} appears twice`);
      names.add(name as string);
      if (!isWeightDType(dtype)) {
        fail(
          `${where} (${shown}) has dtype ${describeValue(dtype)}; expected one of ${WEIGHT_DTYPES.map((d) => `"${d}"`).join(', ')}`,
        );
        return;
      }
      if (!Array.isArray(shape) || shape.length > limits.maxRank || !shape.every(isByteCount)) {
        fail(`${where} (${shown}) must have a shape of at most ${limits.maxRank} non-negative integers`);
      }
      const count = elementCount(shape as number[]);
      weightBytes += count * DTYPE_BYTES[dtype];
      if (!Number.isSafeInteger(weightBytes)) fail(`${where} (${shown}) is impossibly large`);
    });
    if (weightBytes !== fileBytes) {
      fail(`weightsManifest[${g}] declares ${weightBytes} bytes of weights but its files hold ${fileBytes}`);
    }
    totalBytes += weightBytes;
  });
  if (names.size > limits.maxWeights) {
    throw new CheckpointError('too-large', path, `${names.size} weights exceed the limit of ${limits.maxWeights}`);
  }
  if (totalBytes > limits.maxWeightBytes) {
    throw new CheckpointError(
      'too-large',
      path,
      `${totalBytes} weight bytes exceed the limit of ${limits.maxWeightBytes}`,
    );
  }
  for (const name of Object.keys(files)) {
    if (!usedFiles.has(name)) fail(`weightFiles lists "${name}" but no weightsManifest group uses it`);
  }
  const { tokenizer: _v1Slot, ...rest } = value;
  return { ...rest, formatVersion: version, preprocessors } as unknown as CheckpointManifest;
}

/** Preprocessor names: short identifiers (`tokenizer`, `source`, `target`, `events`, `audio`). */
export const PREPROCESSOR_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

function isCodecJson(v: JsonValue | undefined): boolean {
  return isJsonObject(v) && typeof v.type === 'string' && v.type !== '' && typeof v.version === 'number';
}

function isByteCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}
