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


def repo_relative(arg):
    """An argument as it can be repeated from the repository root: absolute paths inside the
    repository (also after `--option=`) become relative, so run folders name no machine's paths."""
    prefix, sep, value = arg.partition("=") if arg.startswith("--") and "=" in arg else ("", "", arg)
    if os.path.isabs(value) and (value == ROOT or value.startswith(ROOT + os.sep)):
        value = os.path.relpath(value, ROOT)
    return prefix + sep + value


def recorded_command():
    """The command to repeat a run, from the repository root: the script the user ran
    (CG_COMMAND, set by scripts/lib/common.sh), else this driver's own arguments."""
    if os.environ.get("CG_COMMAND"):
        return os.environ["CG_COMMAND"]
    return " ".join(shlex.quote(repo_relative(a)) for a in ["scripts/lib/driver.py", *sys.argv[1:]])


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
             f"- build flags (release): {release_flags()}",
             f"- command: `{recorded_command()}`", ""]
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


def release_flags():
    """The extra flags the scripts' release build used (scripts/lib/swift-release-flags), unless
    CIRCUITGRAD named another binary."""
    if os.environ.get("CIRCUITGRAD"):
        return "unknown (CIRCUITGRAD given)"
    flags = subprocess.run(["bash", os.path.join(ROOT, "scripts", "lib", "swift-release-flags")],
                           capture_output=True, text=True).stdout.strip()
    return f"`{flags}`" if flags else "none (portable)"


def git_describe():
    """The short commit of this checkout, marked when it has uncommitted changes."""
    try:
        head = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", ROOT, "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True).stdout.strip()
        return head + (" (with uncommitted changes)" if dirty else "")
    except OSError:
        return "unknown"
