import {
  buildFromConfig,
  CheckpointError,
  type CheckpointSource,
  type ConfigFactory,
  describeValue,
  isRegisteredConfigType,
  type LoadCheckpointOptions,
  type ModelConfig,
  registerConfigType,
  registeredConfigTypes,
  unregisterConfigType,
} from '@seqgen/core';
import { Captioner } from './captioner/captioner.js';
import { CAPTIONER_TYPE } from './captioner/captioner-config.js';
import {
  type CheckpointableModel,
  describeSource,
  type LoadedModel,
  loadModel,
  type WeightShapesOf,
} from './checkpoint-io.js';
import { ConditionedLanguageModel } from './conditioned-lm/conditioned-lm.js';
import { CONDITIONED_LM_TYPE } from './conditioned-lm/conditioned-lm-config.js';
import { ConvLstmForecaster } from './forecaster/conv-lstm-forecaster.js';
import { CONV_LSTM_FORECASTER_TYPE } from './forecaster/forecaster-config.js';
import { RECURRENT_LM_TYPE } from './lm-config.js';
import { RecurrentLanguageModel } from './recurrent-lm.js';
import { Seq2Seq } from './seq2seq/seq2seq.js';
import { SEQ2SEQ_TYPE } from './seq2seq/seq2seq-config.js';
import { Tacotron } from './tacotron/tacotron.js';
import { TACOTRON_TYPE } from './tacotron/tacotron-config.js';
import { VideoClassifier } from './video-classifier/video-classifier.js';
import { VIDEO_CLASSIFIER_TYPE } from './video-classifier/video-classifier-config.js';

/**
 * Models live in core's one registry under kind `model`; the functions here
 * are thin wrappers that register this package's models first (no import side
 * effect: the package is `sideEffects: false`).
 */

/** Builds a model of one config `type` from its config. */
export type ModelFactory<M extends CheckpointableModel = CheckpointableModel> = (config: ModelConfig) => M;

/** A model type's factory and, optionally, the weight shapes its configs imply (checked before building). */
interface ModelSpec {
  factory: ModelFactory;
  weightShapes?: (config: ModelConfig) => Record<string, number[]>;
}

const BUILTIN: Record<string, ModelSpec> = {
  [RECURRENT_LM_TYPE]: {
    factory: (config) => RecurrentLanguageModel.fromConfig(config),
    weightShapes: (config) => RecurrentLanguageModel.weightShapes(config),
  },
  [CONDITIONED_LM_TYPE]: {
    factory: (config) => ConditionedLanguageModel.fromConfig(config),
    weightShapes: (config) => ConditionedLanguageModel.weightShapes(config),
  },
  [SEQ2SEQ_TYPE]: {
    factory: (config) => Seq2Seq.fromConfig(config),
    weightShapes: (config) => Seq2Seq.weightShapes(config),
  },
  [CONV_LSTM_FORECASTER_TYPE]: {
    factory: (config) => ConvLstmForecaster.fromConfig(config),
    weightShapes: (config) => ConvLstmForecaster.weightShapes(config),
  },
  [CAPTIONER_TYPE]: {
    factory: (config) => Captioner.fromConfig(config),
    weightShapes: (config) => Captioner.weightShapes(config),
  },
  [TACOTRON_TYPE]: {
    factory: (config) => Tacotron.fromConfig(config),
    weightShapes: (config) => Tacotron.weightShapes(config),
  },
  [VIDEO_CLASSIFIER_TYPE]: {
    factory: (config) => VideoClassifier.fromConfig(config),
    weightShapes: (config) => VideoClassifier.weightShapes(config),
  },
};

/**
 * Weight-shape functions of the types registered through this package, by
 * type: `modelFromCheckpoint` checks a config against its weights with them
 * before building the model. (A type registered with core's
 * `registerConfigType` directly has none: its weights are checked after building.)
 */
const WEIGHT_SHAPES = new Map<string, (config: ModelConfig) => Record<string, number[]>>();

/** Registers this package's models (`recurrent-lm`, `conditioned-lm`, `seq2seq`, `conv-lstm-forecaster`, `tacotron`, `video-classifier`) under kind `model`; idempotent, and leaves a replaced type alone. */
export function registerBuiltinModels(): void {
  for (const [type, spec] of Object.entries(BUILTIN)) {
    if (!isRegisteredConfigType('model', type)) {
      registerConfigType('model', type, spec.factory as ConfigFactory<CheckpointableModel>);
      if (spec.weightShapes) WEIGHT_SHAPES.set(type, spec.weightShapes);
      else WEIGHT_SHAPES.delete(type);
    }
  }
}

/** Options of {@link registerModelType}. */
export interface RegisterModelOptions {
  /** Replace a type already registered (default false: a ConfigError). */
  replace?: boolean;
  /**
   * The name and shape of every weight a model of a config holds, computed
   * without allocating (like `RecurrentLanguageModel.weightShapes`): with it,
   * `modelFromCheckpoint` refuses a config that is invalid or disagrees with
   * its weights before building anything.
   */
  weightShapes?: (config: ModelConfig) => Record<string, number[]>;
}

/**
 * Adds a model type so that `modelFromConfig` / `modelFromCheckpoint` can
 * build it: core's `registerConfigType('model', type, factory, options)`.
 */
export function registerModelType(type: string, factory: ModelFactory, options: RegisterModelOptions = {}): void {
  registerBuiltinModels();
  // Model configs are plain JSON (checkpoints store them), so the registry's config is a ModelConfig here.
  registerConfigType('model', type, factory as ConfigFactory<CheckpointableModel>, {
    ...(options.replace !== undefined ? { replace: options.replace } : {}),
  });
  if (options.weightShapes) WEIGHT_SHAPES.set(type, options.weightShapes);
  else WEIGHT_SHAPES.delete(type);
}

/** Removes a registered type (tests, plugins being unloaded); returns whether it was there. */
export function unregisterModelType(type: string): boolean {
  WEIGHT_SHAPES.delete(type);
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
  source: CheckpointSource,
  options: LoadCheckpointOptions = {},
): Promise<LoadedModel<CheckpointableModel>> {
  registerBuiltinModels();
  const path = describeSource(source);
  const checkRegistered = (config: ModelConfig): void => {
    if (!isRegisteredConfigType('model', config.type)) {
      throw new CheckpointError(
        'invalid-manifest',
        path,
        `holds a model of type ${describeValue(config.type)}, which no loaded package registered (registered: ${registeredConfigTypes('model').join(', ')})`,
      );
    }
  };
  const weightShapes: WeightShapesOf = (config) => {
    checkRegistered(config);
    return WEIGHT_SHAPES.get(config.type)?.(config);
  };
  return loadModel(
    source,
    (config) => {
      checkRegistered(config);
      return buildFromConfig<CheckpointableModel>('model', config);
    },
    options,
    weightShapes,
  );
}
