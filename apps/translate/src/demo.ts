// `pnpm --filter @seqgen/app-translate demo`: prepares the en→de gettext pairs of this machine, trains a small
// attention model for DEMO_MINUTES (default 1.5), translates a few sentences with it and with the shipped
// checkpoint, and scores the shipped checkpoint on its held-out test set — all through the CLI's own code.
import { initBackend } from '@seqgen/core';
import { runDemo } from './demo-run.js';

await initBackend();
await runDemo({ minutes: Number(process.env.DEMO_MINUTES ?? 1.5) });
