// `pnpm --filter @seqgen/app-music demo`: trains a small chord-conditioned model on the openmsx pieces for
// DEMO_MINUTES (default 1.5), generates 15 s over "C G Am F" with it and with the shipped checkpoint (.mid,
// piano roll, WAV) and evaluates the shipped checkpoint — all through the CLI's own code.
import { initBackend } from '@seqgen/core';
import { runDemo } from './demo-run.js';

await initBackend();
await runDemo({ minutes: Number(process.env.DEMO_MINUTES ?? 1.5) });
