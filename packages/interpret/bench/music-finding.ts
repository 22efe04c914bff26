// A finding on a trained chord-conditioned music model (apps/music's
// checkpoint): trace it over a held-out openMSX piece, rank its units by
// musical features of the same events, and attribute one prediction to the
// chords with integrated gradients.
// Run: npx tsx bench/music-finding.ts <checkpoint> <piece.mid> [--events 2000]
import { basename } from 'node:path';
import { initBackend } from '@seqgen/core';
import {
  ChordEncoding,
  chordTimeline,
  chordTrack,
  DEFAULT_QPM,
  eventChords,
  type PerformanceEncoding,
  quantizeNoteSequence,
  readMidiFile,
  registerMidiCodecs,
} from '@seqgen/midi';
import { ConditionedLanguageModel } from '@seqgen/models';
import {
  conditionedAblationEffect,
  conditionedIntegratedGradients,
  gateSaturation,
  MUSIC_FEATURE_NAMES,
  musicFeatures,
  rankUnits,
  traceConditionedLanguageModel,
  unitName,
} from '../src/index.js';

const [checkpoint, piece] = process.argv
  .slice(2)
  .filter((a, i, all) => !a.startsWith('--') && !all[i - 1]?.startsWith('--'));
if (!checkpoint || !piece) throw new Error('usage: music-finding.ts <checkpoint> <piece.mid> [--events N]');
const at = process.argv.indexOf('--events');
const limit = at >= 0 ? Number(process.argv[at + 1]) : 2000;

await initBackend();
registerMidiCodecs();
const { model, preprocessors } = await ConditionedLanguageModel.load(checkpoint);
const events = preprocessors.events as PerformanceEncoding;
const chords = preprocessors.chords as ChordEncoding;
if (!(chords instanceof ChordEncoding)) throw new Error('the checkpoint has no `chords` codec');

// The piece as the model reads it: performance events, and the chord sounding at each event.
const sequence = readMidiFile(piece);
const ids = events.encode(sequence).slice(0, limit);
const quantized = quantizeNoteSequence(sequence);
const timeline = chordTimeline(quantized, chordTrack(quantized, { qualities: chords.qualities }));
const chordIds = chords.encode(eventChords(events, ids, timeline));
// conditionOn 'next': the chord read with event t is that of event t + 1 (the last holds).
const conditions =
  model.config.conditionOn === 'next'
    ? chordIds.map((_, t) => chordIds[Math.min(t + 1, chordIds.length - 1)] as number)
    : chordIds;

const start = process.cpuUsage();
const trace = traceConditionedLanguageModel(model, ids, conditions);
const nll = -trace.nextTokenLogProbs.reduce((a, b) => a + b, 0) / trace.nextTokenLogProbs.length;
const qpm = sequence.tempos[0]?.qpm ?? DEFAULT_QPM;
console.log(`${basename(piece)}: ${ids.length} events, qpm ${qpm.toFixed(1)}, ${nll.toFixed(3)} nats/event`);
const names = ids.map((id) => events.tokenName(id));
const features = musicFeatures(names, { stepsPerSecond: events.stepsPerSecond, qpm });
for (const name of MUSIC_FEATURE_NAMES) {
  const [best, second] = rankUnits(trace, features[name], { top: 2 });
  if (!best || !second) continue;
  console.log(
    `  ${name.padEnd(17)} ${unitName(best)} r ${best.correlation.toFixed(3)}   ${unitName(second)} r ${second.correlation.toFixed(3)}`,
  );
}
const signed = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(4)}`;
// Is the polyphony unit needed? Zero it and score the predictions of note-offs (which need the open notes) apart.
const [counter] = rankUnits(trace, features['notes-sounding'], { top: 1 });
if (counter) {
  const beforeNoteOff = names.map((_, t) => (names[t + 1]?.startsWith('note-off') ? 1 : 0));
  const effect = conditionedAblationEffect(
    model,
    ids,
    conditions,
    { layer: counter.layer, units: [counter.unit] },
    beforeNoteOff,
  );
  console.log(
    `  zeroing ${unitName(counter)}: loss before a note-off ${effect.lossHolds.toFixed(3)} ${signed(effect.deltaHolds)} nats (${effect.positionsHolds} events), elsewhere ${effect.lossElsewhere.toFixed(3)} ${signed(effect.deltaElsewhere)}`,
  );
}
for (const g of gateSaturation(trace)) {
  console.log(
    `  gate ${g.gate}: left-saturated ${(g.meanLeft * 100).toFixed(1)}%, right ${(g.meanRight * 100).toFixed(1)}%`,
  );
}
// Which chords made the model expect the note-on after a chord change?
let change = 1;
while (
  change < ids.length - 1 &&
  (conditions[change] === conditions[change - 1] || !names[change + 1]?.startsWith('note-on'))
)
  change++;
const ig = conditionedIntegratedGradients(
  model,
  ids,
  conditions,
  { position: change },
  { over: 'conditions', steps: 32 },
);
const top = Array.from(ig.attributions)
  .map((a, t) => ({ t, a }))
  .sort((x, y) => Math.abs(y.a) - Math.abs(x.a))
  .slice(0, 5);
console.log(
  `  chords → ${names[change + 1]} at event ${change + 1} (chord ${chords.tokenName(conditions[change] as number)}): log p ${ig.output.toFixed(3)}, with no chords ${ig.baselineOutput.toFixed(3)}, completeness gap ${ig.completenessGap.toExponential(1)}`,
);
console.log(
  `    strongest: ${top.map(({ t, a }) => `event ${t} (${chords.tokenName(conditions[t] as number)}) ${a.toFixed(3)}`).join(', ')}`,
);
const used = process.cpuUsage(start);
console.log(`  ${((used.user + used.system) / 1e6).toFixed(1)} CPU-s`);
model.dispose();
