import {
  buildFromConfig,
  CheckpointError,
  type ConfigFactory,
  isRegisteredConfigType,
  type LoadCheckpointOptions,
  type ModelConfig,
  registerConfigType,
  registeredConfigTypes,
  unregisterConfigType,
} from '@seqgen/core';
import { type CheckpointableModel, type LoadedModel, loadModel } from './checkpoint-io.js';
import { RECURRENT_LM_TYPE } from './lm-config.js';
import { RecurrentLanguageModel } from './recurrent-lm.js';

/**
 * Models live in core's one registry under kind `model`; the functions here
 * are thin wrappers that register this package's models first (no import side
 * effect: the package is `sideEffects: false`).
 */

/** Builds a model of one config `type` from its config. */
export type ModelFactory<M extends CheckpointableModel = CheckpointableModel> = (config: ModelConfig) => M;

const BUILTIN: Record<string, ModelFactory> = {
  [RECURRENT_LM_TYPE]: (config) => RecurrentLanguageModel.fromConfig(config),
};

/** Registers this package's models (`recurrent-lm`) under kind `model`; idempotent, and leaves a replaced type alone. */
export function registerBuiltinModels(): void {
  for (const [type, factory] of Object.entries(BUILTIN)) {
    if (!isRegisteredConfigType('model', type))
      registerConfigType('model', type, factory as ConfigFactory<CheckpointableModel>);
  }
}

/**
 * Adds a model type so that `modelFromConfig` / `modelFromCheckpoint` can
 * build it: core's `registerConfigType('model', type, factory, options)`.
 */
export function registerModelType(type: string, factory: ModelFactory, options: { replace?: boolean } = {}): void {
  registerBuiltinModels();
  // Model configs are plain JSON (checkpoints store them), so the registry's config is a ModelConfig here.
  registerConfigType('model', type, factory as ConfigFactory<CheckpointableModel>, options);
}

/** Removes a registered type (tests, plugins being unloaded); returns whether it was there. */
export function unregisterModelType(type: string): boolean {
  return unregisterConfigType('model', type);
}

/** The model types that can be built, sorted. */
export function registeredModelTypes(): string[] {
  registerBuiltinModels();
  return registeredConfigTypes('model');
}

/** Builds a fresh (randomly initialized) model from a `type`-tagged config; an unknown type is a ConfigError listing the registered ones. */
export function modelFromConfig(config: ModelConfig): CheckpointableModel {
  registerBuiltinModels();
  return buildFromConfig<CheckpointableModel>('model', config);
}

/**
 * Loads any registered model type from a checkpoint: its config's `type`
 * picks the factory, then preprocessors and weights are checked and loaded
 * as `RecurrentLanguageModel.load` does. An unregistered type is a
 * CheckpointError (`invalid-manifest`) naming it and the registered ones.
 */
export function modelFromCheckpoint(
  path: string,
  options: LoadCheckpointOptions = {},
): Promise<LoadedModel<CheckpointableModel>> {
  registerBuiltinModels();
  return loadModel(
    path,
    (config) => {
      if (!isRegisteredConfigType('model', config.type)) {
        throw new CheckpointError(
          'invalid-manifest',
          path,
          `holds a model of type ${JSON.stringify(config.type)}, which no loaded package registered (registered: ${registeredConfigTypes('model').join(', ')})`,
        );
      }
      return buildFromConfig<CheckpointableModel>('model', config);
    },
    options,
  );
}
