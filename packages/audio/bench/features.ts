// `pnpm --filter @seqgen/audio bench`: log-mel frames per second and Griffin-Lim
// seconds of audio per second of compute (nFft 1024, hop 256, 80 mels, 32
// iterations, 22050 Hz) on ~10 s of espeak-ng speech, beside the same
// computation in numpy/scipy (bench/peer.py) measured in the same run when
// python3 with numpy and scipy is installed. Ratios are ours / peer's. CPU
// seconds (all threads of the process) are printed beside wall-clock seconds:
// on a machine shared with other work they are the steadier comparison.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { griffinLim, logMelSpectrogram, readWav, stft } from '../src/index.js';

const wavPath = fileURLToPath(new URL('../src/test-fixtures/speech.wav', import.meta.url));
const repeats = 5;
const features = { sampleRate: 22050, nFft: 1024, hopLength: 256, nMels: 80, fMax: 8000 };

/** Seconds per call of `fn`, by the wall clock and by this process's CPU time. */
function timed(fn: () => unknown, minSeconds: number): { wall: number; cpu: number } {
  fn(); // warm-up (JIT)
  let runs = 0;
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  for (;;) {
    fn();
    runs++;
    const elapsed = (performance.now() - start) / 1000;
    if (elapsed >= minSeconds) {
      const cpu = process.cpuUsage(cpuStart);
      return { wall: elapsed / runs, cpu: (cpu.user + cpu.system) / 1e6 / runs };
    }
  }
}

const speech = readWav(readFileSync(wavPath)).channels[0]!;
const x = new Float32Array(speech.length * repeats);
for (let r = 0; r < repeats; r++) x.set(speech, r * speech.length);
const seconds = x.length / features.sampleRate;
const frames = 1 + Math.floor(x.length / features.hopLength);

const perLogMel = timed(() => logMelSpectrogram(x, features), 1);
const spec = stft(x, features);
const magnitude = { data: new Float32Array(spec.real.length), rows: spec.frames, cols: spec.bins };
for (let i = 0; i < magnitude.data.length; i++) magnitude.data[i] = Math.hypot(spec.real[i]!, spec.imag[i]!);
const perGriffinLim = timed(() => griffinLim(magnitude, { hopLength: 256, iterations: 32, length: x.length }), 2);

const ours = {
  logMelFramesPerSecond: frames / perLogMel.wall,
  logMelFramesPerCpuSecond: frames / perLogMel.cpu,
  griffinLimAudioSecondsPerSecond: seconds / perGriffinLim.wall,
  griffinLimAudioSecondsPerCpuSecond: seconds / perGriffinLim.cpu,
};

type Peer = typeof ours & { numpy: string; scipy: string };
let peer: Peer | undefined;
let peerNote = '';
try {
  const env = { ...process.env };
  // Debian's OpenBLAS runs slower on AVX-512 with these set (see ../shared/DESIGN.md).
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  const script = fileURLToPath(new URL('peer.py', import.meta.url));
  peer = JSON.parse(execFileSync('python3', [script, wavPath, String(repeats)], { env, encoding: 'utf8' })) as Peer;
} catch (error) {
  peerNote = `peer not run (python3 with numpy and scipy needed): ${(error as Error).message.split('\n')[0]}`;
}

const fmt = (v: number, digits = 1) => v.toFixed(digits);
console.log(`@seqgen/audio on ${seconds.toFixed(1)} s of espeak-ng speech at 22050 Hz (nFft 1024, hop 256, 80 mels)`);
console.log('| measure | @seqgen/audio | numpy/scipy | ratio |');
console.log('| --- | ---: | ---: | ---: |');
const rows: [string, keyof typeof ours][] = [
  ['log-mel frames / s (wall clock)', 'logMelFramesPerSecond'],
  ['log-mel frames / CPU s', 'logMelFramesPerCpuSecond'],
  ['Griffin-Lim (32 it., momentum 0.99) audio s / s (wall clock)', 'griffinLimAudioSecondsPerSecond'],
  ['Griffin-Lim audio s / CPU s', 'griffinLimAudioSecondsPerCpuSecond'],
];
for (const [label, key] of rows) {
  const theirs = peer?.[key];
  console.log(
    `| ${label} | ${fmt(ours[key])} | ${theirs === undefined ? '—' : fmt(theirs)} | ${theirs === undefined ? '—' : `${fmt(ours[key] / theirs, 2)}×`} |`,
  );
}
if (peer) console.log(`peer: numpy ${peer.numpy}, scipy ${peer.scipy}, same process tree, same run`);
else console.log(peerNote);
