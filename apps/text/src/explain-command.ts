import { addCommonOptions, integerOption, numberOption, Output, startBackend } from '@seqgen/app-kit';
import type { Command } from 'commander';
import { PRETRAINED_CHECKPOINT } from './eval.js';
import { explainCheckpoint } from './explain.js';

/** Adds `explain`: neuron search, ablation and the HTML explorer for a character checkpoint. */
export function registerExplain(program: Command, name: string): void {
  addCommonOptions(
    program
      .command('explain')
      .description(
        'find units that track text features (quotes, line position, brackets, words, vowels) on held-out text, ' +
          'ablate them, and write an HTML explorer and a PNG',
      )
      .option(
        '--checkpoint <dir>',
        'character-level checkpoint (default: the shipped pretrained model)',
        PRETRAINED_CHECKPOINT,
      )
      .option('--corpus <path>', 'text file or folder; its held-out last 10% is explained (default: Moby-Dick)')
      .option('--chars <n>', 'held-out characters to trace and search', integerOption(2, 200_000), 4000)
      .option('--explorer-chars <n>', 'characters shown in the explorer page', integerOption(1, 20_000), 600)
      .option('--top <n>', 'units listed per feature', integerOption(1, 50), 3)
      .option(
        '--max-corpus-mb <n>',
        'most MiB of text the corpus may hold',
        numberOption(0, Number.POSITIVE_INFINITY, { openMin: true }),
      ),
    { seed: false, out: { description: 'folder for explorer.html, units.png (default: runs/explain)' } },
  ).action(async (flags) => {
    const output = new Output({ name, json: flags.json, quiet: flags.quiet });
    await startBackend(flags);
    const report = await explainCheckpoint({ ...flags, out: flags.out ?? 'runs/explain' });
    output.info(`${report.characters} held-out characters of ${report.corpus}; checkpoint ${report.checkpoint}`);
    for (const [feature, units] of Object.entries(report.features)) {
      for (const u of units) {
        output.result(
          `${feature.padEnd(16)} ${u.unit.padEnd(10)} r ${signed(u.correlation, 3)} | zeroed: loss where it holds ` +
            `${signed(u.delta_holds, 4)} nats (of ${u.loss_holds.toFixed(3)}), elsewhere ${signed(u.delta_elsewhere, 4)}`,
        );
      }
    }
    if (report.constant_features.length > 0) {
      output.info(`not searched (one value all along this text): ${report.constant_features.join(', ')}`);
    }
    for (const g of report.gate_saturation) {
      output.result(`gate ${g.gate} of layer ${g.layer}: < 0.1 ${pct(g.left)} of the time, > 0.9 ${pct(g.right)}`);
    }
    output.result(`explorer: ${report.explorer}  png: ${report.png}`);
    output.printJson({ ...report });
  });
}

function signed(v: number, digits: number): string {
  return `${v >= 0 ? '+' : ''}${v.toFixed(digits)}`;
}

function pct(v: number): string {
  return `${(100 * v).toFixed(1)}%`;
}
