// `node --test scripts/readme-examples.test.mjs`: the extraction rules, then every
// README example of the published packages type-checked (--strict) and run as ESM
// and as CommonJS against the built workspace packages (run after `pnpm build`).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkRepositoryExamples, extractExamples, importedPackages } from './readme-examples.mjs';

test('extracts ts/js blocks with their line and skip reason, and nothing else', () => {
  const markdown = [
    '# x', // 1
    '```sh', // 2
    'npm install x', // 3
    '```', // 4
    '```ts', // 5
    "import { a } from '@seqgen/core';", // 6
    '```', // 7
    '<!-- example: skip a fragment of the example above -->', // 8
    '', // 9
    '```js', // 10
    'a();', // 11
    '```', // 12
  ].join('\n');
  assert.deepEqual(extractExamples(markdown), [
    { line: 5, lang: 'ts', code: "import { a } from '@seqgen/core';\n", skip: undefined },
    { line: 10, lang: 'js', code: 'a();\n', skip: 'a fragment of the example above' },
  ]);
  assert.deepEqual(
    importedPackages([
      { code: "import * as tf from '@tensorflow/tfjs';\nimport { x } from 'node:fs';\nimport y from 'a/b';\n" },
    ]),
    ['@tensorflow/tfjs', 'a'],
  );
});

test('refuses an unclosed fence and a skip marker without a reason', () => {
  assert.throws(() => extractExamples('```ts\nx();\n', 'R.md'), /R\.md:1: code fence is never closed/);
  assert.throws(
    () => extractExamples('<!-- example: skip -->\n```ts\nx();\n```\n', 'R.md'),
    /R\.md:1: "example: skip" needs a reason/,
  );
});

test('every README example type-checks and runs as ESM and as CommonJS', { timeout: 600_000 }, async () => {
  const { runnable, problems } = await checkRepositoryExamples({ log: (line) => console.log(`# ${line}`) });
  assert.ok(runnable.length >= 10, `only ${runnable.length} runnable examples found`);
  assert.deepEqual(problems, []);
});
