import { type Command, CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { exitCodeFor, InterruptedError } from './errors.js';
import { refuseOptions } from './options.js';
import { createProgram } from './program.js';
import { addSeq2SeqModelOptions, SEQ2SEQ_MODEL_SETTINGS } from './seq2seq-options.js';
import { interruptedTrainingError, trainSummaryJson } from './train-summary.js';
import { addTrainingOptions, resumeSettings, TRAINING_SETTINGS } from './training-options.js';

/** A `train` command with the kit's seq2seq and training options, parsed from `args`. */
function parseTrain(args: string[], inputFeeding = false) {
  const program = createProgram('t', 'test');
  let seen: { opts: Record<string, unknown>; command: Command } | undefined;
  const train = addTrainingOptions(
    addSeq2SeqModelOptions(program.command('train'), { reads: 'the source', hidden: 160, dropout: 0.1, inputFeeding }),
    { batch: { default: 64, description: 'pairs per batch' } },
  ).action((opts, command: Command) => {
    seen = { opts, command };
  });
  program.parse(['node', 't', 'train', ...args]);
  return { ...(seen as NonNullable<typeof seen>), help: train.helpInformation() };
}

describe('seq2seq model and training options', () => {
  it("parse with the app's defaults and show them in the help", () => {
    const { opts, help } = parseTrain([]);
    expect(opts).toEqual({
      cell: 'gru',
      attention: 'bahdanau',
      layers: 1,
      hidden: 160,
      embedding: 96,
      dropout: 0.1,
      labelSmoothing: 0,
      clock: 'wall',
      steps: 2000,
      batch: 64,
      lr: 3e-3,
    });
    const words = help.replace(/\s+/g, ' ');
    expect(words).toContain(
      '--attention <kind> attention over the source (choices: "bahdanau", "luong-dot", "luong-general", "none", default: "bahdanau")',
    );
    expect(words).toContain('--bidirectional read the source both ways');
    expect(words).toContain('--batch <n> pairs per batch (default: 64)');
    expect(help).not.toContain('--no-input-feeding');
    expect(parseTrain([], true).opts.inputFeeding).toBe(true);
    expect(parseTrain(['--no-input-feeding'], true).opts.inputFeeding).toBe(false);
  });

  it('name the expected range of a bad value, and --resume refuses every run setting the user gave', () => {
    expect(() => parseTrain(['--layers', '5'])).toThrow(CommanderError);
    expect(() => parseTrain(['--attention', 'global'])).toThrow(/Allowed choices are bahdanau, luong-dot/);
    const { opts, command } = parseTrain(['--resume', 'runs/x', '--hidden', '8', '--minutes', '2']);
    expect(opts).toMatchObject({ resume: 'runs/x', hidden: 8, minutes: 2 });
    expect(() => refuseOptions(command, [...SEQ2SEQ_MODEL_SETTINGS, ...TRAINING_SETTINGS], 'with --resume')).toThrow(
      '--hidden, --minutes do not apply with --resume',
    );
    expect(() =>
      refuseOptions(parseTrain(['--resume', 'r']).command, TRAINING_SETTINGS, 'with --resume'),
    ).not.toThrow();
  });

  it('resumeSettings keeps only the flags the user set', () => {
    expect(resumeSettings({ force: false, quiet: true })).toEqual({ quiet: true });
    expect(resumeSettings({ out: 'o', force: true, progress: true })).toEqual({
      out: 'o',
      force: true,
      progress: true,
    });
  });
});

describe('what train reports', () => {
  it('an interrupted run: exit 130 and the command that continues it', () => {
    const summary = {
      out: 'runs/x',
      steps: 7,
      seconds: 3.14,
      interrupted: true,
      resume: 'seqgen-x train --resume runs/x',
    };
    const error = interruptedTrainingError(summary);
    expect(error).toBeInstanceOf(InterruptedError);
    expect(exitCodeFor(error)).toBe(130);
    expect(error.message).toBe(
      'interrupted at step 7: a resumable checkpoint is in runs/x/last; continue with: seqgen-x train --resume runs/x',
    );
    expect(trainSummaryJson(summary)).toEqual({
      out: 'runs/x',
      steps: 7,
      seconds: 3.1,
      interrupted: true,
      resume: 'seqgen-x train --resume runs/x',
    });
  });

  it('a finished run: the validation figures in the shape of eval --json', () => {
    const json = trainSummaryJson(
      { out: 'o', steps: 9, seconds: 12.04, interrupted: false },
      { examples: 5, metrics: { nats_per_token: 1.5 } },
    );
    expect(json).toEqual({
      out: 'o',
      steps: 9,
      seconds: 12,
      interrupted: false,
      split: 'valid',
      examples: 5,
      metrics: { nats_per_token: 1.5 },
    });
  });
});
