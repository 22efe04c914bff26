/** What a processor may look at besides the logits of one row. */
export interface LogitsProcessorContext {
  /** 0-based index of the new token being chosen. */
  readonly step: number;
  /** The prompt followed by the tokens generated so far for this row. */
  readonly sequence: readonly number[];
  /** How many leading entries of `sequence` are the prompt. */
  readonly promptLength: number;
}

/**
 * One transformation of next-token logits, applied to a single row in place
 * (a `Float32Array` of length vocabSize, already read from the device, so a
 * chain of processors costs no tensor ops). A removed token becomes
 * `-Infinity`; processors never renormalize, sampling does.
 */
export interface LogitsProcessor {
  /** Short name for debugging (`'top-k'`, `'temperature'`, ...). */
  readonly name: string;
  /** Rewrites one row of logits (length vocabSize) in place, given the row's history in `context`. */
  process(logits: Float32Array, context: LogitsProcessorContext): void;
}

/** Runs processors in order on one row, in place. */
export function applyLogitsProcessors(
  processors: readonly LogitsProcessor[],
  logits: Float32Array,
  context: LogitsProcessorContext,
): Float32Array {
  for (const processor of processors) processor.process(logits, context);
  return logits;
}
