#!/usr/bin/env bash
# Runs only the embedded MongoDB-wire server (durable H2 file, commit per write) as its own process,
# for a node that should not hold its journal in-process. Needs the built jar (mvn -DskipTests package).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
file="${SPINDLE_DATA_DIR:-$HOME/.spindle}/mongo.h2"
port="${1:-27017}"
exec java -cp "$root/cli/target/spindle.jar" io.spindle.node.dev.EmbeddedMongoMain "$file" "$port"
