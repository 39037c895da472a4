"""Stage 4b — stage: stock moved to hubs early in the day by trunk vehicles, so officers
load near the households they serve instead of riding across the city to a source.

``split_fleet`` sets the trunk vehicles aside before the allocation (they serve no
household); ``stage`` then stocks the hubs and re-points the stops near them to the
hub's stock; ``hub_usage`` counts what each hub received and gave out in a plan.
"""

from .fleet import Fleet, split_fleet
from .staging import Staged, stage
from .usage import hub_usage

__all__ = ["Fleet", "Staged", "hub_usage", "split_fleet", "stage"]
