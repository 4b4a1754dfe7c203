#!/usr/bin/env python3
"""The ONNX project's own checker (Debian's python3-onnx) on files lnas exported: full check with
shape inference. Prints one JSON object per file: opset, IR version, node count, the inferred
output shape and the metadata keys.

usage: python3 check_onnx.py FILE...
"""
import json
import sys

import onnx


def check(path):
    model = onnx.load(path)
    onnx.checker.check_model(model, full_check=True)
    inferred = onnx.shape_inference.infer_shapes(model, strict_mode=True)
    out = inferred.graph.output[0].type.tensor_type.shape.dim
    return {
        "file": path,
        "opset": [o.version for o in model.opset_import if o.domain in ("", "ai.onnx")][0],
        "ir_version": model.ir_version,
        "nodes": len(model.graph.node),
        "output_shape": [d.dim_param or d.dim_value for d in out],
        "metadata": sorted(p.key for p in model.metadata_props),
    }


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    for p in sys.argv[1:]:
        print(json.dumps(check(p)))
