import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliRunner, readJson } from './cli-process.js';

/** The package root: `tsx` resolves from there, as it does from an app's root. */
const cwd = join(dirname(fileURLToPath(import.meta.url)), '..');
let dir: string;
let script: string;

// A real command-line program: echoes its arguments and stdin, then, with `wait`, ticks on stderr until SIGINT.
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'seqgen-test-utils-cli-'));
  script = join(dir, 'echo-cli.ts');
  writeFileSync(
    script,
    `const args: string[] = process.argv.slice(2);
if (args[0] === 'wait') {
  process.on('SIGINT', () => { process.stderr.write('stopped\\n'); process.exit(130); });
  let n = 0;
  setInterval(() => process.stderr.write(\`tick \${++n}\\n\`), 20);
} else {
  let input = '';
  process.stdin.on('data', (b) => { input += b; });
  process.stdin.on('end', () => {
    process.stdout.write(JSON.stringify({ args, input, cwd: process.cwd(), color: process.env.NO_COLOR }));
    process.exitCode = args.length;
  });
}
`,
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('cliRunner', () => {
  it('runs the script from source in the given folder (tsx resolved from there), piping stdin, and returns its exit code and output', () => {
    const r = cliRunner(script, { cwd }).run(['a', 'b c'], 'line\n');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(2);
    expect(JSON.parse(r.stdout)).toEqual({ args: ['a', 'b c'], input: 'line\n', cwd, color: '1' });
  });

  it('sends a signal once stderr matches, and reads JSON files', async () => {
    const r = await cliRunner(script, { cwd }).runUntil(['wait'], /tick 3/, 'SIGINT');
    expect(r.status).toBe(130);
    expect(r.stderr).toMatch(/tick 3\n(tick \d+\n)*stopped\n$/);
    writeFileSync(join(dir, 'x.json'), '{"a":[1]}');
    expect(readJson(join(dir, 'x.json'))).toEqual({ a: [1] });
  });
});
