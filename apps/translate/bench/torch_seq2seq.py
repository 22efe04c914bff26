#!/usr/bin/env python3
"""PyTorch peer of seqgen's Seq2Seq (GRU encoder-decoder with Bahdanau attention): speed and quality.

Setup (Debian): apt-get install -y python3-torch libopenblas0-pthread
Model (defaults = `pnpm --filter @seqgen/models bench:seq2seq`): vocabulary 4000 on both sides, embedding 256,
a 1-layer GRU encoder and decoder of 256 units, additive (Bahdanau) attention whose query is the decoder state
after the step (Luong order), attentional vector tanh(W[h; c]) fed to the output layer and (input feeding, as
seqgen's default) into the next step's input. The decoder's first state is tanh(W s + b) of the encoder's last one.

  --mode speed   random data, batch 64, source/target length 20: prints training target tokens/s and batched
                 beam-5 sentences/s (every sentence x beam advances in one tensor step, max 25 new tokens).
  --mode train   reads `seqgen-translate prepare`'s folder (train.ids, test.ids, target-tokens.json), trains for
                 --minutes (--clock wall|cpu; Adam with warmup + cosine decay over the budget, global-norm clip 5,
                 length-bucketed batches), decodes the test
                 sources with beam 5 and writes one translation per line to --out; score it with
                 `seqgen-translate eval --data DIR --hypotheses FILE` (same test set, same BLEU/chrF code).

Its best thread setting depends on the machine: torch_peer_best.sh beside this file tries them all.
"""
import argparse, json, math, os, random, sys, time

# OpenBLAS starts one thread per core whatever torch.set_num_threads says: pin it before torch loads.
_threads = sys.argv[sys.argv.index("--threads") + 1] if "--threads" in sys.argv else "1"
os.environ.setdefault("OPENBLAS_NUM_THREADS", _threads)
os.environ.setdefault("OMP_NUM_THREADS", _threads)

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

p = argparse.ArgumentParser()
p.add_argument("--mode", default="speed", choices=["speed", "train"])
p.add_argument("--threads", type=int, default=1)
p.add_argument("--vocab", type=int, default=4000, help="speed mode: source and target vocabulary")
p.add_argument("--embedding", type=int, default=256)
p.add_argument("--hidden", type=int, default=256)
p.add_argument("--layers", type=int, default=1)
p.add_argument("--batch", type=int, default=64)
p.add_argument("--src-len", type=int, default=20)
p.add_argument("--tgt-len", type=int, default=20)
p.add_argument("--beams", type=int, default=5)
p.add_argument("--max-new", type=int, default=25)
p.add_argument("--no-input-feeding", dest="input_feeding", action="store_false", help="feed only the token (default: also the last attentional vector)")
p.add_argument("--steps", type=int, default=10, help="speed mode: timed training steps")
p.add_argument("--sentences", type=int, default=64, help="speed mode: sentences decoded in one beam batch")
p.add_argument("--data", help="train mode: the folder `seqgen-translate prepare` wrote")
p.add_argument("--minutes", type=float, default=10, help="train mode: training budget")
p.add_argument("--clock", default="wall", choices=["wall", "cpu"], help="what --minutes counts (cpu: this process's CPU time)")
p.add_argument("--lr", type=float, default=2e-3)
p.add_argument("--max-len", type=int, default=48, help="train mode: longest source/target (tokens) trained on")
p.add_argument("--out", help="train mode: file for the test translations")
p.add_argument("--seed", type=int, default=1)
a = p.parse_args()
torch.manual_seed(a.seed)
random.seed(a.seed)
torch.set_num_threads(a.threads)
PAD, UNK, BOS, EOS = 0, 1, 2, 3  # @seqgen/tokenizers' special-token ids


class Seq2Seq(nn.Module):
    def __init__(self, vs, vt, e, h, layers, input_feeding):
        super().__init__()
        self.input_feeding = input_feeding
        self.src_emb = nn.Embedding(vs, e, padding_idx=PAD)
        self.tgt_emb = nn.Embedding(vt, e, padding_idx=PAD)
        self.encoder = nn.GRU(e, h, layers, batch_first=True)
        self.decoder = nn.ModuleList(
            [nn.GRUCell((e + (h if input_feeding else 0)) if i == 0 else h, h) for i in range(layers)]
        )
        self.w_query = nn.Linear(h, h, bias=False)
        self.w_key = nn.Linear(h, h)  # its bias is the additive score's bias
        self.bridge = nn.ModuleList([nn.Linear(h, h) for _ in range(layers)])
        self.v = nn.Linear(h, 1, bias=False)
        self.combine = nn.Linear(2 * h, h, bias=False)
        self.out = nn.Linear(h, vt)
        self.h = h

    def encode(self, src, lengths):
        x = self.src_emb(src)
        packed = nn.utils.rnn.pack_padded_sequence(x, lengths.cpu(), batch_first=True, enforce_sorted=False)
        memory, last = self.encoder(packed)
        memory, _ = nn.utils.rnn.pad_packed_sequence(memory, batch_first=True, total_length=src.size(1))
        mask = src != PAD
        # Keys are projected once per sentence, not once per decoding step.
        # The decoder starts from a learned map of the encoder's final states (one per layer).
        states = [torch.tanh(bridge(s)) for bridge, s in zip(self.bridge, last)]
        return memory, self.w_key(memory), mask, states

    def step(self, y, states, feed, memory, keys, mask):
        x = self.tgt_emb(y)
        if self.input_feeding:
            x = torch.cat([x, feed], -1)
        new = []
        for cell, s in zip(self.decoder, states):
            x = cell(x, s)
            new.append(x)
        scores = self.v(torch.tanh(keys + self.w_query(x).unsqueeze(1))).squeeze(-1)
        weights = torch.softmax(scores.masked_fill(~mask, -1e9), -1)
        context = torch.bmm(weights.unsqueeze(1), memory).squeeze(1)
        attentional = torch.tanh(self.combine(torch.cat([x, context], -1)))
        return attentional, new, weights

    def loss(self, src, lengths, tgt_in, tgt_out):
        memory, keys, mask, states = self.encode(src, lengths)
        feed = memory.new_zeros(src.size(0), self.h)
        outs = []
        for t in range(tgt_in.size(1)):
            feed, states, _ = self.step(tgt_in[:, t], states, feed, memory, keys, mask)
            outs.append(feed)
        # One output projection and one loss over all steps.
        logits = self.out(torch.stack(outs, 1))
        return F.cross_entropy(logits.reshape(-1, logits.size(-1)), tgt_out.reshape(-1), ignore_index=PAD)

    @torch.no_grad()
    def beam_search(self, src, lengths, k, max_new, length_penalty=1.0):
        """Batched beam search: B sentences x k beams advance together in one step; returns the best ids per sentence."""
        b = src.size(0)
        memory, keys, mask, states = self.encode(src, lengths)
        rep = lambda t: t.repeat_interleave(k, 0)  # noqa: E731
        memory, keys, mask, states = rep(memory), rep(keys), rep(mask), [rep(s) for s in states]
        feed = memory.new_zeros(b * k, self.h)
        y = torch.full((b * k,), BOS, dtype=torch.long)
        scores = torch.full((b, k), float("-inf"))
        scores[:, 0] = 0.0  # only the first beam is live at the start
        history = torch.zeros(b * k, 0, dtype=torch.long)
        finished = [[] for _ in range(b)]
        done = torch.zeros(b, dtype=torch.bool)
        base = (torch.arange(b) * k).unsqueeze(1)
        for t in range(max_new):
            feed, states, _ = self.step(y, states, feed, memory, keys, mask)
            logp = torch.log_softmax(self.out(feed), -1)
            v = logp.size(-1)
            cand = (scores.reshape(-1, 1) + logp).reshape(b, k * v)
            top, idx = cand.topk(2 * k, -1)  # 2k: up to k of them may end here
            beam, tok = idx // v, idx % v
            is_eos = (tok == EOS) & torch.isfinite(top)
            # Hypotheses ending among the k best candidates are finished (of sentences still open).
            ends = (is_eos[:, :k] & ~done.unsqueeze(1)).nonzero().tolist()
            for i, j in ends:
                row = (i * k + beam[i, j]).item()
                finished[i].append((top[i, j].item() / (t + 1) ** length_penalty, history[row].tolist()))
            done |= torch.tensor([len(f) >= k for f in finished])
            if bool(done.all()):
                break
            # The k best candidates that do not end continue: non-EOS first, in score order.
            order = (is_eos.long() * (2 * k) + torch.arange(2 * k)).argsort(-1)[:, :k]
            scores = top.gather(1, order)
            rows = (base + beam.gather(1, order)).reshape(-1)
            y = tok.gather(1, order).reshape(-1)
            states = [s.index_select(0, rows) for s in states]
            feed = feed.index_select(0, rows)
            history = torch.cat([history.index_select(0, rows), y.unsqueeze(1)], 1)
        best = []
        for i in range(b):
            hyps = finished[i] or [
                (scores[i, j].item() / max(1, history.size(1)) ** length_penalty, history[i * k + j].tolist())
                for j in range(k)
            ]
            best.append(max(hyps, key=lambda h: h[0])[1])
        return best


def count_params(m):
    return sum(p.numel() for p in m.parameters())


def speed():
    V, B, S, T = a.vocab, a.batch, a.src_len, a.tgt_len
    m = Seq2Seq(V, V, a.embedding, a.hidden, a.layers, a.input_feeding)
    opt = torch.optim.Adam(m.parameters(), 1e-3)
    src = torch.randint(4, V, (B, S))
    lengths = torch.full((B,), S)
    tgt = torch.randint(4, V, (B, T + 1))

    def step():
        opt.zero_grad()
        loss = m.loss(src, lengths, tgt[:, :-1], tgt[:, 1:])
        loss.backward()
        nn.utils.clip_grad_norm_(m.parameters(), 5.0)
        opt.step()

    for _ in range(2):
        step()
    t0 = time.perf_counter()
    c0 = time.process_time()  # CPU seconds of all this process's threads: steadier than wall time on a shared machine
    for _ in range(a.steps):
        step()
    dt = (time.perf_counter() - t0) / a.steps
    cpu = (time.process_time() - c0) / a.steps
    print(
        f"torch {torch.__version__} seq2seq gru+bahdanau {count_params(m)} params threads={a.threads} "
        f"train: {dt * 1000:.1f} ms/step, {B * T / dt:.0f} target tokens/s ({cpu * 1000:.0f} CPU ms/step)"
    )
    # A fresh, untrained model (the same initial weights): EOS comes only by chance, so every sentence runs the
    # full --max-new steps whatever --steps trained, as in seqgen's bench.
    torch.manual_seed(a.seed)
    m = Seq2Seq(V, V, a.embedding, a.hidden, a.layers, a.input_feeding)
    m.eval()
    n = a.sentences
    s = torch.randint(4, V, (n, S))
    ln = torch.full((n,), S)
    m.beam_search(s[:4], ln[:4], a.beams, 3)  # warm-up
    t0 = time.perf_counter()
    c0 = time.process_time()
    out = m.beam_search(s, ln, a.beams, a.max_new)
    dt = time.perf_counter() - t0
    cpu = time.process_time() - c0
    print(
        f"torch beam{a.beams}: {n / dt:.2f} sentences/s ({n} sentences x {a.beams} beams in one batch, "
        f"{max(len(o) for o in out)} tokens max, {cpu * 1000:.0f} CPU ms)"
    )


def read_ids(path, limit):
    pairs = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            s, _, t = line.rstrip("\n").partition("\t")
            src = [int(x) for x in s.split()][:limit]
            tgt = [int(x) for x in t.split()][:limit]
            pairs.append((src, tgt))
    return pairs


def pad(rows, value=PAD):
    n = max(1, max(len(r) for r in rows))
    return torch.tensor([r + [value] * (n - len(r)) for r in rows], dtype=torch.long)


def batches(pairs, size, rng):
    # Length buckets: sort by source length, cut into batches, shuffle the batches.
    order = sorted(range(len(pairs)), key=lambda i: (len(pairs[i][0]), rng.random()))
    out = [order[i : i + size] for i in range(0, len(order), size)]
    rng.shuffle(out)
    return out


def train():
    clock = time.perf_counter if a.clock == "wall" else time.process_time
    started = time.perf_counter()
    budget_start = clock()
    deadline = budget_start + a.minutes * 60
    tokens = json.load(open(os.path.join(a.data, "target-tokens.json"), encoding="utf-8"))
    meta = json.load(open(os.path.join(a.data, "prepared.json"), encoding="utf-8"))
    vs, vt = meta["sourceVocabSize"], meta["targetVocabSize"]
    pairs = [p for p in read_ids(os.path.join(a.data, "train.ids"), 10**9) if p[0] and len(p[0]) <= a.max_len and len(p[1]) < a.max_len]
    test = read_ids(os.path.join(a.data, "test.ids"), a.max_len)
    m = Seq2Seq(vs, vt, a.embedding, a.hidden, a.layers, a.input_feeding)
    opt = torch.optim.Adam(m.parameters(), a.lr)
    rng = random.Random(a.seed)
    steps = epoch = 0
    while clock() < deadline:
        epoch += 1
        for idx in batches(pairs, a.batch, rng):
            if clock() >= deadline:
                break
            src = pad([pairs[i][0] for i in idx])
            lengths = torch.tensor([len(pairs[i][0]) for i in idx])
            tgt = pad([[BOS] + pairs[i][1] + [EOS] for i in idx])
            m.train()
            # Warmup then cosine decay to 0.1x over the time budget, like `train --minutes` (sized by time, not steps).
            frac = min(1.0, (clock() - budget_start) / (a.minutes * 60))
            warm = min(1.0, (steps + 1) / 100)
            for group in opt.param_groups:
                group["lr"] = a.lr * warm * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * frac)))
            opt.zero_grad()
            loss = m.loss(src, lengths, tgt[:, :-1], tgt[:, 1:])
            loss.backward()
            nn.utils.clip_grad_norm_(m.parameters(), 5.0)
            opt.step()
            steps += 1
            if steps % 100 == 0:
                print(f"step {steps} epoch {epoch} loss {loss.item():.3f} {time.perf_counter() - started:.0f}s", file=sys.stderr)
    train_s = time.perf_counter() - started
    m.eval()
    hyps = []
    for i in range(0, len(test), 64):
        chunk = test[i : i + 64]
        src = pad([s or [EOS] for s, _ in chunk])
        lengths = torch.tensor([max(1, len(s)) for s, _ in chunk])
        limit = min(a.max_new, max(len(s) for s, _ in chunk) * 2 + 10)
        for ids in m.beam_search(src, lengths, a.beams, limit):
            data = b"".join(bytes.fromhex(tokens[t]) for t in ids if t < len(tokens))
            hyps.append(data.decode("utf-8", errors="replace").replace("\n", " "))
    with open(a.out, "w", encoding="utf-8") as f:
        f.write("".join(h + "\n" for h in hyps))
    cpu = time.process_time()
    print(
        f"torch trained {steps} steps ({epoch} epochs, {len(pairs)} pairs) in {train_s:.0f} s wall ({cpu:.0f} s CPU in all), "
        f"decoded {len(hyps)} test sentences with beam {a.beams} in {time.perf_counter() - started - train_s:.0f} s -> {a.out}"
    )


if a.mode == "speed":
    speed()
else:
    if not (a.data and a.out):
        p.error("--mode train needs --data and --out")
    train()
