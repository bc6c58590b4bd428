"""Seconds and peak memory per pipeline stage, for ``exokg build -v`` and the benchmark.

The peak resident set size of a stage is read from ``/proc/self/status`` (``VmHWM``) after resetting the
high-water mark at the stage's start (``/proc/self/clear_refs``), so each stage reports its own peak, not
the process's so far. Where that is not possible (not Linux), the process peak so far is reported instead.
"""

from __future__ import annotations

import contextlib
import resource
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

_STATUS = Path("/proc/self/status")
_CLEAR_REFS = Path("/proc/self/clear_refs")


@dataclass(frozen=True)
class StageTime:
    name: str
    seconds: float
    peak_rss_mb: float
    items: dict[str, int] = field(default_factory=dict)


def _reset_peak() -> bool:
    try:
        _CLEAR_REFS.write_text("5")  # 5: reset the peak RSS to the current RSS (Linux 4.0+)
        return True
    except OSError:
        return False


def _peak_mb() -> float:
    with contextlib.suppress(OSError):
        for line in _STATUS.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    scale = 1 if sys.platform != "darwin" else 1024  # ru_maxrss is in kB on Linux, bytes on macOS
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / scale


class Stages:
    """A record of stages in the order they ran; ``with stages.stage("graph"): ...`` times one."""

    def __init__(self) -> None:
        self.stages: list[StageTime] = []

    @contextlib.contextmanager
    def stage(self, name: str, **items: int) -> Iterator[dict[str, int]]:
        """Time one stage; the caller may add counts (``articles``, ``triples``, ``pages``) to the yielded dict."""
        _reset_peak()
        counts = dict(items)
        started = time.perf_counter()
        try:
            yield counts
        finally:
            self.stages.append(StageTime(name, time.perf_counter() - started, _peak_mb(), counts))

    @property
    def total_seconds(self) -> float:
        return sum(s.seconds for s in self.stages)


def stage(stages: Stages | None, name: str) -> contextlib.AbstractContextManager[dict[str, int]]:
    """``stages.stage(name)``, or a context that records nothing when no one is timing."""
    return stages.stage(name) if stages is not None else contextlib.nullcontext({})
