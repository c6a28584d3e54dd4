"""Memory a plugin's hook needs per byte of a large document (through bench/robustness_memory.py).

Each size runs in a fresh process; measuring at two sizes makes the fixed part (loaded
dictionaries, tokeniser caches, numpy buffers) cancel out of the per-byte figure.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

from conftest import REPO


def hook_bytes_per_byte(folder: Path, plugin: str, hook: str, sizes: tuple[int, int] = (4, 16)) -> tuple[float, float]:
    """(peak, left resident) growth of ``plugin``'s ``hook`` per byte of added text, between two sizes in MB."""
    spec = importlib.util.spec_from_file_location("robustness_memory", REPO / "bench" / "robustness_memory.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    peak, kept = {}, {}
    for megabytes in sizes:
        path = folder / f"large{megabytes}.txt"
        bench.write_prose(path, megabytes * 1024 * 1024)
        out = subprocess.run([sys.executable, "-c", bench.HOOKS, str(path), plugin], capture_output=True,
                             text=True, check=True, timeout=300).stdout
        [line] = [line for line in out.splitlines() if line.endswith(f"{plugin} {hook}")]
        fields = line.split()
        peak[megabytes] = float(fields[2]) * path.stat().st_size
        kept[megabytes] = float(fields[4]) * path.stat().st_size
        path.unlink()
    added = (sizes[1] - sizes[0]) * 1024 * 1024
    return (peak[sizes[1]] - peak[sizes[0]]) / added, (kept[sizes[1]] - kept[sizes[0]]) / added
