"""An independent recount of a plan, written apart from the verifier: straight from the
stops and the input, with the capacity rule restated here (an item takes a package place
when it weighs at least half a standard package, unless its kind says otherwise).

``recount`` returns the broken rules in words (empty: none found). Tests compare it with
``ktj_logistics.verify`` so that the two never disagree on a plan.
"""

from __future__ import annotations

from collections import Counter

from ktj_logistics import Plan, Scenario, StopKind


def places_of(scenario: Scenario) -> dict[str, int]:
    items = scenario.settings.items
    half = items["standard"].weight_kg / 2
    return {
        k: (i.packages if i.packages is not None else int(i.weight_kg >= half))
        for k, i in items.items()
    }


def recount(scenario: Scenario, plan: Plan) -> list[str]:
    """Every household once; visits add up; capacity, stock and windows hold."""
    bad: list[str] = []
    ids = sorted(h.id for h in scenario.households)
    if sorted(o.household_id for o in plan.households) != ids:
        bad.append("households are not each listed exactly once")
    need = {h.id: Counter(h.demand()) for h in scenario.households}
    windows = {h.id: [w.as_seconds() for w in h.time_windows] for h in scenario.households}
    places = places_of(scenario)
    grams = {k: round(i.weight_kg * 1000) for k, i in scenario.settings.items.items()}
    vehicles = {v.id: v for v in scenario.vehicles}
    outcome = {o.household_id: o for o in plan.households}
    got: dict[str, Counter[str]] = {h: Counter() for h in need}
    stops_of: dict[str, list[tuple[str, int]]] = {h: [] for h in need}
    loaded: dict[str, Counter[str]] = {s.id: Counter() for s in scenario.sources}
    for r in plan.routes:
        v = vehicles[r.vehicle_id]
        start, end = v.shift.as_seconds()
        if r.stops[0].departure_s < start or r.stops[-1].arrival_s > end:
            bad.append(f"{v.id} works outside its shift")
        on: Counter[tuple[str, str]] = Counter()
        for s in r.stops:
            if s.kind in (StopKind.start, StopKind.load) and s.items:
                src = s.source_id or s.place_id
                on.update({(src, k): n for k, n in s.items.items()})
                loaded[src].update(s.items)
            if s.kind == StopKind.delivery:
                total: Counter[str] = Counter()
                for hid in s.household_ids:
                    given = Counter(s.handovers.get(hid, {}))
                    total.update(given)
                    got[hid].update(given)
                    stops_of[hid].append((v.id, s.seq))
                    begin = s.arrival_s + s.wait_s
                    if windows[hid] and not any(a <= begin <= b for a, b in windows[hid]):
                        bad.append(f"{hid} served outside its windows")
                    visit = [
                        x
                        for x in outcome[hid].visits
                        if (x.vehicle_id, x.stop_seq) == (v.id, s.seq)
                    ]
                    src = visit[0].source_id if visit else "?"
                    for item, n in given.items():
                        on[(src, item)] -= n
                if total != Counter(s.items):
                    bad.append(f"{v.id} stop {s.seq}: handovers do not add up to its items")
            if any(n < 0 for n in on.values()):
                bad.append(f"{v.id} stop {s.seq}: hands over what it did not load")
            room = sum(places[i] * n for (_, i), n in on.items() if n > 0)
            kg = sum(grams[i] * n for (_, i), n in on.items() if n > 0)
            if room > v.capacity_packages or kg > round(v.capacity_kg * 1000):
                bad.append(f"{v.id} stop {s.seq}: over capacity")
    for src in scenario.sources:
        for item, n in loaded[src.id].items():
            if n > src.stock.get(item, 0):
                bad.append(f"{src.id}: {n} x {item} loaded, {src.stock.get(item, 0)} held")
    for hid, o in outcome.items():
        if hid not in need:
            continue
        if o.status == "unserved":
            if stops_of[hid] or o.reason is None:
                bad.append(f"{hid}: unserved but delivered, or without a reason")
            continue
        missing: Counter[str] = Counter()
        for m in o.missing:
            missing[m.item] += m.count
        if not stops_of[hid] or got[hid] != Counter(o.delivered):
            bad.append(f"{hid}: delivered does not match its stops")
        if got[hid] + missing != need[hid]:
            bad.append(f"{hid}: delivered + missing is not what it needs")
        if sorted((x.vehicle_id, x.stop_seq) for x in o.visits) != sorted(stops_of[hid]):
            bad.append(f"{hid}: visits do not match the stops that serve it")
    return bad
