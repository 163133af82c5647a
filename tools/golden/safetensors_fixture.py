"""Writes the safetensors fixtures that io/safetensors.test.ts decodes, with the reference implementation.

    python3 tools/golden/safetensors_fixture.py

needs numpy and safetensors (pip install safetensors). Writes packages/rmsprop/fixtures/io/:
- python.safetensors: F32 and I32 tensors (a matrix with -0, the largest float32 and the smallest
  subnormal; +-inf and NaN; int32 extremes; a float scalar, an int scalar, an empty [0, 3]) and metadata.
  safetensors lays the data out in its own order (by dtype, then name), not ours.
- python-f16.safetensors: one F16 tensor, which the decoder must refuse by name.
The values are repeated in the test: change both together. Deterministic; committed files were written by
Python 3.11.7, NumPy 2.4.6, safetensors 0.8.0.
"""

from pathlib import Path

import numpy as np
from safetensors.numpy import save_file

OUT = Path(__file__).resolve().parents[2] / "packages" / "rmsprop" / "fixtures" / "io"

TENSORS = {
    "weight": np.array(
        [[1.5, -0.0, 0.1], [3.4028234663852886e38, 1.401298464324817e-45, -2.5]], dtype=np.float32
    ),
    "special": np.array([np.inf, -np.inf, np.nan], dtype=np.float32),
    "labels": np.array([0, -1, 2147483647, -2147483648, 42], dtype=np.int32),
    "scalar": np.array(7.25, dtype=np.float32),
    "int_scalar": np.array(-7, dtype=np.int32),
    "empty": np.zeros((0, 3), dtype=np.float32),
}
METADATA = {"producer": "tools/golden/safetensors_fixture.py", "note": "ünïcode ✓"}


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    save_file(TENSORS, str(OUT / "python.safetensors"), metadata=METADATA)
    save_file({"half": np.array([1.0, -2.0], dtype=np.float16)}, str(OUT / "python-f16.safetensors"))
    print(f"wrote {OUT}/python.safetensors and python-f16.safetensors")


if __name__ == "__main__":
    main()
