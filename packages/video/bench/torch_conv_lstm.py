"""The PyTorch peer of bench/conv-lstm.ts: a standard ConvLSTM (Shi et al. 2015,
the formulation of OpenSTL's ConvLSTM cell: one 'same' convolution over the
concatenated input and hidden state gives the four gates) with a 1x1
convolution head predicting the next (patch-reshaped) frame, MSE loss, Adam.
Times full training steps (forward, backward, update) and prints one JSON line.

  /usr/bin/python3 torch_conv_lstm.py --batch 8 --frames 20 --size 16 --channels 16 \
      --hidden 64 --kernel 5 --steps 3 --threads 2

Inputs are random here (timing does not depend on values); the seqgen side
uses Moving MNIST. Run with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset.
"""
import argparse
import json
import os
import time

import torch
from torch import nn


class ConvLSTMCell(nn.Module):
    def __init__(self, in_channels, hidden, kernel):
        super().__init__()
        self.hidden = hidden
        self.conv = nn.Conv2d(in_channels + hidden, 4 * hidden, kernel, padding=kernel // 2)

    def forward(self, x, state):
        h, c = state
        i, f, o, g = torch.split(self.conv(torch.cat([x, h], dim=1)), self.hidden, dim=1)
        c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
        h = torch.sigmoid(o) * torch.tanh(c)
        return h, c


class Forecaster(nn.Module):
    """ConvLSTM over frames 0..T-2, a 1x1 conv head predicting frames 1..T-1."""

    def __init__(self, channels, hidden, kernel):
        super().__init__()
        self.cell = ConvLSTMCell(channels, hidden, kernel)
        self.head = nn.Conv2d(hidden, channels, 1)

    def forward(self, frames):  # [B, T, C, H, W]
        b, t, _, height, width = frames.shape
        h = frames.new_zeros(b, self.cell.hidden, height, width)
        c = torch.zeros_like(h)
        outs = []
        for step in range(t - 1):
            h, c = self.cell(frames[:, step], (h, c))
            outs.append(self.head(h))
        return torch.stack(outs, dim=1)


def main():
    p = argparse.ArgumentParser()
    for name, default in [('batch', 8), ('frames', 20), ('size', 16), ('channels', 16), ('hidden', 64),
                          ('kernel', 5), ('steps', 3), ('warmup', 1), ('threads', os.cpu_count() or 1)]:
        p.add_argument(f'--{name}', type=int, default=default)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    model = Forecaster(a.channels, a.hidden, a.kernel)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    x = torch.rand(a.batch, a.frames, a.channels, a.size, a.size)

    def step():
        opt.zero_grad()
        loss = nn.functional.mse_loss(model(x), x[:, 1:])
        loss.backward()
        opt.step()
        return loss.item()

    for _ in range(a.warmup):
        step()
    times = []
    cpu = []
    for _ in range(a.steps):
        start = time.perf_counter()
        cpu_start = time.process_time()  # all threads of the process: not inflated by other load
        step()
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - cpu_start) * 1000)
    params = sum(q.numel() for q in model.parameters())
    print(json.dumps({'ms_per_step': min(times), 'median_ms': sorted(times)[len(times) // 2],
                      'cpu_ms_per_step': min(cpu), 'threads': a.threads,
                      'params': params, 'torch': torch.__version__}))


if __name__ == '__main__':
    main()
