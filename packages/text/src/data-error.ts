import { SeqgenError } from '@seqgen/base';

/** Why a corpus file or catalog could not be read. */
export type DataFailure =
  | 'not-found'
  | 'io'
  | 'bad-line'
  | 'bad-magic'
  | 'unsupported-revision'
  | 'truncated'
  | 'out-of-bounds'
  | 'too-large'
  | 'unsupported-charset'
  | 'bad-encoding';

/**
 * A corpus file (TSV, gettext `.mo`) was missing or malformed. `source` names
 * the file (or the name the caller gave the bytes), `line` the 1-based line of
 * a text file when one is to blame; the code is `ERR_DATA_<REASON>`.
 */
export class DataError extends SeqgenError {
  /** What was wrong, stable for callers to switch on. */
  readonly reason: DataFailure;
  /** The file or caller-given name of the data. */
  readonly source: string;
  /** 1-based line number, for line-oriented formats. */
  readonly line: number | undefined;
  constructor(reason: DataFailure, source: string, message: string, options: { line?: number; cause?: unknown } = {}) {
    const where = options.line === undefined ? source : `${source}:${options.line}`;
    super(`ERR_DATA_${reason.toUpperCase().replace(/-/g, '_')}`, `${where}: ${message}`, { cause: options.cause });
    this.reason = reason;
    this.source = source;
    this.line = options.line;
  }
}
