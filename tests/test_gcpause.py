"""The run pauses the cyclic collector in the main process only; workers collect as before."""

from __future__ import annotations

import gc
import multiprocessing
import sys

import pytest

from srcaudit.gcpause import collector_paused


def _report_collector(queue) -> None:
    queue.put(gc.isenabled())


def test_collector_is_off_inside_and_back_on_after():
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():  # nested: still off, and the outer block decides
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_collector_comes_back_after_an_error():
    with pytest.raises(RuntimeError), collector_paused():
        raise RuntimeError("boom")
    assert gc.isenabled()


def test_a_disabled_collector_stays_disabled():
    gc.disable()
    try:
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


@pytest.mark.skipif(sys.platform == "win32", reason="no fork on Windows")
def test_forked_workers_collect():
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    with collector_paused():
        process = context.Process(target=_report_collector, args=(queue,))
        process.start()
        enabled_in_child = queue.get(timeout=30)
        process.join(timeout=30)
    assert enabled_in_child is True
