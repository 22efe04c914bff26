"""load(dir) / save(model, dir): the folder layout @seqgen/interop writes and reads
(`config.json` = {format: "seqgen-torch", version: 1, model: <seqgen config>, tokenizer?},
`model.safetensors` = the state dict by PyTorch names)."""

import json
import os
import shutil

from .lm import RECURRENT_LM_TYPE, RecurrentLM
from .safetensors_io import read_safetensors, write_safetensors

FORMAT = "seqgen-torch"
CONFIG_FILE = "config.json"
WEIGHTS_FILE = "model.safetensors"


def build(model_config):
    """An untrained module for a seqgen model config, picked by its `type`."""
    kind = model_config.get("type")
    if kind == RECURRENT_LM_TYPE:
        return RecurrentLM(model_config)
    if kind == "seq2seq":
        from .seq2seq import Seq2Seq

        return Seq2Seq(model_config)
    raise ValueError(f"no PyTorch module for seqgen model type {kind!r}")


def load(directory):
    """The module saved in `directory`; its `tokenizer` attribute holds the tokenizer JSON (or None)."""
    with open(os.path.join(directory, CONFIG_FILE), encoding="utf-8") as f:
        config = json.load(f)
    if config.get("format") != FORMAT or config.get("version") != 1:
        raise ValueError(f"{directory}/{CONFIG_FILE} is not a {FORMAT} version 1 config")
    model = build(config["model"])
    tensors, _ = read_safetensors(os.path.join(directory, WEIGHTS_FILE))
    model.load_export_state_dict(tensors)
    model.tokenizer = config.get("tokenizer")
    return model


def save(model, directory, tokenizer=None):
    """Writes config.json and model.safetensors to `directory`, replacing it atomically:
    everything goes to a sibling temporary folder first, which is then renamed."""
    tokenizer = tokenizer if tokenizer is not None else getattr(model, "tokenizer", None)
    config = {"format": FORMAT, "version": 1, "model": model.config}
    if tokenizer is not None:
        config["tokenizer"] = tokenizer
    directory = os.path.abspath(directory)
    temp = f"{directory}.tmp-{os.getpid()}"
    shutil.rmtree(temp, ignore_errors=True)
    os.makedirs(temp)
    write_safetensors(os.path.join(temp, WEIGHTS_FILE), model.export_state_dict(), {"format": "pt"})
    with open(os.path.join(temp, CONFIG_FILE), "w", encoding="utf-8") as f:
        json.dump(config, f, indent=2)
        f.flush()
        os.fsync(f.fileno())
    old = f"{directory}.old-{os.getpid()}"
    if os.path.exists(directory):
        os.rename(directory, old)
    os.rename(temp, directory)
    shutil.rmtree(old, ignore_errors=True)
