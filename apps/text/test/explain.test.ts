import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const work = mkdtempSync(join(tmpdir(), 'seqgen-explain-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('seqgen-text explain on the shipped checkpoint', () => {
  it('ranks units per feature with their ablation effect and writes the explorer and a PNG', () => {
    const out = join(work, 'explain');
    const r = runCli(['explain', '--chars', '300', '--explorer-chars', '120', '--top', '1', '--out', out, '--json']);
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as {
      characters: number;
      features: Record<string, Array<{ unit: string; correlation: number; loss_holds: number; delta_holds: number }>>;
      constant_features: string[];
      gate_saturation: Array<{ gate: string; left: number; right: number }>;
    };
    expect(report.characters).toBe(300);
    // The first 300 held-out characters have no brackets: that feature is constant and not searched.
    expect(report.constant_features).toContain('bracket-depth');
    const words = report.features['inside-word'] ?? [];
    expect(words).toHaveLength(1);
    expect(words[0]?.unit).toMatch(/^L[01] [ch] \d+$/);
    expect(Math.abs(words[0]?.correlation ?? 0)).toBeGreaterThan(0.4);
    expect(words[0]?.loss_holds).toBeGreaterThan(0.5);
    // Each of the shipped model's two LSTM layers has its input, forget and output gates.
    expect(report.gate_saturation.map((g) => g.gate)).toEqual(['i', 'f', 'o', 'i', 'f', 'o']);
    const html = readFileSync(join(out, 'explorer.html'), 'utf8');
    expect(html).toContain(words[0]?.unit as string);
    const png = PNG.sync.read(readFileSync(join(out, 'units.png')));
    const searched = Object.keys(report.features).length;
    expect([png.width, png.height]).toEqual([4 * 200, 12 * searched]);
  });
});
