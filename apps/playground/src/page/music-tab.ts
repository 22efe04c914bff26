import type { MusicSettings, PlayedNote } from '../protocol.js';
import { numberControl } from './control-values.js';
import { byId } from './dom.js';
import { showError } from './error-panel.js';
import { drawPianoRoll } from './piano-roll.js';
import { playNotes } from './synth.js';
import { pageUrl } from './text-tab.js';
import type { WorkerClient } from './worker-client.js';

/** The shipped OpenMSX chord-conditioned performance LSTM, served beside the page. */
export const MUSIC_CHECKPOINT_URL = 'checkpoints/openmsx-chord-lstm/';

function musicSettings(): MusicSettings {
  return {
    url: pageUrl(MUSIC_CHECKPOINT_URL),
    seconds: numberControl('music-seconds', { min: 1, max: 60 }),
    temperature: numberControl('music-temperature', { min: 0.05, max: 5 }),
    seed: numberControl('music-seed', { min: 0, max: 2 ** 31 - 1, integer: true }),
  };
}

/** The Music tab: samples a piece from the music checkpoint, draws its piano roll, plays it with WebAudio. */
export function setUpMusicTab(worker: WorkerClient): void {
  const generateButton = byId('music-generate', HTMLButtonElement);
  const playButton = byId('music-play', HTMLButtonElement);
  const stopButton = byId('music-stop', HTMLButtonElement);
  const status = byId('music-status', HTMLSpanElement);
  const canvas = byId('piano-roll', HTMLCanvasElement);
  let notes: PlayedNote[] = [];
  let stopPlaying: (() => void) | undefined;

  generateButton.addEventListener('click', () => {
    let settings: MusicSettings;
    try {
      settings = musicSettings();
    } catch (error) {
      showError((error as Error).message);
      return;
    }
    generateButton.disabled = true;
    playButton.disabled = true;
    status.dataset.state = 'generating';
    status.textContent = 'generating…';
    worker.submit({ type: 'compose', settings }, (reply) => {
      if (reply.type === 'composed') {
        notes = reply.notes;
        drawPianoRoll(canvas, notes, reply.seconds);
        status.textContent = `${notes.length} notes in ${reply.seconds.toFixed(1)} s`;
        status.dataset.state = 'done';
        playButton.disabled = notes.length === 0;
      } else if (reply.type === 'error') {
        showError(`Music generation: ${reply.message}`);
        status.textContent = 'failed';
        status.dataset.state = 'failed';
      }
      generateButton.disabled = false;
    });
  });

  playButton.addEventListener('click', () => {
    stopPlaying?.();
    try {
      stopPlaying = playNotes(notes);
      stopButton.disabled = false;
    } catch (error) {
      showError(`Playback: ${(error as Error).message}`);
    }
  });

  stopButton.addEventListener('click', () => {
    stopPlaying?.();
    stopPlaying = undefined;
    stopButton.disabled = true;
  });
}
