# Shared by the measurement scripts (sourced, not run): build circuitgrad in release, install what
# the scripts need (a venv under .venv/ with numpy + matplotlib, and the peers for `compare`), then
# hand over to scripts/lib/driver.py, which writes CSV, PNG plots, summary.md and machine.md into a
# fresh run folder under docs/performance/ (or --out DIR).
#
# Environment: CIRCUITGRAD=/path/to/circuitgrad skips the build; CG_SKIP_SETUP=1 skips scripts/setup;
# CG_NO_TORCH=1 does not try to install PyTorch; CG_VENV=DIR uses another venv folder.
set -euo pipefail

CG_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CG_VENV="${CG_VENV:-$CG_ROOT/.venv}"
CG_SCRIPT="$(basename "$0")"

cg_log() { printf '[%s %s] %s\n' "$CG_SCRIPT" "$(date +%H:%M:%S)" "$*" >&2; }

# True when the arguments ask for help: then nothing is built or installed.
cg_wants_help() { local a; for a in "$@"; do [[ "$a" == -h || "$a" == --help ]] && return 0; done; return 1; }

# Runs scripts/setup (installs hwloc if missing, builds) in release, so that cg_build finds the
# release binary up to date. Skipped with CG_SKIP_SETUP=1 or when CIRCUITGRAD names a binary.
cg_setup() {
  if [[ -z "${CG_SKIP_SETUP:-}" && -z "${CIRCUITGRAD:-}" && -f "$CG_ROOT/scripts/setup" ]]; then
    cg_log "running scripts/setup --release"
    bash "$CG_ROOT/scripts/setup" --release >&2
  fi
}

# Sets CG to a release circuitgrad binary (builds it unless CIRCUITGRAD is given).
cg_build() {
  if [[ -n "${CIRCUITGRAD:-}" ]]; then
    CG="$CIRCUITGRAD"
    cg_log "using CIRCUITGRAD=$CG (no build)"
  else
    local traits; traits=$(bash "$CG_ROOT/scripts/lib/swift-traits")
    cg_log "building circuitgrad (swift build -c release --product circuitgrad $traits)"
    (cd "$CG_ROOT" && swift build -c release --product circuitgrad $traits >&2)
    CG="$(cd "$CG_ROOT" && swift build -c release --show-bin-path)/circuitgrad"
  fi
  [[ -x "$CG" ]] || { echo "error: no circuitgrad binary at $CG" >&2; exit 1; }
}

# Apt packages by command name (root here; uses sudo when not root and sudo exists).
cg_apt() {
  local sudo=""; [[ $(id -u) -ne 0 ]] && command -v sudo >/dev/null && sudo="sudo"
  cg_log "apt-get install -y $*"
  $sudo apt-get update -qq >&2 && $sudo apt-get install -y -qq "$@" >&2
}

# Makes the venv if missing and pip-installs the listed packages that are not importable yet.
# Arguments are pairs module=package (e.g. numpy=numpy jax=jax[cpu]).
cg_venv() {
  if [[ ! -x "$CG_VENV/bin/python" ]]; then
    cg_log "creating venv $CG_VENV"
    python3 -m venv "$CG_VENV" || { cg_apt python3-venv && python3 -m venv "$CG_VENV"; }
  fi
  PY="$CG_VENV/bin/python"
  local pair module package missing=()
  for pair in "$@"; do
    module="${pair%%=*}"; package="${pair#*=}"
    "$PY" -c "import $module" 2>/dev/null || missing+=("$package")
  done
  if ((${#missing[@]})); then
    cg_log "pip install ${missing[*]} into $CG_VENV"
    "$PY" -m pip install -q "${missing[@]}" >&2
  fi
}

# Tries to install PyTorch (CPU) into the venv; never fails the script. Prefers a CPU-only wheel found
# in pip's find-links folders (PyPI's default torch pulls the CUDA libraries, several GB).
cg_try_torch() {
  TORCH_NOTE=""
  if "$PY" -c "import torch" 2>/dev/null; then return 0; fi
  if [[ -n "${CG_NO_TORCH:-}" ]]; then TORCH_NOTE="PyTorch not installed (CG_NO_TORCH set)"; return 0; fi
  local dirs wheel=""
  dirs="$("$PY" -m pip config list 2>/dev/null | sed -n "s/.*find-links='\(.*\)'/\1/p" | tr ' ' '\n') ${PIP_FIND_LINKS:-}"
  for d in $dirs; do
    [[ -d "$d" ]] && wheel="$(ls "$d"/torch-*+cpu-*.whl 2>/dev/null | head -1)" && [[ -n "$wheel" ]] && break
  done
  cg_log "installing PyTorch (${wheel:-torch from PyPI; large})"
  if ! "$PY" -m pip install -q "${wheel:-torch}" >&2; then
    TORCH_NOTE="PyTorch could not be installed here by pip; compared without it"
    cg_log "$TORCH_NOTE"
  fi
}

cg_need_time() {
  [[ -x /usr/bin/time ]] || cg_apt time
}
