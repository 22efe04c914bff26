import { join } from 'node:path';
import { InputError } from '@seqgen/app-kit';
import { rankUnits, traceConditionedLanguageModel, type UnitCorrelation, unitName } from '@seqgen/interpret';
import { DEFAULT_QPM, type NoteSequence, performanceEventTimes, readMidiFile } from '@seqgen/midi';
import { loadMusicModel, PRETRAINED_CHECKPOINT } from './checkpoint.js';
import { encodePiece } from './event-data.js';
import { OPENMSX_DIR } from './pieces.js';

/** What `explain` takes. */
export type ExplainOptions = {
  checkpoint?: string;
  /** The piece to read (default: the checkpoint's first held-out piece). */
  piece?: string;
  /** Events of the piece traced, from its start. */
  events: number;
  /** Units listed per feature. */
  top: number;
};

/** Units found for one feature. */
export type FeatureUnits = { feature: string; description: string; units: Array<UnitCorrelation & { name: string }> };

/** What `explain` reports. */
export type ExplainReport = { checkpoint: string; piece: string; events: number; features: FeatureUnits[] };

/**
 * `explain`: runs the model over a piece with its cells traced and searches
 * its units for two musical features (Karpathy et al.'s neuron search, with
 * `@seqgen/interpret`): where the event falls in the beat (the cosine of the
 * beat phase at the piece's first tempo) and how many notes are sounding.
 */
export async function explainPiece(o: ExplainOptions): Promise<ExplainReport> {
  const checkpoint = o.checkpoint ?? PRETRAINED_CHECKPOINT;
  const loaded = await loadMusicModel(checkpoint);
  try {
    const first = loaded.metadata.heldOut?.[0];
    const path = o.piece ?? (first ? join(loaded.metadata.midi ?? OPENMSX_DIR, first) : undefined);
    if (!path) throw new InputError('explain needs --piece FILE.mid (the checkpoint names no held-out piece)');
    const sequence: NoteSequence = readMidiFile(path);
    const encoded = encodePiece(sequence, loaded.codecs);
    const events = encoded.events.slice(0, o.events);
    if (events.length < 8) throw new InputError(`${path}: only ${events.length} events to trace (8 at least)`, path);
    // The id read with event t is that of event t + 1 under conditionOn 'next' (the last one holds).
    const chords = encoded.chords.slice(0, events.length + 1);
    const read =
      loaded.model.config.conditionOn === 'next'
        ? events.map((_, t) => chords[Math.min(t + 1, chords.length - 1)] as number)
        : chords.slice(0, events.length);
    const trace = traceConditionedLanguageModel(loaded.model, events, read);
    const qpm = sequence.tempos[0]?.qpm ?? DEFAULT_QPM;
    const beatPhase = performanceEventTimes(loaded.codecs.events, events).map((t) =>
      Math.cos(2 * Math.PI * ((t * qpm) / 60)),
    );
    const sounding: number[] = [];
    let open = 0;
    for (const id of events) {
      const e = loaded.codecs.events.event(id);
      if (e.type === 'note-on') open++;
      else if (e.type === 'note-off') open = Math.max(0, open - 1);
      sounding.push(open);
    }
    const search = (feature: string, description: string, values: number[]): FeatureUnits => ({
      feature,
      description,
      units: rankUnits(trace, values, { top: o.top }).map((u) => ({ ...u, name: unitName(u) })),
    });
    return {
      checkpoint,
      piece: path,
      events: events.length,
      features: [
        search('beat_phase', `cos(2π · beats) at ${qpm.toFixed(0)} qpm: 1 on the beat, −1 half-way`, beatPhase),
        search('notes_sounding', 'notes sounding after the event', sounding),
      ],
    };
  } finally {
    loaded.model.dispose();
  }
}
