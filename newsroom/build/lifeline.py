"""A build's processes end with it: no Pelican child, worker or Pagefind run outlives
the ``newsroom build`` that started it.

Before, a ``newsroom build`` killed with SIGKILL left its Pelican child running; a
build started right after got that child's pages in its staging folder and published
them. Now:

* every child is asked to die with its parent (:func:`die_with_parent`: Linux's
  ``PR_SET_PDEATHSIG`` through ``prctl``, set in the child, so it holds even when the
  parent is killed with SIGKILL and can run no code), and so is every worker a child
  forks (the request is not inherited across ``fork``, so each process makes its own);
* the Pelican child runs in a process group of its own, which the build kills whole on
  any other way out (an exception, Ctrl+C, SIGTERM: :func:`end_group`);
* the build lock's file descriptor is handed to the Pelican child: should the child
  survive all the same, the lock stays held and no other build can start beside it.
"""

import ctypes
import os
import signal

PR_SET_PDEATHSIG = 1  # linux/prctl.h

try:
    _prctl = ctypes.CDLL(None, use_errno=True).prctl
except (OSError, AttributeError):  # not Linux
    _prctl = None


def die_with_parent(parent_pid=None):
    """Have the kernel send this process SIGKILL when its parent ends; if the parent
    ``parent_pid`` has already ended (between the fork and now), end at once. True when
    the kernel took the request."""
    if _prctl is None or _prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
        return False
    if parent_pid is not None and os.getppid() != parent_pid:
        os.kill(os.getpid(), signal.SIGKILL)
    return True


def child_options(own_group=True):
    """Keyword arguments for :class:`subprocess.Popen` (or ``run``) of a child that must
    not outlive this process: it dies with it, and (``own_group``) leads a process group
    of its own, so that :func:`end_group` ends it with everything it started."""
    parent = os.getpid()
    options = {"preexec_fn": lambda: die_with_parent(parent)}
    if own_group:
        options["process_group"] = 0
    return options


def end_group(process):
    """Kill the process group of ``process`` (started with :func:`child_options`) and reap it."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait()


def terminate_as_exit():
    """Make SIGTERM and SIGHUP end this process like an exception (``SystemExit``), so
    that its ``finally`` blocks end its children and release what it holds."""
    def leave(number, _frame):
        raise SystemExit(128 + number)

    for number in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(number, leave)
