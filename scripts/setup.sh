#!/usr/bin/env bash
# Idempotent set-up: system packages deskbot needs (only those missing), then .venv.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v chromium >/dev/null 2>&1 || [ -n "${DESKBOT_BROWSER:-}" ] || need+=(chromium)
command -v tesseract >/dev/null 2>&1 || need+=(tesseract-ocr)
if ! tesseract --list-langs 2>/dev/null | grep -qx chi_sim; then need+=(tesseract-ocr-chi-sim); fi
# Norwegian, Danish and Swedish letters the English model cannot write (ø, æ, å): a company name
# in them is read again with its own model (vision.issuer.OWN_LETTER_MODELS)
for lang in nor dan swe; do
  tesseract --list-langs 2>/dev/null | grep -qx "$lang" || need+=("tesseract-ocr-$lang")
done
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
# a real PostgreSQL server for the multi-machine path's tests (started by the tests, never as a service)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || command -v initdb >/dev/null 2>&1 || need+=(postgresql)
# fonts for the generated invoice corpus and the demo's scans (Latin and Chinese)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
[ -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || need+=(fonts-wqy-microhei)

if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing system packages: ${need[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

stamp=.venv/.installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "setup: creating .venv and installing deskbot with its dev extras"
  [ -x .venv/bin/python ] || python3 -m venv .venv
  log=.venv/install.log
  if ! { .venv/bin/pip install -q --upgrade pip && .venv/bin/pip install -q -e '.[dev]'; } >"$log" 2>&1; then
    cat "$log"
    echo "setup: pip install failed (full log above, also in $log)" >&2
    exit 1
  fi
  touch "$stamp"
fi
