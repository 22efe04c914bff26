"""Trains a seqgen RecurrentLM with PyTorch DistributedDataParallel on a token-shard set,
with the hyperparameters of seqgen's text app (@seqgen/trainer): Adam (betas 0.9/0.999,
eps 1e-8), gradient clipping by global norm (scale maxNorm / max(norm, maxNorm)),
linear warm-up then cosine decay to minFactor, truncated BPTT over contiguous lanes with
carried state and a random epoch offset in [0, seqLen). The --batch lanes are split
evenly over the ranks, so DDP's gradient average is the single-process gradient and
--batch/--lr mean what they mean in seqgen.

    python -m seqgen_torch.train_ddp --init INIT_DIR --shards SHARDS --out OUT_DIR --nproc 2 ...

Ranks: started by this script with torch.multiprocessing.spawn (env:// rendezvous on
MASTER_ADDR/MASTER_PORT), or by torchrun / a cluster launcher when RANK and WORLD_SIZE
are already set (LOCAL_RANK picks the GPU). Progress: one JSON object per line on stdout
(rank 0). Failure: a line `seqgen-torch-error: {json}` on stderr and a non-zero exit.
"""

import argparse
import json
import math
import os
import shutil
import socket
import sys
import tempfile
import time

import numpy as np
import torch
import torch.distributed as dist
from torch.nn.parallel import DistributedDataParallel

from .model_io import load, save
from .shards import ShardError, TokenStream, open_split, read_manifest


def parse_args(argv=None):
    p = argparse.ArgumentParser(prog="python -m seqgen_torch.train_ddp", description=__doc__.split("\n\n")[0])
    p.add_argument("--init", required=True, help="exported model folder to start from (config.json + model.safetensors)")
    p.add_argument("--shards", required=True, help="token-shard set (manifest.json + *.bin)")
    p.add_argument("--out", required=True, help="folder to write the trained model to (replaced atomically)")
    p.add_argument("--metrics", help="JSON file for the held-out loss and throughput (default OUT/../metrics.json)")
    p.add_argument("--steps", type=int, required=True)
    p.add_argument("--batch", type=int, default=32, help="lanes in all, split over the ranks")
    p.add_argument("--seq-len", type=int, default=64)
    p.add_argument("--lr", type=float, default=3e-3)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--clip", type=float, default=5.0, help="max global gradient norm")
    p.add_argument("--warmup", type=int, help="warm-up steps (default min(100, ceil(steps / 20)), as seqgen-text)")
    p.add_argument("--min-factor", type=float, default=0.1, help="cosine floor as a fraction of --lr")
    p.add_argument("--nproc", type=int, default=1, help="processes to spawn (ignored when RANK/WORLD_SIZE are set)")
    p.add_argument("--device", choices=["cpu", "cuda"], default="cpu", help="cpu uses gloo, cuda uses NCCL")
    p.add_argument("--checkpoint-every", type=int, default=0, help="also save rank 0's weights every N steps")
    p.add_argument("--log-every", type=int, default=10)
    p.add_argument("--threads", type=int, default=1, help="torch threads per rank")
    p.add_argument("--heldout-tokens", type=int, default=200_000,
                   help="held-out tokens scored at the end, from the split's start (as seqgen-text's shard runs)")
    return p.parse_args(argv)


def lr_factor(step, warmup, total, min_factor):
    """@seqgen/trainer's WarmupCosineSchedule.factor."""
    if step < warmup:
        return (step + 1) / warmup
    span = max(1, total - warmup)
    progress = min(1.0, (step - warmup) / span)
    return min_factor + (1 - min_factor) * 0.5 * (1 + math.cos(math.pi * progress))


def clip_global_norm(params, max_norm):
    """Scales every gradient by max_norm / max(norm, max_norm), as seqgen's clipping (no epsilon)."""
    grads = [p.grad for p in params if p.grad is not None]
    norm = torch.sqrt(sum((g.double() ** 2).sum() for g in grads)).float()
    scale = max_norm / torch.clamp(norm, min=max_norm)
    for g in grads:
        g.mul_(scale)
    return float(norm)


class LaneBatcher:
    """seqgen's StreamBatcher over a token stream: `batch` contiguous lanes, batch k holds
    the k-th chunk of every lane; each epoch starts at a random offset in [0, seq_len).
    This rank reads lanes [first, first + count)."""

    def __init__(self, stream, batch, seq_len, seed, first, count):
        self.stream, self.batch, self.seq_len = stream, batch, seq_len
        self.first, self.count = first, count
        self.rng = np.random.default_rng(seed)  # the same draws on every rank
        if (len(stream) - 1 - (seq_len - 1)) // batch < seq_len:
            raise ValueError(
                f"batch larger than data: {batch} lanes x {seq_len} steps need more than {len(stream)} tokens")
        self.epoch, self.index = 0, 0
        self.offset = int(self.rng.integers(seq_len))

    def next(self):
        lane = (len(self.stream) - 1 - self.offset) // self.batch
        if self.index >= lane // self.seq_len:
            self.epoch += 1
            self.index = 0
            self.offset = int(self.rng.integers(self.seq_len))
            lane = (len(self.stream) - 1 - self.offset) // self.batch
        T = self.seq_len
        rows = []
        for b in range(self.first, self.first + self.count):
            start = self.offset + b * lane + self.index * T
            rows.append(self.stream.slice(start, start + T + 1))
        chunk = torch.from_numpy(np.stack(rows))
        fresh = self.index == 0  # lanes start with zero state each epoch
        self.index += 1
        return chunk[:, :-1], chunk[:, 1:], fresh


def detach(state):
    if state is None:
        return None
    return tuple(s.detach() for s in state) if isinstance(state, tuple) else state.detach()


@torch.no_grad()
def held_out_loss(model, stream, device, limit):
    """seqgen-text's heldOutMetrics over the first `limit` held-out tokens: at most 16
    contiguous lanes, chunks of <= 256 steps, carried state, token-weighted mean cross-entropy (nats)."""
    model.eval()
    n = min(len(stream), limit)
    if n < 3:
        raise ValueError(f"held-out split is too short to evaluate ({n} tokens)")
    B = max(1, min(16, (n - 1) // 64))
    lane = (n - 1) // B
    T = lane // math.ceil(lane / 256)
    state, total, tokens = None, 0.0, 0
    for k in range(lane // T):
        rows = [stream.slice(b * lane + k * T, b * lane + k * T + T + 1) for b in range(B)]
        chunk = torch.from_numpy(np.stack(rows)).to(device)
        logits, state = model(chunk[:, :-1], state)
        loss = torch.nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), chunk[:, 1:].reshape(-1))
        total += float(loss) * chunk[:, 1:].numel()
        tokens += chunk[:, 1:].numel()
    model.train()
    return total / tokens, tokens


def emit(record):
    print(json.dumps(record), flush=True)


def worker(rank, world, args, manifest):
    local_rank = int(os.environ.get("LOCAL_RANK", rank))
    torch.set_num_threads(args.threads)
    if args.device == "cuda":
        torch.cuda.set_device(local_rank)
        device = torch.device("cuda", local_rank)
    else:
        device = torch.device("cpu")
    dist.init_process_group("nccl" if args.device == "cuda" else "gloo", init_method="env://",
                            rank=rank, world_size=world)
    try:
        train(rank, world, args, manifest, device)
    finally:
        dist.destroy_process_group()


def train(rank, world, args, manifest, device):
    torch.manual_seed(args.seed + rank)  # dropout masks differ per rank, as lanes do
    model = load(args.init).to(device)
    if model.config["vocabSize"] != manifest["vocabSize"]:
        raise ValueError(f"model vocabSize {model.config['vocabSize']} != shard vocabSize {manifest['vocabSize']}")
    tokenizer = model.tokenizer
    ddp = DistributedDataParallel(model, device_ids=[device.index] if device.type == "cuda" else None)
    params = [p for p in model.parameters()]
    opt = torch.optim.Adam(params, lr=args.lr, betas=(0.9, 0.999), eps=1e-8)
    per_rank = args.batch // world
    data = LaneBatcher(open_split(args.shards, manifest, "train"), args.batch, args.seq_len, args.seed,
                       rank * per_rank, per_rank)
    warmup = args.warmup if args.warmup is not None else min(100, math.ceil(args.steps / 20))
    state = None
    started = time.perf_counter()
    window, window_start = [], started
    model.train()
    for step in range(args.steps):
        inputs, targets, fresh = data.next()
        if fresh:
            state = None
        inputs, targets = inputs.to(device), targets.to(device)
        logits, state = ddp(inputs, state)
        state = detach(state)
        loss = torch.nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()  # DDP averages the gradients over the ranks here
        norm = clip_global_norm(params, args.clip)
        lr = args.lr * lr_factor(step, warmup, args.steps, args.min_factor)
        for group in opt.param_groups:
            group["lr"] = lr
        opt.step()
        window.append(float(loss))
        done = step + 1
        if done % args.log_every == 0 or done == args.steps:
            mean = torch.tensor([sum(window) / len(window)], device=device)
            dist.all_reduce(mean)
            now = time.perf_counter()
            if rank == 0:
                emit({"step": done, "loss": float(mean) / world, "lr": lr, "gradNorm": norm,
                      "tokensPerSecond": len(window) * args.batch * args.seq_len / (now - window_start)})
            window, window_start = [], now
        if rank == 0 and args.checkpoint_every and done % args.checkpoint_every == 0 and done < args.steps:
            save(model, args.out, tokenizer)
    seconds = time.perf_counter() - started
    if rank == 0:
        save(model, args.out, tokenizer)
        loss, tokens = held_out_loss(model, open_split(args.shards, manifest, "heldout"), device,
                                     args.heldout_tokens)
        metrics = {"steps": args.steps, "worldSize": world, "seconds": seconds,
                   "tokensPerSecond": args.steps * args.batch * args.seq_len / seconds,
                   "heldOut": {"loss": loss, "tokens": tokens}, "out": os.path.abspath(args.out)}
        path = args.metrics or os.path.join(os.path.dirname(os.path.abspath(args.out)), "metrics.json")
        temp = f"{path}.tmp-{os.getpid()}"
        with open(temp, "w", encoding="utf-8") as f:
            json.dump(metrics, f, indent=2)
        os.replace(temp, path)
        emit({"done": True, **metrics})
    dist.barrier()


def spawned(rank, world, args, manifest, errors):
    os.environ["RANK"], os.environ["WORLD_SIZE"] = str(rank), str(world)
    try:
        worker(rank, world, args, manifest)
    except Exception as error:
        # Recorded with the time it happened: when one rank fails, the others then fail on their
        # collectives ("connection closed by peer"), and the first failure is the one to report.
        with open(os.path.join(errors, f"rank-{rank}.json"), "w", encoding="utf-8") as f:
            json.dump({"time": time.time(), "rank": rank, "error": describe(error),
                       "file": getattr(error, "file", None)}, f)
        raise


def describe(error):
    return f"{type(error).__name__}: {error}".strip().splitlines()[0][:2000]


def first_error(errors):
    """The earliest failure any spawned rank recorded, or None."""
    found = []
    for name in os.listdir(errors):
        with open(os.path.join(errors, name), encoding="utf-8") as f:
            found.append(json.load(f))
    return min(found, key=lambda e: e["time"]) if found else None


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fail(kind, message, **extra):
    sys.stderr.write("seqgen-torch-error: " + json.dumps({"kind": kind, "message": message, **extra}) + "\n")
    sys.exit(2)


def main(argv=None):
    args = parse_args(argv)
    try:
        manifest = read_manifest(args.shards)  # checked before any rank starts
    except ShardError as error:
        fail("shard", str(error), file=error.file)
    launched = "RANK" in os.environ and "WORLD_SIZE" in os.environ
    world = int(os.environ["WORLD_SIZE"]) if launched else args.nproc
    if world < 1 or args.batch % world:
        fail("config", f"--batch {args.batch} must be a multiple of the number of processes ({world})")
    errors = tempfile.mkdtemp(prefix="seqgen-ddp-errors-")
    try:
        if launched:
            worker(int(os.environ["RANK"]), world, args, manifest)
        else:
            os.environ.setdefault("MASTER_ADDR", "127.0.0.1")
            os.environ.setdefault("MASTER_PORT", str(free_port()))
            torch.multiprocessing.spawn(spawned, args=(world, args, manifest, errors), nprocs=world, join=True)
    except ShardError as error:
        fail("shard", str(error), file=error.file)
    except Exception as error:  # surfaced to the caller on one line, after the traceback
        sys.stderr.write(f"{error}\n")
        first = first_error(errors)
        if first is None:
            fail("training", describe(error))
        kind = "shard" if first["error"].startswith("ShardError") else "training"
        fail(kind, f"rank {first['rank']}: {first['error']}", **({"file": first["file"]} if first["file"] else {}))
    finally:
        shutil.rmtree(errors, ignore_errors=True)


if __name__ == "__main__":
    main()
