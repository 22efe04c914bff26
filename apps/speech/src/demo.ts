// `pnpm --filter @seqgen/app-speech demo`: speaks 210 Moby-Dick sentences with espeak-ng, trains a small
// Tacotron for DEMO_MINUTES (default 1.5), speaks with it and with the shipped checkpoint, and evaluates the
// shipped checkpoint on three held-out sentences — all through the CLI's own code.
import { initBackend } from '@seqgen/core';
import { runDemo } from './demo-run.js';

await initBackend();
await runDemo({ minutes: Number(process.env.DEMO_MINUTES ?? 1.5) });
