"""Work done in forked copies of this process, on a machine with a second CPU free: either two copies side by side,
each doing every other item while this process only waits (in_two_copies), or one copy working ahead while this
process goes on with other work and takes each result as it needs it (Ahead). Results come back pickled, so this
process keeps no garbage of the work (its memory holds the results, packed as they are read, and nothing of what
making them took). Objects the process held before the fork (the site's records, its review book) come back by
reference, so the results hold its own objects and not copies. Anything that goes wrong in a copy (it fails, dies
or sends something unreadable) means this process does the items it did not get itself: the copies can change how
long the work takes, never what it gives."""
from __future__ import annotations

import atexit
import fcntl
import io
import os
import pickle
import select
import signal
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import suppress
from typing import Any, Generic, TypeVar

from .collector import collector_paused

T = TypeVar("T")
R = TypeVar("R")
# The fewest items worth two copies: below this their start (each compiles every template it needs again) costs
# about what they save.
MIN_ITEMS = 48
# Set to "off" to do all the work in this process.
PARALLEL_SWITCH = "COSTHUB_PARALLEL"
_NOT_SHARED = object()  # what no object is, so no object (None included) is taken for a shared one
# Bytes the pipe from a copy working ahead may hold (Linux gives 64 KiB unless asked; an unprivileged process may ask
# for up to 1 MiB): room for the pages rendered ahead of the one being built.
AHEAD_PIPE_BYTES = 1 << 20


# The results of work over each share of items: work(items[0::2]) and work(items[1::2]), each done in a forked copy
# when that pays and is safe (see can_share), else in this process (as is an empty share).
def in_two_copies(items: Sequence[T], work: Callable[[Sequence[T]], R], shared: Iterable[object],
                  min_items: int = MIN_ITEMS) -> tuple[R, R]:
    shares = (items[0::2], items[1::2])
    if not can_share(len(items), min_items):
        return work(shares[0]), work(shares[1])
    references = {id(value): value for value in shared}
    copies: list[_Copy[R] | None] = []
    try:
        for share in shares:
            try:
                copies.append(_Copy(lambda items: (work(items),), share, references, copies) if share else None)
            except OSError:  # no process or pipe to be had (a limit reached): this process does the share
                copies.append(None)
        received = [copy.results() if copy is not None else [] for copy in copies]
    finally:
        for copy in copies:
            if copy is not None:
                copy.end()
    first, second = (got[0] if got else work(share) for got, share in zip(received, shares))
    return first, second


# work() done in a forked copy when a fork is safe (see can_share), so that this process gets its result and none
# of the garbage that making it left behind (which would scatter its memory pools for good); done here when the
# copy fails, dies or cannot be had, so that a failure raises here as usual.
def in_a_copy(work: Callable[[], R]) -> R:
    if not can_share(1, 1):
        return work()
    try:
        copy: _Copy[R] = _Copy(lambda _: (work(),), (None,), {})
    except OSError:  # no process or pipe to be had (a limit reached)
        return work()
    try:
        received = copy.results()
    finally:
        copy.end()
    return received[0] if received else work()


# Whether n items are worth two forked copies and a fork is safe: Linux (where a fork copies a process with no
# thread but the calling one faithfully), at least two CPUs for this process, no other thread running (a copy gets
# only the forking thread, and locks other threads held stay held), and not switched off.
def can_share(n: int, min_items: int = MIN_ITEMS) -> bool:
    return (n >= min_items and sys.platform == "linux" and os.environ.get(PARALLEL_SWITCH, "").lower() != "off"
            and threading.active_count() == 1 and len(os.sched_getaffinity(0)) >= 2)


class _Copy(Generic[R]):
    """A forked copy of this process sending the messages produce(share) makes, and the pipe they come back on."""

    # Fork a copy to produce the messages of the share; it closes its side of the pipes of the copies started before
    # it (which would otherwise stay open while a copy waits to write).
    def __init__(self, produce: Callable[[Sequence[T]], Iterable[Any]], share: Sequence[T],
                 references: dict[int, object], earlier: Sequence[_Copy[R] | None] = (), pipe_bytes: int = 0) -> None:
        self._references = references
        reader, writer = os.pipe()
        if pipe_bytes:
            with suppress(OSError):  # a smaller pipe only means the copy waits sooner
                fcntl.fcntl(writer, fcntl.F_SETPIPE_SZ, pipe_bytes)
        try:
            self._pid = os.fork()
        except OSError:
            os.close(reader)
            os.close(writer)
            raise
        if self._pid == 0:
            for descriptor in (reader, *(copy._stream.fileno() for copy in earlier if copy is not None)):
                os.close(descriptor)
            _work_in_copy(writer, produce, share, references)
        os.close(writer)
        self._stream = os.fdopen(reader, "rb")
        self._status: int | None = None

    # The copy's one message as a list of one, once it has sent it and ended well; empty when it failed, died or
    # sent something unreadable.
    def results(self) -> list[R]:
        for message in self.messages():
            return [message] if self._wait() == 0 else []
        return []

    # Each message the copy sends, as it arrives; they stop where the stream ends, or at anything unreadable (a copy
    # that failed or died half way: it is stopped, and the rest is of no use).
    def messages(self) -> Iterator[Any]:
        unpickler = _ReferencingUnpickler(self._stream, self._references)  # one for all: see _work_in_copy
        while self._status is None:
            try:
                with collector_paused():  # unpickling makes no garbage
                    message = unpickler.load()
            except Exception:
                self.end()
                return
            yield message

    # Whether more of the copy's messages have arrived (or its end has), so that reading one would not wait for the
    # copy to work: only a hint, since the stream may already hold what the pipe no longer does.
    def has_more(self) -> bool:
        return self._status is None and bool(select.select([self._stream], [], [], 0)[0])

    # Stop the copy if it has not ended (it may still be at work, or blocked on the pipe), and wait for its end.
    def end(self) -> None:
        if self._status is None:
            with suppress(ProcessLookupError):
                os.kill(self._pid, signal.SIGKILL)
            self._wait()

    # Wait for the copy's end; returns its exit status.
    def _wait(self) -> int:
        if self._status is None:
            self._stream.close()
            self._status = os.waitpid(self._pid, 0)[1]
        return self._status


class Ahead(Generic[T, R]):
    """Work over items done one by one in a forked copy of this process while this process goes on: the copy sends
    each item's result as soon as it has it (an item whose work raises is left out, for this process to do again
    and report), then last() of its own state. Iterating gives (index of the item, result) pairs as they arrive,
    waiting for each; `last` is the copy's last value once it has come (else None). The copy is stopped when this
    process ends, whatever it is doing."""

    # Fork the copy for the items; OSError when no process or pipe is to be had.
    def __init__(self, items: Sequence[T], work: Callable[[T], R], last: Callable[[], Any],
                 shared: Iterable[object]) -> None:
        self._copy: _Copy[Any] = _Copy(lambda share: _one_by_one(share, work, last), items,
                                       {id(value): value for value in shared}, pipe_bytes=AHEAD_PIPE_BYTES)
        self.last: Any = None
        atexit.register(self._copy.end)

    # Whether the copy has sent more than has been taken (see _Copy.has_more): taking it now keeps the pipe from
    # filling up, so the copy never waits for this process to read.
    def has_more(self) -> bool:
        return self._copy.has_more()

    # The (index, result) pairs the copy sends, as they arrive; they stop at its last value, or early when it failed.
    def __iter__(self) -> Iterator[tuple[int, R]]:
        for index, result in self._copy.messages():
            if index is None:
                self.last = result
                break
            yield index, result
        self._copy.end()
        atexit.unregister(self._copy.end)


# A copy working ahead over the items, or None when a fork is not safe (see can_share) or cannot be had.
def working_ahead(items: Sequence[T], work: Callable[[T], R], last: Callable[[], Any],
                  shared: Iterable[object]) -> Ahead[T, R] | None:
    if not items or not can_share(len(items), 1):
        return None
    try:
        return Ahead(items, work, last, shared)
    except OSError:  # no process or pipe to be had (a limit reached): this process does the work
        return None


# In a copy working ahead: (index, result) for each item whose work succeeds, then (None, last()).
def _one_by_one(items: Sequence[T], work: Callable[[T], R], last: Callable[[], Any],
                ) -> Iterator[tuple[int | None, Any]]:
    for index, item in enumerate(items):
        try:
            result = work(item)
        except Exception:  # the process that started the copy does this item again, and reports what failed
            continue
        yield index, result
    yield None, last()


# In a forked copy: send each message produce(items) makes, pickled (shared objects by reference), and end at once,
# without running the parent's exit handlers or flushing its buffers (status 1 when anything failed). One pickler
# writes every message, so an object that several messages hold is sent once and read back as one object, not
# one copy for each. A message that fails to pickle half way leaves the stream unreadable from there on.
def _work_in_copy(writer: int, produce: Callable[[Sequence[T]], Iterable[Any]], items: Sequence[T],
                  references: dict[int, object]) -> None:
    status = 1
    try:
        with os.fdopen(writer, "wb") as stream:
            pickler = _ReferencingPickler(stream, references)
            for message in produce(items):
                pickler.dump(message)
                stream.flush()
        status = 0
    except BaseException:  # the parent does the items it did not get itself, and reports whatever failed there
        pass
    finally:
        os._exit(status)


class _ReferencingPickler(pickle.Pickler):
    """Pickles the objects both processes held before the fork as their id."""

    # A pickler writing to file, with the shared objects by id.
    def __init__(self, file: io.BufferedWriter, references: dict[int, object]) -> None:
        super().__init__(file, pickle.HIGHEST_PROTOCOL)
        self._references = references

    # The id of a shared object, or None to pickle it as usual.
    def persistent_id(self, obj: Any) -> int | None:
        key = id(obj)
        return key if self._references.get(key, _NOT_SHARED) is obj else None


class _ReferencingUnpickler(pickle.Unpickler):
    """Reads what _ReferencingPickler wrote, each shared object as this process's own."""

    # An unpickler reading from file, with the shared objects by id.
    def __init__(self, file: io.BufferedReader, references: dict[int, object]) -> None:
        super().__init__(file)
        self._references = references

    # The shared object with this id.
    def persistent_load(self, pid: Any) -> object:
        try:
            return self._references[pid]
        except (KeyError, TypeError):
            raise pickle.UnpicklingError(f"no shared object {pid!r}") from None
