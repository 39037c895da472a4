"""A simulated campaign on the bundled district: daily lists, plans, officers' results.

Feeds a campaign store for ``--days`` days (default 14, from 2021-07-01) through the
same functions as ``ktj-route campaign import|plan|record`` and checks, every day, that
every household is accounted for (the store is whole; the day's due households are
exactly its plan's) and, at the end, that no due household went more than N days
without being put on a route sheet (N = the rules' ``max_wait_days``, default 2) — the
fleet and the stock are sized to allow it. Writes the status report and prints how long
each day took. Exit code 1 when a check fails.

Where the numbers come from: the bundled Pemprov DKI data
(``scenarios/jakarta-selatan/data/covid19_kelurahan_jaksel_2021.csv``) has month-end
snapshots only, so each kelurahan's *daily* new cases are its July 2021 new cases
(``positif_total`` 31 July − 30 June) / 31, drawn Poisson per day; the households
already isolating on day 1 follow ``positif_isolasi_mandiri`` of 30 June. Both are
divided by people per household (Dukcapil) and scaled by ``--scale`` (default 1/20, so
a day stays small). Households, their places and needs come from the bundled
generator. Each day's list is the whole roster (``--complete``), as CSV or, every
other day, as an .xlsx workbook; it carries recoveries (``status: sembuh``), changed
addresses, repeated rows, and households an officer sent to hospital that the list
still shows for two days. Officers find nobody home with probability ``--nobody-home``.
The fleet is the generator's (cars and Bhabinkamtibmas motorbikes at the Polres and
every Polsek) sized for ``--fleet`` × the expected households due a day, motorbikes
with a cargo box (4 parcels, 65 kg); the stock is topped up each day to the due
households' needs plus ``--stock-margin``.

    .venv/bin/python benchmarks/campaign_bench.py                 # 14 days, 3 s per plan
    .venv/bin/python benchmarks/campaign_bench.py --days 5 --time-limit 2 --out /tmp/c
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import random
import sys
import tempfile
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml
from jaksel_generator import load_generator

from ktj_logistics._campaign import (
    DayOptions,
    campaign_status,
    init_campaign,
    merge_list,
    plan_day,
    read_household_list,
    record_results,
    record_stock,
    write_status,
)
from ktj_logistics._campaign.audit import accounting, audit_store
from ktj_logistics._campaign.context import Campaign
from ktj_logistics._campaign.ledger import positions

ROOT = Path(__file__).resolve().parent.parent
FIRST_DAY = date(2021, 7, 1)


_generator = load_generator


GEN = _generator()


def kelurahan_rates(data: Path) -> tuple[dict[str, float], dict[str, int]]:
    """Per kelurahan code: July 2021 new cases a day, and those isolating on 30 June."""
    total: dict[str, dict[str, int]] = {}
    isolating: dict[str, int] = {}
    with data.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            total.setdefault(row["snapshot_date"], {})[row["kode_kel"]] = int(row["positif_total"])
            if row["snapshot_date"] == "2021-06-30":
                isolating[row["kode_kel"]] = int(row["positif_isolasi_mandiri"])
    june, july = total["2021-06-30"], total["2021-07-31"]
    return {k: max(0, july[k] - june[k]) / 31 for k in june}, isolating


@dataclasses.dataclass
class Sim:
    """What the simulation knows about each household (the 'real world')."""

    rows: dict[str, dict[str, Any]] = dataclasses.field(default_factory=dict)
    start: dict[str, date] = dataclasses.field(default_factory=dict)
    recovered_on: dict[str, date] = dataclasses.field(default_factory=dict)
    hospital_on: dict[str, date] = dataclasses.field(default_factory=dict)


def new_households(
    geo: Any, weights: dict[str, float], n: int, seed: int, day: date
) -> list[dict[str, Any]]:
    """``n`` generated households spread over kelurahan by ``weights``."""
    kels = [
        dataclasses.replace(k, isolating=max(0, round(weights.get(k.code, 0.0) * 1000)))
        for k in geo.kelurahan
    ]
    rows = GEN.make_households(dataclasses.replace(geo, kelurahan=kels), n, seed)
    for i, r in enumerate(rows, start=1):
        r["id"] = f"JS-{day:%m%d}-{i:03d}"
        r["phone"] = f"0800-{day:%m%d}-{i:04d}"
    return rows


def write_list(path: Path, rows: list[dict[str, Any]]) -> Path:
    columns = [*GEN.HOUSEHOLD_COLUMNS, "status"]
    if path.suffix == ".xlsx":
        import openpyxl

        wb = openpyxl.Workbook()
        ws = wb.active
        assert ws is not None
        ws.append([f"Daftar warga isolasi mandiri — {path.stem}"])
        ws.append(columns)
        for r in rows:
            ws.append(
                [
                    ("ya" if v else "tidak") if isinstance(v := r.get(c, ""), bool) else v
                    for c in columns
                ]
            )
        wb.save(path)
        return path
    GEN.write_csv(path, columns, [{**{c: "" for c in columns}, **r} for r in rows])
    return path


def day_list(sim: Sim, day: date, rng: random.Random) -> list[dict[str, Any]]:
    """The day's roster: isolating households (recoveries marked), a few changes."""
    out = []
    for hid, row in sim.rows.items():
        start = sim.start[hid]
        if not start <= day < start + timedelta(days=14):
            continue
        rec = sim.recovered_on.get(hid)
        if rec is not None and rec < day:
            continue  # dropped from the list after the day it said sembuh
        hosp = sim.hospital_on.get(hid)
        if hosp is not None and day > hosp + timedelta(days=2):
            continue  # the health office catches up two days later
        if rec is None and start < day and rng.random() < 0.01:
            sim.recovered_on[hid] = rec = day
        if rng.random() < 0.02:  # the coordinator corrects an address
            row["address"] = row["address"] + " (belakang)"
        out.append({**row, "status": "sembuh" if rec == day else "isolasi"})
    repeated = [dict(r) for r in rng.sample(out, k=max(1, len(out) // 100))]
    return out + repeated


def stock_sheet(c: Campaign, day: date, path: Path, margin: float) -> Path:
    """Top the sources up to the due households' needs plus ``margin`` (the logistics
    office's order); the Polda truck brings two thirds, members' donations the rest."""
    import json

    from ktj_logistics._campaign.ledger import stock_on

    due = [rec.id for rec, p in positions(c.store, c.config.rules, day).values() if p.due]
    need: Counter[str] = Counter()
    for r in c.store.rows(
        f"SELECT record FROM households WHERE id IN ({','.join('?' * len(due))})", tuple(due)
    ):
        h = json.loads(r["record"])
        need["standard"] += h["packages_needed"]
        for item, n in h["items"].items():
            need[item] += n
    have: Counter[str] = Counter()
    for items in stock_on(c.store, day).values():
        have.update(items)
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["source", "item", "quantity"])
        for item, n in sorted(need.items()):
            short = max(0, round(n * (1 + margin)) - have[item])
            polda = round(short * 2 / 3)
            w.writerow(["polda-mj", item, polda])
            w.writerow(["polres-donasi", item, short - polda])
    return path


def officers(
    c: Campaign, day: date, plan_id: str, path: Path, rng: random.Random, p_away: float, sim: Sim
) -> Path:
    from ktj_logistics import Plan

    row = c.store.one("SELECT plan_json FROM plans WHERE id = ?", (plan_id,))
    assert row is not None
    plan = Plan.model_validate_json(row["plan_json"])
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["household_id", "status", "time"])
        for o in plan.served():
            x = rng.random()
            status = "delivered"
            if x < p_away:
                status = "nobody_home"
            elif x < p_away + 0.01:
                status = "moved_to_hospital"
                sim.hospital_on[o.household_id] = day
            elif x < p_away + 0.015:
                status = "refused"
            t = o.arrival_s or 0
            w.writerow([o.household_id, status, f"{t // 3600:02d}:{t % 3600 // 60:02d}"])
    return path


def setup(out: Path, args: argparse.Namespace) -> tuple[Campaign, Sim, Any, dict[str, float]]:
    """The campaign files (day template, fleet, rules), the store, and the households
    already isolating when the campaign starts."""
    geo = GEN.load_geography()
    rates, isolating = kelurahan_rates(GEN.DATA / "covid19_kelurahan_jaksel_2021.csv")
    pph = {k.code: k.people_per_household for k in geo.kelurahan}
    daily = {code: r / pph[code] for code, r in rates.items()}
    already = {code: n / pph[code] for code, n in isolating.items()}
    rng = random.Random(args.seed)
    sim = Sim()
    first = new_households(
        geo, already, round(sum(already.values()) * args.scale), args.seed, FIRST_DAY - timedelta(1)
    )
    for r in first:
        start = FIRST_DAY - timedelta(days=rng.randint(0, 12))
        r["isolation_start"] = start.isoformat()
        sim.rows[r["id"]], sim.start[r["id"]] = r, start
    due_a_day = sum(daily.values()) * args.scale * 2 + len(first) / 7
    vehicles = GEN.make_vehicles(round(due_a_day * args.fleet), args.seed)
    for v in vehicles:  # motorbikes with a cargo box: a household's 2-3 parcels in one go
        if v["kind"] == "motorbike":
            v["capacity_packages"], v["capacity_kg"] = 4, 65
    GEN.write_csv(out / "vehicles.csv", GEN.VEHICLE_COLUMNS, vehicles)
    doc = GEN.scenario_document(geo, first, args.time_limit, name="jaksel-campaign-day")
    doc["households"] = []
    (out / "day.yaml").write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), "utf-8")
    rules = {"max_wait_days": args.max_wait}
    campaign_doc = {"name": "jaksel-juli-2021", "day": "day.yaml", "rules": rules, "out_dir": "out"}
    (out / "campaign.yaml").write_text(yaml.safe_dump(campaign_doc, sort_keys=False), "utf-8")
    store = out / "campaign.db"
    store.unlink(missing_ok=True)
    c = init_campaign(out / "campaign.yaml", store, FIRST_DAY)
    return c, sim, geo, daily


RESOURCE_REASONS = ("stock_shortfall", "fleet_capacity")
"""Left out for want of stock or vehicle time: what a campaign sized like this one must
not let last more than N days. Other reasons say no vehicle of the fleet can carry or
reach the household at all (e.g. more items than a motorbike takes into an alley):
reported, not counted against N."""


def left_out_streaks(c: Campaign) -> tuple[int, Counter[str], list[str], int]:
    """Per package (household, isolation, slot): days it was due and on no route sheet.
    The longest such run for want of stock or vehicle time, the reasons of all such
    days, the packages over the limit, and the packages no vehicle could take at all."""
    days: Counter[tuple[str, str, int]] = Counter()
    structural: set[tuple[str, str, int]] = set()
    reasons: Counter[str] = Counter()
    for r in c.store.rows(
        "SELECT d.household_id, d.episode, d.slot, d.reason FROM deliveries d"
        " JOIN plans p ON p.id = d.plan_id WHERE p.state = 'issued' AND d.planned = 'unserved'"
    ):
        key = (r["household_id"], r["episode"], int(r["slot"]))
        reasons[r["reason"]] += 1
        if r["reason"] in RESOURCE_REASONS:
            days[key] += 1
        else:
            structural.add(key)
    limit = c.config.rules.max_wait_days
    over = sorted(f"{h} package {s + 1}: {n} days" for (h, _, s), n in days.items() if n > limit)
    return max(days.values(), default=0), reasons, over, len(structural)


def check_day(c: Campaign, sim: Sim, day: date) -> list[str]:
    """Every household accounted for on ``day``: the store whole, the day's due
    households exactly its plan's, every listed household in the store and standing
    somewhere."""
    problems = [f"{day}: {p}" for p in audit_store(c.store)]
    try:
        standing = accounting(c, day)
    except AssertionError as exc:
        return [*problems, str(exc)]
    stored = {r[0] for r in c.store.rows("SELECT id FROM households")}
    if set(sim.rows) - stored:
        problems.append(f"{day}: {len(set(sim.rows) - stored)} listed households not stored")
    if sum(standing.values()) != len(stored):
        problems.append(f"{day}: {sum(standing.values())} of {len(stored)} households placed")
    return problems


HEADER = (
    f"{'day':10} {'listed':>6} {'new':>4} {'upd':>4} {'closed':>6} {'dup':>4} {'due':>4}"
    f" {'sheets':>6} {'left':>4} {'deliv':>5} {'away':>4} {'wait':>4} {'s':>5}"
)


def run_day(c: Campaign, sim: Sim, day: date, args: argparse.Namespace, rng: random.Random) -> str:
    """Import, stock, plan, results for one day; its line of the table."""
    out: Path = args.out
    t0 = time.monotonic()
    lists = out / "lists" / f"{day}.{'xlsx' if day.day % 2 == 0 else 'csv'}"
    path = write_list(lists, day_list(sim, day, rng))
    listed = read_household_list(path, c.template())
    report = merge_list(c.store, listed, c.config.rules, day, complete=True)
    record_stock(c, stock_sheet(c, day, out / "stock" / f"{day}.csv", args.stock_margin), day)
    done = plan_day(c, day, DayOptions(time_limit_s=args.time_limit))
    got: dict[str, int] = {}
    if done.plan_id is not None:
        sheet = out / "results" / f"{day}.csv"
        officers(c, day, done.plan_id, sheet, rng, args.nobody_home, sim)
        got = record_results(c, sheet, day).counts()
    seconds = time.monotonic() - t0
    k = report.counts()
    served = done.plan.totals.served if done.plan else 0
    waits = c.store.rows(
        "SELECT MAX(days_waiting) FROM deliveries WHERE plan_id = ?", (done.plan_id,)
    )
    return (
        f"{day!s:10} {report.rows:>6} {k['added']:>4} {k['updated']:>4}"
        f" {k['closed'] + k['dropped']:>6} {k['duplicate']:>4} {done.due:>4} {served:>6}"
        f" {done.due - served:>4} {got.get('delivered', 0):>5} {got.get('nobody_home', 0):>4}"
        f" {waits[0][0] or 0:>4} {seconds:>5.1f}"
    )


def arrivals(geo: Any, daily: dict[str, float], sim: Sim, day: date, args: Any, rng: Any) -> None:
    """The day's new cases (Poisson around the real daily rate) join the world."""
    n = int(rng.poisson(sum(daily.values()) * args.scale))
    late = random.Random(day.toordinal())
    for r in new_households(geo, daily, n, args.seed + day.toordinal(), day):
        start = day - timedelta(days=1 if late.random() < 0.3 else 0)  # reported a day late
        r["isolation_start"] = start.isoformat()
        sim.rows[r["id"]], sim.start[r["id"]] = r, start


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--days", type=int, default=14)
    ap.add_argument("--scale", type=float, default=1 / 20, help="share of the real caseload")
    ap.add_argument("--time-limit", type=float, default=3.0, help="seconds of search a day")
    ap.add_argument("--max-wait", type=int, default=2, help="N: days a due household may wait")
    ap.add_argument("--nobody-home", type=float, default=0.10)
    ap.add_argument("--fleet", type=float, default=1.5, help="fleet sized for this × due a day")
    ap.add_argument("--stock-margin", type=float, default=0.15)
    ap.add_argument("--seed", type=int, default=20210701)
    ap.add_argument("--out", type=Path, default=None, help="folder (default: a temporary one)")
    args = ap.parse_args()
    args.out = args.out or Path(tempfile.mkdtemp(prefix="ktj-campaign-"))
    for sub in ("lists", "stock", "results"):
        (args.out / sub).mkdir(parents=True, exist_ok=True)
    import numpy as np

    t_start = time.monotonic()
    c, sim, geo, daily = setup(args.out, args)
    rng, poisson = random.Random(args.seed + 1), np.random.default_rng(args.seed)
    problems: list[str] = []
    print(HEADER)
    for t in range(args.days):
        day = FIRST_DAY + timedelta(days=t)
        arrivals(geo, daily, sim, day, args, poisson)
        print(run_day(c, sim, day, args, rng), flush=True)
        problems += check_day(c, sim, day)
    longest, reasons, over, unreachable = left_out_streaks(c)
    status = campaign_status(c, FIRST_DAY + timedelta(days=args.days - 1))
    written = write_status(status, args.out / "status")
    total = time.monotonic() - t_start
    print(f"\n{len(sim.rows)} households over {args.days} days;", end=" ")
    print(f"every one accounted for every day: {'yes' if not problems else 'NO'}")
    print(
        f"longest run of days due, on no sheet for want of stock or vehicle time: {longest}", end=""
    )
    print(f" (N = {args.max_wait}); days left out by reason: {dict(reasons) or 'none'}")
    print(f"packages no vehicle of the fleet can carry or reach: {unreachable}")
    print(
        f"longest wait, nobody-home retries included: {max(d.max_wait for d in status.days)} days"
    )
    print(f"report: {written[0].parent} ({len(written)} files); store: {c.store.path}")
    print(f"wall time: {total:.0f} s in all, {total / args.days:.1f} s a day", end=" ")
    print(f"(search time limit {args.time_limit:g} s a day)")
    c.close()
    for p in problems + [f"waited too long: {o}" for o in over]:
        print("FAIL", p)
    return 1 if problems or over else 0


if __name__ == "__main__":
    sys.exit(main())
