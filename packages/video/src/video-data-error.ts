import { SeqgenError } from '@seqgen/core';

/** Why a video file, frame folder or array file could not be read or written. */
export type VideoDataFailure =
  | 'not-found'
  | 'io'
  | 'not-a-file'
  | 'corrupt'
  | 'corrupt-frame'
  | 'size-mismatch'
  | 'too-few-frames'
  | 'too-many-frames'
  | 'too-many-pixels'
  | 'too-large'
  | 'unsupported'
  | 'exists';

/**
 * A GIF, a frame folder, a frame or an `.npy` file was missing, malformed or
 * beyond a limit. `source` names the file (or the name the caller gave the
 * bytes), `frame` the 0-based frame to blame when there is one; the code is
 * `ERR_VIDEO_<REASON>`.
 */
export class VideoDataError extends SeqgenError {
  /** What was wrong, stable for callers to switch on. */
  readonly reason: VideoDataFailure;
  /** The file, folder or caller-given name of the data. */
  readonly source: string;
  /** 0-based index of the frame to blame, when one is. */
  readonly frame: number | undefined;
  constructor(
    reason: VideoDataFailure,
    source: string,
    message: string,
    options: { frame?: number; cause?: unknown } = {},
  ) {
    const where = options.frame === undefined ? source : `${source} (frame ${options.frame})`;
    super(`ERR_VIDEO_${reason.toUpperCase().replace(/-/g, '_')}`, `${where}: ${message}`, { cause: options.cause });
    this.reason = reason;
    this.source = source;
    this.frame = options.frame;
  }
}
