"""Where the GUI thread is while it stalls: a watchdog thread samples the GUI thread's Python stack whenever the
heartbeat is late by more than a threshold, and counts the stacks. A cProfile of a step says where the time went
in total; this says what the GUI thread was doing during the stalls themselves (the worst beat included).

Each sample stands for about `every_ms` of stall. A stack whose innermost frame is ordinary Python code waiting
its turn for the GIL shows up too: that is what contention with a worker thread looks like from here.
"""

from __future__ import annotations

import sys
import threading
import time
import traceback
from collections import Counter


class StallSampler:
    def __init__(self, thread_id: int, threshold_ms: float = 25.0, every_ms: float = 2.0, depth: int = 8) -> None:
        self.thread_id = thread_id
        self.threshold = threshold_ms / 1000
        self.every = every_ms / 1000
        self.depth = depth
        self.last_beat = time.monotonic()
        self.samples: Counter[tuple[str, ...]] = Counter()
        self.others: Counter[str] = Counter()  # what the other threads ran meanwhile (a worker holding the GIL)
        self.episode: list[tuple[tuple[str, ...], tuple[str, ...]]] = []  # the stall going on: (GUI, others)
        self.worst_episode: list[tuple[tuple[str, ...], tuple[str, ...]]] = []
        self.worst_length = 0.0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def beat(self) -> None:
        """Called by the heartbeat on the GUI thread each time it fires: a stall sampled since the last beat
        ends here; the longest one keeps its samples (`worst_episode`)."""
        now = time.monotonic()
        episode, self.episode = self.episode, []
        if episode and now - self.last_beat > self.worst_length:
            self.worst_length, self.worst_episode = now - self.last_beat, episode
        self.last_beat = now

    def start(self) -> None:
        self.samples.clear()
        self.others.clear()
        self.episode, self.worst_episode, self.worst_length = [], [], 0.0
        self.last_beat = time.monotonic()
        self._stop.clear()
        self._thread = threading.Thread(target=self._watch, name="stall-sampler", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    def _watch(self) -> None:
        while not self._stop.wait(self.every):
            if time.monotonic() - self.last_beat < self.threshold:
                continue
            frames = sys._current_frames()
            frame = frames.get(self.thread_id)
            if frame is None:
                continue
            key = self._key(traceback.extract_stack(frame))
            self.samples[key] += 1
            me = threading.get_ident()
            busy = []
            for ident, other in frames.items():
                if ident in (self.thread_id, me):
                    continue
                where = _busy_frame(other)
                if where:
                    self.others[where] += 1
                    busy.append(where)
            self.episode.append((key, tuple(busy)))
            del frame, frames

    def _key(self, stack: traceback.StackSummary) -> tuple[str, ...]:
        """The innermost frames, the project's own ones kept first: where the GUI thread was, and which of our
        lines led there."""
        lines = [f"{_short(f.filename)}:{f.lineno} {f.name}" for f in stack]
        inner = lines[-self.depth:]
        ours = [line for line in lines if line.startswith(("drillapp/", "bench/"))]
        if ours and ours[-1] not in inner:
            inner = [ours[-1], "…", *inner[-(self.depth - 2):]]
        return tuple(inner)

    def top(self, n: int = 3) -> list[tuple[int, tuple[str, ...]]]:
        """The n commonest stall stacks with their sample counts (each ≈ every_ms of stall)."""
        return [(count, key) for key, count in self.samples.most_common(n)]

    def report(self, n: int = 3) -> str:
        if not self.samples:
            return "no stall over the threshold was sampled"
        total = sum(self.samples.values())
        parts = [f"{total} samples (≈{total * self.every * 1000:.0f} ms of stall)"]
        for count, key in self.top(n):
            parts.append(f"  {count} × " + "\n      ".join(reversed(key)))
        if self.others:
            parts.append("  meanwhile in other threads: " + "; ".join(
                f"{count} × {where}" for where, count in self.others.most_common(n)))
        if self.worst_episode:
            gui = Counter(key for key, _busy in self.worst_episode)
            busy = Counter(where for _key, wheres in self.worst_episode for where in wheres)
            parts.append(f"  the longest sampled stall ({self.worst_length * 1000:.0f} ms between beats, "
                         f"{len(self.worst_episode)} samples): GUI thread at "
                         + " | ".join(f"{c} × {' < '.join(list(reversed(k))[:3])}" for k, c in gui.most_common(2))
                         + "; others: " + ("; ".join(f"{c} × {w}" for w, c in busy.most_common(3)) or "idle"))
        return "\n".join(parts)


_IDLE = ("wait", "_wait_for_tstate_lock", "select", "poll", "sleep", "get", "_worker", "accept", "recv", "read",
         "_watch")


def _busy_frame(frame: object) -> str:
    """The innermost frame of a thread that is running Python (not waiting on a lock, a queue or a socket), as
    'file:line function' with the innermost project frame beside it; '' for an idle thread."""
    stack = traceback.extract_stack(frame)  # type: ignore[arg-type]
    if not stack or stack[-1].name in _IDLE:
        return ""
    inner = stack[-1]
    ours = [f for f in stack if _short(f.filename).startswith("drillapp/")]
    text = f"{_short(inner.filename)}:{inner.lineno} {inner.name}"
    if ours and ours[-1] is not inner:
        text += f" (from {_short(ours[-1].filename)}:{ours[-1].lineno} {ours[-1].name})"
    return text


def _short(filename: str) -> str:
    for marker in ("/drillapp/", "/bench/", "/site-packages/", "/lib/python3"):
        at = filename.rfind(marker)
        if at >= 0:
            return filename[at + 1:]
    return filename
