import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CheckpointError, ConfigError, initBackend, type ModelConfig, saveCheckpoint } from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckpointableModel } from './checkpoint-io.js';
import {
  modelFromCheckpoint,
  modelFromConfig,
  registeredModelTypes,
  registerModelType,
  unregisterModelType,
} from './model-registry.js';
import { RecurrentLanguageModel } from './recurrent-lm.js';

let dir: string;
beforeAll(async () => {
  await initBackend();
  dir = mkdtempSync(join(tmpdir(), 'seqgen-registry-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A stand-in for a later model type (a seq2seq, say): one variable sized by its config. */
class ToyModel implements CheckpointableModel {
  readonly variables: Record<string, tf.Variable>;
  constructor(readonly config: ModelConfig) {
    this.variables = { 'encoder/w': tf.variable(tf.zeros([config.size as number])) };
  }
  getConfig(): ModelConfig {
    return this.config;
  }
  dispose(): void {
    for (const v of Object.values(this.variables)) v.dispose();
  }
}

describe('model registry', () => {
  it('builds and loads recurrent-lm by its config type', async () => {
    expect(registeredModelTypes()).toContain('recurrent-lm');
    const model = modelFromConfig({ type: 'recurrent-lm', vocabSize: 5, embeddingSize: 3, hiddenSize: 4 });
    expect(model).toBeInstanceOf(RecurrentLanguageModel);
    const path = join(dir, 'lm.seqgen');
    await (model as RecurrentLanguageModel).save(path);
    const loaded = await modelFromCheckpoint(path);
    expect(loaded.model).toBeInstanceOf(RecurrentLanguageModel);
    expect(loaded.model.getConfig()).toEqual(model.getConfig());
    model.dispose();
    loaded.model.dispose();
  });

  it('plugs in a new model type and loads its checkpoints', async () => {
    registerModelType('toy', (config) => new ToyModel(config));
    try {
      expect(() => registerModelType('toy', (config) => new ToyModel(config))).toThrow(ConfigError);
      const path = join(dir, 'toy');
      await saveCheckpoint(path, {
        config: { type: 'toy', size: 3 },
        weights: { 'encoder/w': { dtype: 'float32', shape: [3], data: new Float32Array([1, 2, 3]) } },
      });
      const loaded = await modelFromCheckpoint(path);
      expect(loaded.model).toBeInstanceOf(ToyModel);
      expect(Array.from(loaded.model.variables['encoder/w']?.dataSync() ?? [])).toEqual([1, 2, 3]);
      loaded.model.dispose();
    } finally {
      expect(unregisterModelType('toy')).toBe(true);
    }
  });

  it('names the unknown type and the registered ones', async () => {
    expect(() => modelFromConfig({ type: 'conditioned-decoder' })).toThrow(ConfigError);
    expect(() => modelFromConfig({ type: 'conditioned-decoder' })).toThrow(
      /unknown model type "conditioned-decoder"; registered: .*recurrent-lm/,
    );
    const path = join(dir, 'unknown');
    await saveCheckpoint(path, { config: { type: 'conditioned-decoder' }, weights: {} });
    await expect(modelFromCheckpoint(path)).rejects.toBeInstanceOf(CheckpointError);
    await expect(modelFromCheckpoint(path)).rejects.toThrow(/type "conditioned-decoder".*registered: .*recurrent-lm/);
  });

  it("shares core's registry: a type registered there is built here, and built-ins are there", async () => {
    const { buildFromConfig, registerConfigType, unregisterConfigType } = await import('@seqgen/core');
    registerConfigType('model', 'toy-core', (config) => new ToyModel(config as ModelConfig));
    try {
      expect(registeredModelTypes()).toEqual(expect.arrayContaining(['recurrent-lm', 'toy-core']));
      expect(modelFromConfig({ type: 'toy-core', size: 2 })).toBeInstanceOf(ToyModel);
      const lm = buildFromConfig<RecurrentLanguageModel>('model', {
        type: 'recurrent-lm',
        vocabSize: 4,
        embeddingSize: 2,
        hiddenSize: 3,
      });
      expect(lm.vocabSize).toBe(4);
      lm.dispose();
    } finally {
      unregisterConfigType('model', 'toy-core');
    }
  });
});
