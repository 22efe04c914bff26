#!/usr/bin/env python3
"""PyTorch peer of `seqgen-text train` for the quality comparison: same data split, model, budget.

Data: the corpus with CRLF -> LF, split by code points; the last 10% is held out (never trained
on). Vocabulary: the training text's characters + <unk> (held-out characters not in it map to <unk>).
Model: embedding 64 -> 1-layer LSTM 256 -> linear, as `train --hidden 256 --embedding 64`.
Training: truncated BPTT with carried state over 32 contiguous lanes x 64 steps (a random offset
per epoch), Adam lr 3e-3 with warmup (min(100, steps/20)) then cosine decay to 0.1x, global-norm
clip 5; the number of steps is sized from the time budget like `--minutes` (3 timed steps), or fixed
with `--steps N` (then the cosine decays over N steps, as `train --steps N` does).
Evaluation: the whole held-out text read in order with carried state (16 lanes, chunks <= 256), at the
end and at every step of `--eval-at` (the learning-curve comparison, bench/learning-curve.sh).
`--init keras` draws the initial weights the way seqgen does (embedding U(+-0.1), glorot input kernel,
orthogonal recurrent kernel, forget bias 1, glorot output kernel, zero biases) instead of PyTorch's
defaults, to test initialization from the other side.

Run: /usr/bin/python3 bench/torch_char_lm.py --corpus FILE --minutes 10 [--clock cpu] [--threads 1]
     /usr/bin/python3 bench/torch_char_lm.py --corpus FILE --steps 6000 --eval-at 500,2000,6000 [--init keras]
"""
import argparse, math, os, random, sys, time

# OpenBLAS starts its own threads (one per core) whatever torch.set_num_threads says; on a busy machine
# they spin and yield and the run crawls. Pin BLAS to --threads before torch loads it.
_threads = sys.argv[sys.argv.index("--threads") + 1] if "--threads" in sys.argv else "1"
os.environ.setdefault("OPENBLAS_NUM_THREADS", _threads)
os.environ.setdefault("OMP_NUM_THREADS", _threads)

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402

p = argparse.ArgumentParser()
p.add_argument("--corpus", required=True)
p.add_argument("--minutes", type=float, default=10)
p.add_argument("--threads", type=int, default=1)
p.add_argument("--hidden", type=int, default=256)
p.add_argument("--embedding", type=int, default=64)
p.add_argument("--batch", type=int, default=32)
p.add_argument("--seq-len", type=int, default=64)
p.add_argument("--lr", type=float, default=3e-3)
p.add_argument("--seed", type=int, default=1)
p.add_argument("--steps", type=int, default=0, help="train exactly N steps (instead of sizing from --minutes)")
p.add_argument("--eval-at", default="", help="comma-separated steps after which the held-out loss is printed")
p.add_argument("--init", default="pytorch", choices=["pytorch", "keras"], help="initial weights: PyTorch's or seqgen's")
p.add_argument("--clock", default="wall", choices=["wall", "cpu"], help="what --minutes counts (cpu: process time)")
a = p.parse_args()
clock = time.perf_counter if a.clock == "wall" else time.process_time
started = time.perf_counter()
deadline = clock() + a.minutes * 60
torch.manual_seed(a.seed)
random.seed(a.seed)
torch.set_num_threads(a.threads)

text = open(a.corpus, encoding="utf-8").read().replace("\r\n", "\n").replace("\r", "\n")
cut = round(len(text) * 0.9)  # Python strings index code points, like Array.from in the app
train_text, held_out = text[:cut], text[cut:]
vocab = ["<unk>"] + sorted(set(train_text))
index = {c: i for i, c in enumerate(vocab)}
train_ids = torch.tensor([index[c] for c in train_text], dtype=torch.long)
val_ids = torch.tensor([index.get(c, 0) for c in held_out], dtype=torch.long)
V = len(vocab)


class CharLM(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(V, a.embedding)
        self.rnn = nn.LSTM(a.embedding, a.hidden, 1, batch_first=True)
        self.out = nn.Linear(a.hidden, V)

    def forward(self, x, h=None):
        y, h = self.rnn(self.emb(x), h)
        return self.out(y), h


def lanes(ids, batch, offset=0):
    lane = (len(ids) - 1 - offset) // batch
    x = ids[offset : offset + batch * lane].view(batch, lane)
    y = ids[offset + 1 : offset + 1 + batch * lane].view(batch, lane)
    return x, y, lane


def batches():
    """Endless truncated-BPTT chunks; a new random offset each epoch (state restarts then)."""
    while True:
        x, y, lane = lanes(train_ids, a.batch, random.randrange(a.seq_len))
        yield None  # epoch start: reset state
        for t in range(0, lane - a.seq_len + 1, a.seq_len):
            yield x[:, t : t + a.seq_len], y[:, t : t + a.seq_len]


def keras_init(m):
    """seqgen's (Keras-style) initializers, for the initialization ablation."""
    with torch.no_grad():
        nn.init.uniform_(m.emb.weight, -0.1, 0.1)
        nn.init.xavier_uniform_(m.rnn.weight_ih_l0)
        nn.init.orthogonal_(m.rnn.weight_hh_l0)
        m.rnn.bias_ih_l0.zero_()
        m.rnn.bias_hh_l0.zero_()
        m.rnn.bias_ih_l0[a.hidden : 2 * a.hidden] = 1.0  # forget gate (PyTorch's gate order is i, f, g, o)
        nn.init.xavier_uniform_(m.out.weight)
        m.out.bias.zero_()


model = CharLM()
if a.init == "keras":
    keras_init(model)
opt = torch.optim.Adam(model.parameters(), a.lr)
data = batches()
state = None


def train_step(lr):
    global state
    item = next(data)
    if item is None:
        state = None
        item = next(data)
    x, y = item
    for g in opt.param_groups:
        g["lr"] = lr
    opt.zero_grad()
    logits, h = model(x, state)
    loss = nn.functional.cross_entropy(logits.reshape(-1, V), y.reshape(-1))
    loss.backward()
    nn.utils.clip_grad_norm_(model.parameters(), 5.0)
    opt.step()
    state = tuple(t.detach() for t in h)
    return loss.item()


if a.steps > 0:
    steps, per_step, deadline = a.steps, float("nan"), float("inf")
else:
    # Size the run from the budget, like `--minutes`: time 3 steps after a warm-up step, then start over.
    init = {k: v.clone() for k, v in model.state_dict().items()}
    train_step(a.lr)
    t0 = clock()
    for _ in range(3):
        train_step(a.lr)
    per_step = (clock() - t0) / 3
    model.load_state_dict(init)
    opt = torch.optim.Adam(model.parameters(), a.lr)
    data, state = batches(), None
    steps = max(1, int((deadline - clock()) * 0.9 / per_step))
eval_at = {int(s) for s in a.eval_at.split(",") if s}
warmup = min(100, math.ceil(steps / 20))


def lr_at(step):
    if step < warmup:
        return a.lr * (step + 1) / warmup
    progress = min(1.0, (step - warmup) / max(1, steps - warmup))
    return a.lr * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * progress)))


@torch.no_grad()
def evaluate(ids):
    model.eval()
    batch = max(1, min(16, (len(ids) - 1) // 64))
    x, y, lane = lanes(ids, batch)
    seq = lane // math.ceil(lane / 256)
    h, nats, n = None, 0.0, 0
    for t in range(0, lane - seq + 1, seq):
        logits, h = model(x[:, t : t + seq], h)
        nats += nn.functional.cross_entropy(logits.reshape(-1, V), y[:, t : t + seq].reshape(-1), reduction="sum").item()
        n += y[:, t : t + seq].numel()
    return nats / n, n


print(f"torch {torch.__version__}, {a.threads} thread(s), {a.clock} clock: ~{per_step:.3f} s/step -> up to {steps} steps, init {a.init}", flush=True)
done = 0
for step in range(steps):
    loss = train_step(lr_at(step))
    done += 1
    if step % 200 == 0:
        print(f"step {step}: train loss {loss:.4f}", flush=True)
    if done in eval_at:
        held, _ = evaluate(val_ids)
        model.train()
        print(f"torch eval step {done}: held-out {held:.4f} nats/char", flush=True)
    if clock() > deadline:
        break


loss, n = evaluate(val_ids)
print(
    f"torch: trained {done} steps in {time.perf_counter() - started:.0f} s ({time.process_time():.0f} s CPU); held-out {loss:.4f} nats/char, "
    f"{loss / math.log(2):.4f} bits/char ({n} tokens)"
)
