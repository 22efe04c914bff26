"""Driven by torch-roundtrip.test.ts, once per test file: for each exported folder of
the job, loads it with seqgen_torch, writes its logits on the given ids, saves it back,
and (when asked) trains it a few steps and records its greedy continuation."""

import json
import os
import sys

import torch

import seqgen_torch

job = json.load(open(sys.argv[1]))
torch.manual_seed(0)
results = []
for item in job["models"]:
    model = seqgen_torch.load(item["dir"])
    model.eval()
    seq2seq = isinstance(model, seqgen_torch.Seq2Seq)
    with torch.no_grad():
        if seq2seq:
            logits = model(torch.tensor(item["sources"]), item["lengths"], torch.tensor(item["targets"]))
        else:
            logits, _ = model(torch.tensor(item["ids"], dtype=torch.long))
    seqgen_torch.write_safetensors(os.path.join(item["dir"], "logits.safetensors"), {"logits": logits})
    seqgen_torch.save(model, os.path.join(item["dir"], "resaved"))
    result = {"dir": item["dir"]}
    if "train" in item and seq2seq:
        # Learns to copy: each source is its own target, ended by eosId.
        cfg, task = model.config, item["train"]
        pairs = task["pairs"]
        S = max(len(p) for p in pairs)
        sources = torch.tensor([p + [cfg["padId"]] * (S - len(p)) for p in pairs])
        lengths = [len(p) for p in pairs]
        inputs = torch.tensor([[cfg["bosId"]] + p + [cfg["padId"]] * (S - len(p)) for p in pairs])
        outputs = torch.tensor([p + [cfg["eosId"]] + [cfg["padId"]] * (S - len(p)) for p in pairs])
        mask = (torch.arange(S + 1)[None, :] <= torch.tensor(lengths)[:, None]).float()
        model.train()
        opt = torch.optim.Adam(model.parameters(), lr=0.02)
        for _ in range(task["steps"]):
            logits = model(sources, lengths, inputs)
            nll = torch.nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), outputs.reshape(-1),
                                                    reduction="none")
            loss = (nll * mask.reshape(-1)).sum() / mask.sum()
            opt.zero_grad()
            loss.backward()
            opt.step()
        result["trainLoss"] = float(loss)
        result["greedy"] = [model.generate_greedy(p, task["length"]) for p in task["probe"]]
        seqgen_torch.save(model, os.path.join(item["dir"], "trained"))
    elif "train" in item:
        pattern = item["train"]["pattern"]
        data = torch.tensor([pattern * 4], dtype=torch.long)
        model.train()
        opt = torch.optim.Adam(model.parameters(), lr=0.05)
        for _ in range(item["train"]["steps"]):
            logits, _ = model(data[:, :-1])
            loss = torch.nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), data[:, 1:].reshape(-1))
            opt.zero_grad()
            loss.backward()
            opt.step()
        result["trainLoss"] = float(loss)
        result["greedy"] = model.generate_greedy(item["train"]["prompt"], item["train"]["length"])
        seqgen_torch.save(model, os.path.join(item["dir"], "trained"))
    results.append(result)
json.dump(results, open(sys.argv[2], "w"))
