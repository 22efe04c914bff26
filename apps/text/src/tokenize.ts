import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { InputError, type Output, plainLines } from '@seqgen/app-kit';
import type { SeqgenTokenizer } from '@seqgen/tokenizers';
import { DEFAULT_SHARD_BYTES, type TokenShardWriter, type TokenSplit, writeTokenShards } from '@seqgen/trainer';
import { corpusFiles, HELD_OUT_FRACTION } from './corpus.js';
import { type CorpusPiece, corpusPieces } from './corpus-pieces.js';
import { buildTokenizer, type TokenizerKind } from './tokenizer-choice.js';

/** `seqgen-text tokenize`'s settings. */
export type TokenizeOptions = {
  /** A UTF-8 text file or a folder of them, streamed (no size limit: it is never held in memory). */
  corpus: string;
  /** The new shard folder. */
  out: string;
  tokenizer: TokenizerKind;
  /** Worker threads that tokenize (default: the machine's parallelism). */
  threads?: number;
  /** MiB of training text, from its start, the vocabulary is built from (default 8). */
  sampleMb?: number;
  /** MiB per shard file (default 128). */
  shardMb?: number;
  /** KiB of text per piece sent to a thread (default 1024). */
  pieceKb?: number;
  /** Replace an existing `out`. */
  force?: boolean;
  /** Where progress lines and results go (default: stderr / stdout). */
  output?: Pick<Output, 'info' | 'result'>;
};

/** What `tokenize` did. */
export type TokenizeSummary = {
  out: string;
  /** Corpus bytes read. */
  bytes: number;
  seconds: number;
  /** Corpus megabytes (10^6 bytes) tokenized per second, wall-clock, reading and writing included. */
  mbPerSecond: number;
  threads: number;
  tokens: Record<TokenSplit, number>;
  shards: number;
  vocabSize: number;
};

/** How often a progress line is printed. */
const PROGRESS_EVERY_MS = 2000;

/**
 * A tokenizer thread running `tokenize-worker`: the built `.js` beside this
 * module, or, when run from source under tsx (tests), the `.ts` file behind
 * a bootstrap that registers tsx in the thread (loader hooks do not reach workers).
 */
function startWorker(workerData: unknown): Worker {
  // A bounded heap makes each thread collect its garbage (a piece's text and ids) early: bounded memory.
  const resourceLimits = { maxOldGenerationSizeMb: 256 };
  if (!import.meta.url.endsWith('.ts')) {
    return new Worker(new URL('./tokenize-worker.js', import.meta.url), { workerData, resourceLimits });
  }
  const tsx = import.meta.resolve('tsx/esm/api');
  const script = new URL('./tokenize-worker.ts', import.meta.url).href;
  const bootstrap = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(script)}); });`;
  return new Worker(bootstrap, { eval: true, workerData, resourceLimits });
}

type Pending = { resolve: (ids: Uint16Array | Uint32Array) => void; reject: (error: Error) => void };

/** A thread that tokenizes pieces in order of arrival, answering each with its packed ids. */
class TokenizerThread {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();

  constructor(tokenizerJson: unknown) {
    this.worker = startWorker({ tokenizer: tokenizerJson });
    this.worker.on('message', (m: { seq: number; ids?: Uint16Array | Uint32Array; error?: string }) => {
      const p = this.pending.get(m.seq);
      this.pending.delete(m.seq);
      if (m.ids) p?.resolve(m.ids);
      else p?.reject(new InputError(`cannot tokenize the corpus: ${m.error}`));
    });
    this.worker.on('error', (error) => this.failAll(error));
    this.worker.on('exit', (code) => {
      if (this.pending.size > 0) this.failAll(new Error(`tokenizer thread exited with code ${code}`));
    });
  }

  private failAll(error: Error): void {
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
  }

  tokenize(seq: number, text: string): Promise<Uint16Array | Uint32Array> {
    return new Promise((resolve, reject) => {
      this.pending.set(seq, { resolve, reject });
      this.worker.postMessage({ seq, text });
    });
  }

  close(): Promise<number> {
    return this.worker.terminate();
  }
}

/** The tokenizer built from the first `sampleBytes` of the training text (held-out text never shapes it). */
function sampleTokenizer(
  kind: TokenizerKind,
  files: ReturnType<typeof corpusFiles>,
  pieceBytes: number,
  sampleBytes: number,
) {
  const texts: string[] = [];
  let bytes = 0;
  for (const piece of corpusPieces(files, { pieceBytes })) {
    if (piece.split !== 'train' || bytes >= sampleBytes) break;
    texts.push(piece.text);
    bytes += piece.bytes;
  }
  if (bytes === 0) throw new InputError(`corpus has no training text`);
  return buildTokenizer(kind, texts.join(''));
}

function mib(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1);
}

/**
 * `seqgen-text tokenize`: streams a corpus of any size through a tokenizer on
 * worker threads into a token shard set (see @seqgen/trainer's
 * `writeTokenShards`). Pieces are cut at line starts where no tokenizer joins
 * across, tokenized in parallel and written in order, so the shards equal
 * single-threaded tokenization; memory holds a few pieces per thread.
 */
export async function tokenizeCorpus(options: TokenizeOptions): Promise<TokenizeSummary> {
  const output = options.output ?? plainLines();
  const started = performance.now();
  const files = corpusFiles(options.corpus);
  const total = files.reduce((n, f) => n + f.bytes, 0);
  if (total === 0) throw new InputError(`corpus ${options.corpus} is empty`, options.corpus);
  if (existsSync(options.out) && !statSync(options.out).isDirectory()) {
    throw new InputError(`${options.out} exists and is not a folder; shards are written into a folder`, options.out);
  }
  if (existsSync(options.out) && readdirSync(options.out).length > 0) {
    if (!options.force) {
      throw new InputError(`${options.out} already exists and is not empty (use --force to replace it)`, options.out);
    }
    rmSync(options.out, { recursive: true, force: true });
  }
  const threads = options.threads ?? availableParallelism();
  const pieceBytes = Math.round((options.pieceKb ?? 1024) * 1024);
  const tokenizer: SeqgenTokenizer = sampleTokenizer(
    options.tokenizer,
    files,
    pieceBytes,
    (options.sampleMb ?? 8) * 1024 * 1024,
  );
  const tokenizerJson = tokenizer.toJSON();
  output.info(
    `${options.tokenizer} tokenizer: ${tokenizer.vocabSize} tokens; tokenizing ${mib(total)} MiB with ${threads} thread${threads === 1 ? '' : 's'}`,
  );
  const writer = writeTokenShards(options.out, {
    vocabSize: tokenizer.vocabSize,
    tokenizer: tokenizerJson,
    shardBytes: options.shardMb === undefined ? DEFAULT_SHARD_BYTES : Math.round(options.shardMb * 1024 * 1024),
    source: {
      corpus: options.corpus,
      files: files.map((f) => f.path),
      bytes: total,
      heldoutFraction: HELD_OUT_FRACTION,
      tokenizerSampleBytes: (options.sampleMb ?? 8) * 1024 * 1024,
    },
  });
  const pool = Array.from({ length: threads }, () => new TokenizerThread(tokenizerJson));
  let done = 0;
  let lastReport = performance.now();
  try {
    await pipeline(pool, corpusPieces(files, { pieceBytes }), writer, (piece) => {
      done += piece.bytes;
      const now = performance.now();
      if (now - lastReport >= PROGRESS_EVERY_MS) {
        lastReport = now;
        const rate = done / 1e6 / ((now - started) / 1000);
        output.info(
          `tokenized ${mib(done)} / ${mib(total)} MiB (${((100 * done) / total).toFixed(1)}%), ${rate.toFixed(1)} MB/s`,
        );
      }
    });
    const counts = writer.tokens;
    if (counts.heldout === 0 || counts.train === 0) {
      throw new InputError(
        `corpus ${options.corpus} is too small to hold out ${HELD_OUT_FRACTION * 100}% for validation at a line start`,
        options.corpus,
      );
    }
    const manifest = writer.finish();
    const seconds = (performance.now() - started) / 1000;
    const summary: TokenizeSummary = {
      out: options.out,
      bytes: total,
      seconds,
      mbPerSecond: total / 1e6 / seconds,
      threads,
      tokens: counts,
      shards: manifest.shards.length,
      vocabSize: tokenizer.vocabSize,
    };
    output.result(
      `tokenized ${mib(total)} MiB in ${seconds.toFixed(1)} s (${summary.mbPerSecond.toFixed(1)} MB/s, ${threads} thread${threads === 1 ? '' : 's'}): ` +
        `${counts.train} train + ${counts.heldout} held-out tokens in ${manifest.shards.length} shards`,
    );
    output.result(`shards written to ${options.out}`);
    return summary;
  } catch (error) {
    writer.abort();
    throw error;
  } finally {
    await Promise.all(pool.map((t) => t.close()));
  }
}

/** Sends pieces to the threads round-robin, a few in flight per thread, and writes their ids in corpus order. */
async function pipeline(
  pool: TokenizerThread[],
  pieces: Iterable<CorpusPiece>,
  writer: TokenShardWriter,
  onWritten: (piece: CorpusPiece) => void,
): Promise<void> {
  const inFlight: Array<{ piece: CorpusPiece; ids: Promise<Uint16Array | Uint32Array> }> = [];
  const writeOldest = async () => {
    const oldest = inFlight.shift();
    if (!oldest) return;
    writer.write(oldest.piece.split, await oldest.ids);
    onWritten(oldest.piece);
  };
  let seq = 0;
  for (const piece of pieces) {
    const thread = pool[seq % pool.length] as TokenizerThread;
    const ids = thread.tokenize(seq++, piece.text);
    // A rejection is awaited in order below; this keeps it from counting as unhandled meanwhile.
    ids.catch(() => {});
    inFlight.push({ piece, ids });
    if (inFlight.length >= pool.length * 2) await writeOldest();
  }
  while (inFlight.length > 0) await writeOldest();
}
