#!/usr/bin/env python3
"""PyTorch peer of seqgen-music's model, same shape and data: a chord-conditioned LSTM over Performance-RNN
events (event embedding 388x64, chord embedding 85x16, concatenated; 1 LSTM layer of 256; linear to 388),
conditionOn 'next' (each input reads the chord of the event it predicts), batch 32 x 64 events in contiguous
lanes with the state carried (truncated BPTT), Adam 3e-3 with 5% warmup + cosine decay to 0.1, global-norm clip 5.
Trains for --seconds of wall-clock time on the documents bench/export-events.ts wrote, then prints training
events/s and the held-out negative log-likelihood per event (nats, every event after the first of each piece).
Run with OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE unset (see /work/shared/bench/torch_peer_best.sh).
"""
import argparse, json, math, os, time
import numpy as np, torch, torch.nn as nn

p = argparse.ArgumentParser()
p.add_argument("--data", default="runs/bench-data")
p.add_argument("--seconds", type=float, default=120)
p.add_argument("--threads", type=int, default=1)
p.add_argument("--steps", type=int, default=0, help="fixed steps instead of --seconds (speed only)")
a = p.parse_args()
torch.manual_seed(1); np.random.seed(1)
torch.set_num_threads(a.threads)
V, C, E, EC, H, B, T = 388, 85, 64, 16, 256, 32, 64

def load(name):
    flat = np.fromfile(os.path.join(a.data, f"{name}.i32"), dtype="<i4")
    lengths = json.load(open(os.path.join(a.data, f"{name}.lengths.json")))
    return flat, lengths

def lanes(events, chords, lengths, batch, seq):
    """Contiguous lanes as seqgen's StreamBatcher cuts them; mask drops targets across document ends."""
    doc = np.repeat(np.arange(len(lengths)), lengths)
    n = (len(events) - 1) // batch
    take = lambda arr, off: np.stack([arr[off + i * n: off + i * n + n] for i in range(batch)])
    x, y = take(events, 0), take(events, 1)
    c = take(chords, 1)  # 'next': the chord of the predicted event
    m = (take(doc, 0) == take(doc, 1)).astype(np.float32)
    r = np.concatenate([np.ones((batch, 1)), (take(doc, 0)[:, 1:] != take(doc, 0)[:, :-1])], 1).astype(np.float32)
    steps = n // seq
    return [tuple(torch.from_numpy(np.ascontiguousarray(t[:, s * seq:(s + 1) * seq])) for t in (x, y, c, m, r)) for s in range(steps)]

class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(V, E); self.cemb = nn.Embedding(C, EC)
        self.lstm = nn.LSTM(E + EC, H, batch_first=True)
        self.out = nn.Linear(H, V)
    def forward(self, x, c, state, resets):
        """Runs the chunk in segments split at the columns where some row starts a document (as seqgen's
        runStackedSegments does): one fused LSTM call per segment, rows zeroed where their document starts."""
        inp = torch.cat([self.emb(x.long()), self.cemb(c.long())], -1)
        cols = [0] + [t for t in range(1, x.shape[1]) if resets[:, t].any()] + [x.shape[1]]
        ys = []
        for a0, a1 in zip(cols[:-1], cols[1:]):
            keep = (1 - resets[:, a0]).view(1, -1, 1)
            y, state = self.lstm(inp[:, a0:a1], tuple(s * keep for s in state))
            ys.append(y)
        return self.out(torch.cat(ys, 1)), state

ev, lens = load("train-events"); ch, _ = load("train-chords")
train = lanes(ev, ch, lens, B, T)
hev, hlens = load("heldout-events"); hch, _ = load("heldout-chords")
m = Model(); opt = torch.optim.Adam(m.parameters(), 3e-3)
zero = lambda b: (torch.zeros(1, b, H), torch.zeros(1, b, H))

def run(seconds, steps_cap):
    state = zero(B); t0 = time.perf_counter(); c0 = time.process_time(); step = 0; events = 0
    total = steps_cap or 10**9
    while True:
        x, y, c, mask, r = train[step % len(train)]
        frac = min(1.0, step / max(1, total))
        warm = max(1, int(0.05 * total))
        lr = 3e-3 * (step + 1) / warm if step < warm else 3e-3 * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * frac)))
        for g in opt.param_groups: g["lr"] = lr
        opt.zero_grad()
        logits, state = m(x, c, state, r)
        loss = (nn.functional.cross_entropy(logits.reshape(-1, V), y.reshape(-1).long(), reduction="none") * mask.reshape(-1)).sum() / mask.sum()
        loss.backward(); nn.utils.clip_grad_norm_(m.parameters(), 5.0); opt.step()
        state = tuple(s.detach() for s in state)
        step += 1; events += int(mask.sum())
        el = time.perf_counter() - t0
        # The schedule needs a length: re-estimate how many steps fit in the budget every 5 steps.
        if step % 5 == 0 and not steps_cap: total = max(step + 1, int(step + (seconds - el) / (el / step)))
        if (steps_cap and step >= steps_cap) or (not steps_cap and (el >= seconds or step >= total)):
            return step, events, el, time.process_time() - c0

steps, events, el, cpu = run(a.seconds, a.steps)
print(f"torch {torch.__version__} threads={a.threads} train: {steps} steps in {el:.1f} s wall, {cpu:.1f} CPU s: "
      f"{events / el:.0f} events/s wall, {events / cpu:.0f} events/CPU-s")
with torch.no_grad():
    batch = max(1, min(16, (len(hev) - 1) // 256))
    chunks = lanes(hev, hch, hlens, batch, 256) or lanes(hev, hch, hlens, batch, (len(hev) - 1) // batch)
    state = zero(batch); nats = 0.0; n = 0.0
    for x, y, c, mask, r in chunks:
        logits, state = m(x, c, state, r)
        nats += float((nn.functional.cross_entropy(logits.reshape(-1, V), y.reshape(-1).long(), reduction="none") * mask.reshape(-1)).sum()); n += float(mask.sum())
print(f"held-out: {nats / n:.4f} nats/event over {n:.0f} events")
