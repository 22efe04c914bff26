#!/usr/bin/env node
// README examples are tests (issue 15): every ```ts / ```js block in a published
// package's README is extracted, type-checked with `tsc --strict`, and run as an
// ES module and as (transpiled) CommonJS, each in a fresh working folder. A block
// that is not meant to run says why on the line before its fence:
//   <!-- example: skip a fragment of the example above -->
// The functions are exported so that the registry test (packages installed from
// a local registry into fresh projects) runs the same examples there.
import { spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const FENCE_OPEN = /^```([\w-]*)\s*$/;
const FENCE_CLOSE = /^```\s*$/;
const SKIP = /^<!--\s*example:\s*skip\b\s*(.*?)\s*-->$/;
/** Fence languages whose blocks are examples. */
export const EXAMPLE_LANGUAGES = ['ts', 'typescript', 'js', 'javascript'];

/**
 * The example blocks of one README: `{ line, lang, code, skip }`, `line` being the
 * 1-based line of the opening fence and `skip` the reason given by a
 * `<!-- example: skip reason -->` line just before it (undefined when it runs).
 * Throws on an unterminated fence or a skip marker without a reason.
 */
export function extractExamples(markdown, file = 'README.md') {
  const lines = markdown.split(/\r?\n/);
  const examples = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE_OPEN.exec(lines[i]);
    if (!open) continue;
    const start = i;
    const body = [];
    for (i++; i < lines.length && !FENCE_CLOSE.test(lines[i]); i++) body.push(lines[i]);
    if (i >= lines.length) throw new Error(`${file}:${start + 1}: code fence is never closed`);
    if (!EXAMPLE_LANGUAGES.includes(open[1])) continue;
    let before = start - 1;
    while (before >= 0 && lines[before].trim() === '') before--;
    const marker = before >= 0 ? SKIP.exec(lines[before].trim()) : null;
    if (marker && !marker[1]) throw new Error(`${file}:${before + 1}: "example: skip" needs a reason`);
    examples.push({
      line: start + 1,
      lang: open[1],
      code: `${body.join('\n')}\n`,
      skip: marker ? marker[1] : undefined,
    });
  }
  return examples;
}

/**
 * Every example of every published (non-private) package under `root/packages`,
 * as `{ id, packageName, file, line, lang, code, skip }`; `id` names the file the
 * example is written to (`<package folder>-<n>`), `file` is the README's path
 * relative to `root`.
 */
export function collectExamples(root = repoRoot) {
  const all = [];
  for (const dir of readdirSync(join(root, 'packages')).sort()) {
    const manifestPath = join(root, 'packages', dir, 'package.json');
    const readmePath = join(root, 'packages', dir, 'README.md');
    if (!existsSync(manifestPath) || !existsSync(readmePath)) continue;
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    if (manifest.private) continue;
    const file = relative(root, readmePath);
    extractExamples(readFileSync(readmePath, 'utf8'), file).forEach((example, n) => {
      all.push({ id: `${dir}-${n + 1}`, packageName: manifest.name, file, ...example });
    });
  }
  return all;
}

/** The package names (`@scope/name` or `name`) that examples import, `node:` built-ins left out. */
export function importedPackages(examples) {
  const names = new Set();
  for (const { code } of examples) {
    for (const match of code.matchAll(/(?:^|\n)\s*import\s[^'"]*?['"]([^'"]+)['"]/g)) {
      const specifier = match[1];
      if (specifier.startsWith('node:') || specifier.startsWith('.')) continue;
      const parts = specifier.split('/');
      names.add(specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]);
    }
  }
  return [...names].sort();
}

/**
 * Writes the examples that run into project folder `dir`: `src/<id>.mts` (for
 * `tsc`), `esm/<id>.mjs` and `cjs/<id>.cjs` (transpiled with `typescript`, the
 * CommonJS one with its body in an async function, as CommonJS has no top-level
 * await), a `tsconfig.json` with `strict`, and a `package.json` unless one is
 * there (an installed project keeps its own). `typescript` is the module
 * (default: the one this repository uses).
 */
export function writeExampleProject(dir, examples, typescript = loadTypescript()) {
  const runnable = examples.filter((e) => e.skip === undefined);
  for (const sub of ['src', 'esm', 'cjs']) {
    rmSync(join(dir, sub), { recursive: true, force: true });
    mkdirSync(join(dir, sub), { recursive: true });
  }
  if (!existsSync(join(dir, 'package.json'))) {
    writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ private: true, type: 'module' }, null, 2)}\n`);
  }
  const tsconfig = {
    compilerOptions: {
      strict: true,
      noEmit: true,
      target: 'ES2022',
      lib: ['ES2022', 'DOM'],
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      types: ['node'],
      // tfjs's own declarations do not pass --strict (tfjs-layers, Long), so libraries are not checked.
      skipLibCheck: true,
    },
    include: ['src'],
  };
  writeFileSync(join(dir, 'tsconfig.json'), `${JSON.stringify(tsconfig, null, 2)}\n`);
  for (const example of runnable) {
    const where = `// ${example.file}:${example.line}\n`;
    // `export {}` keeps each file a module, so examples do not share one global scope.
    writeFileSync(join(dir, 'src', `${example.id}.mts`), `${where}${example.code}export {};\n`);
    writeFileSync(join(dir, 'esm', `${example.id}.mjs`), where + transpile(typescript, example.code, 'esm'));
    writeFileSync(
      join(dir, 'cjs', `${example.id}.cjs`),
      where + transpile(typescript, asyncBody(typescript, example.code), 'cjs'),
    );
  }
  return runnable;
}

/** Type-checks a project written by {@link writeExampleProject}; resolves to tsc's output (empty when clean). */
export async function typecheckExamples(dir, tsc = join(repoRoot, 'node_modules', '.bin', 'tsc')) {
  const { status, stdout, stderr } = await run(tsc, ['-p', join(dir, 'tsconfig.json')], { cwd: dir });
  return status === 0 ? '' : `${stdout}${stderr}`.trim() || `tsc exited with ${status}`;
}

/**
 * Runs every example of a project written by {@link writeExampleProject} in one
 * Node process per format (`'esm'` or `'cjs'`), one after another, each in its
 * own empty working folder under `dir/work-<format>/<id>`. Resolves to
 * `{ failures: [{ id, error }], seconds: { [id]: s } }`.
 */
export async function runExamples(dir, examples, format, { env = process.env, timeoutMs = 300_000 } = {}) {
  const ids = examples.filter((e) => e.skip === undefined).map((e) => e.id);
  const work = join(dir, `work-${format}`);
  rmSync(work, { recursive: true, force: true });
  for (const id of ids) mkdirSync(join(work, id), { recursive: true });
  const ext = format === 'esm' ? 'mjs' : 'cjs';
  const runner = join(dir, `run-${format}.${ext}`);
  const load = format === 'esm' ? '(file) => import(file)' : '(file) => require(file)';
  writeFileSync(
    runner,
    `const { pathToFileURL } = ${format === 'esm' ? "await import('node:url')" : "require('node:url')"};
const load = ${load};
const ids = ${JSON.stringify(ids)};
const report = { failures: [], seconds: {} };
${format === 'esm' ? '' : '(async () => {'}
for (const id of ids) {
  process.chdir(${JSON.stringify(work)} + '/' + id);
  const started = performance.now();
  try {
    const file = ${JSON.stringify(join(dir, format))} + '/' + id + '.${ext}';
    const loaded = await load(${format === 'esm' ? 'pathToFileURL(file).href' : 'file'});
    ${format === 'esm' ? '' : 'await loaded;'}
  } catch (error) {
    report.failures.push({ id, error: String(error && error.stack ? error.stack : error) });
  }
  report.seconds[id] = Math.round(performance.now() - started) / 1000;
}
process.stdout.write('\\n@@report ' + JSON.stringify(report) + '\\n');
// An example may leave handles open (worker threads, timers): the report is complete, so end here.
process.exit(0);
${format === 'esm' ? '' : '})();'}
`,
  );
  const result = await run(process.execPath, [runner], { cwd: dir, env, timeout: timeoutMs });
  const line = result.stdout.split('\n').find((l) => l.startsWith('@@report '));
  if (!line) {
    return {
      failures: [
        {
          id: `(${format} runner)`,
          error: `exit ${result.status} ${result.signal ?? ''}\n${result.stderr.slice(-4000)}`,
        },
      ],
      seconds: {},
    };
  }
  return JSON.parse(line.slice('@@report '.length));
}

/**
 * Links what the examples import into `dir/node_modules`, from this repository:
 * `@seqgen/*` to the workspace packages (their built `dist/`), everything else
 * (`@tensorflow/tfjs`, `@types/node`) to the copy the packages themselves
 * resolve, so that one tfjs is loaded.
 */
export function linkWorkspacePackages(dir, examples, root = repoRoot) {
  const names = new Set([...importedPackages(examples.filter((e) => e.skip === undefined)), '@types/node']);
  for (const name of names) {
    const target = name.startsWith('@seqgen/') ? findWorkspacePackage(root, name) : findInstalled(root, name);
    if (!target) throw new Error(`README examples import ${name}, which is not in this workspace`);
    const link = join(dir, 'node_modules', name);
    mkdirSync(dirname(link), { recursive: true });
    rmSync(link, { recursive: true, force: true });
    symlinkSync(target, link, 'dir');
  }
}

function findWorkspacePackage(root, name) {
  for (const group of ['packages', 'apps']) {
    for (const dir of readdirSync(join(root, group))) {
      const manifest = join(root, group, dir, 'package.json');
      if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === name)
        return join(root, group, dir);
    }
  }
  return undefined;
}

function findInstalled(root, name) {
  const candidates = [join(root, 'node_modules', name)];
  for (const dir of readdirSync(join(root, 'packages')))
    candidates.push(join(root, 'packages', dir, 'node_modules', name));
  const found = candidates.find((c) => existsSync(join(c, 'package.json')));
  return found && realpathSync(found);
}

/** spawn, collecting output: resolves to `{ status, signal, stdout, stderr }`. */
function run(command, args, options) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('close', (status, signal) => resolve({ status, signal, stdout, stderr }));
  });
}

function loadTypescript() {
  return createRequire(join(repoRoot, 'package.json'))('typescript');
}

function transpile(ts, code, format) {
  return ts.transpileModule(code, {
    compilerOptions: {
      target: ts.ScriptTarget.ES2022,
      module: format === 'esm' ? ts.ModuleKind.ESNext : ts.ModuleKind.CommonJS,
      esModuleInterop: true,
    },
  }).outputText;
}

/** The imports of `code`, then the rest of it in an async function whose promise is `module.exports`. */
function asyncBody(ts, code) {
  const source = ts.createSourceFile('example.ts', code, ts.ScriptTarget.ES2022, true);
  const imports = [];
  const body = [];
  for (const statement of source.statements) {
    (ts.isImportDeclaration(statement) ? imports : body).push(statement.getFullText(source));
  }
  return `${imports.join('')}\nmodule.exports = (async () => {${body.join('')}\n})();\n`;
}

/**
 * Runs every README example of this repository against the workspace packages:
 * tsc and one process per format at the same time. Resolves to
 * `{ examples, runnable, problems }`; `problems` is empty when all passed.
 */
export async function checkRepositoryExamples({ dir, formats = ['esm', 'cjs'], log = console.log } = {}) {
  const examples = collectExamples(repoRoot);
  const project = dir ?? mkdtempSync(join(tmpdir(), 'seqgen-readme-examples-'));
  mkdirSync(project, { recursive: true });
  linkWorkspacePackages(project, examples);
  const runnable = writeExampleProject(project, examples);
  const skipped = examples.filter((e) => e.skip !== undefined);
  log(`${runnable.length} README examples to run, ${skipped.length} marked skip`);
  for (const e of skipped) log(`  skip ${e.file}:${e.line} (${e.skip})`);
  const started = Date.now();
  const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
  const [typeErrors, ...runs] = await Promise.all([
    typecheckExamples(project).then((out) => {
      log(`tsc --strict: ${out ? 'errors' : 'clean'} (${elapsed()})`);
      return out;
    }),
    ...formats.map((format) =>
      runExamples(project, runnable, format).then((result) => {
        const times = Object.entries(result.seconds).map(([id, s]) => `${id} ${s} s`);
        log(
          `${format}: ${runnable.length - result.failures.length}/${runnable.length} ran (${elapsed()}): ${times.join(', ')}`,
        );
        return result;
      }),
    ),
  ]);
  const problems = [];
  if (typeErrors) problems.push(`tsc --strict:\n${typeErrors}`);
  const where = (id) => runnable.find((e) => e.id === id);
  runs.forEach(({ failures }, i) => {
    for (const { id, error } of failures) {
      const e = where(id);
      problems.push(`${formats[i]} ${e ? `${e.file}:${e.line}` : id}: ${error}`);
    }
  });
  if (!dir) rmSync(project, { recursive: true, force: true });
  return { examples, runnable, problems };
}

if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { problems } = await checkRepositoryExamples();
  if (problems.length) {
    console.error(`\n${problems.join('\n\n')}`);
    process.exit(1);
  }
}
