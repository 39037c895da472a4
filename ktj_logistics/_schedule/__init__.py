"""Stage 6 — schedule: solved visits become timed routes, and the day becomes a ``Plan``.

``schedule`` times each vehicle's visits (earliest feasible start, leaving the base as
late as the same services allow); ``plan_of`` turns the timed routes of the whole day —
one model or many parts — into the ``Plan``, with an outcome for every household.
"""

from .outcomes import plan_of
from .routes import Scheduled, Served, schedule

__all__ = ["Scheduled", "Served", "plan_of", "schedule"]
