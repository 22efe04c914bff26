// `pnpm --filter @seqgen/app-chat demo`: prepares the offline dialogue of this machine, trains a small chatbot for
// DEMO_MINUTES (default 1.5), replies to a few lines with it and with the shipped checkpoint, and evaluates the
// shipped checkpoint beside the retrieval baseline — all through the CLI's own code.
import { initBackend } from '@seqgen/core';
import { runDemo } from './demo-run.js';

await initBackend();
await runDemo({
  minutes: Number(process.env.DEMO_MINUTES ?? 1.5),
  ...(process.env.GAMES_ROOT ? { gamesRoot: process.env.GAMES_ROOT } : {}),
});
