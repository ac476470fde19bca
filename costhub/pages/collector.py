"""Fewer garbage collections while a site loads. A load makes hundreds of thousands of objects that live on, so the
collector's default pace (a young collection every 700 new objects, a full one every hundred) spends about a
second scanning them at 1,000 guides; the pages' short-lived cycles are still collected, only less often. Reading a
kept snapshot makes no garbage at all, so the collector is paused while it is read."""
from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

# New objects between young collections while loading (Python's default is 700).
LOAD_THRESHOLD = 10_000


# Run the block with young collections every LOAD_THRESHOLD new objects, then put the thresholds back as they were.
@contextmanager
def fewer_collections() -> Iterator[None]:
    before = gc.get_threshold()
    gc.set_threshold(max(before[0], LOAD_THRESHOLD), *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


# Run the block with the cyclic garbage collector paused, then running again if it was before.
@contextmanager
def collector_paused() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
