"""PyTorch peer of @seqgen/vision's encoder benchmark (bench/encoder.ts runs it).

The same network and step: conv3x3-32 -> relu -> maxpool2 -> conv3x3-64 -> relu
-> maxpool2 -> conv3x3-128 -> relu -> global average pool -> linear 10, softmax
cross-entropy, Adam; batch 64 of 28x28x1. Prints `train: <ms> ms/step`.
Usage: python3 torch_encoder.py --threads N [--steps S] [--batch B]
"""
import argparse
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

parser = argparse.ArgumentParser()
parser.add_argument("--threads", type=int, default=2)
parser.add_argument("--steps", type=int, default=20)
parser.add_argument("--batch", type=int, default=64)
args = parser.parse_args()
torch.set_num_threads(args.threads)
torch.manual_seed(0)


class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(1, 32, 3, padding=1)
        self.c2 = nn.Conv2d(32, 64, 3, padding=1)
        self.c3 = nn.Conv2d(64, 128, 3, padding=1)
        self.head = nn.Linear(128, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.c1(x)), 2)
        x = F.max_pool2d(F.relu(self.c2(x)), 2)
        x = F.relu(self.c3(x))
        return self.head(x.mean(dim=(2, 3)))


model = Encoder()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
x = torch.rand(args.batch, 1, 28, 28)
y = torch.randint(0, 10, (args.batch,))


def step():
    opt.zero_grad()
    loss = F.cross_entropy(model(x), y)
    loss.backward()
    opt.step()
    return loss.item()


for _ in range(3):
    step()
started = time.perf_counter()
for _ in range(args.steps):
    step()
ms = (time.perf_counter() - started) * 1000 / args.steps
print(f"torch {torch.__version__} threads={args.threads}: train: {ms:.1f} ms/step")
