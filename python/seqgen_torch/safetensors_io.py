"""The safetensors format in plain Python + torch: an 8-byte little-endian header
length, a JSON header naming each tensor's dtype, shape and byte span, then the
raw little-endian data (Debian ships no python safetensors package)."""

import json
import os
import struct

import numpy as np
import torch

_NUMPY = {
    "F64": "<f8", "F32": "<f4", "F16": "<f2", "I64": "<i8", "I32": "<i4",
    "I16": "<i2", "I8": "i1", "U8": "u1", "BOOL": "?",
}


class SafetensorsError(ValueError):
    """A file that is not valid safetensors; the message names the file."""


def read_safetensors(path):
    """Returns ({name: tensor}, metadata) of a safetensors file."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 8:
        raise SafetensorsError(f"{path}: truncated (shorter than the 8-byte header length)")
    (n,) = struct.unpack("<Q", data[:8])
    if 8 + n > len(data):
        raise SafetensorsError(f"{path}: truncated header ({n} bytes announced)")
    header = json.loads(data[8:8 + n].decode("utf-8"))
    metadata = header.pop("__metadata__", {}) or {}
    base = 8 + n
    tensors = {}
    for name, info in header.items():
        dtype = info["dtype"]
        start, end = info["data_offsets"]
        if base + end > len(data):
            raise SafetensorsError(f"{path}: tensor {name} runs past the end of the file (truncated)")
        raw = data[base + start:base + end]
        if dtype == "BF16":
            as_int = np.frombuffer(raw, dtype="<u2").astype(np.uint32) << 16
            array = as_int.view(np.float32)
        elif dtype in _NUMPY:
            array = np.frombuffer(raw, dtype=_NUMPY[dtype])
        else:
            raise SafetensorsError(f"{path}: tensor {name} has unsupported dtype {dtype}")
        tensors[name] = torch.from_numpy(array.copy().reshape(info["shape"]))
    return tensors, metadata


def encode_safetensors(tensors, metadata=None):
    """The bytes of a safetensors file holding `tensors` ({name: tensor}) as float32."""
    header = {"__metadata__": dict(metadata or {})}
    chunks = []
    offset = 0
    for name in sorted(tensors):
        array = tensors[name].detach().to("cpu", torch.float32).contiguous().numpy().astype("<f4", copy=False)
        raw = array.tobytes()
        header[name] = {"dtype": "F32", "shape": list(array.shape), "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)  # aligns the data, as the reference writer does
    return struct.pack("<Q", len(text)) + text + b"".join(chunks)


def write_safetensors(path, tensors, metadata=None):
    """Writes a safetensors file atomically (temporary name, fsync, rename)."""
    temp = f"{path}.tmp-{os.getpid()}"
    with open(temp, "wb") as f:
        f.write(encode_safetensors(tensors, metadata))
        f.flush()
        os.fsync(f.fileno())
    os.replace(temp, path)
