"""machine.md of a run: CPU model, allowed cores, memory, kernel, git commit, the command, and the
hwloc topology (`circuitgrad topology --json`, or `lstopo-no-graphics` when that fails)."""
from __future__ import annotations

import datetime
import os
import platform
import shlex
import shutil
import subprocess
import sys

from run import ROOT, allowed_cpus


def record_machine(run):
    """Writes machine.md into the run folder; returns the CPU model."""
    cpu = "unknown"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = next((l.split(":", 1)[1].strip() for l in open("/proc/meminfo") if l.startswith("MemTotal")), "?")
    lines = [f"# Machine for {run.name}", "",
             f"- date: {datetime.datetime.now().isoformat(timespec='seconds')}",
             f"- CPU model: {cpu}",
             f"- nproc: {os.cpu_count()} online, {len(allowed_cpus())} allowed ({allowed_cpus()})",
             f"- memory: {mem}",
             f"- kernel: {platform.platform()}",
             f"- git: {git_describe()}",
             f"- command: `{' '.join(shlex.quote(a) for a in sys.argv)}`", ""]
    try:
        topology = subprocess.run([run.cg, "topology", "--json"], capture_output=True, text=True, timeout=60)
        if topology.returncode == 0 and topology.stdout.strip():
            lines += ["## circuitgrad topology --json", "", "```json", topology.stdout.strip(), "```", ""]
        else:
            raise RuntimeError(topology.stderr.strip())
    except Exception as error:  # fall back to hwloc's own tool
        lines += [f"(circuitgrad topology unavailable: {str(error)[:200]})", ""]
        if shutil.which("lstopo-no-graphics"):
            text = subprocess.run(["lstopo-no-graphics", "--of", "console"], capture_output=True, text=True).stdout
            lines += ["## lstopo-no-graphics", "", "```", text.strip(), "```", ""]
    with open(run.path("machine.md"), "w") as handle:
        handle.write("\n".join(lines))
    return cpu


def git_describe():
    """The short commit of this checkout, marked when it has uncommitted changes."""
    try:
        head = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", ROOT, "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True).stdout.strip()
        return head + (" (with uncommitted changes)" if dirty else "")
    except OSError:
        return "unknown"
