import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CheckpointError,
  ConfigError,
  initBackend,
  type JsonValue,
  type ModelConfig,
  saveCheckpoint,
} from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CheckpointableModel, loadModel } from './checkpoint-io.js';
import { DEFAULT_LM_CONFIG_LIMITS, type RecurrentLMOptions, resolveLMConfig } from './lm-config.js';
import { modelFromCheckpoint, registerModelType, unregisterModelType } from './model-registry.js';
import { RecurrentLanguageModel } from './recurrent-lm.js';

// Configs from files are checked against limits and against their weights before anything is
// built: each hostile case below must fail in well under a second (it used to take minutes).
const FAST = { timeout: 5000 };

let dir: string;
let weights: Record<string, tf.Variable>;
let config: ModelConfig;
let counter = 0;

beforeAll(async () => {
  await initBackend();
  dir = mkdtempSync(join(tmpdir(), 'seqgen-hostile-config-'));
  const model = new RecurrentLanguageModel({ vocabSize: 12, embeddingSize: 8, hiddenSize: 16 });
  weights = model.variables;
  config = model.getConfig();
});
afterAll(() => {
  for (const v of Object.values(weights)) v.dispose();
  rmSync(dir, { recursive: true, force: true });
});

/** A checkpoint of the 16-unit model's weights whose config was edited. */
async function checkpointWith(edit: Record<string, JsonValue>, file = false): Promise<string> {
  const path = join(dir, `ckpt-${counter++}${file ? '.seqgen' : ''}`);
  await saveCheckpoint(path, { config: { ...config, ...edit } as ModelConfig, weights });
  return path;
}

async function loadFailure(load: Promise<unknown>): Promise<CheckpointError> {
  const before = tf.memory().numTensors;
  const error = await load.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CheckpointError);
  // Nothing was built: no tensor was allocated and left behind.
  expect(tf.memory().numTensors).toBe(before);
  return error as CheckpointError;
}

describe('a checkpoint config is checked before the model is built', () => {
  it(
    'hiddenSize 4096 beside 16-unit weights: invalid-weights naming the file, weight and expected shape',
    FAST,
    async () => {
      for (const file of [false, true]) {
        const path = await checkpointWith({ hiddenSize: 4096 }, file);
        const error = await loadFailure(RecurrentLanguageModel.load(path));
        expect(error.reason).toBe('invalid-weights');
        expect(error.path).toBe(path);
        expect(error.message).toContain(`checkpoint ${path}: weights do not fit the model its config describes`);
        expect(error.message).toMatch(/hiddenSize 4096/);
        expect(error.message).toMatch(/"rnn\/layers\.0\/kernel" has shape \[8,64\], the model needs \[8,16384\]/);
        expect(error.message).toMatch(/"output\/kernel" has shape \[16,12\], the model needs \[4096,12\]/);
      }
    },
  );

  it('numLayers 100000: a ConfigError-backed invalid-manifest naming the field and the limit', FAST, async () => {
    const path = await checkpointWith({ numLayers: 100_000 });
    const error = await loadFailure(RecurrentLanguageModel.load(path));
    expect(error.reason).toBe('invalid-manifest');
    expect(error.message).toBe(
      `checkpoint ${path}: its config is invalid: config.numLayers: must be at most 1024, got 100000`,
    );
    expect(error.cause).toBeInstanceOf(ConfigError);
    expect((error.cause as ConfigError).field).toBe('numLayers');
  });

  it('numLayers 1000 (under the limit) beside one layer of weights: lacks weights, nothing built', FAST, async () => {
    const path = await checkpointWith({ numLayers: 1000 });
    const error = await loadFailure(RecurrentLanguageModel.load(path));
    expect(error.reason).toBe('invalid-weights');
    expect(error.message).toMatch(/lacks weights "rnn\/layers\.1\/kernel", .* and 2989 more/);
  });

  it.each([
    [{ vocabSize: 1e9 }, 'config.vocabSize: must be at most 16777216, got 1000000000'],
    [{ hiddenSize: 1e12 }, 'config.hiddenSize: must be at most 65536, got 1000000000000'],
    [{ embeddingSize: 2 ** 40 }, 'config.embeddingSize: must be at most 65536, got 1099511627776'],
    [{ hiddenSize: '256' }, 'config.hiddenSize: must be a positive integer, got "256"'],
    [{ hiddenSize: 1.5 }, 'config.hiddenSize: must be a positive integer, got 1.5'],
    [{ seed: '7' }, 'config.seed: must be a non-negative integer, got "7"'],
    [{ dropout: '0.5' }, 'config.dropout: must be a number in [0, 1), got "0.5"'],
    [{ tieWeights: 'true' }, 'config.tieWeights: must be true or false, got "true"'],
    [{ forgetBias: '1' }, 'config.forgetBias: must be a finite number, got "1"'],
  ] as Array<[Record<string, JsonValue>, string]>)(
    'absurd or mistyped %o: %s',
    async (edit, message) => {
      const path = await checkpointWith(edit);
      const error = await loadFailure(RecurrentLanguageModel.load(path));
      expect(error.reason).toBe('invalid-manifest');
      expect(error.message).toBe(`checkpoint ${path}: its config is invalid: ${message}`);
      expect(error.message).not.toMatch(/Invalid typed array length/);
    },
    5000,
  );

  it('vocabSize 1e6 × embeddingSize 4096 is over the parameter limit', FAST, async () => {
    const path = await checkpointWith({ vocabSize: 1_000_000, embeddingSize: 4096 });
    const error = await loadFailure(RecurrentLanguageModel.load(path));
    expect(error.message).toMatch(
      /its config is invalid: config\.config: asks for \d+ parameters \(vocabSize 1000000, embeddingSize 4096, hiddenSize 16, numLayers 1\), over the limit of 536870912/,
    );
  });

  it('modelFromCheckpoint checks the same way, and loadModel does with a weightShapes function', FAST, async () => {
    const path = await checkpointWith({ hiddenSize: 4096 });
    const error = await loadFailure(modelFromCheckpoint(path));
    expect(error.reason).toBe('invalid-weights');
    let built = 0;
    const again = await loadFailure(
      loadModel(
        path,
        (c) => {
          built++;
          return RecurrentLanguageModel.fromConfig(c);
        },
        {},
        (c) => RecurrentLanguageModel.weightShapes(c),
      ),
    );
    expect(again.message).toMatch(/the model needs \[8,16384\]/);
    expect(built).toBe(0);
  });

  it('a registered type with weightShapes is refused before its factory runs', FAST, async () => {
    let built = 0;
    class Toy implements CheckpointableModel {
      readonly variables: Record<string, tf.Variable>;
      constructor(readonly size: number) {
        built++;
        this.variables = { w: tf.variable(tf.zeros([size])) };
      }
      getConfig(): ModelConfig {
        return { type: 'toy-shapes', size: this.size };
      }
      dispose(): void {
        this.variables.w?.dispose();
      }
    }
    registerModelType('toy-shapes', (c) => new Toy(c.size as number), {
      weightShapes: (c) => ({ w: [c.size as number] }),
    });
    try {
      const path = join(dir, 'toy');
      await saveCheckpoint(path, { config: { type: 'toy-shapes', size: 1e9 }, weights: { w: tf.zeros([3]) } });
      const error = await loadFailure(modelFromCheckpoint(path));
      expect(error.message).toMatch(
        /\(type "toy-shapes", size 1000000000; nothing was built\): "w" has shape \[3\], the model needs \[1000000000\]/,
      );
      expect(built).toBe(0);
    } finally {
      unregisterModelType('toy-shapes');
    }
  });

  it('a valid checkpoint still loads', async () => {
    const path = await checkpointWith({});
    const loaded = await RecurrentLanguageModel.load(path);
    expect(loaded.model.config.hiddenSize).toBe(16);
    loaded.model.dispose();
  });
});

describe('config limits and weight shapes', () => {
  const base: RecurrentLMOptions = { vocabSize: 12, embeddingSize: 8, hiddenSize: 16 };

  it('constructing a model with absurd sizes is a ConfigError naming the field, never a RangeError', FAST, () => {
    const cases: Array<[Partial<RecurrentLMOptions>, RegExp]> = [
      [{ vocabSize: 1e9 }, /^vocabSize: must be at most 16777216, got 1000000000$/],
      [{ hiddenSize: 1e12 }, /^hiddenSize: must be at most 65536, got 1000000000000$/],
      [{ numLayers: 100_000 }, /^numLayers: must be at most 1024, got 100000$/],
      [{ projSize: 1e6 }, /^projSize: must be at most 65536, got 1000000$/],
      [{ hiddenSize: '256' as unknown as number }, /^hiddenSize: must be a positive integer, got "256"$/],
      [{ vocabSize: 1_000_000, embeddingSize: 4096 }, /^config: asks for \d+ parameters/],
    ];
    for (const [edit, message] of cases) {
      expect(() => new RecurrentLanguageModel({ ...base, ...edit })).toThrow(ConfigError);
      expect(() => new RecurrentLanguageModel({ ...base, ...edit })).toThrow(message);
    }
  });

  it('the parameter limit can be raised by the caller', () => {
    const big = { ...base, vocabSize: 1_000_000, embeddingSize: 4096 };
    expect(() => resolveLMConfig(big)).toThrow(/over the limit of 536870912/);
    expect(resolveLMConfig(big, { maxParameters: 2 ** 33 }).vocabSize).toBe(1_000_000);
    expect(DEFAULT_LM_CONFIG_LIMITS.maxParameters).toBe(2 ** 29);
    expect(() => resolveLMConfig({ ...base, numLayers: 2000 }, { maxLayers: 4096 })).not.toThrow();
  });

  it.each([
    { cell: 'lstm', numLayers: 2 },
    { cell: 'lstm', numLayers: 2, projSize: 4, layerNorm: true },
    { cell: 'lstm', projSize: 8, tieWeights: true },
    { cell: 'gru', numLayers: 2, resetAfter: false },
    { cell: 'rnn', numLayers: 3, activation: 'relu' },
  ] as Array<Partial<RecurrentLMOptions>>)('weightShapes(%o) names every variable with its shape', (edit) => {
    const options = { ...base, ...edit };
    const model = new RecurrentLanguageModel(options);
    const built = Object.fromEntries(Object.entries(model.variables).map(([k, v]) => [k, v.shape]));
    expect(RecurrentLanguageModel.weightShapes({ type: 'recurrent-lm', ...options } as ModelConfig)).toEqual(built);
    model.dispose();
  });
});
