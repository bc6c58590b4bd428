"""Worker processes for the stages that share work out between cores (claims, site pages).

Workers are fresh interpreters (``python -m MODULE``) that get one pickled job on their stdin and write one
pickled answer on their stdout: forking a process that runs threads can copy a lock another thread holds
and hang the child, and multiprocessing's ``spawn`` re-imports the caller's main script. A worker that
cannot start or fails costs time, not the result: its caller does the work itself.
"""

from __future__ import annotations

import ctypes
import os
import pickle
import subprocess
import sys
import threading
import time
from pathlib import Path

# The folder that holds the exokg package, so a worker imports the same exokg as this process.
_PACKAGE_ROOT = str(Path(__file__).resolve().parents[1])


def idle_cores(sample: float = 0.1) -> int:
    """The cores this process may run on (its CPU affinity where the system tells it) that other processes
    leave idle, counting this one's as idle: on a machine already busy, workers would only queue for the same
    cores and add their start-up to the wait.

    Measured over the next ``sample`` seconds from ``/proc/stat``: the load average, where there is no
    ``/proc/stat``, lags a minute or more behind (right after a build that kept both cores busy, it still
    counts one as taken).
    """
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    busy = _busy_cores(sample)  # this process sleeps meanwhile: what is busy is others
    if busy is None:
        if not hasattr(os, "getloadavg"):
            return cores
        busy = max(0.0, os.getloadavg()[0] - 1)  # the load average counts this process too
    return max(1, min(cores, round(cores - busy)))


def _busy_cores(seconds: float) -> float | None:
    """How many of the machine's cores were busy over the next ``seconds``, from the kernel's counters of
    time spent (``/proc/stat``); ``None`` where there are none to read."""

    def spent() -> tuple[int, int]:
        with open("/proc/stat", encoding="ascii") as stat:
            fields = stat.readline().split()  # cpu user nice system idle iowait irq softirq steal ...
        if fields[:1] != ["cpu"]:
            raise ValueError("no cpu line")
        times = [int(v) for v in fields[1:9]]
        return sum(times), times[3] + times[4]

    try:
        total, idle = spent()
        time.sleep(seconds)
        total_after, idle_after = spent()
    except (OSError, ValueError):
        return None
    if total_after <= total:
        return None
    return (os.cpu_count() or 1) * (1 - (idle_after - idle) / (total_after - total))


def return_freed_memory() -> None:
    """Give back to the system the memory the C library holds for reuse after large structures were freed.

    pyoxigraph's in-memory store (the validation's and the saved queries') is freed into the C heap, which
    glibc keeps for later ``malloc`` calls; Python's own small objects come from elsewhere, so the build would
    carry that memory to its end, unused, while the page workers that could use it are not started for want of
    it. Where the C library has no ``malloc_trim`` (not glibc), nothing is done.
    """
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):
        return
    trim(0)


def workers_memory_allows(wanted: int, job_bytes: int = 0) -> int:
    """How many of ``wanted`` workers fit in the memory the system says is available, when each one makes
    what this process holds now (the same view of the graph) from a job of ``job_bytes``. This process keeps
    growing meanwhile: by the job it sends, and by what it makes itself (a margin of a quarter of what it
    holds). Where the system does not say (no ``/proc``), all of them."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            resident = int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            available = next(int(line.split()[1]) * 1024 for line in meminfo if line.startswith("MemAvailable:"))
    except (OSError, ValueError, IndexError, StopIteration):
        return wanted
    each = resident + 2 * job_bytes  # the job as received, and what it becomes
    growth = 2 * job_bytes + resident // 4
    return max(0, min(wanted, (available - growth) // max(1, each)))


class Worker:
    """One job in a worker process; the pipes are served by a thread, so this process works meanwhile."""

    def __init__(self, module: str, job: bytes) -> None:
        self.error = ""
        self._output: bytes | None = None
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (_PACKAGE_ROOT, env.get("PYTHONPATH")) if p)
        try:
            self._process: subprocess.Popen[bytes] | None = subprocess.Popen(
                [sys.executable, "-m", module], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
        except OSError as exc:
            self._process, self.error = None, f"cannot start {sys.executable}: {exc.strerror or exc}"
            return
        self._thread = threading.Thread(target=self._talk, args=(job,), daemon=True)
        self._thread.start()

    def _talk(self, job: bytes) -> None:
        assert self._process is not None
        try:
            self._output, _ = self._process.communicate(job)
        except OSError as exc:
            self.error = f"lost the pipe: {exc.strerror or exc}"

    def result(self) -> object | None:
        """The unpickled answer, or ``None`` (and :attr:`error` says why) when the worker did not give one."""
        if self._process is None:
            return None
        self._thread.join()
        if self._process.returncode != 0 or self._output is None:
            self.error = self.error or f"exit status {self._process.returncode}"
            return None
        try:
            answer: object = pickle.loads(self._output)
        except (pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError, ImportError) as exc:
            self.error = f"unreadable answer ({exc})"
            return None
        return answer

    def stop(self) -> None:
        """End the process if it still runs (this process is leaving early)."""
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
            self._process.wait()
