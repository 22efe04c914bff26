"""Reference values for @seqgen/audio's agreement tests, from textbook formulas
in numpy/scipy (librosa's definitions, written out; librosa itself is not
installable here). Run once to regenerate the fixture:

    python3 packages/audio/scripts/reference.py

Reads src/test-fixtures/speech.wav (espeak-ng, 22050 Hz 16-bit mono) with
scipy's own WAV reader and writes src/test-fixtures/reference.json. CI only
reads the JSON.
"""

import json
import pathlib

import numpy as np
import scipy
import scipy.fft
import scipy.io.wavfile
import scipy.signal

HERE = pathlib.Path(__file__).resolve().parent.parent / "src" / "test-fixtures"
SR_EXPECTED = 22050
N_FFT, HOP, N_MELS, F_MAX, N_MFCC = 1024, 256, 80, 8000.0, 20
FRAMES = [10, 40, 70]


def hz_to_mel(f, scale):
    f = np.asarray(f, dtype=np.float64)
    if scale == "htk":
        return 2595.0 * np.log10(1.0 + f / 700.0)
    f_sp, min_log_hz = 200.0 / 3, 1000.0
    min_log_mel, logstep = min_log_hz / f_sp, np.log(6.4) / 27.0
    return np.where(f >= min_log_hz, min_log_mel + np.log(np.maximum(f, 1e-300) / min_log_hz) / logstep, f / f_sp)


def mel_to_hz(m, scale):
    m = np.asarray(m, dtype=np.float64)
    if scale == "htk":
        return 700.0 * (10.0 ** (m / 2595.0) - 1.0)
    f_sp, min_log_hz = 200.0 / 3, 1000.0
    min_log_mel, logstep = min_log_hz / f_sp, np.log(6.4) / 27.0
    return np.where(m >= min_log_mel, min_log_hz * np.exp(logstep * (m - min_log_mel)), f_sp * m)


def mel_filterbank(sr, n_fft, n_mels, fmin, fmax, scale, norm):
    fft_freqs = np.linspace(0, sr / 2, 1 + n_fft // 2)
    edges = mel_to_hz(np.linspace(hz_to_mel(fmin, scale), hz_to_mel(fmax, scale), n_mels + 2), scale)
    fdiff = np.diff(edges)
    ramps = edges[:, None] - fft_freqs[None, :]
    lower = -ramps[:-2] / fdiff[:-1, None]
    upper = ramps[2:] / fdiff[1:, None]
    weights = np.maximum(0, np.minimum(lower, upper))
    if norm == "slaney":
        weights *= (2.0 / (edges[2:] - edges[:-2]))[:, None]
    return weights


def stft_magnitude(x):
    # scipy pads nperseg/2 zeros at each end (boundary='zeros'), as librosa's
    # center=True with pad_mode='constant'; undo its 1/sum(window) scaling.
    window = scipy.signal.get_window("hann", N_FFT)
    _, _, z = scipy.signal.stft(
        x, window=window, nperseg=N_FFT, noverlap=N_FFT - HOP, boundary="zeros", padded=False, detrend=False
    )
    return np.abs(z * window.sum()).T  # frames x bins


def power_to_db(s, top_db=80.0, amin=1e-10):
    db = 10.0 * np.log10(np.maximum(amin, s))
    return np.maximum(db, db.max() - top_db)


def rounded(a):
    return [float(f"{v:.7g}") for v in np.asarray(a, dtype=np.float64).ravel()]


def main():
    sr, pcm = scipy.io.wavfile.read(HERE / "speech.wav")
    assert sr == SR_EXPECTED and pcm.dtype == np.int16
    x = pcm.astype(np.float64) / 32768.0
    mag = stft_magnitude(x)
    banks = {
        scale: mel_filterbank(sr, N_FFT, N_MELS, 0.0, F_MAX, scale, norm)
        for scale, norm in (("slaney", "slaney"), ("htk", "none"))
    }
    mel_power = mag**2 @ banks["slaney"].T
    mel_magnitude = mag @ banks["slaney"].T
    db = power_to_db(mel_power)
    mfcc = scipy.fft.dct(db, type=2, norm="ortho", axis=1)[:, :N_MFCC]
    log_mel = np.log(np.maximum(mel_magnitude, 1e-5))
    resampled = scipy.signal.resample_poly(x, 320, 441, window=("kaiser", 12.0))  # 22050 -> 16000
    every8 = list(range(0, mag.shape[0], 8))
    out = {
        "source": "scripts/reference.py with numpy %s, scipy %s" % (np.__version__, scipy.__version__),
        "sampleRate": sr,
        "samples": len(x),
        "head": rounded(x[:16]),
        "nFft": N_FFT,
        "hopLength": HOP,
        "nMels": N_MELS,
        "fMax": F_MAX,
        "frames": mag.shape[0],
        "stftFrames": FRAMES,
        "stftMagnitude": [rounded(mag[t]) for t in FRAMES],
        "filterRows": [0, 5, 40, 79],
        "slaneyRows": [rounded(banks["slaney"][r]) for r in (0, 5, 40, 79)],
        "htkRows": [rounded(banks["htk"][r]) for r in (0, 5, 40, 79)],
        "everyEighthFrame": every8,
        "melDb": [rounded(db[t]) for t in every8],
        "logMel": [rounded(log_mel[t]) for t in every8],
        "nMfcc": N_MFCC,
        "mfcc": rounded(mfcc),
        "resampled16k": {"start": 8000, "values": rounded(resampled[8000:10000]), "length": len(resampled)},
    }
    (HERE / "reference.json").write_text(json.dumps(out) + "\n")
    print("wrote", HERE / "reference.json", mag.shape)


if __name__ == "__main__":
    main()
