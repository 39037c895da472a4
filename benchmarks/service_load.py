"""Load on the planning service: many small days at once, and status polls at a fixed rate.

Starts ``ktj-route serve`` on a free loopback port with a fresh state folder, then at the
same moment submits ``--jobs`` small days (slices of the bundled South Jakarta day, as
JSON, ``--time-limit`` seconds of search each) while polling job status at ``--polls``
requests per second until every job has finished. A day refused with 503 is submitted
again after its Retry-After, at most ``--retries`` times. Memory of the server and its
planning processes is sampled from /proc throughout.

It checks that no job is lost (every accepted job ends done or failed), that every
refusal is a 503 with Retry-After, and that every plan made passes the service's verify;
exits 1 otherwise. Only loopback addresses are used; every loop is bounded in count and
time.

    python benchmarks/service_load.py [--jobs 20] [--households 20] [--polls 200]
        [--workers 2] [--queue 8] [--time-limit 1] [--timeout 300]

The machine is shared (2 cores, several sessions): figures are indicative.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

import ktj_logistics as ktj

ROOT = Path(__file__).resolve().parent.parent
API = "/api/v1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def small_days(n: int, size: int) -> list[str]:
    """``n`` scenarios of ``size`` households each, cut from the bundled day, as JSON."""
    day = ktj.load(ROOT / "scenarios" / "jakarta-selatan" / "scenario.yaml").scenario
    out = []
    for i in range(n):
        start = (i * size) % max(1, len(day.households) - size)
        part = day.households[start : start + size]
        out.append(day.model_copy(update={"households": part}).model_dump_json())
    return out


def rss_kib(root_pid: int) -> tuple[int, int]:
    """Resident memory of ``root_pid`` and its children (KiB), and how many children."""
    total, children = 0, 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parts = stat.read_text().rsplit(")", 1)[1].split()
            pid, ppid = int(stat.parent.name), int(parts[1])
            if pid != root_pid and ppid != root_pid:
                continue
            status = (stat.parent / "status").read_text()
        except (OSError, IndexError, ValueError):
            continue
        children += pid != root_pid
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total, children


@dataclass
class Figures:
    accepted: dict[int, str] = field(default_factory=dict)  # day → job id
    refusals: int = 0
    refusals_without_retry_after: int = 0
    refused_for_good: int = 0
    other_answers: list[int] = field(default_factory=list)
    poll_latency_ms: list[float] = field(default_factory=list)
    poll_errors: int = 0
    peak_rss_kib: int = 0
    peak_children: int = 0
    submit_latency_ms: list[float] = field(default_factory=list)


async def submit(client: httpx.AsyncClient, i: int, body: str, args: argparse.Namespace,
                 fig: Figures, deadline: float) -> None:  # fmt: skip
    for _ in range(args.retries + 1):
        t0 = time.monotonic()
        r = await client.post(
            f"{API}/jobs", content=body, params={"time_limit_s": args.time_limit},
            headers={"content-type": "application/json"},
        )  # fmt: skip
        fig.submit_latency_ms.append((time.monotonic() - t0) * 1000)
        if r.status_code == 202:
            fig.accepted[i] = r.json()["id"]
            return
        if r.status_code != 503:
            fig.other_answers.append(r.status_code)
            return
        fig.refusals += 1
        retry = r.headers.get("retry-after")
        if retry is None:
            fig.refusals_without_retry_after += 1
        wait = float(retry or 5)
        if time.monotonic() + wait > deadline:
            break
        await asyncio.sleep(wait)
    fig.refused_for_good += 1


async def poll(client: httpx.AsyncClient, rate: float, fig: Figures, done: asyncio.Event) -> int:
    """Status requests at ``rate`` per second until ``done``; how many were sent."""
    sent, gate = 0, asyncio.Semaphore(64)
    start = time.monotonic()

    async def one(path: str) -> None:
        async with gate:
            t0 = time.monotonic()
            try:
                r = await client.get(path)
                if r.status_code != 200:
                    fig.poll_errors += 1
            except httpx.HTTPError:
                fig.poll_errors += 1
            fig.poll_latency_ms.append((time.monotonic() - t0) * 1000)

    tasks = set()
    while not done.is_set():
        ids = list(fig.accepted.values())
        path = f"{API}/jobs/{ids[sent % len(ids)]}" if ids else f"{API}/jobs"
        task = asyncio.create_task(one(path))
        tasks.add(task)
        task.add_done_callback(tasks.discard)
        sent += 1
        await asyncio.sleep(max(0.0, start + sent / rate - time.monotonic()))
    await asyncio.gather(*tasks)
    return sent


async def sample_memory(pid: int, fig: Figures, done: asyncio.Event) -> None:
    while not done.is_set():
        rss, children = rss_kib(pid)
        fig.peak_rss_kib = max(fig.peak_rss_kib, rss)
        fig.peak_children = max(fig.peak_children, children)
        await asyncio.sleep(0.5)


async def run(args: argparse.Namespace, url: str, token: str, pid: int) -> int:
    fig = Figures()
    days = small_days(args.jobs, args.households)
    headers = {"Authorization": f"Bearer {token}"}
    limits = httpx.Limits(max_connections=100)
    async with httpx.AsyncClient(base_url=url, headers=headers, timeout=60, limits=limits) as c:
        done = asyncio.Event()
        deadline = time.monotonic() + args.timeout
        t0 = time.monotonic()
        poller = asyncio.create_task(poll(c, args.polls, fig, done))
        memory = asyncio.create_task(sample_memory(pid, fig, done))
        await asyncio.gather(*(submit(c, i, d, args, fig, deadline) for i, d in enumerate(days)))
        final: dict[str, dict[str, object]] = {}
        while time.monotonic() < deadline and len(final) < len(fig.accepted):
            for job_id in set(fig.accepted.values()) - set(final):
                job = (await c.get(f"{API}/jobs/{job_id}")).json()
                if job["status"] in ("done", "failed"):
                    final[job_id] = job
            await asyncio.sleep(0.5)
        wall = time.monotonic() - t0
        done.set()
        polls = await poller
        await memory
        verified = 0
        for job_id, job in final.items():
            if job["status"] == "done":
                verified += (await c.get(f"{API}/jobs/{job_id}/verify")).json()["ok"] is True
    lost = len(fig.accepted) - len(final)
    statuses = [str(j["status"]) for j in final.values()]
    lat = sorted(fig.poll_latency_ms)
    q = statistics.quantiles(lat, n=100) if len(lat) > 1 else [0.0] * 99
    print(f"service: {args.workers} planner(s), queue {args.queue}; {args.jobs} days of "
          f"{args.households} households, {args.time_limit:g} s search each")  # fmt: skip
    print(f"  wall time until every job finished   {wall:8.1f} s")
    print(f"  accepted                             {len(fig.accepted):8d}")
    print(f"  refused at first (503+Retry-After)   {fig.refusals:8d}")
    print(f"  refused for good after retries       {fig.refused_for_good:8d}")
    print(f"  other answers to a submission        {len(fig.other_answers):8d} {fig.other_answers}")
    print(f"  done / failed                        {statuses.count('done'):4d} / "
          f"{statuses.count('failed')}")  # fmt: skip
    print(f"  plans that pass verify               {verified:8d}")
    print(f"  LOST (accepted, never finished)      {lost:8d}")
    print(f"  status polls sent / rate             {polls:8d} / {polls / wall:.0f} per s "
          f"(asked {args.polls:g})")  # fmt: skip
    print(f"  poll latency p50 / p95 / p99         {q[49]:6.1f} / {q[94]:.1f} / {q[98]:.1f} ms")
    print(f"  poll errors                          {fig.poll_errors:8d}")
    submits = fig.submit_latency_ms
    print(f"  submit latency p50 / max             "
          f"{statistics.median(submits):6.0f} / {max(submits):.0f} ms")  # fmt: skip
    print(f"  peak memory, server + planners       {fig.peak_rss_kib / 1024:8.0f} MiB")
    print(f"  most planning processes at once      {fig.peak_children:8d}")
    ok = (
        lost == 0
        and not fig.other_answers
        and fig.refusals_without_retry_after == 0
        and verified == statuses.count("done")
        and fig.poll_errors == 0
    )
    print("OK: no job lost; every day planned or refused with 503 + Retry-After" if ok else "FAIL")
    return 0 if ok else 1


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--jobs", type=int, default=20)
    p.add_argument("--households", type=int, default=20)
    p.add_argument("--polls", type=float, default=200.0, help="status requests per second")
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--queue", type=int, default=8)
    p.add_argument("--time-limit", type=float, default=1.0)
    p.add_argument("--retries", type=int, default=5)
    p.add_argument("--timeout", type=float, default=300.0)
    args = p.parse_args()
    token = "bench-" + os.urandom(16).hex()
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="ktj-service-load-") as state:
        server = subprocess.Popen(
            [sys.executable, "-m", "ktj_logistics", "serve", "--port", str(port),
             "--state-dir", state, "--workers", str(args.workers), "--queue", str(args.queue)],
            env={**os.environ, "KTJ_SERVICE_TOKEN": token},
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            url = f"http://127.0.0.1:{port}"
            for _ in range(300):
                try:
                    if httpx.get(url + "/", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.2)
            time.sleep(3)  # the planning processes import OR-Tools once
            return asyncio.run(run(args, url, token, server.pid))
        finally:
            server.terminate()
            server.wait(timeout=60)


if __name__ == "__main__":
    sys.exit(main())
