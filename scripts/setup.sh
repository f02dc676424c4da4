#!/usr/bin/env bash
# Everything a fresh machine needs: Debian's Chromium (UI tests), Fashion-MNIST (test data) and python3-h5py /
# python3-onnx (format checks) where apt exists,
# then the npm packages. Safe to run again. Electron's and ONNX Runtime's install scripts may try to download
# binaries; where there is no internet set ELECTRON_SKIP_BINARY_DOWNLOAD=1 ONNXRUNTIME_NODE_INSTALL=skip (CI does).
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -d /usr/share/datasets/fashion-mnist ] || need+=(dataset-fashion-mnist)
# Debian's own h5py and onnx check exported .h5 / .onnx files from outside (tests only; /usr/bin/python3).
/usr/bin/python3 -c 'import h5py' 2>/dev/null || need+=(python3-h5py)
/usr/bin/python3 -c 'import onnx' 2>/dev/null || need+=(python3-onnx)
if ((${#need[@]})); then
  if command -v apt-get >/dev/null 2>&1; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "setup: installing ${need[*]} with apt-get" >&2
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "setup: no apt-get here; skipping ${need[*]} (only the tests need them)" >&2
  fi
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
# Tests only: Teachable Machine's loader with its own tfjs 1.3.1, in its own node_modules (never the app's).
[ -d test/clients/teachable-machine/node_modules ] && [ ! test/clients/teachable-machine/package-lock.json -nt test/clients/teachable-machine/node_modules/.package-lock.json ] || npm ci --prefix test/clients/teachable-machine --no-audit --no-fund
