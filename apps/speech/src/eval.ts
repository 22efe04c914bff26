import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dtwAlign, type Matrix, melCepstralDistortion, melCepstrum } from '@seqgen/audio';
import { Rng } from '@seqgen/core';
import { alignmentQuality, type Tacotron, tacotronBatches, trimAtAlignmentEnd } from '@seqgen/models';
import * as tf from '@tensorflow/tfjs';
import { espeakAudio, espeakPhonemes } from './espeak.js';
import { audioOfLogMel, framesToMatrix, logMelOf, matrixToFrames } from './features.js';
import { recognize, wordErrors, wordsOf } from './recognizer.js';
import { loadSpeechModel } from './speech-model.js';
import { encodeSymbols } from './symbols.js';

/** The shipped checkpoint (`pnpm pretrain` writes it). */
export const PRETRAINED_CHECKPOINT = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  'pretrained',
  'moby-espeak-tacotron',
);

/** The figures of one system on the test sentences. */
export type SpeechScores = {
  /** Mean absolute log-mel error per value (teacher-forced for the model; against the reference frames for baselines). */
  mel_l1: number;
  /** Mel-cepstral distortion against the espeak-ng reference, dB (DTW-aligned, c0 excluded). */
  mcd_db: number;
  /** Word error rate of pocketsphinx against the sentence. */
  wer: number;
};

/** `eval --json`'s object (APPS.md's shape). */
export type SpeechReport = {
  checkpoint: string;
  split: 'test';
  examples: number;
  metrics: SpeechScores & {
    stop_accuracy: number;
    /** MCD of the teacher-forced frames (each step fed the reference's previous frame): the model without its own feedback. */
    mcd_db_teacher_forced: number;
    alignment_diagonality: number;
    alignment_monotonic: number;
    real_time_factor: number;
    stopped: number;
  };
  baselines: Record<string, SpeechScores>;
  seconds: number;
};

function meanAbs(a: Matrix, b: Matrix): number {
  const rows = Math.min(a.rows, b.rows);
  let sum = 0;
  for (let i = 0; i < rows * a.cols; i++) sum += Math.abs((a.data[i] as number) - (b.data[i] as number));
  return sum / Math.max(1, rows * a.cols);
}

/** Mean absolute log-mel error along the DTW path of two utterances of different lengths. */
function alignedMeanAbs(a: Matrix, b: Matrix): number {
  const { pathA, pathB } = dtwAlign(a, b);
  let sum = 0;
  for (let p = 0; p < pathA.length; p++) {
    for (let c = 0; c < a.cols; c++) sum += Math.abs(a.data[pathA[p]! * a.cols + c]! - b.data[pathB[p]! * b.cols + c]!);
  }
  return sum / (pathA.length * a.cols);
}

const mcd = (reference: Matrix, other: Matrix) => melCepstralDistortion(melCepstrum(reference), melCepstrum(other));

/**
 * The post-net frames `model` predicts for `ids` when every decoder step is fed
 * the reference's previous frame (teacher forcing), as many rows as `reference`.
 */
function teacherForcedMel(model: Tacotron, ids: readonly number[], reference: Matrix): Matrix {
  const [batch] = tacotronBatches([{ ids, mel: matrixToFrames(reference) }], {
    batchSize: 1,
    reduction: model.config.reduction,
    melBins: reference.cols,
  });
  const b = batch as NonNullable<typeof batch>;
  const data = tf.tidy(() => {
    const out = model.forward(
      tf.tensor2d(b.ids, [1, b.textLength], 'int32'),
      b.textLengths,
      tf.tensor3d(b.mels, [1, b.frameLength, reference.cols]),
      b.frameLengths,
      // Its own pre-net dropout draws: the free-running syntheses draw the same whether or not this ran.
      { rng: new Rng(1) },
    );
    return out.melAfter.dataSync().slice(0, reference.rows * reference.cols) as Float32Array;
  });
  return { data, rows: reference.rows, cols: reference.cols };
}

/**
 * A second espeak-ng voice (British Received Pronunciation) saying the same
 * sentence: a yardstick for MCD and WER, the distance between two voices of the same synthesizer.
 */
export const OTHER_VOICE = 'en-gb-x-rp';

/**
 * `eval`: speaks the checkpoint's held-out test sentences with espeak-ng (the
 * reference), then scores the model (free-running synthesis for MCD, WER,
 * alignment and speed; teacher-forced for mel L1 and stop accuracy) beside two
 * baselines: the reference audio itself, Griffin-Lim of the reference mel
 * (the vocoder's floor: what a perfect mel predictor would reach), and
 * another espeak-ng voice ({@link OTHER_VOICE}) saying the same sentence.
 */
export async function evaluate(o: {
  checkpoint?: string;
  limit?: number;
  iterations?: number;
  maxFramesPerSymbol?: number;
}): Promise<SpeechReport> {
  const started = performance.now();
  const checkpoint = o.checkpoint ?? PRETRAINED_CHECKPOINT;
  const sm = await loadSpeechModel(checkpoint);
  try {
    const f = sm.metadata.features;
    const iterations = o.iterations ?? 32;
    const test = sm.metadata.test.slice(0, o.limit ?? sm.metadata.test.length);
    const phonemes = sm.metadata.symbols === 'phoneme';
    const refs = test.map((t) => {
      const spoken = espeakAudio(t.normalized);
      return { ...t, audio: spoken, mel: logMelOf(spoken.samples, spoken.sampleRate, f) };
    });
    const ids = refs.map((r) =>
      encodeSymbols(
        sm.symbols,
        phonemes ? espeakPhonemes(r.normalized) : r.normalized,
        phonemes ? 'phoneme' : 'character',
      ),
    );
    const teacher = sm.model.evaluate(
      tacotronBatches(
        refs.map((r, i) => ({ ids: ids[i] as number[], mel: matrixToFrames(r.mel) })),
        { batchSize: 16, reduction: sm.model.config.reduction, melBins: f.nMels },
      ),
    );
    const sums = {
      model: { mcd: 0, teacherForcedMcd: 0, errors: 0 },
      reference: { errors: 0 },
      vocoder: { mcd: 0, l1: 0, errors: 0 },
      otherVoice: { mcd: 0, l1: 0, errors: 0 },
    };
    let words = 0;
    let diagonal = 0;
    let monotonic = 0;
    let stopped = 0;
    let audioSeconds = 0;
    let synthesisSeconds = 0;
    for (const [i, r] of refs.entries()) {
      const reference = wordsOf(r.normalized);
      words += reference.length;
      const t0 = performance.now();
      const [decoded] = await sm.model.synthesize([ids[i] as number[]], {
        ...(o.maxFramesPerSymbol !== undefined ? { maxFramesPerSymbol: o.maxFramesPerSymbol } : {}),
      });
      const synthesis = decoded && trimAtAlignmentEnd(decoded, sm.model.config.reduction);
      const mel = framesToMatrix(synthesis?.mel ?? [], f.nMels);
      const samples = audioOfLogMel(mel, f, iterations);
      synthesisSeconds += (performance.now() - t0) / 1000;
      audioSeconds += samples.length / f.sampleRate;
      if (synthesis?.finishReason === 'stop') stopped++;
      const quality = alignmentQuality(synthesis?.alignment ?? []);
      diagonal += quality.diagonal;
      monotonic += quality.monotonic;
      sums.model.mcd += mcd(r.mel, mel);
      sums.model.teacherForcedMcd += mcd(r.mel, teacherForcedMel(sm.model, ids[i] as number[], r.mel));
      sums.model.errors += wordErrors(reference, wordsOf(recognize(samples, f.sampleRate)));
      sums.reference.errors += wordErrors(reference, wordsOf(recognize(r.audio.samples, r.audio.sampleRate)));
      const vocoded = audioOfLogMel(r.mel, f, iterations);
      const revocoded = logMelOf(vocoded, f.sampleRate, f);
      sums.vocoder.mcd += mcd(r.mel, revocoded);
      sums.vocoder.l1 += meanAbs(r.mel, revocoded);
      sums.vocoder.errors += wordErrors(reference, wordsOf(recognize(vocoded, f.sampleRate)));
      const other = espeakAudio(r.normalized, OTHER_VOICE);
      const otherMel = logMelOf(other.samples, other.sampleRate, f);
      sums.otherVoice.mcd += mcd(r.mel, otherMel);
      sums.otherVoice.l1 += alignedMeanAbs(r.mel, otherMel);
      sums.otherVoice.errors += wordErrors(reference, wordsOf(recognize(other.samples, other.sampleRate)));
    }
    const n = refs.length;
    return {
      checkpoint,
      split: 'test',
      examples: n,
      metrics: {
        mel_l1: teacher.melL1,
        mcd_db: sums.model.mcd / n,
        wer: sums.model.errors / words,
        stop_accuracy: teacher.stopAccuracy,
        mcd_db_teacher_forced: sums.model.teacherForcedMcd / n,
        alignment_diagonality: diagonal / n,
        alignment_monotonic: monotonic / n,
        real_time_factor: audioSeconds / synthesisSeconds,
        stopped: stopped / n,
      },
      baselines: {
        'espeak-ng reference audio': { mel_l1: 0, mcd_db: 0, wer: sums.reference.errors / words },
        'Griffin-Lim of the reference mel (vocoder floor)': {
          mel_l1: sums.vocoder.l1 / n,
          mcd_db: sums.vocoder.mcd / n,
          wer: sums.vocoder.errors / words,
        },
        [`espeak-ng's ${OTHER_VOICE} voice (DTW-aligned)`]: {
          mel_l1: sums.otherVoice.l1 / n,
          mcd_db: sums.otherVoice.mcd / n,
          wer: sums.otherVoice.errors / words,
        },
      },
      seconds: Math.round(((performance.now() - started) / 1000) * 10) / 10,
    };
  } finally {
    sm.model.dispose();
  }
}
