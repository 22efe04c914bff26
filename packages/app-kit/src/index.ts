export type { AttentionPicture } from './attention-svg.js';
export { attentionSvg, tokenLabel } from './attention-svg.js';
export { isCheckpointDir, resolveCheckpoint, resumableCheckpoint } from './checkpoint-path.js';
export type { ExitCodeName } from './errors.js';
export {
  AppError,
  EXIT_CODES,
  errorCode,
  errorLine,
  exitCodeFor,
  InputError,
  InterruptedError,
  isExpectedError,
  UsageError,
} from './errors.js';
export type { FitInRunOptions, FitInRunResult } from './fit-in-run.js';
export { fitInRun } from './fit-in-run.js';
export { resolveGenerationOptions } from './generation-options.js';
export type { Stoppable } from './interrupt.js';
export {
  installInterruptHandler,
  interruptRequested,
  stopOnInterrupt,
  uninstallInterruptHandler,
  yieldToEventLoop,
} from './interrupt.js';
export type { JointSeq2SeqOptions } from './joint-seq2seq.js';
export { buildJointSeq2Seq, specialTokenIds } from './joint-seq2seq.js';
export type { BackendChoice, CommonOptions, CommonOptionsSpec, NumberRange } from './options.js';
export {
  addCommonOptions,
  BACKEND_CHOICES,
  flagOf,
  integerOption,
  isExplicit,
  numberOption,
  refuseOptions,
  startBackend,
} from './options.js';
export type { CheckVocabularyOptions, UnknownReport, VocabularyLookup } from './out-of-vocabulary.js';
export { checkVocabulary, describeCharacter, findUnknown } from './out-of-vocabulary.js';
export type { OutputOptions } from './output.js';
export { Output, plainLines } from './output.js';
export { packageVersionOf } from './package-version.js';
export type { PreparedFolder, PreparedSplit, ReadPreparedOptions } from './prepared-folder.js';
export {
  isPreparedDir,
  PREPARED_FILE,
  PREPARED_SPLITS,
  PREPARED_TOKENIZER_FILE,
  readPreparedFolder,
  writePreparedFiles,
} from './prepared-folder.js';
export type { ProgramOptions } from './program.js';
export { createProgram, runProgram } from './program.js';
export type { ResumableRecord, ResumedRun } from './resume-run.js';
export { resumeRun } from './resume-run.js';
export type { RunFolderOptions } from './run-folder.js';
export {
  checkOutFolder,
  looksLikeRun,
  RUN_FILE,
  RunFolder,
  readRunInfo,
  writeOutputFile,
  writeRunInfo,
} from './run-folder.js';
export type { RunSizeOptions } from './run-size.js';
export { sizeRun } from './run-size.js';
export type { Seq2SeqCheckpoint, Seq2SeqCheckpointOptions } from './seq2seq-checkpoint.js';
export { loadSeq2SeqCheckpoint } from './seq2seq-checkpoint.js';
export type { Seq2SeqModelFlags, Seq2SeqModelSpec } from './seq2seq-options.js';
export { ATTENTION_CHOICES, addSeq2SeqModelOptions, SEQ2SEQ_MODEL_SETTINGS } from './seq2seq-options.js';
export type { Seq2SeqRunOptions, Seq2SeqRunResult } from './seq2seq-run.js';
export { fitSeq2SeqInRun } from './seq2seq-run.js';
export type { CalibrationOptions, Clock } from './time-budget.js';
export { CLOCKS, clockMs, secondsPerStep, stepsForBudget, TimeBudget } from './time-budget.js';
export type { TrainRunSummary } from './train-summary.js';
export { interruptedTrainingError, trainSummaryJson } from './train-summary.js';
export type { TrainingFlags, TrainingOptionsSpec, TrainingRunOptions } from './training-options.js';
export { addTimeBudgetOptions, addTrainingOptions, resumeSettings, TRAINING_SETTINGS } from './training-options.js';
export type { TransferOptions, VocabularyModel } from './vocabulary-transfer.js';
export { describeVocabularyChange, transferVocabulary, vocabularyOf } from './vocabulary-transfer.js';
