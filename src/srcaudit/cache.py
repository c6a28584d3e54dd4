"""A content-hash cache of the map phase: unchanged documents are not read twice.

The map phase is a pure function of a file's bytes, the path findings name, the code
that ran (srcaudit and every plugin) and the rules' effective options, so its result
(:class:`~srcaudit.engine.DocumentOutcome`: findings, measures, facts with their numpy
arrays, problems) can be reused whenever all of those are unchanged. The reduce phase
then runs on cached facts exactly as on fresh ones.

Storage is one SQLite database (stdlib, WAL mode, one row per document): concurrent runs
read while another writes, writes are transactional, and 100k rows load in one indexed
pass. A row keeps the document's facts apart from the rest of its outcome: a warm run
loads every outcome's findings and summary, but facts only when a corpus rule asks for
them (:meth:`DocumentCache.load_facts`); with an incremental reduce
(:mod:`srcaudit.incremental`), that is only the documents a change touches. The folder
also keeps each file's signature when it was last hashed (size, times, inode: an
untouched file is not read again) and the reduce phase's bases, one file per run key.
Every value carries a checksum and is validated after unpickling; a damaged row is
recomputed, a damaged database is set aside and rebuilt. The cache is as trusted as the
user's own files (like ``__pycache__``): it is pickled data, never read from the audited
tree unless the user put the cache there.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import importlib.metadata
import json
import os
import pickle
import sqlite3
import sys
import tempfile
import time
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pluggy

from . import __version__
from .corpus import DocumentFacts
from .discovery import SourceFile
from .findings import Finding
from .report import DocumentSummary, Problem
from .suppressions import Suppression

if TYPE_CHECKING:
    from .engine import DocumentOutcome

CACHE_DIR_NAME = ".srcaudit_cache"
DATABASE_NAME = "documents.sqlite"
#: Bump when the stored layout changes: old rows then simply stop matching.
SCHEMA = 5
#: Rows not used for this long are dropped (other option sets, other checkouts).
STALE_AFTER = 30 * 86400
#: ``used`` is refreshed at most this often, so a warm run stays (almost) read-only.
TOUCH_EVERY = 86400
_QUERY_CHUNK = 900  # below SQLite's limit on bound parameters
_INSERT = ("INSERT OR REPLACE INTO entries (key, file, run_key, used, checksum, value, facts_checksum, facts) "
           "VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
_WRITE_BATCH = 500  # rows per write transaction: other runs wait for one batch at most
#: Files of whole-run state: the reduce phase's bases (:mod:`srcaudit.incremental`), one per
#: run key, and the last results (:mod:`srcaudit.replay`), one per run key and scope.
BASE_PREFIX = "reduce-"
RESULTS_PREFIX = "results-"
#: Files of each kind kept (the newest): other option sets, older code.
KEEP_STATES = 3
#: State files end with the CRC-32 of what precedes them: they are hundreds of MB at 100k
#: documents, and the check is against damage (a truncated or overwritten file), not
#: tampering; blake2b cost ~0.25 s a file to read and again to write.
_STATE_CHECKSUM = 4


@dataclass
class CacheStats:
    """What one run did with the cache: the counters tests and ``--debug`` look at."""

    hits: int = 0
    misses: int = 0
    stored: int = 0
    damaged: int = 0
    pruned: int = 0
    problems: list[Problem] = field(default_factory=list)
    #: Corpus plugins that updated their results from their base, and those that ran in full.
    updated: list[str] = field(default_factory=list)
    rebased: list[str] = field(default_factory=list)
    #: Documents whose results were the last run's, replayed as saved (:mod:`srcaudit.replay`).
    replayed: int = 0

    def describe(self) -> str:
        text = (f"cache: {self.hits} reused, {self.misses} computed, {self.stored} stored, "
                f"{self.damaged} damaged, {self.pruned} pruned")
        if self.replayed:
            text += f"; {self.replayed} replayed as last reported"
        if self.updated or self.rebased:
            text += (f"; corpus rules updated: {', '.join(self.updated) or 'none'}, "
                     f"run in full: {', '.join(self.rebased) or 'none'}")
        return text


@dataclass(frozen=True, slots=True)
class Probe:
    """One source as the cache sees it: its key, or ``None`` when it cannot be cached."""

    source: SourceFile
    key: str | None
    #: The file's absolute path (the cache's rows name files by it).
    file: str = ""


def default_cache_dir(config_source: Path | None) -> Path:
    """``.srcaudit_cache/`` next to the configuration file, else in the current folder."""
    return (config_source.parent if config_source is not None else Path.cwd()) / CACHE_DIR_NAME


def run_key(options: Mapping[str, Mapping[str, Any]], max_file_size: int, manager: pluggy.PluginManager) -> str:
    """Everything besides the file that decides the map phase's result, hashed.

    srcaudit's version and code, each plugin with its distribution's version (plugins
    registered as objects count by module name) and the code of its module, the
    effective options of the active rules, the size limit, and the versions of Python and
    numpy (pickled arrays).
    """
    return _digest(json.dumps(key_components(options, max_file_size, manager), sort_keys=True, default=repr))


def key_components(options: Mapping[str, Mapping[str, Any]], max_file_size: int,
                   manager: pluggy.PluginManager) -> dict[str, Any]:
    """The parts of :func:`run_key`, readable (tests change one part at a time)."""
    import numpy

    known = getattr(manager, "distributions", {})  # entry-point plugins: srcaudit.plugins.PluginManager
    plugins = sorted(_plugin_identity(name, plugin, known) for name, plugin in manager.list_name_plugin())
    return {
        "schema": SCHEMA,
        "srcaudit": [__version__, _code_fingerprint(sys.modules[__package__])],
        "plugins": plugins,
        "options": {code: dict(values) for code, values in sorted(options.items())},
        "max_file_size": max_file_size,
        "python": sys.version,
        "numpy": numpy.__version__,
    }


def _plugin_identity(name: str, plugin: object, known: Mapping[str, str]) -> list[str]:
    module_name = plugin.__name__ if isinstance(plugin, type(sys)) else type(plugin).__module__
    module = sys.modules.get(module_name)
    dist_versions = []
    for dist in [known[name]] if name in known else _distributions_of(module_name.split(".")[0]):
        try:
            dist_versions.append(f"{dist}=={importlib.metadata.version(dist)}")
        except importlib.metadata.PackageNotFoundError:
            dist_versions.append(dist)
    return [name, module_name, ",".join(dist_versions), _code_fingerprint(module) if module else ""]


def _distributions_of(top_module: str) -> list[str]:
    """The distributions that install ``top_module`` (plugins registered by module name or object)."""
    return sorted(set(_installed_packages().get(top_module, ())))


@functools.lru_cache(maxsize=1)
def _installed_packages() -> Mapping[str, list[str]]:
    # Reads every installed package's metadata: once, and only for a plugin that did not
    # come from an entry point.
    return importlib.metadata.packages_distributions()


def _code_fingerprint(module: Any) -> str:
    """Size and modification time of a module's source files: an edited plugin (an editable
    install, a local module) invalidates the cache even though its version did not change."""
    location = getattr(module, "__file__", None)
    if not location:
        return ""
    path = Path(location)
    files = sorted(path.parent.rglob("*.py")) if path.name == "__init__.py" else [path]
    parts = []
    for file in files[:2000]:
        try:
            stat = file.stat()
        except OSError:
            continue
        parts.append(f"{file.name}:{stat.st_size}:{stat.st_mtime_ns}")
    return _digest("|".join(parts))


def _digest(text: str | bytes) -> str:
    data = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    return hashlib.blake2b(data, digest_size=20).hexdigest()


#: A file is hashed again unless its size, times and inode match what was recorded when it
#: was last hashed; and that is recorded only for a file left alone for this long before,
#: so that a write in the same clock tick as the hashing cannot go unseen (git's "racily
#: clean" files). A fresh checkout (CI) has new times everywhere: every file is hashed.
SETTLED_NS = 2_000_000_000

#: What identifies a file's state without reading it: size, mtime, ctime (which no program
#: can set back), inode.
FileSignature = tuple[int, int, int, int]


def probe(sources: Iterable[SourceFile], key_of_run: str, max_file_size: int,
          hashed: Mapping[str, tuple[FileSignature, bytes]] | None = None,
          learned: list[tuple[str, FileSignature, bytes]] | None = None) -> Iterator[Probe]:
    """Each file's cache key: the hash of its bytes (no decoding) with the run key and its path.

    ``hashed`` holds the content hash last computed for each file (by absolute path) with
    its signature then: a file whose signature is unchanged is not read. Files hashed
    here that have settled (:data:`SETTLED_NS`) are added to ``learned``.
    Files that cannot be read or are over the size limit get no key: the map phase
    reports them as usual, and such outcomes are not cached.
    """
    now = time.time_ns()
    run = key_of_run.encode()
    cwd = os.getcwd()  # os.path.abspath asks for it again for every relative path
    for source in sources:
        file = os.path.normpath(os.path.join(cwd, source.path))
        try:
            status = os.stat(file)
        except OSError:
            yield Probe(source, None)
            continue
        if status.st_size > max_file_size:
            yield Probe(source, None)
            continue
        signature = (status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino)
        known = hashed.get(file) if hashed else None
        if known is not None and known[0] == signature:
            content = known[1]
        else:
            try:
                with open(file, "rb") as handle:
                    data = handle.read(max_file_size + 1)
            except OSError:
                yield Probe(source, None)
                continue
            if len(data) > max_file_size:
                yield Probe(source, None)
                continue
            content = hashlib.blake2b(data, digest_size=20).digest()
            if learned is not None and max(status.st_mtime_ns, status.st_ctime_ns) < now - SETTLED_NS:
                learned.append((file, signature, content))
        yield Probe(source, _digest(b"\0".join([run, source.display.encode("utf-8", "surrogatepass"), content])), file)


class DocumentCache:
    """The cache folder of one run. Never raises for a cache problem: it reports and gives up."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.stats = CacheStats()
        self._connection: sqlite3.Connection | None = None
        self._seen: list[tuple[str, str]] = []  # (key, file) of every cacheable source this run
        #: The run key of this run's lookup (the engine's incremental reduce reads its base with it).
        self.key_of_run: str | None = None
        self._learned: list[tuple[str, FileSignature, bytes]] = []  # files hashed this run, to record
        self._disabled = False

    # -- opening -------------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection | None:
        if self._connection is not None:
            return self._connection
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            ignore = self.directory / ".gitignore"
            if not ignore.exists():
                ignore.write_text("# Created by srcaudit: the cache is not part of the project.\n*\n",
                                  encoding="utf-8")
        except OSError as exc:
            return self._give_up(f"cannot create {self.directory}: {exc.strerror or exc}")
        try:
            self._connection = _open_database(self.database)
        except sqlite3.OperationalError as exc:
            if _is_busy(exc):  # another run holds the database: not damage, never set it aside
                return self._give_up(f"cache database {self.database} is busy ({exc})")
            return self._reset(exc)
        except sqlite3.DatabaseError as exc:
            return self._reset(exc)
        return self._connection

    @property
    def database(self) -> Path:
        return self.directory / DATABASE_NAME

    def _reset(self, error: Exception) -> sqlite3.Connection | None:
        """Set a damaged database aside (truncated, overwritten, malformed) and start afresh."""
        self._close()
        database = self.database
        self._add_problem(f"damaged cache database {database} ({error}): rebuilt")
        try:
            database.replace(database.with_name(f"{DATABASE_NAME}.damaged"))
            for suffix in ("-wal", "-shm"):
                database.with_name(DATABASE_NAME + suffix).unlink(missing_ok=True)
            self._connection = _open_database(database)
        except (OSError, sqlite3.Error) as retry:
            return self._give_up(f"cannot rebuild the cache database: {retry}")
        return self._connection

    def _give_up(self, message: str) -> None:
        self._add_problem(f"{message}; running without the cache")
        self._connection = None
        self._disabled = True
        return None

    def _add_problem(self, message: str) -> None:
        self.stats.problems.append(Problem("notice", message, None))

    # -- the run ---------------------------------------------------------------------------

    def probe(self, sources: Iterable[SourceFile], key_of_run: str, max_file_size: int) -> list[Probe]:
        """:func:`probe`, skipping the files whose recorded signature still holds."""
        self.key_of_run = key_of_run
        hashed: dict[str, tuple[FileSignature, bytes]] = {}
        connection = None if self._disabled else self._connect()
        if connection is not None:
            try:
                for file, size, mtime, ctime, inode, content in connection.execute(
                        "SELECT file, size, mtime_ns, ctime_ns, inode, content FROM hashes"):
                    if isinstance(content, bytes):
                        hashed[file] = ((size, mtime, ctime, inode), content)
            except sqlite3.DatabaseError as exc:
                self._reset(exc)
                hashed = {}
        self._learned = []
        probes = list(probe(sources, key_of_run, max_file_size, hashed, self._learned))
        # Every file this run saw, looked up or not (a warm run that replays its last results
        # looks up only the changed ones): pruning keeps their rows and refreshes them.
        self._seen = [(p.key, p.file) for p in probes if p.key is not None]
        return probes

    def lookup(self, probes: list[Probe],
               prepare: Callable[[DocumentOutcome], None] | None = None) -> dict[str, DocumentOutcome]:
        """Cached outcomes by key, validated; damaged rows are counted and left for recomputing.

        Outcomes come without their facts: ``facts_stored`` says the cache holds them, for
        :meth:`load_facts`. ``prepare`` is applied to each outcome as soon as it is loaded.
        """
        keyed = [p for p in probes if p.key is not None]
        found: dict[str, DocumentOutcome] = {}
        connection = None if self._disabled else self._connect()
        if connection is None or not keyed:
            self.stats.misses = len(probes)
            return found
        by_key = {p.key: p.source for p in keyed}
        keys = list(by_key)
        # Loading creates hundreds of thousands of small acyclic objects: the cyclic garbage
        # collector would rescan the growing heap again and again (3-4x the loading time).
        collecting = gc.isenabled()
        gc.disable()
        try:
            for start in range(0, len(keys), _QUERY_CHUNK):
                chunk = keys[start:start + _QUERY_CHUNK]
                rows = connection.execute(
                    f"SELECT key, checksum, value, facts IS NOT NULL FROM entries "
                    f"WHERE key IN ({','.join('?' * len(chunk))})", chunk)
                for key, checksum, value, has_facts in rows:
                    outcome = _load(value, checksum, by_key[key])
                    if outcome is None:
                        self.stats.damaged += 1
                    else:
                        outcome.cache_key = key
                        outcome.facts_stored = bool(has_facts)
                        if prepare is not None:
                            prepare(outcome)
                        found[key] = outcome
        except sqlite3.DatabaseError as exc:
            self._reset(exc)
            found = {}
        finally:
            if collecting:
                gc.enable()
        self.stats.hits = len(found)
        self.stats.misses = len(probes) - len(found)
        if self.stats.damaged:
            self._add_problem(f"{self.stats.damaged} damaged cache entr{'ies' if self.stats.damaged > 1 else 'y'}: "
                              "recomputed")
        return found

    def load_facts(self, wanted: list[tuple[str, str]]) -> dict[str, DocumentFacts]:
        """The stored facts of ``(key, path)`` pairs, by key; a missing or damaged one is left out.

        The caller maps a left-out document again (the map phase is a pure function of the
        file), so damage found this late costs time, never a wrong result.
        """
        found: dict[str, DocumentFacts] = {}
        connection = None if self._disabled else self._connect()
        if connection is None or not wanted:
            return found
        paths = dict(wanted)
        keys = list(paths)
        collecting = gc.isenabled()
        gc.disable()  # as in lookup: many small acyclic objects
        try:
            for start in range(0, len(keys), _QUERY_CHUNK):
                chunk = keys[start:start + _QUERY_CHUNK]
                rows = connection.execute(
                    f"SELECT key, facts_checksum, facts FROM entries WHERE key IN ({','.join('?' * len(chunk))})",
                    chunk)
                for key, checksum, value in rows:
                    facts = _load_facts(value, checksum, paths[key])
                    if facts is not None:
                        found[key] = facts
        except sqlite3.DatabaseError as exc:
            self._add_problem(f"cannot read facts from the cache: {exc}")
        finally:
            if collecting:
                gc.enable()
        return found

    def store(self, computed: Iterable[tuple[str, DocumentOutcome, bytes | None]], key_of_run: str) -> None:
        """Save fresh outcomes (not those with errors: a failure is retried next time),
        refresh the rows this run used, and prune rows of files that are gone.

        ``computed`` gives ``(key, outcome, pickled)``: ``pickled`` is the outcome as a
        worker process pickled it, as ``(outcome without facts, facts or None)``
        (:func:`srcaudit.engine.split_pickle`; stored as they are), or None to pickle it here. It is read
        batch by batch, so outcomes are stored while the rest are still being mapped.
        """
        connection = self._connection
        if connection is None:
            return
        now = int(time.time())
        try:
            for batch in _batches(self._rows(computed, key_of_run, now), _WRITE_BATCH):
                self._write(connection, partial(connection.executemany, _INSERT, batch))
                self.stats.stored += len(batch)
            for learned in _batches(((file, *signature, content) for file, signature, content in self._learned),
                                    _WRITE_BATCH * 10):
                self._write(connection, partial(connection.executemany,
                                                "INSERT OR REPLACE INTO hashes VALUES (?, ?, ?, ?, ?, ?)", learned))
            self._write(connection, partial(self._prune, connection, key_of_run, now))
        except sqlite3.Error as exc:
            self._add_problem(f"cannot write the cache: {exc}")

    def _rows(self, computed: Iterable[tuple[str, DocumentOutcome, tuple[bytes, bytes | None] | None]],
              key_of_run: str, now: int) -> Iterator[tuple[Any, ...]]:
        from .engine import split_pickle

        files = dict(self._seen)
        for key, outcome, pickled in computed:
            if any(problem.level == "error" for problem in outcome.problems):
                continue
            value, facts = pickled if pickled is not None else split_pickle(outcome, pickle.HIGHEST_PROTOCOL)
            yield (key, files.get(key, ""), key_of_run, now, _digest(value), value,
                   None if facts is None else _digest(facts), facts)

    @staticmethod
    def _write(connection: sqlite3.Connection, work: Callable[[], object]) -> None:
        """One short write transaction: values are pickled before it, so the lock is held briefly."""
        connection.execute("BEGIN IMMEDIATE")
        try:
            work()
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")

    def _prune(self, connection: sqlite3.Connection, key_of_run: str, now: int) -> None:
        """Drop what can no longer be hit, without touching rows of files this run did not read.

        A run over a subset of the files must not wipe the rest: rows go when their file
        is gone, when this run saw the same file with other content under the same
        settings, or when nothing used them for :data:`STALE_AFTER`.
        """
        # Decided here from one scan of the rows' small columns, not with SQL subqueries over
        # a temporary table of every key seen (100k documents: ~1 s of CPU a run).
        seen_keys = {key for key, _ in self._seen}
        seen_files = {file for _, file in self._seen}
        touch, drop, unseen = [], [], set()
        for key, file, run, used in connection.execute("SELECT key, file, run_key, used FROM entries"):
            if key in seen_keys:
                if used < now - TOUCH_EVERY:
                    touch.append((now, key))
            elif used < now - STALE_AFTER or (run == key_of_run and file in seen_files):
                drop.append((key,))  # unused for long, or a superseded version of a file this run read
            elif file not in seen_files:
                unseen.add(file)
        connection.executemany("UPDATE entries SET used = ? WHERE key = ?", touch)
        pruned = connection.executemany("DELETE FROM entries WHERE key = ?", drop).rowcount if drop else 0
        gone = [(file,) for file in sorted(unseen) if not os.path.exists(file)]
        if gone:
            pruned += connection.executemany("DELETE FROM entries WHERE file = ?", gone).rowcount
            connection.executemany("DELETE FROM hashes WHERE file = ?", gone)
        self.stats.pruned = pruned

    # -- files of whole-run state: the reduce phase's bases, the last results ----------------

    def _state_file(self, prefix: str, key: str) -> Path:
        return self.directory / f"{prefix}{key[:32]}.pickle"

    def load_base(self, key_of_run: str) -> Any | None:
        """The reduce phase's base saved for ``key_of_run`` (:mod:`srcaudit.incremental`), or None
        (none saved, unreadable, damaged: a full reduce)."""
        return self._load_state(BASE_PREFIX, key_of_run, "reduce state", "the corpus rules ran in full")

    def save_base(self, key_of_run: str, base: Any) -> None:
        """Save the reduce phase's base for ``key_of_run`` (:meth:`_save_state`)."""
        self._save_state(BASE_PREFIX, key_of_run, base, "the reduce state")

    def load_results(self, key: str) -> Any | None:
        """The last results saved under ``key`` (:mod:`srcaudit.replay`), or None."""
        return self._load_state(RESULTS_PREFIX, key, "saved results", "every document was reported afresh")

    def save_results(self, key: str, results: Any) -> None:
        """Save a run's results under ``key`` (:meth:`_save_state`)."""
        self._save_state(RESULTS_PREFIX, key, results, "the results")

    def _load_state(self, prefix: str, key: str, what: str, consequence: str) -> Any | None:
        """A state file's object; None when there is none or it is damaged (a notice).

        The file is the pickle followed by its CRC-32 (computed as it streamed out)."""
        if self._disabled:
            return None
        target = self._state_file(prefix, key)
        try:
            data = target.read_bytes()
        except OSError:
            return None
        payload = memoryview(data)[:-_STATE_CHECKSUM]
        if len(data) < _STATE_CHECKSUM or zlib.crc32(payload).to_bytes(_STATE_CHECKSUM, "big") != data[-_STATE_CHECKSUM:]:
            self._add_problem(f"damaged {what} {target}: {consequence}")
            return None
        collecting = gc.isenabled()
        gc.disable()
        try:
            return pickle.loads(payload)
        except Exception:  # a damaged pickle can raise almost anything
            self._add_problem(f"unreadable {what} {target}: {consequence}")
            return None
        finally:
            if collecting:
                gc.enable()

    def _save_state(self, prefix: str, key: str, state: Any, what: str) -> None:
        """Write a state file atomically (a reader sees the old file or the new one), and drop
        all but the newest :data:`KEEP_STATES` files of its kind (other option sets, older code)."""
        if self._disabled or not self.directory.is_dir():  # the run opened (and made) the folder
            return
        target = self._state_file(prefix, key)
        written = None
        try:
            with tempfile.NamedTemporaryFile(dir=self.directory, prefix=".state-", delete=False) as handle:
                written = Path(handle.name)
                out = _ChecksummedWriter(handle)  # streamed: the pickle is never whole in memory
                pickle.dump(state, out, pickle.HIGHEST_PROTOCOL)
                handle.write(out.crc.to_bytes(_STATE_CHECKSUM, "big"))
            os.replace(written, target)
            kept = sorted(self.directory.glob(f"{prefix}*.pickle"), key=_modified, reverse=True)
            for old in kept[KEEP_STATES:]:
                old.unlink(missing_ok=True)
        except OSError as exc:
            self._add_problem(f"cannot save {what}: {exc.strerror or exc}")
            if written is not None:
                written.unlink(missing_ok=True)

    def close(self) -> None:
        self._close()

    def _close(self) -> None:
        if self._connection is not None:
            try:
                self._connection.close()
            except sqlite3.Error:
                pass
            self._connection = None


#: How long opening waits for another run that holds the database (creating it, switching
#: it to WAL): SQLite's busy handler does not cover the journal-mode switch.
LOCK_WAIT_SECONDS = 10.0


def _is_busy(error: sqlite3.OperationalError) -> bool:
    message = str(error).lower()
    return "locked" in message or "busy" in message


def _open_database(path: Path) -> sqlite3.Connection:
    """Open (creating if needed) the cache database, waiting while another run holds it."""
    deadline = time.monotonic() + LOCK_WAIT_SECONDS
    while True:
        try:
            return _open_database_once(path)
        except sqlite3.OperationalError as exc:
            if not _is_busy(exc) or time.monotonic() >= deadline:
                raise
            time.sleep(0.05)


def _open_database_once(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path, timeout=30, isolation_level=None)
    try:
        connection.execute("PRAGMA busy_timeout = 30000")
        mode = connection.execute("PRAGMA journal_mode = WAL").fetchone()
        if mode is None:
            raise sqlite3.DatabaseError("cannot set the journal mode")
        connection.execute("PRAGMA synchronous = NORMAL")
        columns = {row[1] for row in connection.execute("PRAGMA table_info(entries)")}
        if columns and "facts" not in columns:  # an older srcaudit's layout: none of its rows can match
            connection.execute("DROP TABLE entries")
        connection.execute("CREATE TABLE IF NOT EXISTS entries (key TEXT PRIMARY KEY, file TEXT NOT NULL, "
                           "run_key TEXT NOT NULL, used INTEGER NOT NULL, checksum TEXT NOT NULL, "
                           "value BLOB NOT NULL, facts_checksum TEXT, facts BLOB)")
        connection.execute("CREATE INDEX IF NOT EXISTS entries_file ON entries (file)")
        # Covers pruning's scan of every row (:meth:`DocumentCache._prune`): without it the scan
        # reads the table's pages, which hold the outcomes (100k rows: 0.6 -> 0.09 s).
        connection.execute("CREATE INDEX IF NOT EXISTS entries_use ON entries (key, file, run_key, used)")
        connection.execute("CREATE TABLE IF NOT EXISTS hashes (file TEXT PRIMARY KEY, size INTEGER, "
                           "mtime_ns INTEGER, ctime_ns INTEGER, inode INTEGER, content BLOB)")
    except sqlite3.DatabaseError:
        connection.close()
        raise
    return connection


class _ChecksummedWriter:
    """A file that keeps the CRC-32 of what is written to it."""

    def __init__(self, handle: Any) -> None:
        self._handle = handle
        self.crc = 0

    def write(self, data: bytes) -> int:
        self.crc = zlib.crc32(data, self.crc)
        return self._handle.write(data)


def _modified(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _batches(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


_DAMAGED = object()


def _unpickled(value: Any, checksum: Any) -> Any:
    """The stored value, or ``_DAMAGED`` when its checksum or its pickle is wrong."""
    if not isinstance(value, bytes) or checksum != _digest(value):
        return _DAMAGED
    try:
        return pickle.loads(value)
    except Exception:  # a damaged pickle can raise almost anything
        return _DAMAGED


def _load_facts(value: Any, checksum: Any, path: str) -> DocumentFacts | None:
    """Unpickle and validate one document's facts; ``None`` for anything else."""
    facts = _unpickled(value, checksum)
    if type(facts) is not DocumentFacts or facts.path != path or not isinstance(facts.facts, dict):
        return None
    return facts


def _load(value: Any, checksum: Any, source: SourceFile) -> DocumentOutcome | None:
    """Unpickle and validate one row; ``None`` for anything that is not exactly what was stored."""
    from .engine import DocumentOutcome

    outcome = _unpickled(value, checksum)
    path = source.display
    if (type(outcome) is not DocumentOutcome
            or not (outcome.summary is None
                    or (isinstance(outcome.summary, DocumentSummary) and outcome.summary.path == path))
            or outcome.facts is not None
            or not isinstance(outcome.findings, list) or not isinstance(outcome.problems, list)
            or not all(isinstance(f, Finding) and f.path == path for f in outcome.findings)
            or not all(isinstance(p, Problem) for p in outcome.problems)
            or not isinstance(outcome.suppressions, list) or not isinstance(outcome.suppression_notices, list)
            or not all(isinstance(s, Suppression) and s.path == path for s in outcome.suppressions)
            or not all(isinstance(p, Problem) for p in outcome.suppression_notices)):
        return None
    outcome.source = source  # the file as this run names it (its display path is in the key)
    return outcome
