#!/usr/bin/env bash
# Runs every test of EvoCode. On a fresh Debian machine, run as root, it first installs what the tests need.
set -euo pipefail
cd "$(dirname "$0")"

missing=()
command -v bwrap >/dev/null || missing+=(bubblewrap)
command -v python3 >/dev/null || missing+=(python3)
command -v chromium >/dev/null || missing+=(chromium)
if ! command -v initdb >/dev/null && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  missing+=(postgresql)
fi
if ((${#missing[@]})); then
  if [[ $(id -u) -eq 0 ]]; then
    echo "Installing: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "Missing prerequisites: ${missing[*]} (install them with apt-get, or run this script as root)" >&2
    exit 1
  fi
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
dotnet test --solution EvoCode.sln "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# One plain closing line for CI: the sum over every test module.
awk '/^  total:/ {t+=$2} /^  failed:/ {f+=$2} /^  succeeded:/ {s+=$2} /^  skipped:/ {k+=$2}
     END { printf "%d passed, %d failed, %d skipped\n", s, f, k }' "$log"
exit "$status"
