import { NO_CHORD_ID, PerformanceEncoding, registerMidiCodecs, soundingReleasesProcessor } from '@seqgen/midi';
import { ConditionedLanguageModel, ScheduledConditionModel } from '@seqgen/models';
import { stream } from '@seqgen/samplers';
import type { MusicSettings, PlayedNote } from '../protocol.js';
import { loadOncePerUrl } from './load-once.js';

/** A music model with the event encoding its ids belong to. */
type MusicModel = { model: ConditionedLanguageModel; encoding: PerformanceEncoding };

/** Magenta's performance generator caps notes at 5 s: a release the model forgets ends the note there. */
const MAX_NOTE_SECONDS = 5;

/** Loads a music checkpoint by URL once per worker (a failed load is forgotten, so a retry loads again). */
const musicModelAt = loadOncePerUrl((url) => {
  registerMidiCodecs();
  return ConditionedLanguageModel.load(url).then(({ model, preprocessors }): MusicModel => {
    const events = preprocessors.events;
    if (events?.type !== 'midi-performance' || preprocessors.chords?.type !== 'midi-chords') {
      model.dispose();
      throw new Error(`checkpoint ${url} is not a seqgen-music model (no performance-event and chord codecs)`);
    }
    // Rebuilt from its JSON so that it is this bundle's class whichever copy the registry built.
    return { model, encoding: PerformanceEncoding.fromJSON(events.toJSON()) };
  });
});

/**
 * Samples `settings.seconds` of music from silence with no chords (N.C.), as the music app's
 * `generate` does without `--chords`, and returns its notes; Stop (`signal`) ends it early.
 */
export async function composeMusic(
  settings: MusicSettings,
  signal: AbortSignal,
): Promise<{ notes: PlayedNote[]; seconds: number }> {
  const { model, encoding } = await musicModelAt(settings.url);
  const advance = (t: number, id: number) => {
    const event = encoding.event(id);
    return event.type === 'time-shift' ? t + event.steps / encoding.stepsPerSecond : t;
  };
  const scheduled = new ScheduledConditionModel(model, { advance, conditionAt: () => NO_CHORD_ID });
  // Most training pieces start with a velocity event.
  const prompt = [encoding.id({ type: 'velocity', bin: encoding.velocityToBin(80) })];
  const events = [...prompt];
  let clock = 0;
  // ~40 events a second; the bound only stops a model that never moves time on.
  const maxNewTokens = Math.ceil(settings.seconds * 400) + 16;
  // As the music app's `generate` does by default: only sounding pitches can be released.
  const tokens = stream(
    scheduled,
    prompt,
    { maxNewTokens, temperature: settings.temperature, seed: settings.seed },
    { logitsProcessors: [soundingReleasesProcessor(encoding)] },
  );
  for await (const { token } of tokens) {
    events.push(token);
    clock = advance(clock, token);
    if (clock >= settings.seconds) break;
    if (events.length % 32 === 0) await new Promise((resolve) => setTimeout(resolve, 0));
    if (signal.aborted) break;
  }
  const end = Math.min(clock, settings.seconds);
  const notes = encoding
    .decode(events, { maxNoteSeconds: MAX_NOTE_SECONDS })
    .notes.filter((n) => n.start < end)
    .map((n) => ({ pitch: n.pitch, velocity: n.velocity, start: n.start, end: Math.min(n.end, end) }));
  return { notes, seconds: end };
}
