#!/usr/bin/env python3
"""An independent safetensors reader (numpy only, no lnas code): parses the header, maps every
tensor's bytes with numpy and prints one JSON object per file with, per tensor, its dtype, shape,
float64 sum, number of exact zeros, the first values and the SHA-256 of its little-endian bytes.
lnas's tests compare these with the tensors lnas holds.

usage: python3 read_safetensors.py FILE
"""
import hashlib
import json
import struct
import sys

import numpy as np

DTYPES = {"F32": "<f4", "F64": "<f8", "I64": "<i8", "I32": "<i4", "U8": "u1", "BOOL": "?"}


def read(path):
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n].decode("utf-8"))
    body = memoryview(data)[8 + n:]
    meta = header.pop("__metadata__", {})
    tensors = {}
    end = 0
    for name, info in sorted(header.items(), key=lambda kv: kv[1]["data_offsets"][0]):
        begin, stop = info["data_offsets"]
        if begin != end:
            raise ValueError(f"{name}: data starts at {begin}, previous tensor ended at {end}")
        end = stop
        dt = np.dtype(DTYPES[info["dtype"]])
        arr = np.frombuffer(body[begin:stop], dtype=dt).reshape(info["shape"])
        tensors[name] = {
            "dtype": info["dtype"],
            "shape": list(arr.shape),
            "sum": float(arr.astype(np.float64).sum()),
            "zeros": int(np.count_nonzero(arr == 0)),
            "first": [float(v) for v in arr.reshape(-1)[:4]],
            "sha256": hashlib.sha256(arr.astype(dt.newbyteorder("<")).tobytes()).hexdigest(),
        }
    if end != len(body):
        raise ValueError(f"{len(body) - end} bytes after the last tensor")
    return {"metadata": meta, "tensors": tensors}


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    json.dump(read(sys.argv[1]), sys.stdout)
