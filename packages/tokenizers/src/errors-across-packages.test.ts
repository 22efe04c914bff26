import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Each test starts a Node process that loads tfjs (through core): the 60 s timeouts
// are for loaded CI machines; the tests take a few seconds.
// Issue 15: the CommonJS build once copied the error classes into each entry file,
// so an error thrown by one package failed `instanceof` against another entry's
// class. These run against the built dist of @seqgen/base, @seqgen/core and this
// package, in a fresh Node process per module format, as users load them.
const packageDir = fileURLToPath(new URL('..', import.meta.url));

// Each script throws a TokenizerError and a ConfigError from the tokenizers and a
// ConfigError from core's option checks, then reports every `instanceof` and
// identity that must hold, as { check: boolean }.
const checks = (load: (specifier: string) => string) => `
const base = ${load('@seqgen/base')};
const core = ${load('@seqgen/core')};
const coreErrors = ${load('@seqgen/core/errors')};
const coreRegistry = ${load('@seqgen/core/registry')};
const { CharTokenizer } = ${load('@seqgen/tokenizers')};
const caught = (f) => { try { f(); } catch (e) { return e; } throw new Error('did not throw'); };
const unknown = caught(() => CharTokenizer.fromText('ab', { onUnknown: 'throw' }).encode('abz'));
const badOption = caught(() => CharTokenizer.fromText('ab', { onUnknown: 'bogus' }));
const fromCore = caught(() => core.assertPositiveInteger('hiddenSize', 0));
const result = {};
for (const [entry, errors] of [['base', base], ['core', core], ['core/errors', coreErrors]]) {
  result[entry + ' TokenizerError'] = unknown instanceof errors.TokenizerError;
  result[entry + ' SeqgenError'] = unknown instanceof errors.SeqgenError && fromCore instanceof errors.SeqgenError;
  result[entry + ' ConfigError (tokenizers)'] = badOption instanceof errors.ConfigError;
  result[entry + ' ConfigError (core)'] = fromCore instanceof errors.ConfigError;
}
for (const name of ['SeqgenError', 'ConfigError', 'ShapeError', 'BackendError', 'CheckpointError', 'TokenizerError', 'NonFiniteError']) {
  result[name + ' is one class'] = base[name] === core[name] && core[name] === coreErrors[name];
  result[name + ' keeps its name'] = base[name].name === name;
}
result['one registry function'] = coreRegistry.registerConfigType === base.registerConfigType && core.buildFromConfig === base.buildFromConfig;
result['error name'] = unknown.name === 'TokenizerError' && fromCore.name === 'ConfigError';
`;

function run(args: string[]): Record<string, boolean> {
  const out = execFileSync(process.execPath, args, { cwd: packageDir, encoding: 'utf8', timeout: 60_000 });
  return JSON.parse(out.trim().split('\n').at(-1) as string);
}

function expectAllTrue(result: Record<string, boolean>) {
  expect(Object.keys(result).length).toBeGreaterThan(20);
  expect(Object.entries(result).filter(([, ok]) => !ok)).toEqual([]);
}

describe('one class per error across packages, entries and module formats', () => {
  it('ESM: errors thrown by tokenizers and core are instances of every entry’s class', () => {
    const script = `${checks((s) => `await import('${s}')`)}
// The CommonJS build loaded in the same process must hand out the same classes.
const { createRequire } = await import('node:module');
const required = createRequire(process.cwd() + '/package.json');
result['require() gives the same classes as import'] =
  required('@seqgen/base').ConfigError === base.ConfigError && required('@seqgen/core/errors').TokenizerError === base.TokenizerError;
console.log(JSON.stringify(result));`;
    expectAllTrue(run(['--input-type=module', '-e', script]));
  }, 60_000);

  it('CommonJS: errors thrown by tokenizers and core are instances of every entry’s class', () => {
    const script = `(async () => {${checks((s) => `require('${s}')`)}
result['import() gives the same classes as require'] =
  (await import('@seqgen/base')).ConfigError === base.ConfigError && (await import('@seqgen/core')).TokenizerError === base.TokenizerError;
console.log(JSON.stringify(result));
})().catch((e) => { console.error(e); process.exit(1); });`;
    expectAllTrue(run(['--input-type=commonjs', '-e', script]));
  }, 60_000);
});
