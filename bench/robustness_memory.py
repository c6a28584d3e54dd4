"""Peak memory and time of reading (and optionally auditing) one large file.

    python bench/robustness_memory.py [SIZE_MB] [--check]

Writes a SIZE_MB (default 200) file of varied prose to a temporary folder, then in a
fresh process reads it with the size limit raised (engine.read_document) and reports
wall time and peak RSS growth as a multiple of the file's size. With ``--check`` it
also runs ``srcaudit check`` on it (every registered rule) in another fresh process.
"""

from __future__ import annotations

import random
import subprocess
import sys
import tempfile
from pathlib import Path

READ = """
import resource, sys, time
from pathlib import Path
from srcaudit.discovery import SourceFile
from srcaudit.engine import read_document
path = Path(sys.argv[1])
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.perf_counter()
document = read_document(SourceFile(path.name, path), 1 << 40)
seconds = time.perf_counter() - started
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(f"{seconds:.2f} {(after - before) * 1024} {len(document.lines)} {len(document.paragraphs)}")
"""


def write_prose(path: Path, size: int, seed: int = 1) -> None:
    """Varied paragraphs (a 5,000-word vocabulary), blank-line separated, ``size`` bytes."""
    rng = random.Random(seed)
    vocabulary = [f"{rng.choice('bcdfgklmnprst')}{rng.choice('aeiou')}{rng.choice('lmnrst')}{n}" for n in range(5000)]
    with open(path, "w", encoding="utf-8") as handle:
        written = 0
        while written < size:
            paragraph = " ".join(rng.choices(vocabulary, k=rng.randint(20, 80))).capitalize() + ".\n\n"
            written += handle.write(paragraph)


def peak_read(path: Path) -> tuple[float, int, int, int]:
    """(seconds, peak RSS growth in bytes, lines, paragraphs) of reading ``path`` in a fresh process."""
    out = subprocess.run([sys.executable, "-c", READ, str(path)], capture_output=True, text=True, check=True)
    seconds, growth, lines, paragraphs = out.stdout.split()
    return float(seconds), int(growth), int(lines), int(paragraphs)


def main() -> None:
    size_mb = float(next((a for a in sys.argv[1:] if not a.startswith("-")), 200))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.txt"
        write_prose(path, int(size_mb * 1024 * 1024))
        size = path.stat().st_size
        seconds, growth, lines, paragraphs = peak_read(path)
        print(f"file: {size / 1048576:.0f} MB, {lines} lines, {paragraphs} paragraphs")
        print(f"read_document: {seconds:.1f} s, peak RSS growth {growth / 1048576:.0f} MB "
              f"= {growth / size:.2f} x the file size")
        if "--check" in sys.argv:
            (Path(folder) / "rules.toml").write_text(f"max-file-size-mb = {size_mb * 2}\n", encoding="utf-8")
            timed = subprocess.run(["/usr/bin/time", "-f", "%e s, peak RSS %M KB", sys.executable, "-c",
                                    "import sys; from srcaudit.cli import main; sys.exit(main())",
                                    "check", "--jobs", "1", "--quiet", "big.txt"],
                                   cwd=folder, capture_output=True, text=True)
            print("srcaudit check:", timed.stderr.strip().splitlines()[-1], f"(exit {timed.returncode})")


if __name__ == "__main__":
    main()
