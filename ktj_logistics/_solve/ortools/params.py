"""OR-Tools search parameters for a ``SearchConfig``."""

from __future__ import annotations

from typing import Any

from ortools.constraint_solver import pywrapcp, routing_enums_pb2, routing_ils_pb2

from ..types import ITERATED_LOCAL_SEARCH, SearchConfig

SAVINGS_NEIGHBOURS = 30
"""Stops whose savings with each stop are considered by OR-Tools' savings start."""

SISR_AVERAGE_REMOVED = 20
SISR_MAX_SEQUENCE = 10
"""Strings of at most 10 stops (Christiaens and Vanden Berghe's L_max), about 20 stops
removed per step (their c̄ is 10). On the CVRPLIB yardstick (10 s, each member alone,
one run each) c̄ = 10, 15, 20, 30 gave 3.17 %, 2.72 %, 2.67 %, 2.62 % mean gap."""

DETERMINISTIC_SOLUTIONS = 400
"""Solutions a deterministic search visits when the scenario does not say."""


def search_parameters(config: SearchConfig, nodes: int = 0) -> Any:
    """OR-Tools search parameters for ``config`` on a model of ``nodes`` nodes."""
    params = pywrapcp.DefaultRoutingSearchParameters()
    if nodes:
        # Savings over every pair of stops took 2-4 s of a 10 s budget at 300-400 stops
        # (and found nothing in time at 313); its nearest ~30 neighbours give as good a
        # start (vrplib yardstick, 4 s runs) in a tenth of the time.
        params.savings_parameters.neighbors_ratio = min(1.0, SAVINGS_NEIGHBOURS / nodes)
    params.first_solution_strategy = getattr(
        routing_enums_pb2.FirstSolutionStrategy, config.first_solution
    )
    if config.metaheuristic == ITERATED_LOCAL_SEARCH:
        _iterated_local_search(params)
    else:
        params.local_search_metaheuristic = getattr(
            routing_enums_pb2.LocalSearchMetaheuristic, config.metaheuristic
        )
    if config.deterministic:
        params.solution_limit = config.solution_limit or DETERMINISTIC_SOLUTIONS
        params.time_limit.FromSeconds(int(max(60, config.time_limit_s * 20)))
    else:
        params.time_limit.FromMilliseconds(int(config.time_limit_s * 1000))
        if config.solution_limit:
            params.solution_limit = config.solution_limit
    return params


def _iterated_local_search(params: Any) -> None:
    """Turn on OR-Tools' iterated local search: remove strings of nearby stops (SISR),
    reinsert them cheapest first, descend, and accept by simulated annealing whose
    temperatures OR-Tools derives from the arc costs (so no setting is per instance)."""
    enums = routing_enums_pb2
    params.local_search_metaheuristic = enums.LocalSearchMetaheuristic.GREEDY_DESCENT
    params.use_iterated_local_search = True
    ils = params.iterated_local_search_parameters
    ils.perturbation_strategy = routing_ils_pb2.PerturbationStrategy.RUIN_AND_RECREATE
    ils.improve_perturbed_solution = True
    rr = ils.ruin_recreate_parameters
    del rr.ruin_strategies[:]
    sisr = rr.ruin_strategies.add().sisr
    sisr.avg_num_removed_visits = SISR_AVERAGE_REMOVED
    sisr.max_removed_sequence_size = SISR_MAX_SEQUENCE
    sisr.bypass_factor = 0.01
    rr.recreate_strategy.heuristic = enums.FirstSolutionStrategy.LOCAL_CHEAPEST_INSERTION
    accept = ils.reference_solution_acceptance_strategy.simulated_annealing
    accept.automatic_temperatures = True
    ils.best_solution_acceptance_strategy.greedy_descent.SetInParent()


READ_TIME_LIMIT_S = 5
"""A safety bound on reading a seed into the model; the first solution takes milliseconds."""


def reading_parameters(params: Any) -> Any:
    """``params`` for reading or pricing given routes: stop at the first solution."""
    read = pywrapcp.DefaultRoutingSearchParameters()
    read.CopyFrom(params)
    read.solution_limit = 1
    read.time_limit.FromSeconds(READ_TIME_LIMIT_S)
    return read


STATUS = {
    0: "not_solved",
    1: "success",
    2: "partial_success",  # a time or solution limit stopped the search before a local optimum
    3: "fail",
    4: "fail_timeout",
    5: "invalid",
    6: "infeasible",
    7: "optimal",
}
"""OR-Tools' routing statuses by number, as the solve report names them."""
