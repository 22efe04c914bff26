import { CheckpointError, ConfigError, type LoadCheckpointOptions, type ModelConfig } from '@seqgen/core';
import { type CheckpointableModel, type LoadedModel, loadModel } from './checkpoint-io.js';
import { RECURRENT_LM_TYPE } from './lm-config.js';
import { RecurrentLanguageModel } from './recurrent-lm.js';

/** Builds a model of one config `type` from its config. */
export type ModelFactory<M extends CheckpointableModel = CheckpointableModel> = (config: ModelConfig) => M;

/**
 * Config `type` → factory. Seeded here with the models of this package (not
 * registered from their own modules, which would be an import side effect
 * that bundlers may drop); later model types call `registerModelType`.
 */
const factories = new Map<string, ModelFactory>([
  [RECURRENT_LM_TYPE, (config) => RecurrentLanguageModel.fromConfig(config)],
]);

/** Adds a model type so that `modelFromConfig` / `modelFromCheckpoint` can build it. */
export function registerModelType(type: string, factory: ModelFactory, options: { replace?: boolean } = {}): void {
  if (typeof type !== 'string' || type === '') throw new ConfigError('type', 'must be a non-empty string');
  if (typeof factory !== 'function') throw new ConfigError('factory', `must be a function, got ${typeof factory}`);
  if (factories.has(type) && !options.replace) {
    throw new ConfigError('type', `"${type}" is already registered (pass { replace: true } to override it)`);
  }
  factories.set(type, factory);
}

/** Removes a registered type (tests, plugins being unloaded); returns whether it was there. */
export function unregisterModelType(type: string): boolean {
  return factories.delete(type);
}

/** The config types that can be built, sorted. */
export function registeredModelTypes(): string[] {
  return [...factories.keys()].sort();
}

/** Builds a fresh (randomly initialized) model from a `type`-tagged config. */
export function modelFromConfig(config: ModelConfig): CheckpointableModel {
  return factoryFor(config?.type, (message) => new ConfigError('type', message))(config);
}

/**
 * Loads any registered model type from a checkpoint: its config's `type`
 * picks the factory, then weights and tokenizer are checked and loaded as
 * `RecurrentLanguageModel.load` does.
 */
export function modelFromCheckpoint(
  path: string,
  options: LoadCheckpointOptions = {},
): Promise<LoadedModel<CheckpointableModel>> {
  return loadModel(
    path,
    (config) => factoryFor(config.type, (message) => new CheckpointError('invalid-manifest', path, message))(config),
    options,
  );
}

function factoryFor(type: unknown, error: (message: string) => Error): ModelFactory {
  const factory = typeof type === 'string' ? factories.get(type) : undefined;
  if (!factory) {
    throw error(`no model type ${JSON.stringify(type)} is registered (known: ${registeredModelTypes().join(', ')})`);
  }
  return factory;
}
