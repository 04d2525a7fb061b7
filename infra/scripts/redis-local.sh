#!/usr/bin/env bash
# Runs a local Redis for a Spindle node from Debian's redis-server (apt-get install -y redis-server),
# with an append-only file under ${SPINDLE_DATA_DIR:-$HOME/.spindle}/redis.
set -euo pipefail
dir="${SPINDLE_DATA_DIR:-$HOME/.spindle}/redis"
port="${1:-6379}"
mkdir -p "$dir"
exec redis-server --port "$port" --bind 127.0.0.1 --dir "$dir" --appendonly yes --appendfsync everysec
