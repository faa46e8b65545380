"""Stopping cleanly on a signal: SIGTERM and SIGHUP unwind like Ctrl-C instead of killing outright.

By default SIGTERM (what `kill`, `timeout` and job schedulers send) and SIGHUP (a closed terminal)
end the process at once: no `finally` block and no `except` runs, so a half-written temporary
file would be left behind. `handle_signals` makes them raise `Terminated`, which unwinds through
every cleanup like the KeyboardInterrupt that Ctrl-C raises. `deferred` holds the signals off
for the few statements that must not be cut in two (creating a temporary file and noting it,
swapping it into place, removing it).

Only the command line (`harmon.cli.main`) installs the handlers; the library leaves a program's
signals alone.
"""

from __future__ import annotations

import signal
from contextlib import contextmanager
from typing import Any, Callable, Iterator

_NAMES = {"SIGTERM": "terminated", "SIGHUP": "hung up"}
SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", *_NAMES) if hasattr(signal, name))


class Terminated(BaseException):
    """SIGTERM or SIGHUP arrived. A BaseException, like KeyboardInterrupt: `except Exception`
    does not stop it, and typer, which turns KeyboardInterrupt into exit code 130, lets it through."""

    def __init__(self, signum: int):
        self.signum = signum
        self.exit_code = 128 + signum
        self.what = _NAMES.get(signal.Signals(signum).name, signal.Signals(signum).name)
        super().__init__(self.what)


class _State:
    received: int | None = None  # the first signal that arrived since `handle_signals`


def received() -> int | None:
    """The first of SIGINT, SIGTERM, SIGHUP that arrived while the handlers were installed."""
    return _State.received


@contextmanager
def handle_signals() -> Iterator[None]:
    """Within the block, SIGTERM and SIGHUP raise `Terminated` and SIGINT KeyboardInterrupt, once:
    a second signal while the first unwinds is ignored, so that cleanup runs to its end. A signal
    the caller ignores (`nohup` ignores SIGHUP) stays ignored. The handlers are restored after."""
    previous: dict[int, Any] = {}
    _State.received = None

    def handler(signum: int, frame: Any) -> None:
        if _State.received is not None:
            return
        _State.received = signum
        if signum == signal.SIGINT:
            raise KeyboardInterrupt
        raise Terminated(signum)

    for signum in SIGNALS:
        current = signal.getsignal(signum)
        if current is signal.SIG_IGN or current is None:
            continue
        if signum == signal.SIGINT and current is not signal.default_int_handler:
            continue  # someone else's handler: keep it
        try:
            previous[signum] = signal.signal(signum, handler)
        except ValueError:  # not the main thread: signals cannot be handled here
            break
    try:
        yield
    finally:
        for signum, old in previous.items():
            signal.signal(signum, old)


@contextmanager
def deferred() -> Iterator[None]:
    """Hold off SIGINT, SIGTERM and SIGHUP until the block ends; they are acted on right after.

    Where the platform cannot block signals (Windows), the block runs unprotected.
    """
    block: Callable[..., Any] | None = getattr(signal, "pthread_sigmask", None)
    if block is None:
        yield
        return
    old = block(signal.SIG_BLOCK, SIGNALS)
    try:
        yield
    finally:
        block(signal.SIG_SETMASK, old)
