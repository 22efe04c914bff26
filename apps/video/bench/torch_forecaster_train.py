#!/usr/bin/env python3
"""Trains the PyTorch peer of the app's ConvLSTM forecaster (bench/torch_convlstm.py's model) for a
wall-clock budget on the same Moving MNIST stream `node dist/cli.js train --task predict` draws, the way
the app's trainer does, and scores it on the same held-out sequences `eval` scores (written by
bench/export-moving-mnist.ts). Prints one JSON line.

What is the same as the app (src/train.ts, @seqgen/app-kit's fitInRun and sizeRun, @seqgen/trainer):
  - data: the first sequences of `train --seed SEED`'s stream, in order (digit tracks rendered here, and
    the renderer checked pixel for pixel against the exported test frames first);
  - model: 4x4 space-to-depth patches, stacked ConvLSTM cells (forget bias 1), 1x1 head + sigmoid;
    frames 0-9 read, 10-18 fed back from its own predictions (gradients through them), loss = per-pixel
    MSE of frames 1-19;
  - init: input kernels Glorot-uniform over (k*k*C, 4F), recurrent kernels orthogonal over (k*k*F, 4F),
    biases 0 but the forget gate's 1, head Glorot-uniform, bias 0 (the distributions, not the values:
    the random streams differ);
  - optimizer: Adam (0.9, 0.999, eps 1e-8), global-norm clipping at 1, warmup (min(100, ceil(N/20))
    steps) then cosine down to 0.1x over N steps, where N is sized like sizeRun: after one warm-up and 3
    timed steps (weights and data cursor put back), N = 0.9 x remaining budget / seconds per step; the
    run stops at N steps or when the budget is spent;
  - validation every round(N/5) steps on the exported validation sequences, best weights kept (BestWeights);
  - the clock starts before the data is loaded (the app's budget starts before it loads digits);
  - score: OpenSTL's MSE per frame (squared error summed over a 64x64 frame in [0, 1], mean over the 10
    predicted frames and the sequences), as src/forecast-eval.ts, plus copy-last-frame on the same frames.
What differs: the random streams (init values), checkpoints (the app writes resumable ones, this does
not), and the data arrive rendered from tracks instead of generated with the RNG (both negligible next
to a step)."""
import argparse
import copy
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_convlstm import Forecaster  # noqa: E402

SIZE = 64
DIGIT = 28


def render(tracks, digits):
    """Frames uint8 [S, T, 64, 64] from tracks [S, T, D, 3] (digit index, x, y): digits pasted by maximum."""
    S, T, D, _ = tracks.shape
    out = np.zeros((S, T, SIZE, SIZE), np.uint8)
    for s in range(S):
        for t in range(T):
            for d in range(D):
                i, x, y = tracks[s, t, d]
                window = out[s, t, y:y + DIGIT, x:x + DIGIT]
                np.maximum(window, digits[i], out=window)
    return out


def test_set(folder):
    """Frames [N, T, 64, 64] uint8 of an exported test set and its tracks from the sidecar."""
    frames = np.load(os.path.join(folder, 'mnist_test_seq.npy')).transpose(1, 0, 2, 3)
    with open(os.path.join(folder, 'mnist_test_seq.json')) as f:
        info = json.load(f)['info']
    tracks = np.array([[[[idx, math.floor(p[0]), math.floor(p[1])] for idx, p in zip(s['digitIndices'], frame)]
                        for frame in s['positions']] for s in info], np.int64)
    return np.ascontiguousarray(frames), tracks


def as_input(frames_u8):
    """uint8 [B, T, 64, 64] -> float32 [B, T, 1, 64, 64] in [0, 1] (the generator's /255)."""
    return torch.from_numpy(frames_u8).float().div_(255).unsqueeze(2)


def init_like_seqgen(model, kernel):
    with torch.no_grad():
        for cell in model.cells:
            Fh = cell.hidden
            C = cell.conv.in_channels - Fh
            limit = math.sqrt(6 / (kernel * kernel * C + 4 * Fh))
            wx = torch.empty(kernel, kernel, C, 4 * Fh).uniform_(-limit, limit)
            wh = nn.init.orthogonal_(torch.empty(kernel * kernel * Fh, 4 * Fh)).reshape(kernel, kernel, Fh, 4 * Fh)
            # [kh, kw, in, out] -> Conv2d's [out, in, kh, kw]; the input channels are [x, h] in that order.
            cell.conv.weight.copy_(torch.cat([wx, wh], 2).permute(3, 2, 0, 1))
            cell.conv.bias.zero_()
            cell.conv.bias[Fh:2 * Fh] = 1.0
        head = model.head
        limit = math.sqrt(6 / (head.in_channels + head.out_channels))
        head.weight.uniform_(-limit, limit)
        head.bias.zero_()


def rollout(model, frames, context):
    """Next-frame predictions [B, T-1, 1, 64, 64] after frames 0..T-2: frames < context read, the rest fed back."""
    B, T = frames.shape[:2]
    x = F.pixel_unshuffle(frames.flatten(0, 1), model.patch).unflatten(0, (B, T))
    predicted = model.predict_patches(x, context)
    return F.pixel_shuffle(predicted.flatten(0, 1), model.patch).unflatten(0, (B, T - 1))


def loss_of(model, frames, context):
    return F.mse_loss(rollout(model, frames, context), frames[:, 1:])


def warmup_cosine(step, total):
    warmup = min(100, math.ceil(total / 20))
    if step < warmup:
        return (step + 1) / warmup
    progress = min(1, (step - warmup) / max(1, total - warmup))
    return 0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * progress))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--data', default='runs/equal-budget/data')
    ap.add_argument('--seconds', type=float, help='wall-clock budget (sized as the app sizes its runs)')
    ap.add_argument('--steps', type=int, help='instead of --seconds: exactly this many steps (per-step learning)')
    ap.add_argument('--threads', type=int, default=1)
    ap.add_argument('--hidden', default='16,16')
    ap.add_argument('--kernel', type=int, default=3)
    ap.add_argument('--patch', type=int, default=4)
    ap.add_argument('--batch', type=int, default=4)
    ap.add_argument('--lr', type=float, default=5e-3)
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--context', type=int, default=10)
    a = ap.parse_args()
    if (a.seconds is None) == (a.steps is None):
        ap.error('give one of --seconds and --steps')
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)

    # The renderer against the exporter's own frames, before the clock starts.
    test_frames, test_tracks = test_set(os.path.join(a.data, 'test'))
    rendered = render(test_tracks, np.load(os.path.join(a.data, 'test_digits.npy')))
    if not np.array_equal(rendered, test_frames):
        sys.exit('renderer differs from the exported test frames: re-export the data')

    wall0, cpu0 = time.perf_counter(), time.process_time()
    deadline = wall0 + a.seconds if a.seconds is not None else math.inf
    digits = np.load(os.path.join(a.data, 'train_digits.npy'))
    tracks = np.load(os.path.join(a.data, 'train_tracks.npy'))
    valid, _ = test_set(os.path.join(a.data, 'valid'))
    valid = as_input(valid)
    cursor = 0
    wrapped = False

    def next_batch():
        nonlocal cursor, wrapped
        if cursor + a.batch > len(tracks):
            cursor, wrapped = 0, True
        batch = as_input(render(tracks[cursor:cursor + a.batch], digits))
        cursor += a.batch
        return batch

    model = Forecaster(a.patch, [int(w) for w in a.hidden.split(',')], a.kernel)
    init_like_seqgen(model, a.kernel)
    params = list(model.parameters())

    def make_optimizer():
        return torch.optim.Adam(params, lr=a.lr, betas=(0.9, 0.999), eps=1e-8)

    def train_step(opt, lr):
        for g in opt.param_groups:
            g['lr'] = lr
        opt.zero_grad()
        loss = loss_of(model, next_batch(), a.context)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        return loss.item()

    per_step = None
    if a.steps is not None:
        max_steps = a.steps
    else:
        # sizeRun: one warm-up and 3 timed steps on a throwaway optimizer, then weights and cursor put back.
        saved = copy.deepcopy(model.state_dict())
        probe = make_optimizer()
        train_step(probe, a.lr)
        t0 = time.perf_counter()
        for _ in range(3):
            train_step(probe, a.lr)
        per_step = (time.perf_counter() - t0) / 3
        model.load_state_dict(saved)
        cursor = 0
        max_steps = max(1, math.floor(max(0, deadline - time.perf_counter()) * 0.9 / per_step))
    validate_every = max(1, round(max_steps / 5))

    def validation_loss():
        with torch.no_grad():
            return loss_of(model, valid, a.context).item()

    opt = make_optimizer()
    best, best_state, steps, last_valid = None, None, 0, None
    while steps < max_steps:
        train_step(opt, a.lr * warmup_cosine(steps, max_steps))
        steps += 1
        if steps % validate_every == 0:
            last_valid = (steps, validation_loss())
            if best is None or last_valid[1] < best:
                best, best_state = last_valid[1], copy.deepcopy(model.state_dict())
        if time.perf_counter() > deadline:
            break
    final = last_valid[1] if last_valid and last_valid[0] == steps else validation_loss()
    restored = best is not None and best < final
    if restored:
        model.load_state_dict(best_state)
    train_wall = time.perf_counter() - wall0
    train_cpu = time.process_time() - cpu0

    # Scoring: frames 10-19 predicted from 0-9, in batches of 16 like `eval`.
    se_model = se_copy = 0.0
    frames_scored = 0
    with torch.no_grad():
        for i in range(0, len(test_frames), 16):
            x = as_input(test_frames[i:i + 16]).double()
            truth = x[:, a.context:]
            # Predictions of frames context..T-1: the rollout over all T frames, whose inputs after the
            # context are its own predictions, so the true frames beyond the context are never read.
            predicted = rollout(model, x.float(), a.context)[:, a.context - 1:].double()
            copy_last = x[:, a.context - 1:a.context].expand_as(truth)
            se_model += ((predicted - truth) ** 2).sum().item()
            se_copy += ((copy_last - truth) ** 2).sum().item()
            frames_scored += truth.shape[0] * truth.shape[1]
    print(json.dumps({
        'framework': f'pytorch {torch.__version__}',
        'threads': a.threads,
        'parameters': sum(p.numel() for p in params),
        'budget_seconds': a.seconds,
        'seconds_per_step_sized': per_step and round(per_step, 4),
        'max_steps': max_steps,
        'steps': steps,
        'wall_seconds': round(train_wall, 1),
        'cpu_seconds': round(train_cpu, 1),
        'data_wrapped': wrapped,
        'best_valid_restored': restored,
        'examples': len(test_frames),
        'mse_per_frame': se_model / frames_scored,
        'copy_last_frame_mse_per_frame': se_copy / frames_scored,
    }))


if __name__ == '__main__':
    main()
