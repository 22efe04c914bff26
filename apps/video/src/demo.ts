// `pnpm --filter @seqgen/app-video demo`: trains a small ConvLSTM forecaster for DEMO_MINUTES (default 1.5),
// predicts a held-out Moving MNIST clip with it and with the shipped checkpoint (GIFs), classifies and
// summarizes clips with the shipped classifier, and scores the shipped forecaster — through the CLI's own code.
import { initBackend } from '@seqgen/core';
import { runDemo } from './demo-run.js';

await initBackend();
await runDemo({ minutes: Number(process.env.DEMO_MINUTES ?? 1.5) });
