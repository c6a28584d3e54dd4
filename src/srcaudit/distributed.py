"""Run the per-document (map) phase on Dask instead of the built-in process pool.

The map phase is a pure function of one file and the :class:`~srcaudit.engine.RunSettings`
(plain, picklable data), so any engine that ships a function to workers can run it. This
module does it with a Dask bag over partitions of the discovered files: each partition
builds (once per worker process) the same plugin manager the engine uses, calls
:func:`~srcaudit.engine.map_documents` on the files and returns the outcomes. The outcomes
come back in input order and the engine runs the reduce phase, fingerprints and reports
unchanged, so the findings are byte-identical to a local run.

``srcaudit check --executor dask`` (local processes), ``dask:synchronous``,
``dask:threads``, ``dask:processes``, or ``dask:tcp://HOST:8786`` (a Dask cluster; every
worker needs the same srcaudit and plugins installed and must see the files at the same
absolute paths). Needs ``pip install 'srcaudit[dask]'``. See docs/scaling.md.
"""

from __future__ import annotations

import gc
import math
import multiprocessing
import pickle
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace

import pluggy

from .discovery import SourceFile
from .engine import DocumentOutcome, Mapper, RunSettings, map_documents
from .plugins import create_plugin_manager

INSTALL_HINT = "pip install 'srcaudit[dask]'"
LOCAL_SCHEDULERS = ("synchronous", "threads", "processes")
#: The most files one partition (one Dask task) maps: a lost task is cheap to redo.
MAX_PARTITION = 1000


class ExecutorError(ValueError):
    """An executor that cannot be used: unknown, its library missing, its scheduler out of
    reach, or a worker without the run's plugins."""


def mapper_for(spec: str | None, jobs: int) -> Mapper | None:
    """The mapper an ``--executor`` value names; ``None`` for the built-in pool.

    :param spec: ``pool`` (or empty), ``dask``, ``dask:SCHEDULER`` with a local scheduler
        name, or ``dask:ADDRESS`` of a Dask scheduler (``tcp://host:8786``).
    :param jobs: worker processes for the local ``processes`` scheduler.
    :raises ExecutorError: unknown value, or Dask (or ``distributed``) is not installed.
    """
    spec = (spec or "pool").strip()
    if spec in ("pool", "local"):
        return None
    engine, _, target = spec.partition(":")
    if engine != "dask":
        raise ExecutorError(f"unknown executor {spec!r}: use 'pool', 'dask', 'dask:SCHEDULER' "
                            f"({', '.join(LOCAL_SCHEDULERS)}) or 'dask:tcp://HOST:PORT'")
    target = target or "processes"
    _require("dask.bag", "Dask")
    if target == "sync":
        target = "synchronous"
    if target not in LOCAL_SCHEDULERS:
        if "://" not in target and ":" not in target:
            raise ExecutorError(f"unknown Dask scheduler {target!r}: use one of {', '.join(LOCAL_SCHEDULERS)} "
                                "or a scheduler address such as tcp://HOST:8786")
        _require("distributed", "Dask's distributed scheduler")
    return DaskMapper(scheduler=target, workers=max(1, jobs))


def _require(module: str, what: str) -> None:
    try:
        __import__(module)
    except ImportError as exc:
        raise ExecutorError(f"{what} is not installed ({exc}): {INSTALL_HINT}") from None


@dataclass(frozen=True)
class DaskMapper:
    """Maps files as a Dask bag: ``scheduler`` is a local scheduler name or an address."""

    scheduler: str = "processes"
    workers: int = 1

    def __call__(self, sources: list[SourceFile], settings: RunSettings,
                 manager: pluggy.PluginManager) -> list[DocumentOutcome]:
        import dask
        import dask.bag as db

        # Workers elsewhere have another working folder: read from absolute paths. The
        # display path (what findings name) is unchanged.
        sources = [replace(source, path=source.path.absolute()) for source in sources]
        expected = _plugin_names(manager)
        _prime(settings.plugin_modules, manager)
        # Outcomes leaving a worker process travel as one stdlib pickle per partition: Dask
        # would cloudpickle them object by object. With the gc freeze (_frozen), local
        # processes took 16-17 s CPU on BBC instead of 22 s (the pool: 15-16 s).
        packed = self.scheduler not in ("synchronous", "threads")
        with _scheduler(self.scheduler, self.workers) as (scheduler, slots):
            bag = db.from_sequence(sources, npartitions=partition_count(len(sources), slots))
            mapped = bag.map_partitions(_map_partition, settings, expected, packed)
            if self.scheduler not in LOCAL_SCHEDULERS:
                results = mapped.compute(scheduler=scheduler)
            else:
                with dask.config.set(_local_config(self.scheduler)), _frozen(self.scheduler):
                    results = mapped.compute(scheduler=scheduler, num_workers=slots)
        return [outcome for result in results for outcome in (pickle.loads(result) if packed else [result])]


def partition_count(files: int, slots: int) -> int:
    """Partitions for ``files`` over ``slots`` parallel workers.

    Four per slot so a slow partition cannot leave the others idle for long, and no
    partition above :data:`MAX_PARTITION` files so a task lost on a cluster is cheap to
    redo; each partition builds no plugin manager a worker already has.
    """
    return max(1, min(files, max(4 * slots, math.ceil(files / MAX_PARTITION))))


@contextmanager
def _scheduler(name: str, workers: int) -> Iterator[tuple[object, int]]:
    """What ``compute(scheduler=...)`` takes, and how many tasks can run at once."""
    if name in LOCAL_SCHEDULERS:
        yield name, 1 if name == "synchronous" else workers
        return
    from distributed import Client

    try:
        client = Client(name, set_as_default=False)
    except OSError as exc:
        raise ExecutorError(f"cannot reach the Dask scheduler {name}: {exc}") from None
    try:
        slots = sum(w.get("nthreads", 1) for w in client.scheduler_info()["workers"].values())
        yield client, max(1, slots)
    finally:
        client.close()


@contextmanager
def _frozen(scheduler: str) -> Iterator[None]:
    """As the built-in pool does: objects loaded so far are never collected, so forked
    workers do not walk (and copy) every page they inherit when they collect."""
    if scheduler != "processes":
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _local_config(scheduler: str) -> dict[str, object]:
    """Fork local worker processes where possible, as the built-in pool does: they inherit
    the loaded plugins and libraries instead of importing them again (seconds each)."""
    if scheduler == "processes" and "fork" in multiprocessing.get_all_start_methods():
        return {"multiprocessing.context": "fork"}
    return {}


# -- in the worker ------------------------------------------------------------------------

_managers: dict[tuple[str, ...], pluggy.PluginManager] = {}


def _prime(plugin_modules: tuple[str, ...], manager: pluggy.PluginManager) -> None:
    """Let partitions mapped in this process (and forked children) use the run's manager."""
    _managers[plugin_modules] = manager


def _plugin_names(manager: pluggy.PluginManager) -> tuple[str, ...]:
    return tuple(sorted(name for name, _ in manager.list_name_plugin()))


def _worker_manager(plugin_modules: tuple[str, ...], expected: tuple[str, ...]) -> pluggy.PluginManager:
    """This worker's plugin manager, built once; it must hold the plugins the run has."""
    manager = _managers.get(plugin_modules)
    if manager is None:
        manager, _ = create_plugin_manager(plugin_modules)
        _managers[plugin_modules] = manager
    found = _plugin_names(manager)
    if found != expected:
        missing = sorted(set(expected) - set(found))
        extra = sorted(set(found) - set(expected))
        raise ExecutorError(f"a Dask worker has other srcaudit plugins than the run (missing: {missing}, "
                           f"extra: {extra}): install the same srcaudit and plugins on every worker")
    return manager


def _map_partition(sources: list[SourceFile], settings: RunSettings, expected: tuple[str, ...],
                   packed: bool) -> list[DocumentOutcome] | list[bytes]:
    """One Dask task: the engine's own map phase over one partition of the files;
    ``packed``: the outcomes as one pickle, for a partition mapped in another process."""
    manager = _worker_manager(settings.plugin_modules, expected)
    outcomes = list(map_documents(sources, settings, manager))  # in batches, as the pool maps
    return [pickle.dumps(outcomes, protocol=pickle.HIGHEST_PROTOCOL)] if packed else outcomes
