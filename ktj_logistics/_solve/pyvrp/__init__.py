"""PyVRP as a second engine for one-trip days: the only package that imports PyVRP.

It is imported only when ``PlanOptions(engine="ortools+pyvrp")`` asks for it, so the
project runs without PyVRP installed.
"""

from .model import represents, solve

__all__ = ["represents", "solve"]
