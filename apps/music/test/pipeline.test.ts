import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '@seqgen/core';
import { parseKey, readMidiFile, scalePitchClasses, writeMidi } from '@seqgen/midi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMusicModel } from '../src/checkpoint.js';
import { compose } from '../src/compose.js';
import { train } from '../src/train.js';
import { haveOpenmsx, OPENMSX, runInProcess, smallMidiFolder } from './run-cli.js';

const data = haveOpenmsx();
let dir: string;
let midi: string;
let run: string;
const quiet = { info: () => {}, result: () => {} };

// One tiny model trained for three steps on four real openmsx pieces, shared by every test below: they check
// the pipeline and its contracts, not musical quality (pretrained.test.ts checks that).
beforeAll(async () => {
  await initBackend();
  dir = mkdtempSync(join(tmpdir(), 'seqgen-app-music-'));
  if (!data) return;
  midi = smallMidiFolder(join(dir, 'midi'));
  run = join(dir, 'run');
  await train({
    midi,
    out: run,
    cell: 'lstm',
    layers: 1,
    hidden: 16,
    embedding: 8,
    chordEmbedding: 4,
    dropout: 0,
    steps: 3,
    batch: 4,
    seqLen: 16,
    lr: 0.01,
    seed: 1,
    transpose: 1,
    stretch: 0.05,
    noChordShare: 0.2,
    quiet: true,
    output: quiet,
  });
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!data)('seqgen-music pipeline', () => {
  it('train publishes a chord-conditioned checkpoint with its split, log and loss curve', async () => {
    expect(readdirSync(run)).toEqual(
      expect.arrayContaining(['checkpoint.json', 'run.json', 'train-log.jsonl', 'loss.svg']),
    );
    expect(readdirSync(run)).not.toContain('last');
    const loaded = await loadMusicModel(run);
    try {
      expect(loaded.metadata.heldOut).toEqual(['ultimate_run.mid']);
      expect(loaded.metadata.train).toEqual(['5432gone_redfarn.mid', 'coconut_run2.mid']);
      expect(loaded.model.config).toMatchObject({
        type: 'conditioned-lm',
        vocabSize: 388,
        conditionVocabSize: 85,
        conditionOn: 'next',
      });
      expect(loaded.metadata.validNllPerEvent).toBeGreaterThan(0);
    } finally {
      loaded.model.dispose();
    }
  });

  it('generate keeps every onset in the key and range, writes .mid + .png, and says why there is no WAV', async () => {
    const out = join(dir, 'keyed.mid');
    const r = await runInProcess([
      'generate',
      '--checkpoint',
      run,
      '--chords',
      'Am F C G',
      '--key',
      'A minor',
      '--pitch-range',
      '50-80',
      '--seconds',
      '4',
      '--seed',
      '3',
      '--out',
      out,
      '--fluidsynth',
      join(dir, 'no-fluidsynth'),
      '--json',
    ]);
    expect(r.stderr).toMatch(/no WAV written: .*no-fluidsynth not found \(install Debian fluidsynth/);
    expect(r.status).toBe(0);
    const json = JSON.parse(r.stdout.trim().split('\n').pop() as string);
    expect(json.in_key_ratio).toBe(1);
    expect(json.music_seconds).toBeCloseTo(4, 1);
    expect(existsSync(join(dir, 'keyed.wav'))).toBe(false);
    const png = readFileSync(join(dir, 'keyed.png'));
    expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
    const written = readMidiFile(out);
    const scale = new Set(scalePitchClasses(parseKey('A minor')));
    expect(written.notes.length).toBeGreaterThan(0);
    for (const n of written.notes) {
      expect(scale.has(n.pitch % 12)).toBe(true);
      expect(n.pitch).toBeGreaterThanOrEqual(50);
      expect(n.pitch).toBeLessThanOrEqual(80);
    }
    // The progression is written into the file as chord markers, a bar (2 s at 120 qpm) each.
    expect(written.chords.map((c) => c.time)).toEqual([0, 2]);
  });

  it('continues a primer (the first 4 s of a real piece)', async () => {
    const out = join(dir, 'continued.mid');
    const piece = readMidiFile(join(OPENMSX, 'coconut_run2.mid'));
    const primerFile = join(dir, 'primer.mid');
    const cut = piece.notes.filter((n) => n.start < 4 && !n.isDrum).map((n) => ({ ...n, end: Math.min(n.end, 4) }));
    writeFileSync(primerFile, writeMidi({ ...piece, notes: cut, chords: [], totalTime: 4 }));
    const r = await runInProcess([
      'generate',
      '--checkpoint',
      run,
      '--primer',
      primerFile,
      '--seconds',
      '1',
      '--seed',
      '1',
      '--out',
      out,
      '--quiet',
      '--no-wav',
    ]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const primer = readMidiFile(primerFile);
    const written = readMidiFile(out);
    expect(written.totalTime).toBeCloseTo(primer.totalTime + 1, 1);
    expect(written.notes.length).toBeGreaterThanOrEqual(primer.notes.filter((n) => !n.isDrum).length);
    expect(existsSync(join(dir, 'continued.wav'))).toBe(false);
  });

  it('renders the WAV with fluidsynth and the General MIDI sound font', async () => {
    const out = join(dir, 'heard.mid');
    const r = await runInProcess([
      'generate',
      '--checkpoint',
      run,
      '--seconds',
      '1',
      '--seed',
      '2',
      '--out',
      out,
      '--quiet',
    ]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const wav = readFileSync(join(dir, 'heard.wav'));
    expect(wav.toString('ascii', 8, 12)).toBe('WAVE');
    expect(wav.length).toBeGreaterThan(44_100 * 2); // a second of 16-bit audio at least
  }, 60_000);

  it('--density makes onsets likelier or rarer under the same seed', async () => {
    const loaded = await loadMusicModel(run);
    try {
      const base = { seconds: 3, qpm: 120, beatsPerChord: 4, temperature: 1, topP: 1, seed: 5 };
      const dense = await compose(loaded, { ...base, density: 8 });
      const sparse = await compose(loaded, { ...base, density: 0.125 });
      expect(dense.sequence.notes.length).toBeGreaterThan(sparse.sequence.notes.length);
    } finally {
      loaded.model.dispose();
    }
  });

  it('releases only sounding pitches by default; --no-sounding-releases samples releases as the model gives them', async () => {
    const loaded = await loadMusicModel(run);
    try {
      const encoding = loaded.codecs.events;
      /** Releases of pitches that were not sounding, over a composition's events. */
      const silentReleases = (events: readonly number[]) => {
        const sounding = new Map<number, number>();
        let silent = 0;
        for (const id of events) {
          const e = encoding.event(id);
          if (e.type === 'note-on') sounding.set(e.pitch, (sounding.get(e.pitch) ?? 0) + 1);
          else if (e.type === 'note-off') {
            const n = sounding.get(e.pitch) ?? 0;
            if (n > 0) sounding.set(e.pitch, n - 1);
            else silent++;
          }
        }
        return silent;
      };
      const base = { seconds: 4, qpm: 120, beatsPerChord: 4, temperature: 1.5, topP: 1, density: 1 };
      let free = 0;
      for (const seed of [1, 2, 3]) {
        const guarded = await compose(loaded, { ...base, seed });
        expect(silentReleases(guarded.events)).toBe(0);
        free += silentReleases((await compose(loaded, { ...base, seed, soundingReleases: false })).events);
      }
      // A few steps of training release silent pitches freely when nothing stops them.
      expect(free).toBeGreaterThan(0);
    } finally {
      loaded.model.dispose();
    }
  });

  it('explain --json ranks units by their correlation with the beat and the notes sounding', async () => {
    const r = await runInProcess([
      'explain',
      '--checkpoint',
      run,
      '--piece',
      join(midi, 'coconut_run2.mid'),
      '--events',
      '200',
      '--top',
      '3',
      '--json',
    ]);
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.events).toBe(200);
    expect(report.features.map((f: { feature: string }) => f.feature)).toEqual(['beat_phase', 'notes_sounding']);
    for (const f of report.features) {
      expect(f.units).toHaveLength(3);
      const sizes = f.units.map((u: { correlation: number }) => Math.abs(u.correlation));
      expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
      expect(sizes[0]).toBeLessThanOrEqual(1);
      expect(f.units[0].name).toMatch(/^L0 [ch] \d+$/);
    }
    const bad = await runInProcess(['explain', '--checkpoint', run, '--piece', join(dir, 'nope.mid')]);
    expect(bad.status).toBe(3);
    expect(bad.stderr).toMatch(/nope\.mid: cannot be opened/);
  });

  it('eval --json scores the held-out piece beside the n-gram baseline, with music statistics', async () => {
    const r = await runInProcess([
      'eval',
      '--checkpoint',
      run,
      '--midi',
      midi,
      '--samples',
      '1',
      '--sample-seconds',
      '2',
      '--baseline-order',
      '3',
      '--json',
    ]);
    expect(r.stderr).not.toMatch(/error|warning/);
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ checkpoint: run, split: 'held-out', examples: 1 });
    expect(Object.keys(report.baselines)).toEqual(['ngram_3']);
    const model = report.metrics.nll_per_event;
    const baseline = report.baselines.ngram_3.nll_per_event;
    expect(model).toBeGreaterThan(0);
    expect(baseline).toBeGreaterThan(0);
    expect(report.nll_reduction).toBeCloseTo(1 - model / baseline, 9);
    expect(report.statistics.generated_in_key.in_key_ratio).toBe(1);
    expect(report.statistics.training.pitch_class_distance).toBe(0);
    for (const s of [report.statistics.generated, report.statistics.training]) {
      expect(s.note_density).toBeGreaterThan(0);
      expect(s.in_key_ratio).toBeGreaterThan(0);
      expect(s.in_key_ratio).toBeLessThanOrEqual(1);
    }
  });
});

describe.skipIf(!data)('seqgen-music refuses bad input: one line, non-zero exit, nothing written', () => {
  const files = () => ({
    text: join(dir, 'notes.txt'),
    empty: join(dir, 'empty.mid'),
    truncated: join(dir, 'truncated.mid'),
    format2: join(dir, 'format2.mid'),
    huge: join(dir, 'huge.mid'),
  });
  beforeAll(() => {
    if (!data) return;
    const f = files();
    writeFileSync(f.text, 'not music at all\n');
    writeFileSync(f.empty, '');
    writeFileSync(f.truncated, readFileSync(join(OPENMSX, 'coconut_run2.mid')).subarray(0, 300));
    // A format-2 header (independent sequences) with one empty track.
    writeFileSync(
      f.format2,
      Buffer.from([
        0x4d, 0x54, 0x68, 0x64, 0, 0, 0, 6, 0, 2, 0, 1, 0, 96, 0x4d, 0x54, 0x72, 0x6b, 0, 0, 0, 4, 0, 0xff, 0x2f, 0,
      ]),
    );
    writeFileSync(f.huge, '');
    truncateSync(f.huge, 17 * 1024 * 1024); // sparse: over the 16 MiB limit without writing it
  });

  const refused = async (args: string[], status: number, message: RegExp) => {
    const out = join(dir, 'refused.mid');
    const r = await runInProcess([...args, '--out', out]);
    expect(r.status).toBe(status);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
    expect(existsSync(out)).toBe(false);
    expect(existsSync(join(dir, 'refused.png'))).toBe(false);
  };

  it('a primer that is not MIDI, empty, truncated, of format 2 or huge', async () => {
    const f = files();
    const gen = (primer: string) => ['generate', '--checkpoint', run, '--primer', primer, '--no-wav'];
    await refused(
      gen(f.text),
      3,
      /notes\.txt \(byte 0\): is not a Standard MIDI File \(starts with "not ", not "MThd"\)/,
    );
    await refused(gen(f.empty), 3, /empty\.mid \(byte 0\): is 0 bytes, shorter than a MIDI header/);
    await refused(gen(f.truncated), 3, /truncated\.mid \(byte \d+\): chunk "MTrk" declares \d+ bytes, only \d+ remain/);
    await refused(gen(f.format2), 3, /format2\.mid \(byte 8\): is a format-2 MIDI file/);
    await refused(gen(f.huge), 3, /huge\.mid.*over the limit/);
    await refused(gen(join(dir, 'missing.mid')), 3, /missing\.mid: cannot be opened \(ENOENT\)/);
  });

  it('an unknown chord symbol, a chord outside the vocabulary, a bad key, scale or range', async () => {
    const gen = ['generate', '--checkpoint', run, '--no-wav', '--seconds', '1'];
    await refused([...gen, '--chords', 'C H7 Am'], 2, /--chords: chord 2 of 3: chord symbol "H7" is not a chord/);
    await refused([...gen, '--chords', 'C Gsus4'], 2, /--chords: .*Gsus4.*not in this vocabulary/);
    await refused([...gen, '--key', 'X major'], 2, /--key: must be a key such as/);
    await refused([...gen, '--scale', 'C D Q'], 2, /--scale: "Q" is not a note name/);
    await refused([...gen, '--pitch-range', '90-40'], 2, /--pitch-range: expected LOW-HIGH/);
  });

  it('a checkpoint that is not a music model, and an output that exists', async () => {
    await refused(['generate', '--checkpoint', dir, '--no-wav'], 3, /checkpoint not found/);
    const out = join(dir, 'mine.mid');
    writeFileSync(out, 'mine');
    const r = await runInProcess(['generate', '--checkpoint', run, '--no-wav', '--seconds', '1', '--out', out]);
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/refusing to overwrite .*mine\.mid: it exists \(--force replaces it\)/);
    expect(readFileSync(out, 'utf8')).toBe('mine');
  });

  it('train on a folder holding a corrupt piece names it and leaves no run behind', async () => {
    const bad = smallMidiFolder(join(dir, 'bad-midi'));
    writeFileSync(join(bad, 'broken.mid'), readFileSync(join(OPENMSX, 'coconut_run2.mid')).subarray(0, 200));
    const out = join(dir, 'bad-run');
    const r = await runInProcess(['train', '--midi', bad, '--steps', '1', '--out', out, '--quiet']);
    expect(r.status).toBe(3);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/broken\.mid \(byte \d+\): chunk "MTrk" declares/);
    expect(existsSync(out)).toBe(false);
    const empty = join(dir, 'no-midi');
    const e = await runInProcess(['train', '--midi', join(dir, 'run'), '--steps', '1', '--out', out, '--quiet']);
    expect(e.status).toBe(3);
    expect(e.stderr).toMatch(/no \.mid files in the folder/);
    expect(existsSync(empty)).toBe(false);
  });
});
