"""Run one function over many items on every core, with ``fork`` (no Pelican here).

``fork_map(func, items, workers)`` splits ``items`` into ``workers`` shares: the calling
process does the first share itself while forked children do the others, so nothing
has to be pickled on the way in (the children see the parent's memory as it was at
the fork: settings, templates, the whole catalogue). Only the results travel back,
pickled once per child into a temporary file (a pipe would stall a child whose results
outgrow the pipe buffer while the parent is still busy with its own share).

A child that raises is reported as :class:`WorkerFailed` after the parent's own share
is done; the caller decides whether to redo the work or to stop.

``fork_queue`` is the same with the items handed out one at a time, for a few long
items whose durations differ.
"""

import gc
import logging
import os
import pickle
import select
import signal
import sys
import tempfile
import traceback

from newsroom.build import lifeline

log = logging.getLogger(__name__)


class WorkerFailed(RuntimeError):
    """A forked worker stopped with an error (its traceback went to stderr)."""


def available_workers(requested=None):
    """``requested`` workers, or one per core this process may use."""
    if requested:
        return max(1, int(requested))
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def split(items, workers, cost=None):
    """``workers`` shares of ``items`` with about equal total ``cost`` (default: 1 each).

    Greedy, longest first, so a few expensive items (long paginated lists) do not all
    land in one share; within a share the original order is kept.
    """
    workers = max(1, min(workers, len(items)))
    if cost is None:
        return [list(range(i, len(items), workers)) for i in range(workers)]
    loads = [0.0] * workers
    shares = [[] for _ in range(workers)]
    for index in sorted(range(len(items)), key=lambda i: -cost(items[i])):
        target = loads.index(min(loads))
        shares[target].append(index)
        loads[target] += cost(items[index])
    return [sorted(share) for share in shares]


def fork_map(func, items, workers=2, cost=None):
    """``[func(item) for item in items]``, computed by ``workers`` processes.

    Results must be picklable. With one worker, one item or no ``os.fork`` it simply
    runs in this process.
    """
    items = list(items)
    if workers <= 1 or len(items) <= 1 or not hasattr(os, "fork"):
        return [func(item) for item in items]
    shares = split(items, workers, cost)
    return _run_forked(func, items, [iter(share) for share in shares])


def fork_queue(func, items, workers=2, cost=None):
    """``[func(item) for item in items]`` like :func:`fork_map`, but each process takes
    the next item as soon as it is done with one, most costly first.

    For a few long items of uneven duration (search shards: 20 of them, 3-8 s each), a
    share fixed in advance can leave one process working alone for a long time; here
    the processes finish within about one item of each other.
    """
    items = list(items)
    if workers <= 1 or len(items) <= 1 or not hasattr(os, "fork"):
        return [func(item) for item in items]
    order = sorted(range(len(items)), key=lambda i: -cost(items[i])) if cost else range(len(items))
    # The queue: the item numbers in a pipe, written whole before the fork and then
    # closed, so each process reads the next 4-byte number (pipe reads are atomic) and
    # gets end of file when none is left. PIPE_BUF bytes always fit in a pipe, even one
    # the kernel gave a single page (a user over pipe-user-pages-soft), so the write
    # cannot block with no reader yet.
    payload = b"".join(index.to_bytes(4, "little") for index in order)
    if len(payload) > select.PIPE_BUF:
        raise ValueError(f"fork_queue: at most {select.PIPE_BUF // 4} items; use fork_map for more")
    read_end, write_end = os.pipe()
    try:
        try:
            os.write(write_end, payload)
        finally:
            os.close(write_end)
        shares = [_taken(read_end) for _ in range(min(workers, len(items)))]
        # If this process's own item fails, the rest of the queue is taken off it, so the
        # children stop after their current item instead of doing all that is left.
        return _run_forked(func, items, shares, on_error=lambda: _drain(read_end))
    finally:
        os.close(read_end)


def _taken(read_end):
    """The item numbers this process takes from the queue, one at a time."""
    while True:
        data = os.read(read_end, 4)
        if not data:
            return
        if len(data) != 4:
            raise RuntimeError(f"fork_queue: read {len(data)} bytes of an item number from the queue")
        yield int.from_bytes(data, "little")


def _drain(read_end):
    while os.read(read_end, select.PIPE_BUF):
        pass


def _run_forked(func, items, shares, on_error=None):
    """Run ``func`` over the item numbers each of ``shares`` yields: the first share in
    this process, every other one in a forked child; results by item number.
    ``on_error`` is called when this process's own share fails, before the children are
    waited for."""
    children = []
    for share in shares[1:]:
        handle, path = tempfile.mkstemp(prefix="newsroom-worker-", suffix=".pickle")
        os.close(handle)
        # Objects that exist at the fork are never collected in the children, so the
        # collector does not touch (and copy) their pages.
        gc.freeze()

        def do_share(share=share, path=path):  # the child: do the share, write the results
            results = [(i, func(items[i])) for i in share]
            with open(path, "wb") as handle:
                pickle.dump(results, handle, protocol=pickle.HIGHEST_PROTOCOL)

        children.append((fork_child(do_share), path))
    gc.unfreeze()
    results = [None] * len(items)
    failed = None
    try:
        try:
            for index in shares[0]:
                results[index] = func(items[index])
        except BaseException:
            if on_error is not None:
                on_error()
            raise
    finally:
        for pid, path in children:
            _, status = os.waitpid(pid, 0)
            try:
                if os.waitstatus_to_exitcode(status) != 0:
                    failed = failed or WorkerFailed(f"worker {pid} failed (exit status {status})")
                    continue
                with open(path, "rb") as handle:
                    for index, value in pickle.load(handle):
                        results[index] = value
            finally:
                os.unlink(path)
    if failed:
        raise failed
    return results


def in_child(func):
    """``func()`` computed in a forked child; its result (or its exception) comes back
    pickled. What ``func`` loads and leaves behind (dictionaries, caches, the garbage of
    a pass over the whole catalogue) ends with the child instead of staying in this
    process's heap for the rest of its life. Without ``os.fork`` it runs here."""
    return started_in_child(func).result()


class InChild:
    """A computation running in a forked child (:func:`started_in_child`): :meth:`result`
    waits for it; :meth:`cancel` ends it unless it was collected."""

    def __init__(self, func):
        self.pid, self.path, self._value = None, None, None
        if not hasattr(os, "fork"):
            self._value = self._outcome(func)
            return
        handle, self.path = tempfile.mkstemp(prefix="newsroom-child-", suffix=".pickle")
        os.close(handle)
        path = self.path

        def compute():
            outcome = self._outcome(func)
            with open(path, "wb") as handle:
                try:
                    pickle.dump(outcome, handle, protocol=pickle.HIGHEST_PROTOCOL)
                except Exception:  # noqa: BLE001 — an exception that does not pickle
                    handle.seek(0)
                    handle.truncate()
                    pickle.dump((False, RuntimeError(repr(outcome[1]))), handle)

        try:
            self.pid = fork_child(compute)
        except BaseException:
            os.unlink(path)
            raise

    @staticmethod
    def _outcome(func):
        try:
            return (True, func())
        except Exception as error:  # noqa: BLE001 — raised again by result()
            return (False, error)

    def result(self):
        """``func()``'s value, once the child has ended (its exception raised here)."""
        if self._value is None:
            try:
                pid, self.pid = self.pid, None
                _, status = os.waitpid(pid, 0)
                if os.waitstatus_to_exitcode(status) != 0:
                    raise WorkerFailed(f"child {pid} failed (exit status {status})")
                with open(self.path, "rb") as handle:
                    self._value = pickle.load(handle)
            finally:
                self._forget()
        done, value = self._value
        if not done:
            raise value
        return value

    def cancel(self):
        """End the child and forget it, unless :meth:`result` collected it already."""
        if self.pid is not None:
            try:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
            except OSError:
                pass
            self.pid = None
        self._forget()

    def _forget(self):
        if self.path is not None:
            try:
                os.unlink(self.path)
            except OSError:
                pass
            self.path = None


def started_in_child(func):
    """``func()`` started in a forked child, as :func:`in_child` computes it, while this
    process goes on: an :class:`InChild` to collect it from."""
    return InChild(func)


def fork_child(body, on_error=None):
    """Fork; the child runs ``body()``, dies with this process even if it is killed, and
    ends at once (:func:`exit_now`) with the code ``body`` returns (0 for None). When
    ``body`` raises, ``on_error(error)`` gives the code (default: the traceback printed,
    1). The child's pid, to wait for."""
    sys.stdout.flush()
    sys.stderr.flush()
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            lifeline.die_with_parent(parent)  # a killed build leaves no child behind
            code = body() or 0
        except BaseException as error:  # noqa: BLE001 — everything must end in os._exit
            if on_error is None:
                traceback.print_exc()
            else:
                code = on_error(error)
        finally:
            exit_now(code)
    return pid


def exit_now(code):
    """End this process at once with ``code``: logs and standard streams flushed, then
    ``os._exit``, without the interpreter's teardown (no exit handlers, no freeing of
    every object one by one: 6-7 s after a 20,000-article build)."""
    try:
        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
    finally:
        os._exit(code)
