export type { BestWeightsOptions, BestWeightsReport } from './callbacks/best-weights.js';
export { BestWeights } from './callbacks/best-weights.js';
export type {
  CheckpointEvent,
  CheckpointKind,
  NonFiniteEvent,
  StopReason,
  TrainEndEvent,
  TrainerCallbacks,
  TrainingCallback,
  TrainingContext,
  TrainingResult,
} from './callbacks/callback.js';
export type { ModelCheckpointOptions } from './callbacks/checkpoint.js';
export { ModelCheckpoint } from './callbacks/checkpoint.js';
export type { EarlyStoppingOptions } from './callbacks/early-stopping.js';
export { EarlyStopping } from './callbacks/early-stopping.js';
export { JsonlLogger } from './callbacks/jsonl-logger.js';
export type { LossPlotOptions } from './callbacks/loss-plot.js';
export { LossPlot } from './callbacks/loss-plot.js';
export { ProgressBarLogger } from './callbacks/progress-bar.js';
export type { ClipConfig, NoClipConfig, NormClipConfig, ValueClipConfig } from './clipping.js';
export { clipGradients, DEFAULT_CLIP, globalNorm } from './clipping.js';
export type { EarlyStoppingConfig, LearningRateGroup, TrainerConfig } from './config.js';
export { validateTrainerConfig } from './config.js';
export type { BucketOptions } from './data/bucketing.js';
export { bucketByLength } from './data/bucketing.js';
export type { CyclingBatchesState } from './data/cycling-batches.js';
export { CyclingBatches } from './data/cycling-batches.js';
export type { DataSource } from './data/data-source.js';
export type { PaddedBatch, PadOptions } from './data/padded-batch.js';
export { padBatch } from './data/padded-batch.js';
export type { ShardFailure } from './data/shard-error.js';
export { ShardError } from './data/shard-error.js';
export type { DocumentSplit, SliceableTokens, TailSplit } from './data/split.js';
export { splitByDocument, splitTail } from './data/split.js';
export type { StreamBatch, StreamBatcherOptions } from './data/stream-batcher.js';
export { StreamBatcher, streamBatches } from './data/stream-batcher.js';
export type { TokenShardBatcherOptions } from './data/token-shard-batcher.js';
export { TokenShardBatcher } from './data/token-shard-batcher.js';
export type {
  TokenDtype,
  TokenShardEntry,
  TokenShardManifest,
  TokenSplit,
} from './data/token-shard-manifest.js';
export {
  bytesPerToken,
  dtypeFor,
  parseTokenShardManifest,
  TOKEN_SHARD_FORMAT,
  TOKEN_SHARD_MANIFEST,
  TOKEN_SHARD_VERSION,
} from './data/token-shard-manifest.js';
export type { TokenShardWriterOptions } from './data/token-shard-writer.js';
export { DEFAULT_SHARD_BYTES, TokenShardWriter, writeTokenShards } from './data/token-shard-writer.js';
export type { OpenTokenShardsOptions } from './data/token-shards.js';
export { openTokenShards, TokenShards } from './data/token-shards.js';
export type { EvaluateOptions, EvaluationResult } from './evaluate.js';
export { evaluate } from './evaluate.js';
export type { LogRecord } from './jsonl-log.js';
export { JsonlLog, readJsonl } from './jsonl-log.js';
export type { LossSeries } from './loss-plot.js';
export { renderLossSvg } from './loss-plot.js';
export type { DerivedMetrics, LossMetric, StepMetrics, ValidationMetrics } from './metrics.js';
export { bitsPerToken, LOSS_METRICS, lossMetrics, perplexity, rmse, TOKEN_METRICS } from './metrics.js';
export type { LossContext, LossResult, RecurrentState, TrainableModel } from './model.js';
export type { NonFiniteOptions, NonFiniteState } from './non-finite-guard.js';
export { NonFiniteGuard } from './non-finite-guard.js';
export type { AdamOptions } from './optimizers/adam.js';
export { Adam } from './optimizers/adam.js';
export type { AdamWOptions } from './optimizers/adamw.js';
export { AdamW } from './optimizers/adamw.js';
export type {
  AdamConfig,
  AdamWConfig,
  OptimizerConfig,
  RmsPropConfig,
  SgdConfig,
} from './optimizers/create-optimizer.js';
export { createOptimizer, OPTIMIZER_TYPES } from './optimizers/create-optimizer.js';
export { Optimizer } from './optimizers/optimizer.js';
export type { RmsPropOptions } from './optimizers/rmsprop.js';
export { RmsProp } from './optimizers/rmsprop.js';
export type { SgdOptions } from './optimizers/sgd.js';
export { Sgd } from './optimizers/sgd.js';
export type { NamePattern } from './patterns.js';
export { globToRegExp, matchesAny } from './patterns.js';
export type { ProgressBarOptions, ProgressStream } from './progress-bar.js';
export { TrainingProgressBar } from './progress-bar.js';
export { ConstantSchedule } from './schedules/constant.js';
export type {
  ConstantScheduleConfig,
  ReduceOnPlateauScheduleConfig,
  ScheduleConfig,
  StepDecayScheduleConfig,
  WarmupCosineScheduleConfig,
} from './schedules/create-schedule.js';
export { createSchedule, SCHEDULE_TYPES } from './schedules/create-schedule.js';
export type { ReduceOnPlateauOptions } from './schedules/reduce-on-plateau.js';
export { ReduceOnPlateauSchedule } from './schedules/reduce-on-plateau.js';
export type { LearningRateSchedule } from './schedules/schedule.js';
export type { StepDecayOptions } from './schedules/step-decay.js';
export { StepDecaySchedule } from './schedules/step-decay.js';
export type {
  ConstantTeacherForcing,
  ExponentialTeacherForcing,
  InverseSigmoidTeacherForcing,
  LinearTeacherForcing,
  TeacherForcingConfig,
} from './schedules/teacher-forcing.js';
export { teacherForcingRatio } from './schedules/teacher-forcing.js';
export type { WarmupCosineOptions } from './schedules/warmup-cosine.js';
export { WarmupCosineSchedule } from './schedules/warmup-cosine.js';
export type { FitOptions } from './trainer.js';
export {
  BEST_CHECKPOINT,
  LAST_CHECKPOINT,
  LOG_FILE,
  OPTIMIZER_PREFIX,
  PLOT_FILE,
  STATE_PREFIX,
  Trainer,
} from './trainer.js';
export type {
  LoadPretrainedOptions,
  PretrainedReport,
  RemapOptions,
  RemappedVocabularyRows,
  VocabularyChange,
  VocabularyReport,
} from './transfer.js';
export { loadPretrained, remapVocabularyRows } from './transfer.js';
