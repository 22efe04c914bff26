"""PyTorch twins of seqgen's models (see python/README.md): `load(dir)` builds the
module of a folder exported by @seqgen/interop, `save(model, dir)` writes one back."""

from .lm import RecurrentLM
from .seq2seq import Seq2Seq
from .model_io import build, load, save
from .safetensors_io import read_safetensors, write_safetensors

__all__ = ["RecurrentLM", "Seq2Seq", "build", "load", "save", "read_safetensors", "write_safetensors"]
