"""ktj-route: plans sembako deliveries to households in COVID-19 self-isolation.

A few lines plan a day from Python::

    import ktj_logistics as ktj

    scenario = ktj.load_scenario("scenarios/jakarta-selatan/scenario.yaml")
    result = ktj.plan(scenario, ktj.PlanOptions(time_limit_s=30))
    print(result.plan.totals.served, "served")

Every household of the input is in the plan, served or unserved with a reason. The
names below are the whole public API (``docs/api.md``); the modules whose names start
with ``_`` are the implementation and may change. Importing this package loads nothing
but its version: each name is imported on first use (PEP 562), so a command or an
app that only reads scenarios never pays for numpy, geopy or OR-Tools.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from ._version import __version__

if TYPE_CHECKING:
    from ._area import OfficerArea
    from ._engine import plan, verify
    from ._errors import InputError, InternalError, Issue, KtjError, NoPlanError, PluginError
    from ._expect.model import Expectations
    from ._explain import Explanation, explain
    from ._fairness import fairness_figure
    from ._fairness_settings import FairnessSettings
    from ._kinds import BaseKind, HubKind, SourceKind, VehicleKind, VehicleRole
    from ._load import Loaded, load, load_scenario
    from ._options import EmptyDay, PlanOptions, PlanRejected, Progress, Result, SearchReport
    from ._parts import PartReport
    from ._plan import (
        Hint,
        HouseholdOutcome,
        HubUsage,
        Plan,
        PriorityContribution,
        Route,
        SolverInfo,
        SourceUsage,
        Stop,
        StopKind,
        Totals,
        UnservedReason,
    )
    from ._plan_fairness import AreaShare, Fairness, FairnessNote
    from ._plugins.hookspecs import AccessRule, Contribution, Exporter, Loader, StopGroup, hookimpl
    from ._replan import Changes, ChangesReport, Replanned, replan
    from ._report import ReportOptions, write_outputs
    from ._scenario import (
        Base,
        Earmark,
        Household,
        Hub,
        ItemKind,
        Location,
        Scenario,
        ServiceArea,
        Settings,
        SupplySource,
        TimeWindow,
        Vehicle,
    )
    from ._verify import Violation
else:
    from . import _lazy

    __getattr__, __dir__ = _lazy.lazy_exports(
        __name__,
        {
            "._area": "OfficerArea",
            "._engine": "plan verify",
            "._errors": "InputError InternalError Issue KtjError NoPlanError PluginError",
            "._expect.model": "Expectations",
            "._explain": "Explanation explain",
            "._fairness": "fairness_figure",
            "._fairness_settings": "FairnessSettings",
            "._kinds": "BaseKind HubKind SourceKind VehicleKind VehicleRole",
            "._load": "Loaded load load_scenario",
            "._options": "EmptyDay PlanOptions PlanRejected Progress Result SearchReport",
            "._parts": "PartReport",
            "._plan": (
                "Hint HouseholdOutcome HubUsage Plan PriorityContribution Route SolverInfo "
                "SourceUsage Stop StopKind Totals UnservedReason"
            ),
            "._plan_fairness": "AreaShare Fairness FairnessNote",
            "._plugins.hookspecs": "AccessRule Contribution Exporter Loader StopGroup hookimpl",
            "._replan": "Changes ChangesReport Replanned replan",
            "._report": "ReportOptions write_outputs",
            "._scenario": (
                "Base Earmark Household Hub ItemKind Location Scenario ServiceArea Settings "
                "SupplySource TimeWindow Vehicle"
            ),
            "._verify": "Violation",
        },
    )

logging.getLogger(__name__).addHandler(logging.NullHandler())

__all__ = [
    "AccessRule",
    "AreaShare",
    "Base",
    "BaseKind",
    "Changes",
    "ChangesReport",
    "Contribution",
    "Earmark",
    "EmptyDay",
    "Expectations",
    "Explanation",
    "Exporter",
    "Fairness",
    "FairnessNote",
    "FairnessSettings",
    "Hint",
    "Household",
    "HouseholdOutcome",
    "Hub",
    "HubKind",
    "HubUsage",
    "InputError",
    "InternalError",
    "Issue",
    "ItemKind",
    "KtjError",
    "Loaded",
    "Loader",
    "Location",
    "NoPlanError",
    "OfficerArea",
    "PartReport",
    "Plan",
    "PlanOptions",
    "PlanRejected",
    "PluginError",
    "PriorityContribution",
    "Progress",
    "Replanned",
    "ReportOptions",
    "Result",
    "Route",
    "Scenario",
    "SearchReport",
    "ServiceArea",
    "Settings",
    "SolverInfo",
    "SourceKind",
    "SourceUsage",
    "Stop",
    "StopGroup",
    "StopKind",
    "SupplySource",
    "TimeWindow",
    "Totals",
    "UnservedReason",
    "Vehicle",
    "VehicleKind",
    "VehicleRole",
    "Violation",
    "__version__",
    "explain",
    "fairness_figure",
    "hookimpl",
    "load",
    "load_scenario",
    "plan",
    "replan",
    "verify",
    "write_outputs",
]
