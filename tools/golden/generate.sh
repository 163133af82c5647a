#!/usr/bin/env bash
# Regenerates every optimizer, schedule and tensor-op fixture under packages/rmsprop/fixtures/, then replays the
# optimizer fixtures with an independent float64 model (check.py). Deterministic: running it twice gives
# byte-identical files. Needs python3 with torch, keras, optax/jax, tensorflow; and node with
# @tensorflow/tfjs-core + @tensorflow/tfjs-backend-cpu installed (npm ci at the repository root).
set -euo pipefail
cd "$(dirname "$0")"
export KERAS_BACKEND=torch TF_CPP_MIN_LOG_LEVEL=2 TF_ENABLE_ONEDNN_OPTS=0 PYTHONHASHSEED=0
export CUDA_VISIBLE_DEVICES="" JAX_PLATFORMS=cpu
python3 pytorch_optim.py
python3 keras_optim.py
python3 optax_optim.py
python3 tf1_optim.py
python3 tfjs_optim.py
python3 pytorch_schedules.py
python3 pytorch_ops.py
python3 pytorch_layers.py
python3 safetensors_fixture.py
python3 check.py
