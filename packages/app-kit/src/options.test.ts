import type { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { uninstallInterruptHandler } from './interrupt.js';
import { addCommonOptions, flagOf, integerOption, isExplicit, numberOption, refuseOptions } from './options.js';
import { createProgram, runProgram } from './program.js';

afterEach(() => {
  vi.restoreAllMocks();
  uninstallInterruptHandler();
  process.exitCode = 0;
});

describe('number and integer parsers', () => {
  it('accept what is in range and name the expectation otherwise', () => {
    expect(integerOption(1)('12')).toBe(12);
    expect(() => integerOption(1)('0')).toThrow('expected an integer ≥ 1, got "0"');
    expect(() => integerOption(0, 9)('1.5')).toThrow('expected an integer in [0, 9], got "1.5"');
    expect(() => integerOption(0)('')).toThrow();
    expect(numberOption(0, 1, { openMin: true })('0.9')).toBe(0.9);
    expect(() => numberOption(0, 1, { openMin: true })('0')).toThrow('expected a number in (0, 1], got "0"');
    expect(() => numberOption(0)('Infinity')).toThrow('expected a number in [0, Infinity), got "Infinity"');
    expect(() => numberOption(0)('abc')).toThrow();
  });
});

function parse(args: string[], setup: (c: Command) => void = () => {}) {
  const program = createProgram('t', 'test');
  let seen: { opts: Record<string, unknown>; command: Command } | undefined;
  const command = program.command('run');
  setup(command);
  addCommonOptions(command, { seed: { default: 1 }, out: { description: 'out' }, progress: true }).action(
    (opts, cmd: Command) => {
      seen = { opts, command: cmd };
    },
  );
  program.parse(['node', 't', 'run', ...args]);
  return seen as NonNullable<typeof seen>;
}

describe('common options', () => {
  it('adds --backend, --seed, --out, --force, --quiet, --json, --progress with defaults', () => {
    const { opts, command } = parse(['--backend', 'cpu', '--out', 'x', '--json']);
    expect(opts).toMatchObject({ backend: 'cpu', seed: 1, out: 'x', json: true });
    expect(isExplicit(command, 'seed')).toBe(false);
    expect(isExplicit(command, 'out')).toBe(true);
    expect(flagOf(command, 'json')).toBe('--json');
    const help = command.helpInformation();
    for (const flag of ['--backend', '--seed', '--out', '--force', '--quiet', '--json', '--progress']) {
      expect(help).toContain(flag);
    }
    expect(help).toMatch(/--seed <n>.*\(default: 1\)/);
    expect(help).toMatch(/choices: "node", "wasm", "cpu"/);
  });

  it('refuses options that do not apply, only when given', () => {
    const setup = (c: Command) => c.option('--hidden <n>', 'units', integerOption(1), 256).option('--top-p <p>', 'p');
    const given = parse(['--hidden', '32', '--top-p', '0.5'], setup);
    expect(() => refuseOptions(given.command, ['hidden', 'topP'], 'with --resume')).toThrow(
      '--hidden, --top-p do not apply with --resume',
    );
    const defaults = parse([], setup);
    expect(() => refuseOptions(defaults.command, ['hidden'], 'with --resume')).not.toThrow();
  });
});

describe('runProgram', () => {
  it('maps failures to one line and the exit-code table', async () => {
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const program = createProgram('t', 'test');
    program
      .command('fail')
      .option('--json', 'json')
      .action(() => {
        throw new Error('first line\nsecond line');
      });
    expect(await runProgram(program, ['node', 't', 'fail'])).toBe(1);
    expect(err.mock.calls.map((c) => String(c[0]))).toEqual(['t: error: first line\n']);
    err.mockClear();
    expect(await runProgram(program, ['node', 't', 'fail', '--bogus'])).toBe(2);
    expect(String(err.mock.calls[0]?.[0])).toMatch(/^t: error: unknown option '--bogus'/);
    out.mockClear();
    expect(await runProgram(program, ['node', 't', 'fail', '--json'])).toBe(1);
    expect(JSON.parse(String(out.mock.calls[0]?.[0]))).toEqual({
      error: { code: 'ERR_INTERNAL', message: 'first line', exitCode: 1 },
    });
  });
});
