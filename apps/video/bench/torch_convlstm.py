#!/usr/bin/env python3
"""PyTorch peer of seqgen's ConvLSTM forecaster training step (OpenSTL's ConvLSTM on Moving MNIST):
frames [B, T, 64, 64, 1] -> 4x4 space-to-depth patches -> stacked ConvLSTM cells (one convolution over
[x, h] giving the four gates, forget bias 1) -> 1x1 convolution + sigmoid predicting the next frame; the
first CONTEXT frames are read, the rest predicted from the model's own output, MSE over frames 1..T-1,
Adam. Prints CPU seconds (process time, all threads) and wall milliseconds per training step."""
import argparse
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class ConvLSTMCell(nn.Module):
    def __init__(self, inputs, hidden, kernel):
        super().__init__()
        self.hidden = hidden
        self.conv = nn.Conv2d(inputs + hidden, 4 * hidden, kernel, padding=kernel // 2)
        with torch.no_grad():
            self.conv.bias.zero_()
            self.conv.bias[hidden:2 * hidden] = 1.0  # forget gate

    def forward(self, x, state):
        h, c = state
        i, f, g, o = torch.split(self.conv(torch.cat([x, h], 1)), self.hidden, 1)
        c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
        h = torch.sigmoid(o) * torch.tanh(c)
        return h, c


class Forecaster(nn.Module):
    def __init__(self, patch, hidden, kernel):
        super().__init__()
        channels = patch * patch
        self.patch = patch
        self.cells = nn.ModuleList()
        inputs = channels
        for width in hidden:
            self.cells.append(ConvLSTMCell(inputs, width, kernel))
            inputs = width
        self.head = nn.Conv2d(inputs, channels, 1)

    def predict_patches(self, x, context):
        """Next-step predictions [B, T-1, p*p, H/p, W/p] from patches x [B, T, p*p, H/p, W/p]: steps
        before `context` read x, the rest are fed the model's own previous prediction."""
        B, T = x.shape[:2]
        h, w = x.shape[-2:]
        state = [(x.new_zeros(B, c.hidden, h, w), x.new_zeros(B, c.hidden, h, w)) for c in self.cells]
        outputs = []
        previous = None
        for t in range(T - 1):
            inp = x[:, t] if t < context else previous
            for l, cell in enumerate(self.cells):
                state[l] = cell(inp, state[l])
                inp = state[l][0]
            previous = torch.sigmoid(self.head(inp))
            outputs.append(previous)
        return torch.stack(outputs, 1)

    def forward(self, frames, context):
        # frames [B, T, 1, H, W] -> patches [B, T, p*p, H/p, W/p]
        B, T = frames.shape[:2]
        x = F.pixel_unshuffle(frames.flatten(0, 1), self.patch).unflatten(0, (B, T))
        return F.mse_loss(self.predict_patches(x, context), x[:, 1:])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--threads', type=int, default=1)
    ap.add_argument('--batch', type=int, default=8)
    ap.add_argument('--frames', type=int, default=20)
    ap.add_argument('--context', type=int, default=10)
    ap.add_argument('--hidden', default='64,64,64,64')
    ap.add_argument('--kernel', type=int, default=5)
    ap.add_argument('--patch', type=int, default=4)
    ap.add_argument('--steps', type=int, default=3)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    model = Forecaster(a.patch, [int(w) for w in a.hidden.split(',')], a.kernel)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    frames = torch.rand(a.batch, a.frames, 1, 64, 64)

    def step():
        opt.zero_grad()
        loss = model(frames, a.context)
        loss.backward()
        opt.step()
        return loss.item()

    step()  # warm-up
    cpu0, wall0 = time.process_time(), time.perf_counter()
    for _ in range(a.steps):
        step()
    cpu = (time.process_time() - cpu0) / a.steps
    wall = (time.perf_counter() - wall0) / a.steps * 1000
    params = sum(p.numel() for p in model.parameters())
    print(f'torch convlstm: {params} parameters; train: {cpu:.3f} cpu-s/step, {wall:.0f} ms/step (threads={a.threads})')


if __name__ == '__main__':
    main()
