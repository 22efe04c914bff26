// Load test of @seqgen/serve (loopback only, bounded): `pnpm --filter @seqgen/serve bench`.
// 64 concurrent streaming clients for BENCH_SECONDS (default 60) against
//   1. one server process, continuous batching (maxBatch 64);
//   2. one server process serving the same requests one at a time (maxBatch 1);
//   3. two batching processes behind Debian's nginx (bench/nginx.conf);
// then bad input: 1,000 requests that disconnect mid-stream, malformed JSON, 1 MB
// prompts and slow-loris clients. Prints requests/s, tokens/s, p50/p99 time to first
// token and per-token latency, errors, and each process's tensor count and RSS after a
// warm-up and at the end (from /healthz). BENCH_CLIENTS changes the client count.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 64);
const MAX_TOKENS = 64;
const MODEL = 'moby-char-lstm';
const here = fileURLToPath(new URL('.', import.meta.url));
const PROMPTS = [
  'Call me Ishmael. ',
  'The whale ',
  'Queequeg was a native of Kokovoko, ',
  'Ahab stood ',
  'It was a clear steel-blue day. ',
  'Starbuck said, ',
  'The sea ',
  'There she blows! ',
];

interface Health {
  tensors: number;
  rssBytes: number;
}

interface PhaseResult {
  name: string;
  requests: number;
  tokens: number;
  errors: number;
  seconds: number;
  ttft: number[];
  perToken: number[];
  health: { before: Health[]; after: Health[] };
}

function startProcess(port: number, maxBatch: number): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(here, 'serve-process.ts'), String(port), String(maxBatch)],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d) => {
      out += d.toString();
      const match = /ready (\S+)/.exec(out);
      if (match) resolve({ child, url: match[1] as string });
    });
    child.once('exit', (code) => reject(new Error(`server process exited with ${code}`)));
  });
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

async function health(base: string): Promise<Health> {
  const res = await fetch(`${new URL(base).origin}/healthz`);
  if (res.status !== 200) throw new Error(`healthz: status ${res.status}`);
  const body = (await res.json()) as Health;
  return { tensors: body.tensors, rssBytes: body.rssBytes };
}

/** One streamed completion; returns its token count, time to first token and gaps between tokens (ms). */
async function streamOne(url: string, seed: number, signal?: AbortSignal) {
  const started = performance.now();
  const res = await fetch(`${url}/completions`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      model: MODEL,
      prompt: PROMPTS[seed % PROMPTS.length],
      max_tokens: MAX_TOKENS,
      temperature: 0.8,
      seed,
      stream: true,
      stream_options: { include_usage: true },
    }),
    signal,
  });
  if (res.status !== 200 || !res.body) throw new Error(`status ${res.status}`);
  const decoder = new TextDecoder();
  let buffer = '';
  let last = 0;
  let ttft = Number.NaN;
  const gaps: number[] = [];
  let tokens = 0;
  let done = false;
  for await (const bytes of res.body) {
    buffer += decoder.decode(bytes as Uint8Array, { stream: true });
    let end = buffer.indexOf('\n\n');
    while (end >= 0) {
      const event = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      end = buffer.indexOf('\n\n');
      if (!event.startsWith('data: ')) continue;
      const data = event.slice(6);
      if (data === '[DONE]') {
        done = true;
        continue;
      }
      const chunk = JSON.parse(data);
      if (chunk.error) throw new Error(chunk.error.message);
      if (chunk.usage) tokens = chunk.usage.completion_tokens;
      if (chunk.choices?.length) {
        const now = performance.now();
        if (Number.isNaN(ttft)) ttft = now - started;
        else gaps.push(now - last);
        last = now;
      }
    }
  }
  if (!done) throw new Error('stream ended without [DONE]');
  return { tokens, ttft, gaps };
}

async function loadPhase(name: string, url: string, healthUrls: string[]): Promise<PhaseResult> {
  // Warm-up: every process compiles its kernels and reaches its steady memory first.
  await Promise.all(Array.from({ length: 8 }, (_, i) => streamOne(url, 1000 + i)));
  const before = await Promise.all(healthUrls.map(health));
  const result: PhaseResult = {
    name,
    requests: 0,
    tokens: 0,
    errors: 0,
    seconds: 0,
    ttft: [],
    perToken: [],
    health: { before, after: [] },
  };
  const started = performance.now();
  const deadline = started + SECONDS * 1000;
  let seed = 0;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (performance.now() < deadline) {
        try {
          const r = await streamOne(url, seed++);
          result.requests++;
          result.tokens += r.tokens;
          result.ttft.push(r.ttft);
          result.perToken.push(...r.gaps);
        } catch (err) {
          result.errors++;
          if (result.errors <= 3) console.error(`${name}: ${(err as Error).message}`);
        }
      }
    }),
  );
  result.seconds = (performance.now() - started) / 1000;
  result.health.after = await Promise.all(healthUrls.map(health));
  return result;
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

function report(r: PhaseResult): Record<string, string | number> {
  const mb = (h: Health) => (h.rssBytes / 2 ** 20).toFixed(0);
  return {
    phase: r.name,
    'requests/s': +(r.requests / r.seconds).toFixed(2),
    'tokens/s': +(r.tokens / r.seconds).toFixed(1),
    'ttft p50 ms': +percentile(r.ttft, 50).toFixed(0),
    'ttft p99 ms': +percentile(r.ttft, 99).toFixed(0),
    'token p50 ms': +percentile(r.perToken, 50).toFixed(1),
    'token p99 ms': +percentile(r.perToken, 99).toFixed(1),
    errors: r.errors,
    'tensors before→after': r.health.before.map((h, i) => `${h.tensors}→${r.health.after[i]?.tensors}`).join(', '),
    'RSS MiB before→after': r.health.before.map((h, i) => `${mb(h)}→${mb(r.health.after[i] as Health)}`).join(', '),
  };
}

function startNginx(lbPort: number, portA: number, portB: number): { stop: () => void } {
  const prefix = mkdtempSync(join(tmpdir(), 'seqgen-nginx-'));
  const config = readFileSync(join(here, 'nginx.conf'), 'utf8')
    .replaceAll('__PREFIX__', prefix)
    .replaceAll('__LB_PORT__', String(lbPort))
    .replaceAll('__PORT_A__', String(portA))
    .replaceAll('__PORT_B__', String(portB));
  const file = join(prefix, 'nginx.conf');
  writeFileSync(file, config);
  const child = spawn('nginx', ['-p', prefix, '-c', file, '-g', 'daemon off;'], { stdio: 'inherit' });
  return {
    stop: () => {
      child.kill('SIGQUIT');
      rmSync(prefix, { recursive: true, force: true });
    },
  };
}

async function waitFor(url: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      await health(url);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`${url} never answered`);
}

/** 1,000 mid-stream disconnects, malformed JSON, 1 MB prompts and slow-loris clients, then a normal request. */
async function badInput(url: string, port: number): Promise<Record<string, string | number>> {
  const before = await health(url);
  let disconnected = 0;
  for (let wave = 0; wave < 10; wave++) {
    await Promise.all(
      Array.from({ length: 100 }, async (_, i) => {
        const controller = new AbortController();
        try {
          const res = await fetch(`${url}/completions`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({
              model: MODEL,
              prompt: 'Call me',
              max_tokens: 2000,
              stream: true,
              seed: wave * 100 + i,
            }),
            signal: controller.signal,
          });
          await res.body?.getReader().read();
        } finally {
          controller.abort();
          disconnected++;
        }
      }),
    );
  }
  const statuses: Record<string, number> = {};
  const note = (s: number) => {
    statuses[s] = (statuses[s] ?? 0) + 1;
  };
  for (let i = 0; i < 20; i++) {
    note((await fetch(`${url}/completions`, { method: 'POST', body: '{"model": "x", "prompt": ' })).status);
    const huge = JSON.stringify({ model: MODEL, prompt: 'a'.repeat(1024 * 1024) });
    note((await fetch(`${url}/completions`, { method: 'POST', body: huge }).catch(() => ({ status: 0 }))).status);
  }
  // Slow-loris: 50 sockets that send a header line every 500 ms and never finish.
  const sockets = Array.from({ length: 50 }, () => {
    const socket = connect(port, '127.0.0.1');
    socket.on('error', () => {});
    socket.write('POST /v1/completions HTTP/1.1\r\nHost: x\r\n');
    const timer = setInterval(() => socket.write('X-Slow: 1\r\n'), 500);
    socket.on('close', () => clearInterval(timer));
    return { socket, timer };
  });
  const ok = await streamOne(url, 7);
  for (const { socket, timer } of sockets) {
    clearInterval(timer);
    socket.destroy();
  }
  // Let the cancelled rows leave the batch.
  await new Promise((r) => setTimeout(r, 1000));
  const after = await health(url);
  return {
    'mid-stream disconnects': disconnected,
    'malformed / 1 MB statuses': JSON.stringify(statuses),
    'served during slow-loris': `${ok.tokens} tokens`,
    'tensors before→after': `${before.tensors}→${after.tensors}`,
    'RSS MiB before→after': `${(before.rssBytes / 2 ** 20).toFixed(0)}→${(after.rssBytes / 2 ** 20).toFixed(0)}`,
  };
}

async function main(): Promise<void> {
  if (spawnSync('nginx', ['-v']).error) throw new Error('nginx is not installed (apt-get install -y nginx)');
  console.log(
    `@seqgen/serve load test: ${CLIENTS} streaming clients × ${SECONDS} s per phase, max_tokens ${MAX_TOKENS}, ${MODEL}`,
  );
  const results: PhaseResult[] = [];
  const basePort = 18400 + Math.floor(Math.random() * 500);

  const batched = await startProcess(basePort, 64);
  try {
    results.push(await loadPhase('1 process, batched (maxBatch 64)', batched.url, [batched.url]));
    console.table([report(results[0] as PhaseResult)]);
    console.log('bad input against the batched process:');
    console.table([await badInput(batched.url, basePort)]);
  } finally {
    await stopProcess(batched.child);
  }

  const single = await startProcess(basePort + 1, 1);
  try {
    results.push(await loadPhase('1 process, one at a time (maxBatch 1)', single.url, [single.url]));
  } finally {
    await stopProcess(single.child);
  }

  const [a, b] = await Promise.all([startProcess(basePort + 2, 64), startProcess(basePort + 3, 64)]);
  const nginx = startNginx(basePort + 4, basePort + 2, basePort + 3);
  const lb = `http://127.0.0.1:${basePort + 4}/v1`;
  try {
    await waitFor(lb);
    results.push(await loadPhase('2 processes behind nginx', lb, [a!.url, b!.url]));
  } finally {
    nginx.stop();
    await Promise.all([stopProcess(a!.child), stopProcess(b!.child)]);
  }

  console.table(results.map(report));
  const tps = results.map((r) => r.tokens / r.seconds);
  console.log(`batched / one at a time: ${((tps[0] as number) / (tps[1] as number)).toFixed(2)}× tokens/s`);
  console.log(
    `2 processes behind nginx / 1 process: ${((tps[2] as number) / (tps[0] as number)).toFixed(2)}× tokens/s`,
  );
}

await main();
