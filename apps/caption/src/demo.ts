// `pnpm --filter @seqgen/app-caption demo`: trains a small attention captioner for DEMO_MINUTES (default 1.5),
// captions test scenes with it and with the shipped checkpoint (attention overlays per word), and prints the
// shipped checkpoint's eval figure beside the baselines — all through the CLI's own code.
import { initBackend } from '@seqgen/core';
import { runDemo } from './demo-run.js';

await initBackend();
await runDemo({ minutes: Number(process.env.DEMO_MINUTES ?? 1.5), out: 'runs/demo' });
