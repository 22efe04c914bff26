import { SeqgenError } from '@seqgen/core';

/** Why an image, idx file or caption dataset could not be read. */
export type VisionDataFailure =
  | 'not-found'
  | 'io'
  | 'empty'
  | 'unsupported-format'
  | 'corrupt'
  | 'truncated'
  | 'too-large'
  | 'bad-magic'
  | 'bad-record';

/**
 * An image or dataset file was missing or malformed. `source` names the file
 * (or the name the caller gave the bytes), `line` the 1-based line of a text
 * file when one is to blame; the code is `ERR_VISION_DATA_<REASON>`.
 */
export class VisionDataError extends SeqgenError {
  /** What was wrong, stable for callers to switch on. */
  readonly reason: VisionDataFailure;
  /** The file or caller-given name of the data. */
  readonly source: string;
  /** 1-based line number, for line-oriented formats. */
  readonly line: number | undefined;
  constructor(
    reason: VisionDataFailure,
    source: string,
    message: string,
    options: { line?: number; cause?: unknown } = {},
  ) {
    const where = options.line === undefined ? source : `${source}:${options.line}`;
    super(`ERR_VISION_DATA_${reason.toUpperCase().replace(/-/g, '_')}`, `${where}: ${message}`, {
      cause: options.cause,
    });
    this.reason = reason;
    this.source = source;
    this.line = options.line;
  }
}
