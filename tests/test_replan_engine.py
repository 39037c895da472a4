"""The two engine inputs a re-plan adds, through ``plan`` itself: a vehicle starting
away from its base (``Vehicle.start``), and the cost of moving a household off the
vehicle of the sheets already issued (``Scenario.issued``)."""

from __future__ import annotations

from ktj_logistics import PlanOptions, StopKind, Vehicle, plan, verify
from ktj_logistics._resume import Issued, VehicleStart

from .conftest import household, make_scenario


def _cars() -> list[Vehicle]:
    return [
        Vehicle(id=f"c{k}", kind="car", base="polres", capacity_packages=10, capacity_kg=300)
        for k in (1, 2)
    ]


def test_a_vehicle_starts_where_it_is_and_ends_at_its_base() -> None:
    far = VehicleStart(lat=-6.30, lon=106.80, label="after JS-9")
    cars = _cars()
    cars[0] = cars[0].model_copy(update={"start": far})
    sc = make_scenario([household("h1", 0.01, 0.0)], vehicles=cars[:1])
    made = plan(sc, PlanOptions(time_limit_s=1)).plan
    (route,) = made.routes
    first, last = route.stops[0], route.stops[-1]
    assert (first.place_id, first.label) == ("start:c1", "after JS-9")
    assert (first.lat, first.lon) == (far.lat, far.lon)
    assert last.place_id == "polres" and last.kind == StopKind.end
    assert verify(sc, made) == []
    # the verifier holds the route to the start it was given
    moved = sc.model_copy(update={"vehicles": [cars[0].model_copy(update={"start": None})]})
    assert any(v.code == "wrong_base" for v in verify(moved, made))


def test_issued_sheets_keep_households_on_their_vehicle() -> None:
    homes = [household(f"h{k}", 0.004 * k, 0.002 * (-1) ** k) for k in range(1, 7)]
    sc = make_scenario(homes, vehicles=_cars())
    first = {
        h: r.vehicle_id for r in plan(sc).plan.routes for s in r.stops for h in s.household_ids
    }
    # Hand every household to the vehicle the plan did not choose: with a high enough
    # cost of moving, the plan follows the issued sheets instead.
    swap = {h: ("c2" if v == "c1" else "c1") for h, v in first.items()}
    sticky = sc.model_copy(update={"issued": Issued(vehicle_of=swap, move_cost_s=20_000)})
    again = {
        h: r.vehicle_id for r in plan(sticky).plan.routes for s in r.stops for h in s.household_ids
    }
    assert again == swap
