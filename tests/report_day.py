"""A small synthetic day for the report tests: several vehicles, reloads, one unserved
household and input text that tries to be markup, script or a spreadsheet formula."""

from __future__ import annotations

from datetime import date

from ktj_logistics import (
    Base,
    Household,
    Location,
    PlanOptions,
    Result,
    Scenario,
    Settings,
    SupplySource,
    TimeWindow,
    Vehicle,
    VehicleKind,
    plan,
)

HOSTILE_NAME = "<script>alert(1)</script>"
HOSTILE_NOTES = "pintu `hijau` ${alert(2)} \\u0041 </script><b>x</b>"
HOSTILE_ADDRESS = "Jl. <img src=x onerror=alert(3)> No. 5 & 'Gg' \"Mawar\""

# (id, lat, lon, kelurahan, rw, packages)
_SPOTS = [
    ("H01", -6.2601, 106.8012, "PULO", "03", 1),
    ("H02", -6.2555, 106.7950, "PULO", "05", 1),
    ("H03", -6.2490, 106.8040, "MELAWAI", "02", 2),
    ("H04", -6.2620, 106.7990, "GANDARIA UTARA", "01", 1),
    ("H05", -6.2440, 106.8000, "KRAMAT PELA", "04", 1),
    ("H06", -6.2470, 106.7920, "KRAMAT PELA", "06", 1),
    ("H07", -6.2650, 106.8060, "PETOGOGAN", "02", 1),
    ("H08", -6.2580, 106.8100, "PETOGOGAN", "07", 2),
    ("H09", -6.2520, 106.8080, "SENAYAN", "01", 1),
    ("H10", -6.2400, 106.7980, "SELONG", "03", 1),
    ("H11", -6.2680, 106.7960, "CIPETE UTARA", "08", 1),
    ("H12", -6.2545, 106.8020, "PULO", "02", 1),
]


def scenario() -> Scenario:
    households = []
    for hid, lat, lon, kel, rw, packages in _SPOTS:
        households.append(
            Household(
                id=hid,
                location=Location(lat=lat, lon=lon),
                kelurahan=kel,
                rw=rw,
                rt="01",
                name=f"Warga {hid}",
                phone=f"0812-0000-{hid[1:]:0>4}",
                address=f"Jl. Contoh {hid} No. 1",
                packages_needed=packages,
                notes="dekat masjid",
            )
        )
    households[0] = households[0].model_copy(
        update={
            "name": HOSTILE_NAME,
            "notes": HOSTILE_NOTES,
            "address": HOSTILE_ADDRESS,
            "phone": '=HYPERLINK("x")',
        }
    )
    # Only reachable before any shift starts: unserved for its time window.
    households.append(
        Household(
            id="H99",
            location=Location(lat=-6.2500, lon=106.7900),
            kelurahan="SELONG",
            rw="09",
            name=HOSTILE_NAME,
            packages_needed=1,
            time_windows=[TimeWindow.model_validate("05:00-05:10")],
        )
    )
    return Scenario(
        name="report-day",
        settings=Settings(planning_date=date(2021, 7, 1), time_limit_s=2, deterministic=True),
        sources=[
            SupplySource(
                id="polres",
                name="Polres <Jaksel>",
                location=Location(lat=-6.253334, lon=106.798257),
                stock={"standard": 40},
            ),
            SupplySource(
                id="donor",
                name="Donatur & Co",
                location=Location(lat=-6.2450, lon=106.8060),
                stock={"standard": 40},
            ),
        ],
        bases=[
            Base(
                id="polres",
                name="Polres <Jaksel>",
                location=Location(lat=-6.253334, lon=106.798257),
            ),
            Base(
                id="polsek", name="Polsek Kebayoran", location=Location(lat=-6.2430, lon=106.7960)
            ),
        ],
        vehicles=[
            Vehicle(
                id="m1",
                kind=VehicleKind.motorbike,
                base="polres",
                capacity_packages=3,
                capacity_kg=60,
                officer="Bripka <A>",
                shift=TimeWindow.model_validate("08:00-09:15"),
            ),
            Vehicle(
                id="c/1",
                kind=VehicleKind.car,
                base="polsek",
                capacity_packages=5,
                capacity_kg=200,
                officer="Aiptu B",
            ),
        ],
        households=households,
    )


def plan_for(sc: Scenario) -> Result:
    options = PlanOptions(time_limit_s=2, deterministic=True, search_solutions=60, workers=1)
    return plan(sc, options)
