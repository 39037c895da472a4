"""A hand-made day for the golden sheet tests: a household window that makes the officer
wait, a trip that loads at two sources, and a package carried from one trip into the next.

The plan is written out stop by stop (not searched), with times and distances priced by
the scenario's own travel model, so it passes ``verify`` and never changes when the
search does.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from ktj_logistics import (
    Base,
    Household,
    HouseholdOutcome,
    ItemKind,
    Location,
    Plan,
    Route,
    Scenario,
    Settings,
    SolverInfo,
    SourceUsage,
    Stop,
    StopKind,
    SupplySource,
    TimeWindow,
    Vehicle,
    VehicleKind,
)
from ktj_logistics._cost import Profile, travel_for

BASE = Location(lat=-6.253334, lon=106.798257)
DONOR = Location(lat=-6.2450, lon=106.8060)


def scenario() -> Scenario:
    def home(hid: str, lat: float, lon: float, **kw: object) -> Household:
        return Household(
            id=hid,
            location=Location(lat=lat, lon=lon),
            kelurahan="PULO",
            rt="02",
            rw="05",
            address=f"Jl. Contoh {hid}",
            name=f"Warga {hid}" if hid != "H3" else "",  # H3 has no name: shown by its id
            phone="0812-0000-0000",
            **kw,  # type: ignore[arg-type]
        )

    return Scenario(
        name="golden-day",
        settings=Settings(
            planning_date=date(2021, 7, 1),
            time_limit_s=2,
            deterministic=True,
            items={
                "standard": ItemKind(weight_kg=15, description="paket sembako: beras, minyak"),
                "infant_pack": ItemKind(weight_kg=3, description="susu formula"),
            },
        ),
        sources=[
            SupplySource(id="polres", name="Polres", location=BASE, stock={"standard": 10}),
            SupplySource(id="donor", name="Donatur", location=DONOR, stock={"infant_pack": 4}),
        ],
        bases=[Base(id="polres", name="Polres", location=BASE)],
        vehicles=[
            Vehicle(
                id="m1",
                kind=VehicleKind.motorbike,
                base="polres",
                capacity_packages=3,
                capacity_kg=60,
                officer="Bripka A",
                shift=TimeWindow.model_validate("08:00-16:00"),
            )
        ],
        households=[
            home("H1", -6.2500, 106.8020),
            home("H2", -6.2470, 106.8080, packages_needed=0, items={"infant_pack": 1}),
            home("H3", -6.2560, 106.8050, time_windows=[TimeWindow.model_validate("09:00-12:00")]),
            home("H4", -6.2600, 106.7990),
        ],
    )


# (kind, place, items): trip 1 loads at both sources, trip 2 starts with one package left
ROUTE = [
    ("load", "polres", {"standard": 2}),
    ("load", "donor", {"infant_pack": 1}),
    ("delivery", "H2", {"infant_pack": 1}),
    ("delivery", "H1", {"standard": 1}),
    ("load", "polres", {"standard": 1}),
    ("delivery", "H3", {"standard": 1}),
    ("delivery", "H4", {"standard": 1}),
]


def plan(sc: Scenario) -> Plan:
    travel = travel_for(sc.settings)
    v = sc.vehicles[0]
    profile = Profile(v.kind, v.effective_speed_kmh())
    where = {h.id: h for h in sc.households}
    sources = sc.source_by_id()
    t, trip, on_board, prev = 8 * 3600, 0, 0, BASE
    stops = [
        Stop(
            seq=0,
            kind=StopKind.start,
            trip=0,
            place_id="polres",
            label="Polres",
            lat=BASE.lat,
            lon=BASE.lon,
            arrival_s=t,
            departure_s=t,
        )
    ]
    loaded: dict[str, Counter[str]] = {}
    outcomes: dict[str, HouseholdOutcome] = {}
    last_kind = "start"
    for seq, (kind, place, items) in enumerate(ROUTE, start=1):
        loc = sources[place].location if kind == "load" else where[place].location
        d, s = travel.leg(prev, loc, profile)
        arrive = t + s
        begin = arrive
        if kind == "delivery" and where[place].time_windows:
            begin = max(arrive, where[place].time_windows[0].as_seconds()[0])
        if kind == "load":
            trip += 1 if last_kind != "load" else 0
            on_board += sum(items.values())
            loaded.setdefault(place, Counter()).update(items)
            service = 0 if d == 0 else round(sources[place].loading_minutes * 60)
        else:
            on_board -= sum(items.values())
            service = round(sc.settings.service_minutes * 60)
        stops.append(
            Stop(
                seq=seq,
                kind=StopKind(kind),
                trip=trip,
                place_id=place,
                label=place if kind == "delivery" else sources[place].name,
                lat=loc.lat,
                lon=loc.lon,
                source_id=place if kind == "load" else None,
                household_ids=[place] if kind == "delivery" else [],
                items=items,
                arrival_s=arrive,
                wait_s=begin - arrive,
                service_s=service,
                departure_s=begin + service,
                distance_from_previous_m=d,
                travel_from_previous_s=s,
                load_after_packages=on_board,
            )
        )
        if kind == "delivery":
            h = where[place]
            outcomes[place] = HouseholdOutcome(
                household_id=place,
                status="served",
                priority=0.0,
                vehicle_id="m1",
                trip=trip,
                stop_seq=seq,
                stop_place_id=place,
                arrival_s=begin,
                source_id="donor" if "infant_pack" in items else "polres",
                items=h.demand(),
                time_windows=[str(w) for w in h.time_windows],
            )
        t, prev, last_kind = begin + service, loc, kind
    d, s = travel.leg(prev, BASE, profile)
    stops.append(
        Stop(
            seq=len(stops),
            kind=StopKind.end,
            trip=trip,
            place_id="polres",
            label="Polres",
            lat=BASE.lat,
            lon=BASE.lon,
            arrival_s=t + s,
            departure_s=t + s,
            distance_from_previous_m=d,
            travel_from_previous_s=s,
            load_after_packages=on_board,
        )
    )
    deliveries = [x for x in stops if x.kind == StopKind.delivery]
    route = Route(
        vehicle_id="m1",
        vehicle_kind="motorbike",
        officer="Bripka A",
        base_id="polres",
        stops=stops,
        distance_m=sum(x.distance_from_previous_m for x in stops),
        duration_s=stops[-1].arrival_s - stops[0].arrival_s,
        trips=trip,
        packages_delivered=sum(sum(x.items.values()) for x in deliveries),
        households_served=len(deliveries),
    )
    usage = [
        SourceUsage(
            source_id=src.id,
            stock=dict(src.stock),
            used=dict(sorted(loaded.get(src.id, Counter()).items())),
            left={i: n - loaded.get(src.id, Counter())[i] for i, n in src.stock.items()},
        )
        for src in sc.sources
    ]
    solver = SolverInfo(
        engine="by hand",
        status="golden",
        objective=0,
        wall_s=0.0,
        time_limit_s=0.0,
        deterministic=True,
    )
    return Plan.of_day(
        sc.name,
        sc.settings.planning_date,
        [],
        [route],
        [outcomes[h.id] for h in sc.households],
        usage,
        solver,
    )
