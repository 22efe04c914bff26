import { BackendError, CheckpointError, ConfigError, NonFiniteError, ShapeError, TokenizerError } from '@seqgen/core';
import { CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import {
  EXIT_CODES,
  errorCode,
  errorLine,
  exitCodeFor,
  InputError,
  InterruptedError,
  isExpectedError,
  UsageError,
} from './errors.js';

describe('exit codes: one table', () => {
  it('maps every typed error', () => {
    const cases: Array<[unknown, number]> = [
      [new UsageError('--top-p does not apply'), 2],
      [new ConfigError('hidden', 'must be a positive integer'), 2],
      [new CommanderError(1, 'commander.unknownOption', "error: unknown option '--x'"), 2],
      [new CommanderError(0, 'commander.helpDisplayed', '(outputHelp)'), 0],
      [new InputError('corpus not found: x', 'x'), 3],
      [new CheckpointError('corrupt', 'ckpt', 'bad shard'), 3],
      [new TokenizerError('vocab-mismatch', 'too few tokens'), 3],
      [new ShapeError('embedding', '[84, 64]', '[83, 64]'), 3],
      [new NonFiniteError('loss', 'NaN at step 4'), 4],
      [new BackendError('unavailable', 'no wasm'), 5],
      [new InterruptedError('interrupted at step 3'), 130],
      [new Error('a bug'), 1],
      ['a string', 1],
    ];
    for (const [error, code] of cases) expect(exitCodeFor(error), String(error)).toBe(code);
    expect(EXIT_CODES).toMatchObject({ usage: 2, input: 3, nonFinite: 4, interrupted: 130 });
  });

  it('names the error for scripts, and prints one line', () => {
    expect(errorCode(new CheckpointError('truncated', 'p', 'short'))).toBe('ERR_CHECKPOINT_TRUNCATED');
    expect(errorCode(new UsageError('x'))).toBe('ERR_USAGE');
    expect(errorCode(new InputError('x'))).toBe('ERR_INPUT');
    expect(errorCode(new Error('x'))).toBe('ERR_INTERNAL');
    expect(errorLine(new Error('first\nsecond'))).toBe('first');
    expect(isExpectedError(new InputError('x'))).toBe(true);
    expect(isExpectedError(new TypeError('x'))).toBe(false);
    expect(new InputError('bad file', '/tmp/f').path).toBe('/tmp/f');
  });
});
