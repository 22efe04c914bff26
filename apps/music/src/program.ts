import {
  addCommonOptions,
  addTrainingOptions,
  createProgram,
  integerOption,
  interruptedTrainingError,
  numberOption,
  Output,
  refuseOptions,
  resumeSettings,
  runProgram,
  startBackend,
  TRAINING_SETTINGS,
  trainSummaryJson,
  writeOutputFile,
} from '@seqgen/app-kit';
import { WASM_THREADS_ENV } from '@seqgen/core';
import { keyName, musicStatistics, parseKey, readMidiFile } from '@seqgen/midi';
import { type Command, Option } from 'commander';
import { loadMusicModel, PRETRAINED_CHECKPOINT } from './checkpoint.js';
import { compose, DEFAULT_MAX_NOTE_SECONDS } from './compose.js';
import { runDemo } from './demo-run.js';
import { evaluateMusic } from './evaluate-music.js';
import { explainPiece } from './explain.js';
import { writeMusic } from './music-files.js';
import { OPENMSX_DIR } from './pieces.js';
import { parsePitchClasses, parsePitchRange } from './pitch-options.js';
import { resumeTraining, type TrainOptions, type TrainSummary, train } from './train.js';

const NAME = 'seqgen-music';

/** `generate` and `eval` sample the same way: `--no-sounding-releases` turns soundingReleasesProcessor off in both. */
const SOUNDING_RELEASES_OPTION = [
  '--no-sounding-releases',
  "let the model release silent pitches too (default: only sounding ones, at the model's chance of a release)",
] as const;

/** What `--resume` takes from the run itself. */
const RUN_SETTINGS = [
  'midi',
  'cell',
  'layers',
  'hidden',
  'embedding',
  'chordEmbedding',
  'dropout',
  'seqLen',
  'transpose',
  'stretch',
  'noChordShare',
  ...TRAINING_SETTINGS,
];

function summaryJson(s: TrainSummary): Record<string, unknown> {
  return trainSummaryJson(
    s,
    s.valid ? { examples: s.valid.events, metrics: { nll_per_event: s.valid.nllPerEvent } } : undefined,
  );
}

type TrainFlags = Omit<TrainOptions, 'out' | 'output'> & {
  out?: string;
  resume?: string;
  json?: boolean;
  backend?: 'node' | 'wasm' | 'cpu';
};

/** Builds the `seqgen-music` program. */
export function buildProgram(): Command {
  const program = createProgram(
    NAME,
    'Train chord-conditioned performance RNNs on MIDI files, generate polyphonic music and evaluate it.',
  );

  const trainCommand = addTrainingOptions(
    program
      .command('train')
      .description('train a chord-conditioned performance model on a folder of MIDI files (or --resume a run)')
      .option(
        '--midi <dir>',
        'folder of .mid files (one in eight held out for eval, one in sixteen validates)',
        OPENMSX_DIR,
      )
      .addOption(new Option('--cell <type>', 'recurrent cell').choices(['lstm', 'gru']).default('lstm'))
      .option('--layers <n>', 'stacked recurrent layers', integerOption(1, 8), 1)
      .option('--hidden <n>', 'units per layer', integerOption(1, 4096), 256)
      .option('--embedding <n>', 'event embedding size', integerOption(1, 4096), 64)
      .option('--chord-embedding <n>', 'chord embedding size', integerOption(1, 1024), 16)
      .option('--dropout <x>', 'dropout between layers', numberOption(0, 0.95), 0)
      .option('--seq-len <n>', 'truncated-BPTT length in events', integerOption(2, 4096), 64)
      .option('--transpose <n>', 'augment by transposing every piece by each of ±n semitones', integerOption(0, 12), 3)
      .option('--stretch <x>', 'augment with copies played (1 ± x) times as long', numberOption(0, 0.5), 0.05)
      .option(
        '--no-chord-share <x>',
        'share of training copies given no chords (N.C.), so that generation without --chords works',
        numberOption(0, 1),
        0.2,
      ),
    { batch: { default: 32, description: 'event streams per batch' }, lr: 3e-3 },
  );
  addCommonOptions(trainCommand, {
    seed: { default: 1, description: 'seed of weights, augmentation and batches' },
    out: { description: 'run folder: checkpoint, run.json, train-log.jsonl, loss.svg (default: runs/music)' },
    progress: true,
  }).action(async (flags: TrainFlags, command: Command) => {
    const output = new Output({ name: NAME, json: flags.json, quiet: flags.quiet });
    if (flags.resume) refuseOptions(command, RUN_SETTINGS, 'with --resume (the run continues with its own settings)');
    await startBackend(flags);
    let summary: TrainSummary;
    if (flags.resume) summary = await resumeTraining(flags.resume, { ...resumeSettings(flags), output });
    else {
      const { resume: _r, json: _j, backend: _b, ...rest } = flags;
      summary = await train({ ...rest, out: flags.out ?? 'runs/music', output });
    }
    output.printJson(summaryJson(summary));
    if (summary.interrupted) throw interruptedTrainingError(summary);
  });

  addCommonOptions(
    program
      .command('generate')
      .description('generate music: a .mid, its piano roll (.png) and a WAV rendered by fluidsynth')
      .option('--checkpoint <dir>', 'checkpoint folder (or a run folder)', PRETRAINED_CHECKPOINT)
      .option('--primer <file.mid>', 'MIDI file to continue (its events prime the model)')
      .option('--seconds <n>', 'seconds of new music', numberOption(0, 3600, { openMin: true }), 20)
      .option('--chords <progression>', 'chord progression to play over, looped, e.g. "C G Am F" (default: none)')
      .option('--qpm <n>', 'tempo of the progression, quarter notes per minute', numberOption(20, 400), 120)
      .option('--beats-per-chord <n>', 'beats each chord of --chords lasts', numberOption(0.25, 64), 4)
      .option('--key <key>', 'only notes of this key\'s scale, e.g. "C", "A minor", "F#m"')
      .option('--scale <notes>', 'only notes of these pitch classes, e.g. "C D E G A" (pentatonic)')
      .option('--pitch-range <lo-hi>', 'only notes within this MIDI pitch range, e.g. 48-84')
      .option(
        '--density <x>',
        'make note onsets x times as likely (2: denser, 0.5: sparser)',
        numberOption(0.01, 100),
        1,
      )
      .option(
        '--max-note <seconds>',
        'longest a note may sound (a release the model forgets ends it there)',
        numberOption(0, 3600, { openMin: true }),
        DEFAULT_MAX_NOTE_SECONDS,
      )
      .option(...SOUNDING_RELEASES_OPTION)
      .option('--temperature <t>', 'sampling temperature', numberOption(0, 100, { openMin: true }), 1)
      .option('--top-k <k>', 'sample among the k most likely events', integerOption(1))
      .option('--top-p <p>', 'nucleus sampling mass', numberOption(0, 1, { openMin: true }), 1)
      .option('--no-wav', 'write only the .mid and .png')
      .option('--fluidsynth <path>', 'the fluidsynth executable', 'fluidsynth')
      .option('--sound-font <file.sf2>', 'General MIDI sound font', '/usr/share/sounds/sf2/FluidR3_GM.sf2'),
    {
      seed: { description: 'sampling seed (default: random)' },
      out: {
        description: 'the .mid to write (.png and .wav beside it; never overwritten without --force)',
        placeholder: 'file.mid',
      },
    },
  ).action(async (flags) => {
    const output = new Output({ name: NAME, json: flags.json, quiet: flags.quiet });
    const key = flags.key !== undefined ? parseKey(flags.key, '--key') : undefined;
    const pitchClasses = flags.scale !== undefined ? parsePitchClasses(flags.scale) : undefined;
    const pitchRange = flags.pitchRange !== undefined ? parsePitchRange(flags.pitchRange) : undefined;
    const primer = flags.primer !== undefined ? readMidiFile(flags.primer) : undefined;
    const out: string = flags.out ?? 'generated.mid';
    // One thread: token-by-token decoding issues tiny ops, for which wasm threads only add dispatch cost.
    await startBackend(flags, process.env[WASM_THREADS_ENV] ? {} : { wasmThreads: 1 });
    const loaded = await loadMusicModel(flags.checkpoint);
    try {
      const seed = flags.seed ?? Math.floor(Math.random() * 2 ** 31);
      const piece = await compose(loaded, {
        seconds: flags.seconds,
        ...(primer ? { primer } : {}),
        ...(flags.chords !== undefined ? { chords: flags.chords } : {}),
        qpm: flags.qpm,
        beatsPerChord: flags.beatsPerChord,
        ...(key ? { key } : {}),
        ...(pitchClasses ? { pitchClasses } : {}),
        ...(pitchRange ? { pitchRange } : {}),
        density: flags.density,
        maxNoteSeconds: flags.maxNote,
        soundingReleases: flags.soundingReleases,
        temperature: flags.temperature,
        ...(flags.topK !== undefined ? { topK: flags.topK } : {}),
        topP: flags.topP,
        seed,
      });
      const written = writeMusic(piece.sequence, out, {
        force: flags.force,
        wav: flags.wav,
        fluidsynth: flags.fluidsynth,
        soundFont: flags.soundFont,
        warn: (m) => output.warn(m),
      });
      const stats = musicStatistics(piece.sequence, key);
      const speed = piece.musicSeconds / Math.max(piece.computeSeconds, 1e-9);
      output.result(
        `${piece.sequence.notes.length} notes, ${piece.musicSeconds.toFixed(1)} s of music in ${piece.computeSeconds.toFixed(1)} s ` +
          `(${speed.toFixed(0)}× real time); ${stats.noteDensity.toFixed(1)} notes/s, polyphony ${stats.polyphony.toFixed(2)}` +
          (key ? `, ${(stats.inKeyRatio * 100).toFixed(0)}% in ${keyName(key)}` : ''),
      );
      output.result(`wrote ${Object.values(written).join(', ')}`);
      output.printJson({
        checkpoint: flags.checkpoint,
        seed,
        files: written,
        notes: piece.sequence.notes.length,
        events: piece.generated,
        music_seconds: piece.musicSeconds,
        compute_seconds: piece.computeSeconds,
        real_time_factor: speed,
        note_density: stats.noteDensity,
        polyphony: stats.polyphony,
        ...(key ? { in_key_ratio: stats.inKeyRatio } : {}),
      });
    } finally {
      loaded.model.dispose();
    }
  });

  addCommonOptions(
    program
      .command('eval')
      .description('held-out NLL per event beside an n-gram baseline, and statistics of generated music')
      .option('--checkpoint <dir>', 'checkpoint folder (default: the shipped pretrained model)')
      .option('--midi <dir>', "MIDI folder (default: the checkpoint's own, whose held-out pieces it never saw)")
      .option('--baseline-order <n>', 'order of the n-gram event baseline', integerOption(1, 12), 5)
      .option('--samples <n>', 'pieces generated for the statistics (each also with --key)', integerOption(1, 100), 4)
      .option('--sample-seconds <n>', 'seconds of each generated piece', numberOption(1, 600), 20)
      .option('--key <key>', 'key of the constrained samples', 'C major')
      .option(...SOUNDING_RELEASES_OPTION),
    {
      seed: { default: 1, description: 'seed of the generated samples' },
      out: { description: 'also write the JSON report to this file', placeholder: 'file' },
    },
  ).action(async (flags) => {
    const output = new Output({ name: NAME, json: flags.json, quiet: flags.quiet });
    parseKey(flags.key, '--key');
    await startBackend(flags, process.env[WASM_THREADS_ENV] ? {} : { wasmThreads: 1 });
    const report = await evaluateMusic(flags);
    const [name, baseline] = Object.entries(report.baselines)[0] as [string, { nll_per_event: number }];
    output.result(
      `held-out NLL ${report.metrics.nll_per_event.toFixed(4)} nats/event | baseline ${name}: ${baseline.nll_per_event.toFixed(4)} | ` +
        `${(report.nll_reduction * 100).toFixed(1)}% lower | ${report.examples} pieces, ${report.events} events`,
    );
    for (const [label, s] of Object.entries(report.statistics)) {
      if (typeof s === 'string') continue;
      output.result(
        `${label}: pitch-class distance ${s.pitch_class_distance.toFixed(3)}, ${s.note_density.toFixed(2)} notes/s, ` +
          `polyphony ${s.polyphony.toFixed(2)}, in key ${(s.in_key_ratio * 100).toFixed(1)}%`,
      );
    }
    output.info(`(checkpoint ${report.checkpoint}; ${report.seconds.toFixed(0)} s)`);
    const json = { ...report, seconds: Math.round(report.seconds * 10) / 10 };
    if (flags.out) writeOutputFile(flags.out, `${JSON.stringify(json, null, 2)}\n`, { force: flags.force });
    output.printJson(json);
  });

  addCommonOptions(
    program
      .command('explain')
      .description('trace the model over a piece and find the units that track the beat and the notes sounding')
      .option('--checkpoint <dir>', 'checkpoint folder (default: the shipped pretrained model)')
      .option('--piece <file.mid>', "the piece to trace (default: the checkpoint's first held-out piece)")
      .option('--events <n>', 'events traced from the start of the piece', integerOption(8, 20_000), 2000)
      .option('--top <n>', 'units listed per feature', integerOption(1, 100), 5),
    { seed: false, out: { description: 'also write the JSON report to this file', placeholder: 'file' } },
  ).action(async (flags) => {
    const output = new Output({ name: NAME, json: flags.json, quiet: flags.quiet });
    await startBackend(flags);
    const report = await explainPiece(flags);
    for (const f of report.features) {
      output.result(`${f.feature} (${f.description}):`);
      for (const u of f.units) output.result(`  ${u.name}  r = ${u.correlation.toFixed(3)}`);
    }
    output.info(`(${report.events} events of ${report.piece}; checkpoint ${report.checkpoint})`);
    if (flags.out) writeOutputFile(flags.out, `${JSON.stringify(report, null, 2)}\n`, { force: flags.force });
    output.printJson(report);
  });

  addCommonOptions(
    program
      .command('demo')
      .description(
        'train briefly on the openmsx pieces, generate over "C G Am F" (.mid, .png, .wav) and evaluate (≤ 3 min)',
      )
      .option('--minutes <m>', 'training budget', numberOption(0, 10, { openMin: true }), 1.5),
    { seed: false, out: false },
  ).action(async (flags) => {
    await startBackend(flags);
    await runDemo({ minutes: flags.minutes });
  });
  return program;
}

/** Runs the CLI; errors are one line on stderr and an exit code from the app kit's table. */
export async function main(argv: readonly string[]): Promise<number> {
  return runProgram(buildProgram(), argv);
}
