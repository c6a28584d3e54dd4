"""Peak memory and time of reading (and optionally auditing) one large file.

    python bench/robustness_memory.py [SIZE_MB] [--check] [--hooks [--only PLUGIN ...]]

Writes a SIZE_MB (default 200) file of varied prose to a temporary folder, then in a
fresh process reads it with the size limit raised (engine.read_document) and reports
wall time and peak RSS growth as a multiple of the file's size. With ``--check`` it
also runs ``srcaudit check --select ALL`` on it (every registered rule, the limit raised
in a rules.toml) in another fresh process and prints wall and CPU time and peak RSS.
With ``--hooks`` it calls every hook implementation on the document in turn, in a fresh
process, and prints each one's CPU time and peak RSS above what was resident before the
call, and how much of it stays resident after the call (Linux: the peak is reset through
/proc/self/clear_refs between hooks). Hooks run in the order the engine calls them, so a
hook may reuse memory an earlier one freed: ``--only PLUGIN`` measures one plugin alone.
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


HOOKS = """
import re, sys, time
from pathlib import Path
from srcaudit.corpus import Corpus, DocumentFacts
from srcaudit.discovery import SourceFile
from srcaudit.engine import read_document
from srcaudit.plugins import collect_rules, create_plugin_manager
from srcaudit.rules import ActiveRules

def resident():  # (current, peak) RSS in bytes
    status = open("/proc/self/status").read()
    return tuple(int(re.search(name + r":\\s+(\\d+)", status).group(1)) * 1024 for name in ("VmRSS", "VmHWM"))

def reset_peak():
    with open("/proc/self/clear_refs", "w") as handle:
        handle.write("5")

def call(impl, **arguments):  # as pluggy does: each implementation takes the arguments it names
    return impl.function(*(arguments[name] for name in impl.argnames))

def measure(label, call):
    if only and label.split()[0] not in only + ["read_document"]:
        return None
    reset_peak()
    before, _ = resident()
    started = time.process_time()
    result = call()
    if hasattr(result, "__next__"):
        result = list(result)
    seconds = time.process_time() - started
    now, peak = resident()
    print(f"{seconds:8.1f} s {(peak - before) / size:6.2f} x {(now - before) / size:6.2f} x  {label}", flush=True)
    return result

path = Path(sys.argv[1])
only = sys.argv[2:]  # plugin names; none: every plugin
size = path.stat().st_size
manager, _ = create_plugin_manager()
rules = ActiveRules({code: rule.default_options() for code, rule in collect_rules(manager).items()})
document = measure("read_document", lambda: read_document(SourceFile(path.name, path), 1 << 40))
roles = None
for impl in reversed(manager.hook.srcaudit_classify_lines.get_hookimpls()):
    roles = measure(f"{impl.plugin_name} classify_lines", lambda: call(impl, document=document, rules=rules))
    if roles is not None:
        document = document.with_line_roles(tuple(roles))
        break
facts = {}
for hook in ("check_document", "measure_document", "extract_facts"):
    for impl in reversed(getattr(manager.hook, "srcaudit_" + hook).get_hookimpls()):
        result = measure(f"{impl.plugin_name} {hook}", lambda: call(impl, document=document, rules=rules))
        if hook == "extract_facts" and result:
            facts.update(result)
corpus = Corpus((DocumentFacts(document.path, document.content_hash, len(document.lines), facts),))
del document
for hook in ("check_corpus", "measure_corpus"):
    for impl in reversed(getattr(manager.hook, "srcaudit_" + hook).get_hookimpls()):
        measure(f"{impl.plugin_name} {hook}", lambda: call(impl, corpus=corpus, rules=rules))
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
    size_mb = float(sys.argv[1]) if len(sys.argv) > 1 and not sys.argv[1].startswith("-") else 200.0
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.txt"
        write_prose(path, int(size_mb * 1024 * 1024))
        size = path.stat().st_size
        seconds, growth, lines, paragraphs = peak_read(path)
        print(f"file: {size / 1048576:.0f} MB, {lines} lines, {paragraphs} paragraphs")
        print(f"read_document: {seconds:.1f} s, peak RSS growth {growth / 1048576:.0f} MB "
              f"= {growth / size:.2f} x the file size")
        if "--hooks" in sys.argv:
            print("per hook: CPU time, peak and kept RSS above the resident set before the call (x the file size)")
            only = sys.argv[sys.argv.index("--only") + 1:] if "--only" in sys.argv else []
            subprocess.run([sys.executable, "-c", HOOKS, str(path), *only], check=True)
        if "--check" in sys.argv:
            (Path(folder) / "rules.toml").write_text(f"max-file-size-mb = {size_mb * 2}\n", encoding="utf-8")
            timed = subprocess.run(["/usr/bin/time", "-f", "%e %U %S %M", sys.executable, "-c",
                                    "import sys; from srcaudit.cli import main; sys.exit(main())",
                                    "check", "--select", "ALL", "--jobs", "1", "--no-cache", "--quiet", "big.txt"],
                                   cwd=folder, capture_output=True, text=True)
            wall, user, system, peak_kb = timed.stderr.strip().splitlines()[-1].split()
            peak = int(peak_kb) * 1024
            print(f"srcaudit check (all rules): {float(wall):.1f} s wall, {float(user) + float(system):.1f} s CPU, "
                  f"peak RSS {peak / 1048576:.0f} MB = {peak / size:.2f} x the file size (exit {timed.returncode})")


if __name__ == "__main__":
    main()
