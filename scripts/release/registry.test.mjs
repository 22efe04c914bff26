#!/usr/bin/env node
/**
 * The release as users get it (issue 15, point 5). In a temporary copy of the repository (the
 * repository's own changesets are not consumed):
 *   1. `changeset version` applies the pending changesets: one CHANGELOG.md per publishable
 *      package naming its changes, and versions and internal ranges still consistent;
 *   2. `pnpm publish -r` (what `changeset publish` runs per package) publishes every publishable
 *      package to a local Verdaccio registry
 *      (loopback port, storage and config in the temp folder, third-party packages proxied
 *      from the npm registry this machine is configured with);
 *   3. fresh projects install them from it with npm, pnpm and yarn, with a PATH that has node
 *      and the package manager but no C++ compiler, make or python3, and run the README
 *      examples of the packages they installed (scripts/readme-examples.mjs) and a plain
 *      import and require of each; @seqgen/native must load its prebuilt binary there, and
 *      no project may pull @tensorflow/tfjs-node (its install downloads from Google).
 * Needs the packages built (`pnpm build`). Run: node --test scripts/release/registry.test.mjs
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { collectExamples, importedPackages, runExamples, writeExampleProject } from '../readme-examples.mjs';
import { versionProblems, workspacePackages } from './check-versions.mjs';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const temp = mkdtempSync(join(tmpdir(), 'seqgen-release-'));
const stage = join(temp, 'stage'); // the repository copy that is versioned and published
const caches = join(temp, 'cache'); // one per package manager, shared by nothing else
const rootManifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));

/**
 * Which packages each fresh project installs (plus what their README examples import): every
 * publishable package is installed by one of them, and tfjs only where the examples need it.
 */
const PROJECTS = {
  npm: ['@seqgen/base', '@seqgen/native', '@seqgen/text', '@seqgen/tokenizers'],
  pnpm: ['@seqgen/cells', '@seqgen/core', '@seqgen/interop', '@seqgen/samplers'],
  yarn: ['@seqgen/models', '@seqgen/trainer'],
};

let registry; // http://127.0.0.1:<port>
let verdaccio; // the server process
let published; // { name: version }
const timings = {};

function run(command, args, options = {}) {
  const started = performance.now();
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 240_000, ...options });
  const seconds = Math.round(performance.now() - started) / 1000;
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} exited with ${result.status ?? result.signal} after ${seconds} s\n${result.stdout}\n${result.stderr}`.slice(
        -6000,
      ),
    );
  }
  return { ...result, seconds };
}

/** `run` without blocking the event loop, so that the three fresh projects install side by side. */
function runAsync(command, args, options = {}) {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeout ?? 240_000);
    child.on('error', reject);
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      const seconds = Math.round(performance.now() - started) / 1000;
      if (status === 0) return resolve({ stdout, stderr, status, seconds });
      reject(
        new Error(
          `${command} ${args.join(' ')} exited with ${status ?? signal} after ${seconds} s\n${stdout}\n${stderr}`.slice(
            -6000,
          ),
        ),
      );
    });
  });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** A copy of what versioning and publishing read, with the sources' timestamps (prepack skips up-to-date work). */
function stageRepository() {
  for (const file of ['package.json', 'pnpm-workspace.yaml', 'LICENSE']) {
    if (existsSync(join(repoRoot, file))) cpSync(join(repoRoot, file), join(stage, file));
  }
  cpSync(join(repoRoot, '.changeset'), join(stage, '.changeset'), { recursive: true });
  const skip = new Set(['node_modules', '.tmp', '.turbo', 'build', 'docs']);
  for (const { dir, pkg } of workspacePackages(repoRoot)) {
    const target = join(stage, dir.slice(repoRoot.length));
    mkdirSync(target, { recursive: true });
    if (pkg.private) {
      // Only its manifest: pnpm rewrites publishable packages' workspace: devDependencies against it.
      cpSync(join(dir, 'package.json'), join(target, 'package.json'));
      continue;
    }
    for (const entry of readdirSync(dir)) {
      if (skip.has(entry)) continue;
      cpSync(join(dir, entry), join(target, entry), { recursive: true, preserveTimestamps: true });
    }
  }
  // The repository's tools (changesets, node-gyp for native's prepack when its binary is stale).
  symlinkSync(join(repoRoot, 'node_modules'), join(stage, 'node_modules'), 'dir');
  // What `pnpm install` would link: pnpm publish reads the versions that replace `workspace:`
  // ranges from each dependency's node_modules entry, which must be the staged (versioned) copy.
  const staged = workspacePackages(stage);
  const where = new Map(staged.map(({ dir, pkg }) => [pkg.name, dir]));
  for (const { dir, pkg } of staged.filter(({ pkg }) => !pkg.private)) {
    for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies', 'devDependencies']) {
      for (const dep of Object.keys(pkg[field] ?? {}).filter((d) => where.has(d))) {
        const link = join(dir, 'node_modules', dep);
        if (existsSync(link)) continue;
        mkdirSync(dirname(link), { recursive: true });
        symlinkSync(where.get(dep), link, 'dir');
      }
    }
  }
}

async function startRegistry() {
  const port = await freePort();
  registry = `http://127.0.0.1:${port}`;
  const home = join(temp, 'registry');
  mkdirSync(home, { recursive: true });
  const upstream = execFileSync('npm', ['config', 'get', 'registry'], { encoding: 'utf8' }).trim();
  writeFileSync(
    join(home, 'config.yaml'),
    `storage: ${join(home, 'storage')}
auth:
  htpasswd:
    file: ${join(home, 'htpasswd')}
    max_users: 1
uplinks:
  npmjs:
    url: ${upstream}
    timeout: 60s
    maxage: 60m
packages:
  '@seqgen/*':
    access: $all
    publish: $authenticated
  '**':
    access: $all
    proxy: npmjs
web:
  enable: false
max_body_size: 200mb
log: { type: stdout, format: pretty, level: warn }
`,
  );
  const bin = join(repoRoot, 'node_modules', 'verdaccio', 'bin', 'verdaccio');
  verdaccio = spawn(process.execPath, [bin, '--config', join(home, 'config.yaml'), '--listen', `127.0.0.1:${port}`], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  verdaccio.stdout.on('data', (d) => (log += d));
  verdaccio.stderr.on('data', (d) => (log += d));
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      if ((await fetch(`${registry}/-/ping`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline || verdaccio.exitCode !== null) throw new Error(`verdaccio did not start:\n${log}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  // A user to publish as; its token goes into an .npmrc that every command below reads.
  const response = await fetch(`${registry}/-/user/org.couchdb.user:release-test`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'release-test', password: 'release-test-password', type: 'user' }),
  });
  const { token } = await response.json();
  assert.ok(token, `verdaccio gave no token (${response.status})`);
  writeFileSync(join(temp, '.npmrc'), `registry=${registry}/\n//127.0.0.1:${port}/:_authToken=${token}\n`);
}

/** Environment for every package-manager command: our registry and caches, nothing from the user's setup. */
function registryEnv(extra = {}) {
  const env = {
    ...process.env,
    npm_config_registry: `${registry}/`,
    npm_config_userconfig: join(temp, '.npmrc'),
    npm_config_cache: join(caches, 'npm'),
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    COREPACK_ENABLE_DOWNLOAD_PROMPT: '0',
    ...extra,
  };
  // The repository's own settings (CI's SEQGEN_NATIVE_REQUIRED) are not a user's.
  delete env.SEQGEN_NATIVE_REQUIRED;
  delete env.SEQGEN_NATIVE_SKIP_BUILD;
  delete env.SEQGEN_NATIVE;
  return env;
}

/** A PATH with node and the package managers, but no C++ compiler, make or python3. */
function pathWithoutCompiler() {
  const bin = join(temp, 'bin');
  mkdirSync(bin, { recursive: true });
  const which = (name) => execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim();
  for (const tool of ['node', 'npm', 'npx', 'pnpm', 'sh']) symlinkSync(which(tool), join(bin, tool));
  for (const tool of ['g++', 'c++', 'gcc', 'cc', 'make', 'python3']) {
    assert.ok(!existsSync(join(bin, tool)), `${tool} must not be on the test PATH`);
  }
  return bin;
}

before(async () => {
  stageRepository();
  await startRegistry();
});

after(() => {
  verdaccio?.kill();
  if (process.env.SEQGEN_RELEASE_TEST_KEEP !== '1') rmSync(temp, { recursive: true, force: true });
  else console.log(`# kept ${temp}`);
  console.log(`# release test timings (s): ${JSON.stringify(timings)}`);
});

test('changeset version writes a CHANGELOG per package from the pending changesets', () => {
  const changesets = readdirSync(join(stage, '.changeset')).filter((f) => f.endsWith('.md') && f !== 'README.md');
  const pending = changesets.map((file) => {
    const text = readFileSync(join(stage, '.changeset', file), 'utf8');
    const [, front, body] = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(text);
    const names = [...front.matchAll(/["']?(@seqgen\/[\w-]+)["']?\s*:/g)].map((m) => m[1]);
    return { file, names, summary: body.trim().split('\n')[0] };
  });
  timings.version = run(join(stage, 'node_modules', '.bin', 'changeset'), ['version'], {
    cwd: stage,
    env: registryEnv(),
  }).seconds;
  assert.deepEqual(
    readdirSync(join(stage, '.changeset')).filter((f) => f.endsWith('.md') && f !== 'README.md'),
    [],
    'every changeset consumed',
  );
  const publishable = workspacePackages(stage).filter(
    ({ dir, pkg }) => !pkg.private && dir.startsWith(join(stage, 'packages')),
  );
  published = Object.fromEntries(publishable.map(({ pkg }) => [pkg.name, pkg.version]));
  for (const { dir, pkg } of publishable) {
    const changelog = join(dir, 'CHANGELOG.md');
    assert.ok(existsSync(changelog), `${pkg.name} has no CHANGELOG.md`);
    const text = readFileSync(changelog, 'utf8');
    assert.match(text, new RegExp(`^# ${pkg.name}\\n\\n## ${pkg.version.replaceAll('.', '\\.')}\\n`), pkg.name);
    for (const { file, names, summary } of pending) {
      if (names.includes(pkg.name)) assert.ok(text.includes(summary), `${pkg.name}'s CHANGELOG lacks ${file}`);
    }
  }
  assert.deepEqual(versionProblems(stage), []);
  // The fixed group moves together, past the version the repository is at.
  assert.equal(new Set(Object.values(published)).size, 1, JSON.stringify(published));
});

test('publishing puts every publishable package on the registry, the native binary inside', async () => {
  assert.ok(published, 'versioned first');
  // What `changeset publish` runs for each package, in one pnpm process for all of them
  // (`changeset publish` starts one pnpm per package and per registry lookup: 5x slower).
  timings.publish = run('pnpm', ['--recursive', 'publish', '--no-git-checks', '--access', 'public'], {
    cwd: stage,
    env: registryEnv(),
  }).seconds;
  for (const [name, version] of Object.entries(published)) {
    const meta = await registryDocument(name);
    assert.ok(meta.versions?.[version], `${name}@${version} is not on the registry`);
    const manifest = meta.versions[version];
    for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
      for (const [dep, range] of Object.entries(manifest[field] ?? {})) {
        if (dep.startsWith('@seqgen/')) assert.equal(range, `^${published[dep]}`, `${name} ${field}.${dep}`);
        if (dep === '@tensorflow/tfjs-node') {
          assert.equal(field, 'peerDependencies', `${name}: tfjs-node must stay an optional peer`);
          assert.equal(manifest.peerDependenciesMeta?.[dep]?.optional, true, `${name}: tfjs-node optional`);
        }
      }
    }
  }
  const version = published['@seqgen/native'];
  const tarball = join(temp, 'registry', 'storage', '@seqgen', 'native', `native-${version}.tgz`);
  const listing = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' });
  assert.match(listing, /^package\/prebuilds\/linux-x64\/seqgen_native\.glibc\.napi8\.node$/m);
});

/** A package's metadata from the registry (retried once: verdaccio may close a kept-alive socket). */
async function registryDocument(name) {
  const url = `${registry}/${name.replace('/', '%2f')}`;
  try {
    return await (await fetch(url)).json();
  } catch {
    return await (await fetch(url)).json();
  }
}

/** Installs `packages` (+ what their examples import) into a fresh project with `manager`; runs their examples. */
async function freshProject(manager) {
  assert.ok(published, 'published first');
  const dir = join(temp, 'projects', manager);
  mkdirSync(dir, { recursive: true });
  const manifest = { name: `seqgen-${manager}-user`, private: true, type: 'module' };
  if (manager === 'pnpm') manifest.packageManager = rootManifest.packageManager;
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);

  // A publishable package no project names (a new one) is installed by the npm project.
  const assigned = new Set(Object.values(PROJECTS).flat());
  const extra = manager === 'npm' ? Object.keys(published).filter((name) => !assigned.has(name)) : [];
  const mine = [...PROJECTS[manager], ...extra];
  const examples = collectExamples(stage).filter((e) => mine.includes(e.packageName) && e.skip === undefined);
  const wanted = [...new Set([...mine, ...importedPackages(examples)])].sort();
  const specs = wanted.map((name) => `${name}@${published[name] ?? thirdPartyRange(name)}`);
  const env = registryEnv({ PATH: pathFor() });
  const started = performance.now();
  if (manager === 'npm') await runAsync('npm', ['install', '--no-audit', '--no-fund', ...specs], { cwd: dir, env });
  if (manager === 'pnpm') {
    await runAsync('pnpm', ['add', '--store-dir', join(caches, 'pnpm'), '--reporter', 'append-only', ...specs], {
      cwd: dir,
      env,
    });
  }
  if (manager === 'yarn') {
    const yarn = await yarnBin(env);
    await runAsync(
      process.execPath,
      [
        yarn,
        'add',
        '--non-interactive',
        '--no-progress',
        '--cache-folder',
        join(caches, 'yarn'),
        '--registry',
        `${registry}/`,
        ...specs,
      ],
      { cwd: dir, env },
    );
  }
  timings[`${manager} install`] = Math.round(performance.now() - started) / 1000;
  assert.ok(!existsSync(join(dir, 'node_modules', '@tensorflow', 'tfjs-node')), `${manager} installed tfjs-node`);
  // The npm project holds only packages that promise no TensorFlow.js (tokenizers, text, native, base).
  if (manager === 'npm' && !extra.length) {
    assert.ok(!existsSync(join(dir, 'node_modules', '@tensorflow')), 'tfjs-free packages pulled in TensorFlow.js');
  }
  if (existsSync(join(dir, 'node_modules', '.pnpm'))) {
    assert.ok(
      !readdirSync(join(dir, 'node_modules', '.pnpm')).some((d) => d.startsWith('@tensorflow+tfjs-node@')),
      'pnpm installed tfjs-node',
    );
  }

  // Every installed package loads as ESM and as CommonJS.
  const installed = wanted.filter((name) => name.startsWith('@seqgen/'));
  const smoke = `const names = ${JSON.stringify(installed)};
for (const name of names) {
  const esm = await import(name);
  if (!Object.keys(esm).length) throw new Error(name + ' (ESM) exports nothing');
  const cjs = require(name);
  if (!Object.keys(cjs).length) throw new Error(name + ' (CJS) exports nothing');
}
console.log('loaded ' + names.join(', '));`;
  writeFileSync(
    join(dir, 'smoke.mjs'),
    `import { createRequire } from 'node:module';\nconst require = createRequire(import.meta.url);\n${smoke}\n`,
  );
  await runAsync(process.execPath, ['smoke.mjs'], { cwd: dir, env });

  const t0 = performance.now();
  writeExampleProject(dir, examples);
  // As ES modules only: the smoke import above requires every package too, and
  // scripts/readme-examples.mjs runs the examples as CommonJS against the workspace.
  const report = await runExamples(dir, examples, 'esm', { env, timeoutMs: 120_000 });
  assert.deepEqual(report.failures, [], `${manager}: README examples failed`);
  timings[`${manager} examples`] = Math.round(performance.now() - t0) / 1000;
  return { dir, env, examples };
}

function thirdPartyRange(name) {
  for (const { pkg } of workspacePackages(repoRoot)) {
    for (const field of ['peerDependencies', 'dependencies', 'devDependencies']) {
      if (pkg[field]?.[name] && !pkg[field][name].startsWith('workspace:')) return pkg[field][name];
    }
  }
  return 'latest';
}

let testPath;
function pathFor() {
  testPath ??= pathWithoutCompiler();
  return testPath;
}

/** Yarn 1 from the registry (the npm package), so that nothing but the npm registry is reached. */
async function yarnBin(env) {
  const tools = join(temp, 'tools');
  mkdirSync(tools, { recursive: true });
  writeFileSync(join(tools, 'package.json'), '{"private":true}\n');
  await runAsync('npm', ['install', '--no-audit', '--no-fund', 'yarn@1'], { cwd: tools, env });
  return join(tools, 'node_modules', 'yarn', 'bin', 'yarn.js');
}

/** @seqgen/native as a project has it (directly, or through @seqgen/cells). */
async function nativeStatusIn(dir, env) {
  const script = `import { createRequire } from 'node:module';
import { realpathSync } from 'node:fs';
const here = createRequire(import.meta.url);
let from = here;
try { here.resolve('@seqgen/native'); } catch { from = createRequire(realpathSync(here.resolve('@seqgen/cells'))); }
const { nativeStatus } = from('@seqgen/native');
console.log(JSON.stringify(nativeStatus()));`;
  writeFileSync(join(dir, 'native-status.mjs'), script);
  return JSON.parse((await runAsync(process.execPath, ['native-status.mjs'], { cwd: dir, env })).stdout);
}

// The three installs are mostly waiting on the registry: side by side they take the time of the slowest.
test('fresh projects install from the registry with npm, pnpm and yarn', { concurrency: true }, async (t) => {
  await Promise.all(
    Object.keys(PROJECTS).map((manager) =>
      t.test(`${manager}: install without a compiler, load every package, run its README examples`, async () => {
        const { dir, env } = await freshProject(manager);
        const native = await nativeStatusIn(dir, env);
        assert.equal(native.loaded, true, `${manager}: ${native.reason}`);
        assert.equal(native.binary, 'prebuilt', `${manager}: ${JSON.stringify(native)}`);
      }),
    ),
  );
});
