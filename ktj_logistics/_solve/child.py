"""What a forked search process does first: die with its planner.

A forked child inherits the planner's Python signal handlers (the CLI turns SIGTERM into
a clean exit). Those run only between Python steps, and a child spends its life inside
one OR-Tools call, so a ``kill`` of the planner left its searches burning both cores
until their budget ran out. Children therefore take the default actions back, and on
Linux ask the kernel to end them when their parent dies, even by SIGKILL.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys

_PR_SET_PDEATHSIG = 1


def as_child() -> None:
    """Default signal actions, and (Linux) SIGKILL when the parent process dies."""
    for sig in (signal.SIGTERM, signal.SIGINT, getattr(signal, "SIGHUP", None)):
        if sig is not None:
            signal.signal(sig, signal.SIG_DFL)
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # no libc to ask: the default actions still apply
        return
    if os.getppid() == 1:  # the parent died before the request: nobody to wait for
        os._exit(1)
