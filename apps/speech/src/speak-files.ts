import { writeWav } from '@seqgen/audio';
import { writeBinaryFile } from './binary-output.js';
import { alignmentPng, melPng } from './pictures.js';
import { type SpeakOptions, speakText } from './speak.js';
import { loadSpeechModel } from './speech-model.js';

/** What `speak` wrote. */
export type SpokenFiles = {
  pieces: string[];
  guarded: number[];
  audioSeconds: number;
  seconds: number;
  /** Seconds of audio per second of synthesis (Griffin-Lim included), wall clock: above 1 is faster than real time. */
  realTimeFactor: number;
  /** Seconds of audio per CPU second of synthesis (Griffin-Lim included). */
  cpuRealTimeFactor: number;
  wav: string;
  melPng: string;
  alignmentPngs: string[];
};

/** `<name>.wav` → `<name><suffix>`. */
function beside(out: string, suffix: string): string {
  return `${out.replace(/\.wav$/i, '')}${suffix}`;
}

/** `speak`: loads the checkpoint, speaks `text`, writes the WAV (16-bit), the mel PNG and one alignment PNG per piece. */
export async function speakToFiles(
  o: SpeakOptions & { checkpoint: string; text: string; out: string; force?: boolean },
): Promise<SpokenFiles> {
  const sm = await loadSpeechModel(o.checkpoint);
  try {
    const speech = await speakText(sm, o.text, o);
    const melFile = beside(o.out, '.mel.png');
    const alignmentFiles = speech.alignments.map((_, i) =>
      beside(o.out, speech.alignments.length === 1 ? '.alignment.png' : `.alignment-${i + 1}.png`),
    );
    writeBinaryFile(
      o.out,
      writeWav({ sampleRate: speech.sampleRate, channels: [speech.samples] }, { encoding: 'pcm16' }),
      {
        force: o.force,
      },
    );
    writeBinaryFile(melFile, melPng(speech.mel), { force: o.force });
    speech.alignments.forEach((a, i) => {
      if (a.length > 0) writeBinaryFile(alignmentFiles[i] as string, alignmentPng(a), { force: o.force });
    });
    const audioSeconds = speech.samples.length / speech.sampleRate;
    return {
      pieces: speech.pieces,
      guarded: speech.guarded,
      audioSeconds,
      seconds: speech.seconds,
      realTimeFactor: audioSeconds / speech.seconds,
      cpuRealTimeFactor: audioSeconds / speech.cpuSeconds,
      wav: o.out,
      melPng: melFile,
      alignmentPngs: alignmentFiles,
    };
  } finally {
    sm.model.dispose();
  }
}
