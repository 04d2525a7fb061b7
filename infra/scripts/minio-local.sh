#!/usr/bin/env bash
# Runs MinIO for artifacts if its binary is installed; otherwise use `spindle dev`'s embedded S3Proxy.
set -euo pipefail
dir="${SPINDLE_DATA_DIR:-$HOME/.spindle}/minio"
mkdir -p "$dir"
command -v minio >/dev/null || { echo "minio is not installed; spindle dev uses an embedded S3Proxy instead" >&2; exit 1; }
MINIO_ROOT_USER="${SPINDLE_S3_ACCESS_KEY:-spindle}" MINIO_ROOT_PASSWORD="${SPINDLE_S3_SECRET_KEY:-spindle-secret}" \
  exec minio server "$dir" --address 127.0.0.1:9000
