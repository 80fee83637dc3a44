# Shared by the measurement scripts (sourced, not run): each is `cg_measure SUBCOMMAND NEEDS -- "$@"`,
# which builds circuitgrad in release, installs what the script needs (a venv under .venv/ with
# numpy + matplotlib, the peers for `compare`), then hands over to scripts/lib/driver.py, which
# writes CSV, PNG plots, summary.md and machine.md into a fresh run folder under docs/performance/
# (or --out DIR).
#
# Environment: CIRCUITGRAD=/path/to/circuitgrad skips the build; CG_SKIP_SETUP=1 skips scripts/setup;
# CG_NO_TORCH=1 does not try to install PyTorch; CG_VENV=DIR uses another venv folder.
set -euo pipefail

CG_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CG_VENV="${CG_VENV:-$CG_ROOT/.venv}"
CG_SCRIPT="$(basename "$0")"
# The command a run folder records (machine.md), relative to the repository root.
CG_COMMAND="bash scripts/$CG_SCRIPT"
if (($#)); then CG_COMMAND+="$(printf ' %q' "$@")"; fi
export CG_COMMAND

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
    local traits flags; traits=$(bash "$CG_ROOT/scripts/lib/swift-traits")
    flags=$(bash "$CG_ROOT/scripts/lib/swift-release-flags")
    cg_log "building circuitgrad (swift build -c release --product circuitgrad $traits $flags)"
    (cd "$CG_ROOT" && swift build -c release --product circuitgrad $traits $flags >&2)
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

# The whole of a measurement script: `cg_measure SUBCOMMAND NEED... -- SCRIPT_ARGUMENTS...`.
# --help is answered without building or installing; otherwise setup, build, the needs, then
# `driver.py SUBCOMMAND --circuitgrad BINARY SCRIPT_ARGUMENTS`. A NEED is module=package (pip into
# the venv; the driver then runs on the venv's python, else on python3), `time` (/usr/bin/time),
# `cc` (a C compiler) or `torch` (try PyTorch; when it cannot be installed, the summary says so).
cg_measure() {
  local subcommand="$1" need needs=() pips=() extra=() torch=""
  shift
  while [[ $# -gt 0 && "$1" != "--" ]]; do needs+=("$1"); shift; done
  [[ $# -gt 0 ]] && shift
  if cg_wants_help "$@"; then exec python3 "$CG_ROOT/scripts/lib/driver.py" "$subcommand" --help; fi
  cg_setup
  cg_build
  for need in "${needs[@]}"; do
    case "$need" in
      time) cg_need_time ;;
      cc) command -v cc >/dev/null || command -v gcc >/dev/null || cg_apt gcc libc6-dev ;;
      torch) torch=1 ;;
      *=*) pips+=("$need") ;;
      *) echo "error: cg_measure: unknown need '$need'" >&2; exit 2 ;;
    esac
  done
  PY=python3
  if ((${#pips[@]})); then cg_venv "${pips[@]}"; fi
  if [[ -n "$torch" ]]; then
    cg_try_torch
    [[ -n "$TORCH_NOTE" ]] && extra=(--note "$TORCH_NOTE")
  fi
  exec "$PY" "$CG_ROOT/scripts/lib/driver.py" "$subcommand" --circuitgrad "$CG" "${extra[@]}" "$@"
}
