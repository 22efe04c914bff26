"""Reader of seqgen token shards (the `seqgen-token-shards` directory format that
@seqgen/trainer writes): manifest.json + raw little-endian token files, read
through memory maps so a corpus larger than memory streams from disk."""

import json
import os

import numpy as np

FORMAT = "seqgen-token-shards"
_DTYPES = {"uint16": ("<u2", 2), "uint32": ("<u4", 4)}


class ShardError(ValueError):
    """A shard set that cannot be read; `file` names the file at fault."""

    def __init__(self, file, message):
        super().__init__(f"{file}: {message}")
        self.file = file


class TokenStream:
    """The shards of one split as one token sequence (memory-mapped, never loaded whole)."""

    def __init__(self, arrays):
        self.arrays = arrays
        self.starts = np.cumsum([0] + [len(a) for a in arrays])

    def __len__(self):
        return int(self.starts[-1])

    def slice(self, start, end):
        """Tokens [start, end) as int64, gathered across shard boundaries."""
        parts = []
        k = int(np.searchsorted(self.starts, start, side="right")) - 1
        while start < end:
            a = self.arrays[k]
            local = start - int(self.starts[k])
            take = min(end - start, len(a) - local)
            parts.append(np.asarray(a[local:local + take], dtype=np.int64))
            start += take
            k += 1
        return np.concatenate(parts) if len(parts) != 1 else parts[0]


def read_manifest(directory):
    """The manifest, checked; every listed shard must exist with exactly tokens x bytes-per-token bytes."""
    path = os.path.join(directory, "manifest.json")
    if not os.path.isfile(path):
        raise ShardError(path, "missing: a shard set without manifest.json is unfinished or not a shard set")
    try:
        with open(path, encoding="utf-8") as f:
            manifest = json.load(f)
    except ValueError as error:
        raise ShardError(path, f"is not JSON ({error})") from None
    if manifest.get("format") != FORMAT or manifest.get("version") != 1:
        raise ShardError(path, f'is not a {FORMAT} version 1 manifest')
    if manifest.get("dtype") not in _DTYPES:
        raise ShardError(path, f"has dtype {manifest.get('dtype')!r}; expected uint16 or uint32")
    width = _DTYPES[manifest["dtype"]][1]
    for shard in manifest.get("shards", []):
        file = os.path.join(directory, shard["file"])
        if not os.path.isfile(file):
            raise ShardError(file, "missing (listed in manifest.json)")
        size = os.path.getsize(file)
        want = int(shard["tokens"]) * width
        if size < want:
            raise ShardError(file, f"truncated: {size} bytes, the manifest says {shard['tokens']} tokens = {want} bytes")
        if size != want:
            raise ShardError(file, f"has {size} bytes, the manifest says {shard['tokens']} tokens = {want} bytes")
    return manifest


def open_split(directory, manifest, split):
    """The tokens of `split` ("train" or "heldout") as a TokenStream."""
    dtype = _DTYPES[manifest["dtype"]][0]
    arrays = []
    for shard in manifest["shards"]:
        if shard["split"] == split and int(shard["tokens"]) > 0:
            arrays.append(np.memmap(os.path.join(directory, shard["file"]), dtype=dtype, mode="r"))
    if not arrays:
        raise ShardError(os.path.join(directory, "manifest.json"), f"lists no {split} shard")
    return TokenStream(arrays)
