"""Run one function over many items on every core, with ``fork`` (no Pelican here).

``fork_map(func, items, workers)`` splits ``items`` into ``workers`` shares: the calling
process does the first share itself while forked children do the others, so nothing
has to be pickled on the way in (the children see the parent's memory as it was at
the fork: settings, templates, the whole catalogue). Only the results travel back,
pickled once per child into a temporary file (a pipe would stall a child whose results
outgrow the pipe buffer while the parent is still busy with its own share).

A child that raises is reported as :class:`WorkerFailed` after the parent's own share
is done; the caller decides whether to redo the work or to stop.
"""

import gc
import logging
import os
import pickle
import sys
import tempfile
import traceback

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
    children = []
    for share in shares[1:]:
        handle, path = tempfile.mkstemp(prefix="newsroom-worker-", suffix=".pickle")
        os.close(handle)
        # Objects that exist at the fork are never collected in the children, so the
        # collector does not touch (and copy) their pages.
        gc.freeze()
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # the child: do the share, write the results, leave at once
            code = 0
            try:
                results = [func(items[i]) for i in share]
                with open(path, "wb") as handle:
                    pickle.dump(results, handle, protocol=pickle.HIGHEST_PROTOCOL)
            except BaseException:  # noqa: BLE001 — everything must end in os._exit
                traceback.print_exc()
                code = 1
            finally:
                try:
                    logging.shutdown()
                    sys.stdout.flush()
                    sys.stderr.flush()
                finally:
                    os._exit(code)
        children.append((pid, share, path))
    gc.unfreeze()
    results = [None] * len(items)
    failed = None
    try:
        for index in shares[0]:
            results[index] = func(items[index])
    finally:
        for pid, share, path in children:
            _, status = os.waitpid(pid, 0)
            try:
                if os.waitstatus_to_exitcode(status) != 0:
                    failed = failed or WorkerFailed(f"worker {pid} failed (exit status {status})")
                    continue
                with open(path, "rb") as handle:
                    for index, value in zip(share, pickle.load(handle)):
                        results[index] = value
            finally:
                os.unlink(path)
    if failed:
        raise failed
    return results
