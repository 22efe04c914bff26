import { UsageError } from '@seqgen/app-kit';
import type { Matrix } from '@seqgen/audio';
import { trimAtAlignmentEnd } from '@seqgen/models';
import { normalizeForSpeech, splitSentences } from '@seqgen/text';
import { espeakPhonemes } from './espeak.js';
import { audioOfLogMel, framesToMatrix, GRIFFIN_LIM_ITERATIONS } from './features.js';
import type { SpeechModel } from './speech-model.js';
import { encodeSymbols } from './symbols.js';

/** Longest piece the model decodes at once, in normalized characters: longer sentences are cut at commas or spaces. */
export const MAX_PIECE_CHARS = 160;

/** Silence between pieces, in frames (about 0.2 s). */
const GAP_FRAMES = 12;

/** Options of {@link speakText}. */
export type SpeakOptions = {
  /** The maximum-length guard: at most this many frames per input symbol (default: the model's). */
  maxFramesPerSymbol?: number;
  /** Griffin-Lim iterations (default 32). */
  iterations?: number;
};

/** What {@link speakText} made. */
export type Speech = {
  /** The pieces spoken (normalized sentences, long ones cut). */
  pieces: string[];
  samples: Float32Array;
  sampleRate: number;
  /** The whole utterance's log-mel frames, gaps included. */
  mel: Matrix;
  /** Each piece's attention alignment (`[step][symbol]`). */
  alignments: Float32Array[][];
  /** Pieces that hit the maximum-length guard instead of stopping (then cut where their attention reached the end). */
  guarded: number[];
  /** Seconds of synthesis (model + Griffin-Lim), wall clock. */
  seconds: number;
  /** The same in this process's CPU time (user + system): the figure a shared machine does not distort. */
  cpuSeconds: number;
};

/** CPU seconds (user + system) of this process since `start` (a `process.cpuUsage()`). */
function cpuSecondsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

/** Cuts a normalized sentence into pieces of at most `max` characters, at the last comma, else the last space. */
export function cutPieces(sentence: string, max = MAX_PIECE_CHARS): string[] {
  const pieces: string[] = [];
  let rest = sentence;
  while (rest.length > max) {
    const window = rest.slice(0, max + 1);
    let at = window.lastIndexOf(', ');
    if (at < max / 3) at = window.lastIndexOf(' ');
    if (at <= 0) at = max;
    pieces.push(rest.slice(0, at + (rest[at] === ',' ? 1 : 0)).trim());
    rest = rest.slice(at + 1).replace(/^[\s,]+/, '');
  }
  if (rest.trim()) pieces.push(rest.trim());
  return pieces;
}

/** Text → the normalized pieces a model speaks: sentences split, normalized, long ones cut, empty ones dropped. */
export function piecesOf(text: string): string[] {
  const pieces = splitSentences(text).flatMap((s) => cutPieces(normalizeForSpeech(s)));
  const spoken = pieces.filter((p) => /[a-z\p{L}]/u.test(p));
  if (spoken.length === 0) {
    throw new UsageError(
      `--text: nothing to speak in ${JSON.stringify(text.slice(0, 60))} (no words after normalization)`,
    );
  }
  return spoken;
}

/**
 * Speaks `text` with a checkpoint: normalizes and splits it, decodes every
 * piece in one batch (each stops at its stop token or the maximum-length
 * guard), joins the mel frames with short silences, and vocodes them with
 * Griffin-Lim.
 */
export async function speakText(sm: SpeechModel, text: string, options: SpeakOptions = {}): Promise<Speech> {
  const pieces = piecesOf(text);
  const phonemes = sm.metadata.symbols === 'phoneme';
  const ids = pieces.map((p) =>
    encodeSymbols(sm.symbols, phonemes ? espeakPhonemes(p) : p, phonemes ? 'phoneme' : 'character'),
  );
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  const results = await sm.model.synthesize(ids, {
    ...(options.maxFramesPerSymbol !== undefined ? { maxFramesPerSymbol: options.maxFramesPerSymbol } : {}),
  });
  const f = sm.metadata.features;
  const silence = new Float32Array(f.nMels).fill(Math.log(f.floor));
  const frames: Float32Array[] = [];
  const trimmed = results.map((r) => trimAtAlignmentEnd(r, sm.model.config.reduction));
  trimmed.forEach((r, i) => {
    if (i > 0) for (let k = 0; k < GAP_FRAMES; k++) frames.push(silence);
    frames.push(...r.mel);
  });
  const mel = framesToMatrix(frames, f.nMels);
  const samples = audioOfLogMel(mel, f, options.iterations ?? GRIFFIN_LIM_ITERATIONS);
  return {
    pieces,
    samples,
    sampleRate: f.sampleRate,
    mel,
    alignments: trimmed.map((r) => r.alignment),
    guarded: results.flatMap((r, i) => (r.finishReason === 'length' ? [i] : [])),
    seconds: (performance.now() - started) / 1000,
    cpuSeconds: cpuSecondsSince(cpuStarted),
  };
}
