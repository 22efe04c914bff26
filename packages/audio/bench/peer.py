"""The peer of bench/features.ts: the same log-mel and fast Griffin-Lim
computations written with numpy/scipy (vectorised over frames, librosa's
algorithm), timed on the same WAV. Prints one JSON line.

    python3 bench/peer.py <wav> <repeats>
"""

import json
import sys
import time

import numpy as np
import scipy.io.wavfile
import scipy.signal

N_FFT, HOP, N_MELS, F_MAX, ITERATIONS, MOMENTUM = 1024, 256, 80, 8000.0, 32, 0.99


def mel_filterbank(sr):
    def hz_to_mel(f):
        f = np.asarray(f, dtype=np.float64)
        return np.where(f >= 1000, 15 + np.log(np.maximum(f, 1e-300) / 1000) / (np.log(6.4) / 27), f * 3 / 200)

    def mel_to_hz(m):
        return np.where(m >= 15, 1000 * np.exp(np.log(6.4) / 27 * (m - 15)), m * 200 / 3)

    freqs = np.linspace(0, sr / 2, 1 + N_FFT // 2)
    edges = mel_to_hz(np.linspace(hz_to_mel(0), hz_to_mel(F_MAX), N_MELS + 2))
    ramps = edges[:, None] - freqs[None, :]
    fdiff = np.diff(edges)
    weights = np.maximum(0, np.minimum(-ramps[:-2] / fdiff[:-1, None], ramps[2:] / fdiff[1:, None]))
    return weights * (2.0 / (edges[2:] - edges[:-2]))[:, None]


WINDOW = scipy.signal.get_window("hann", N_FFT)


def stft(x):
    padded = np.pad(x, N_FFT // 2)
    frames = np.lib.stride_tricks.sliding_window_view(padded, N_FFT)[::HOP]
    return np.fft.rfft(frames * WINDOW, axis=1)


def istft(spec, length):
    frames = np.fft.irfft(spec, n=N_FFT, axis=1) * WINDOW
    count = frames.shape[0]
    total = N_FFT + HOP * (count - 1)
    y = np.zeros(total)
    norm = np.zeros(total)
    for j in range(N_FFT // HOP):  # overlap-add in N_FFT/HOP strided slices
        block = frames[:, j * HOP : (j + 1) * HOP].reshape(-1)
        y[j * HOP : j * HOP + count * HOP] += block
        norm[j * HOP : j * HOP + count * HOP] += np.tile(WINDOW[j * HOP : (j + 1) * HOP] ** 2, count)
    nz = norm > 1e-10
    y[nz] /= norm[nz]
    return y[N_FFT // 2 : N_FFT // 2 + length]


def log_mel(x, fb):
    return np.log(np.maximum(np.abs(stft(x)) @ fb.T, 1e-5))


def griffin_lim(magnitude, length, rng):
    angles = np.exp(2j * np.pi * rng.random(magnitude.shape))
    rebuilt = np.zeros_like(angles)
    for _ in range(ITERATIONS):
        previous = rebuilt
        rebuilt = stft(istft(magnitude * angles, length))
        angles = rebuilt - (MOMENTUM / (1 + MOMENTUM)) * previous
        angles /= np.abs(angles) + 1e-16
    return istft(magnitude * angles, length)


def timed(fn, min_seconds=1.0):
    """Seconds per call, wall clock and process CPU time (all threads)."""
    fn()  # warm-up
    runs, start, cpu_start = 0, time.perf_counter(), time.process_time()
    while True:
        fn()
        runs += 1
        elapsed = time.perf_counter() - start
        if elapsed >= min_seconds:
            return elapsed / runs, (time.process_time() - cpu_start) / runs


def main():
    sr, pcm = scipy.io.wavfile.read(sys.argv[1])
    x = np.tile(pcm.astype(np.float64) / 32768.0, int(sys.argv[2]))
    fb = mel_filterbank(sr)
    frames = 1 + len(x) // HOP
    wall_log_mel, cpu_log_mel = timed(lambda: log_mel(x, fb))
    magnitude = np.abs(stft(x))
    wall_gl, cpu_gl = timed(lambda: griffin_lim(magnitude, len(x), np.random.default_rng(0)), 2.0)
    seconds = len(x) / sr
    print(
        json.dumps(
            {
                "numpy": np.__version__,
                "scipy": scipy.__version__,
                "frames": frames,
                "seconds": seconds,
                "logMelFramesPerSecond": frames / wall_log_mel,
                "logMelFramesPerCpuSecond": frames / cpu_log_mel,
                "griffinLimAudioSecondsPerSecond": seconds / wall_gl,
                "griffinLimAudioSecondsPerCpuSecond": seconds / cpu_gl,
            }
        )
    )


if __name__ == "__main__":
    main()
