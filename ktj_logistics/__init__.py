"""ktj-route: plans sembako deliveries to households in COVID-19 self-isolation.

Two lines plan a day from Python::

    import ktj_logistics as ktj
    plan = ktj.plan(ktj.load_scenario("scenarios/jakarta-selatan/scenario.yaml"))

The pipeline runs load → shape (plugins) → cost → solve → verify → report; every
household of the input is in the plan, served or unserved with a reason.
"""

from __future__ import annotations

__version__ = "0.1.0"

from .errors import InputError, Issue, KtjError, NoPlanError, PluginError  # noqa: E402
from .load import load_scenario  # noqa: E402
from .model import (  # noqa: E402
    Base,
    Household,
    Scenario,
    Settings,
    SupplySource,
    Vehicle,
)
from .pipeline import Result, plan, run  # noqa: E402
from .plan import HouseholdOutcome, Plan, Route, Stop, UnservedReason  # noqa: E402
from .verify import Violation, verify_plan  # noqa: E402

__all__ = [
    "Base",
    "Household",
    "HouseholdOutcome",
    "InputError",
    "Issue",
    "KtjError",
    "NoPlanError",
    "Plan",
    "PluginError",
    "Result",
    "Route",
    "Scenario",
    "Settings",
    "Stop",
    "SupplySource",
    "UnservedReason",
    "Vehicle",
    "Violation",
    "__version__",
    "load_scenario",
    "plan",
    "run",
    "verify_plan",
]
