import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CheckpointError, ConfigError, type JsonObject } from '@seqgen/core';
import { RecurrentLanguageModel, type RecurrentLMConfig, Seq2Seq, type Seq2SeqConfig } from '@seqgen/models';
import type { ImportWeightsOptions } from './finite.js';
import type { TorchTensorData } from './pytorch.js';
import { encodeSafetensors, readSafetensors, type SafeTensor } from './safetensors.js';
import { exportTorchLM, importTorchLM } from './torch-lm.js';
import { exportTorchSeq2Seq, importTorchSeq2Seq } from './torch-seq2seq.js';

/** File names of an exported model folder, shared with `python/seqgen_torch`. */
export const TORCH_MODEL_FILES = {
  /** The state dict by PyTorch names. */
  weights: 'model.safetensors',
  /** The {@link TorchModelConfig}. */
  config: 'config.json',
} as const;

/** The `format` tag of an exported model's `config.json`. */
export const TORCH_MODEL_FORMAT = 'seqgen-torch';

/** What `config.json` of an exported model holds; `python/seqgen_torch` builds its module from it. */
export type TorchModelConfig = {
  /** Always `seqgen-torch`. */
  format: typeof TORCH_MODEL_FORMAT;
  /** Version of this layout (1). */
  version: 1;
  /** The seqgen model config (`getConfig()`): its `type` picks the PyTorch module. */
  model: RecurrentLMConfig | Seq2SeqConfig;
  /** The tokenizer's own JSON (`toJSON()`), when the model has one. */
  tokenizer?: JsonObject;
  /** Other named codecs' JSON, as a checkpoint's preprocessors (a seq2seq's `source` and `target` tokenizers). */
  preprocessors?: Record<string, JsonObject>;
};

/** A model in PyTorch terms: its config and its state dict by PyTorch names. */
export type TorchModel = {
  /** The config `config.json` stores. */
  config: TorchModelConfig;
  /** Tensors by PyTorch state-dict name, e.g. `embedding.weight`, `rnn.weight_ih_l0`, `head.weight`. */
  stateDict: Record<string, TorchTensorData | SafeTensor>;
};

/** A model that {@link exportTorchModel} knows: the recurrent language model and the attention encoder–decoder. */
export type ExportableModel = RecurrentLanguageModel | Seq2Seq;

/** Options of {@link exportTorchModel} and {@link saveTorchModel}. */
export type ExportTorchOptions = {
  /** The tokenizer's JSON to store beside the config (e.g. a checkpoint's `tokenizer.toJSON()`). */
  tokenizer?: JsonObject | null;
  /** Other named codecs' JSON (a seq2seq's `source` and `target` tokenizers). */
  preprocessors?: Record<string, JsonObject>;
};

/** A seqgen model as a PyTorch config and state dict (see {@link TorchModelConfig}). */
export function exportTorchModel(model: ExportableModel, options: ExportTorchOptions = {}): TorchModel {
  if (!(model instanceof RecurrentLanguageModel) && !(model instanceof Seq2Seq)) {
    throw new ConfigError('model', 'has no PyTorch export: expected a RecurrentLanguageModel or a Seq2Seq');
  }
  const config: TorchModelConfig = { format: TORCH_MODEL_FORMAT, version: 1, model: model.getConfig() };
  if (options.tokenizer) config.tokenizer = options.tokenizer;
  if (options.preprocessors) config.preprocessors = options.preprocessors;
  const stateDict = model instanceof Seq2Seq ? exportTorchSeq2Seq(model) : exportTorchLM(model);
  return { config, stateDict };
}

/**
 * Writes `model.safetensors` and `config.json` to `dir` (created if needed):
 * what `seqgen_torch.load(dir)` reads. Both are written to temporary names
 * and renamed, so a crash never leaves a half-written file under the final name.
 */
export function saveTorchModel(model: ExportableModel, dir: string, options: ExportTorchOptions = {}): TorchModel {
  const exported = exportTorchModel(model, options);
  writeTorchModel(exported, dir);
  return exported;
}

/** Writes an exported model's two files to `dir`, each atomically (temp + rename). */
export function writeTorchModel(exported: TorchModel, dir: string): void {
  mkdirSync(dir, { recursive: true });
  const floats: Record<string, { shape: number[]; data: Float32Array }> = {};
  for (const [name, t] of Object.entries(exported.stateDict)) {
    floats[name] = { shape: [...t.shape], data: Float32Array.from(t.data) };
  }
  atomicWrite(join(dir, TORCH_MODEL_FILES.weights), encodeSafetensors(floats, { format: 'pt' }));
  atomicWrite(join(dir, TORCH_MODEL_FILES.config), `${JSON.stringify(exported.config, null, 2)}\n`);
}

function atomicWrite(path: string, data: string | Uint8Array): void {
  const temp = `${path}.tmp-${process.pid}`;
  try {
    writeFileSync(temp, data);
    renameSync(temp, path);
  } finally {
    rmSync(temp, { force: true });
  }
}

/** Reads an exported folder's `config.json` and `model.safetensors`; a CheckpointError names what is wrong. */
export function readTorchModel(dir: string): TorchModel {
  const configPath = join(dir, TORCH_MODEL_FILES.config);
  let text: string;
  try {
    text = readFileSync(configPath, 'utf8');
  } catch (error) {
    throw new CheckpointError('not-found', configPath, 'cannot be read (an exported model folder holds config.json)', {
      cause: error,
    });
  }
  let config: unknown;
  try {
    config = JSON.parse(text);
  } catch (error) {
    throw new CheckpointError('bad-json', configPath, `is not JSON: ${(error as Error).message}`);
  }
  const c = config as Partial<TorchModelConfig>;
  if (typeof c !== 'object' || c === null || c.format !== TORCH_MODEL_FORMAT || typeof c.model !== 'object') {
    throw new CheckpointError(
      'invalid-manifest',
      configPath,
      `is not a ${TORCH_MODEL_FORMAT} config (needs "format": "${TORCH_MODEL_FORMAT}" and a "model" object)`,
    );
  }
  if (c.version !== 1) {
    throw new CheckpointError(
      'unsupported-version',
      configPath,
      `has version ${String(c.version)}; this reader knows 1`,
    );
  }
  const { tensors } = readSafetensors(join(dir, TORCH_MODEL_FILES.weights));
  return { config: c as TorchModelConfig, stateDict: tensors };
}

/** What {@link importTorchModel} returns. */
export type ImportedTorchModel = {
  /** The seqgen model, built from the config and holding the state dict's weights (the caller disposes it). */
  model: ExportableModel;
  /** The exported config, with the tokenizer JSON when there is one. */
  config: TorchModelConfig;
};

/**
 * A seqgen model from an exported folder (`dir`, as `seqgen_torch.save` or
 * {@link saveTorchModel} writes it) or from a `{ config, stateDict }` in
 * memory. A state dict that does not fit the config is a
 * `StateDictMismatchError` listing every missing, unexpected and mis-shaped name.
 */
export function importTorchModel(source: string | TorchModel, options: ImportWeightsOptions = {}): ImportedTorchModel {
  const where = typeof source === 'string' ? join(source, TORCH_MODEL_FILES.weights) : '<state dict>';
  const { config, stateDict } = typeof source === 'string' ? readTorchModel(source) : source;
  const tensors: Record<string, SafeTensor> = {};
  for (const [name, t] of Object.entries(stateDict)) {
    tensors[name] = 'dtype' in t ? t : { shape: t.shape, dtype: 'float32', data: t.data };
  }
  const type = (config.model as { type?: unknown }).type;
  if (type === 'recurrent-lm') {
    return { model: importTorchLM(config.model as RecurrentLMConfig, tensors, where, options), config };
  }
  if (type === 'seq2seq') {
    return { model: importTorchSeq2Seq(config.model as Seq2SeqConfig, tensors, where, options), config };
  }
  throw new ConfigError(
    'model.type',
    `has no PyTorch import: expected "recurrent-lm" or "seq2seq", got ${JSON.stringify(type)}`,
  );
}

/**
 * Converts an exported folder into a seqgen checkpoint at `out` (with its
 * tokenizer, when `config.json` has one), so that apps load it as any other
 * checkpoint. Returns the imported model's config.
 */
export async function torchModelToCheckpoint(
  dir: string,
  out: string,
  options: { metadata?: JsonObject } & ImportWeightsOptions = {},
): Promise<TorchModelConfig> {
  const { model, config } = importTorchModel(dir, options);
  try {
    await model.save(out, {
      ...(config.tokenizer ? { tokenizer: config.tokenizer as never } : {}),
      ...(config.preprocessors ? { preprocessors: config.preprocessors as never } : {}),
      ...(options.metadata ? { metadata: options.metadata } : {}),
    });
    return config;
  } finally {
    model.dispose();
  }
}
