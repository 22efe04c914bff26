import { join } from 'node:path';
import { loadChatbot } from './checkpoint.js';
import { DEFAULT_GAMES_ROOT } from './dialogue-sources.js';
import { evaluate, PRETRAINED_CHECKPOINT } from './eval.js';
import { prepareData } from './prepared-data.js';
import { DEFAULT_REPLY_SETTINGS, streamReply } from './reply.js';
import { train } from './train.js';

/** Lines the demo says to both bots. */
export const DEMO_LINES = ['Where do we go next?', 'The orcs are coming!', 'Can you help me?'];

/**
 * The demo: prepares the offline dialogue installed here, trains a small model
 * for `minutes`, shows its replies next to the shipped checkpoint's, and
 * evaluates the shipped checkpoint on part of its held-out split beside the
 * retrieval baseline. Everything goes through the CLI's own functions.
 */
export async function runDemo(options: { minutes: number; dir?: string; gamesRoot?: string }): Promise<void> {
  const dir = options.dir ?? join(process.cwd(), 'runs', 'demo');
  const log = (line: string) => console.log(line);
  const gamesRoot = options.gamesRoot ?? DEFAULT_GAMES_ROOT;
  log(`seqgen chat demo — dialogue from the Debian game data in ${gamesRoot}; ${options.minutes} min of training`);
  // The shipped checkpoint's recipe (scripts/pretrain.sh), on a shorter budget.
  const data = prepareData(
    { out: join(dir, 'data'), force: true, gamesRoot, test: 0.08, valid: 0.05, vocab: 1000, seed: 1 },
    log,
  );
  const summary = await train({
    data: data.dir,
    out: join(dir, 'model'),
    force: true,
    turns: 2,
    format: 'speaker-markers',
    maxContext: 40,
    maxReply: 32,
    cell: 'gru',
    attention: 'bahdanau',
    layers: 1,
    hidden: 128,
    embedding: 64,
    bidirectional: false,
    dropout: 0.1,
    labelSmoothing: 0,
    minutes: options.minutes,
    steps: 1,
    batch: 128,
    lr: 3e-3,
    seed: 1,
    output: { info: log, result: log },
  });
  if (summary.interrupted) process.exit(130);
  for (const [label, checkpoint] of [
    [`this demo's model (${summary.steps} steps)`, summary.out],
    ['the shipped checkpoint', PRETRAINED_CHECKPOINT],
  ] as const) {
    const bot = await loadChatbot(checkpoint);
    try {
      log(`\n--- ${label} ---`);
      for (const line of DEMO_LINES) {
        const reply = await streamReply(bot, [{ role: 'user', text: line }], { ...DEFAULT_REPLY_SETTINGS, seed: 1 });
        log(`you> ${line}\nbot> ${reply}`);
      }
    } finally {
      bot.model.dispose();
    }
  }
  const report = await evaluate({ checkpoint: PRETRAINED_CHECKPOINT, limit: 150, samples: 0 });
  const m = report.metrics;
  const r = report.baselines.retrieval_bm25;
  const refs = report.baselines.references;
  log(
    `\nshipped checkpoint on its held-out conversations: perplexity ${m.perplexity.toFixed(2)}; ` +
      `distinct-1/2 of ${report.replied} replies ${m.distinct_1.toFixed(3)}/${m.distinct_2.toFixed(3)}` +
      (r ? `, retrieval baseline ${r.distinct_1.toFixed(3)}/${r.distinct_2.toFixed(3)}` : '') +
      (refs ? `, references ${refs.distinct_1.toFixed(3)}/${refs.distinct_2.toFixed(3)}` : ''),
  );
  log(`try: node dist/cli.js chat --checkpoint ${summary.out}`);
}
