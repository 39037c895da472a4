"""Dask nanny preload: start workers without Dask's 64 KiB malloc trim threshold.

Dask's nanny sets ``MALLOC_TRIM_THRESHOLD_=65536`` in every worker it spawns
(``distributed.nanny.pre-spawn-environ``). glibc then returns memory to the system on
almost every free and never raises its mmap threshold; OR-Tools, which allocates and
frees many mid-sized blocks, ran 12x slower to a first solution on this machine, and a
large part timed out with every household dropped. Start workers with::

    dask worker tcp://SCHEDULER:8786 --preload-nanny ktj_logistics.dask_nanny

The module is imported by the nanny before it computes the workers' environment; the
``None`` value is Dask's documented way of removing a variable from that list.
"""

from __future__ import annotations

import dask

dask.config.set({"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None})
