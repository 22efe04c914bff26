import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { resolveGenerationOptions } from './generation-options.js';
import { numberOption } from './options.js';
import { createProgram } from './program.js';

function parse(args: string[]): { command: Command; opts: Record<string, number | string> } {
  const program = createProgram('t', 'test');
  let seen: { command: Command; opts: Record<string, number | string> } | undefined;
  program
    .command('generate')
    .option('--temperature <t>', 'temperature', numberOption(0, 100, { openMin: true }), 0.8)
    .option('--top-p <p>', 'top-p', numberOption(0, 1, { openMin: true }), 1)
    .option('--top-k <k>', 'top-k', numberOption(1))
    .option('--strategy <s>', 'strategy', 'sample')
    .action((opts, command: Command) => {
      seen = { opts, command };
    });
  program.parse(['node', 't', 'generate', ...args]);
  return seen as NonNullable<typeof seen>;
}

const FLAGS = { temperature: 'temperature', topP: 'topP', topK: 'topK' } as const;

function resolve(args: string[]) {
  const { command, opts } = parse(args);
  const beams = opts.strategy === 'beam' ? 4 : 1;
  return resolveGenerationOptions(
    command,
    {
      temperature: opts.temperature as number,
      topP: opts.topP as number,
      topK: (opts.topK as number) ?? null,
      numBeams: beams,
    },
    FLAGS,
  );
}

describe('resolveGenerationOptions: refuse what the library refuses, when the user asked for it', () => {
  it('beam search with an explicit sampling flag is a usage error naming the flag', () => {
    expect(() => resolve(['--strategy', 'beam', '--top-p', '0.9'])).toThrow(
      '--top-p is a sampling setting; beam search is deterministic',
    );
    expect(() => resolve(['--strategy', 'beam', '--temperature', '0.5'])).toThrow(/^--temperature is a sampling/);
    expect(() => resolve(['--strategy', 'beam', '--top-k', '5'])).toThrow(/^--top-k is a sampling/);
  });

  it('app defaults that do not apply fall back to the library defaults', () => {
    const config = resolve(['--strategy', 'beam']);
    expect(config).toMatchObject({ numBeams: 4, temperature: 1, topP: 1, topK: null });
    expect(resolve(['--top-p', '0.9'])).toMatchObject({ numBeams: 1, temperature: 0.8, topP: 0.9 });
  });
});
