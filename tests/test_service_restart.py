"""The service under stress of another kind: full, killed mid-job, restarted, expired."""

from __future__ import annotations

import time
from pathlib import Path

from .service_server import API, DAY_FILES, TINY, running_server, upload, wait_for


def _searching_day(folder: Path) -> list[Path]:
    """The tiny day, not deterministic: its search runs to the time limit it is given."""
    folder.mkdir()
    for f in TINY.glob("*.*"):
        text = f.read_text("utf-8")
        if f.name == "scenario.yaml":
            assert "deterministic: true" in text
            text = text.replace("deterministic: true", "deterministic: false")
        (folder / f.name).write_text(text, "utf-8")
    return sorted(folder.glob("*.*"))


def test_killed_mid_job_a_restarted_server_serves_finished_jobs_and_fails_the_cut_one(
    tmp_path: Path,
) -> None:
    """Small days: what the restart keeps or fails is the job, whatever day it plans (the
    bundled day's plan through the service is test_service_api's)."""
    searching = _searching_day(tmp_path / "day")
    with running_server(tmp_path / "server", "--workers", "1", "--queue", "1") as server:
        rina = server.client("rina")
        first = upload(rina, sorted(TINY.glob("*.*")), time_limit_s=1).json()["id"]
        assert wait_for(rina, first, {"done", "failed"})["status"] == "done"
        plan_before = rina.get(f"{API}/jobs/{first}/plan.json").content

        cut = upload(rina, searching, time_limit_s=120).json()["id"]
        queued = upload(rina, sorted(TINY.glob("*.*")), time_limit_s=1).json()["id"]
        running = wait_for(rina, cut, {"running", "done", "failed"})
        assert running["status"] == "running"
        assert rina.get(f"{API}/jobs/{queued}").json()["status"] == "queued"

        # One planner, one place in the queue: a third day is refused, saying when to retry.
        busy = upload(server.client("budi"), DAY_FILES, time_limit_s=1)
        assert busy.status_code == 503 and int(busy.headers["retry-after"]) > 0
        assert "busy" in busy.json()["detail"]

        deadline = time.monotonic() + 60  # the search reports progress while it runs
        while rina.get(f"{API}/jobs/{cut}").json()["progress"]["stage"] != "search":
            assert time.monotonic() < deadline
            time.sleep(0.1)
        workers = server.children()
        assert workers
        server.kill()
        deadline = time.monotonic() + 10  # the planner stops with the server
        while any(Path(f"/proc/{pid}").exists() for pid in workers):
            assert time.monotonic() < deadline, "a planning process outlived the server"
            time.sleep(0.05)

        server.start()
        rina = server.client("rina")
        again = rina.get(f"{API}/jobs/{first}/plan.json")
        assert again.status_code == 200 and again.content == plan_before
        assert rina.get(f"{API}/jobs/{first}/verify").json()["ok"] is True

        failed = rina.get(f"{API}/jobs/{cut}").json()
        assert failed["status"] == "failed" and "stopped" in failed["error"]
        assert rina.get(f"{API}/jobs/{cut}/plan.json").status_code == 409
        assert rina.get(f"{API}/jobs/{cut}/all.zip").status_code == 409
        assert not (server.state / "jobs" / cut / "result").exists()
        assert list((server.state / "jobs").glob("*/.result-*")) == []

        resumed = wait_for(rina, queued, {"done", "failed"})  # waiting jobs are planned again
        assert resumed["status"] == "done" and resumed["totals"]["households"] == 4


def test_jobs_and_their_files_are_deleted_after_their_time_to_live(tmp_path: Path) -> None:
    with running_server(tmp_path, "--ttl-hours", "0.002") as server:  # 7.2 s
        rina = server.client("rina")
        r = upload(rina, sorted(TINY.glob("*.*")), time_limit_s=1)
        job = wait_for(rina, r.json()["id"], {"done", "failed"})
        assert job["status"] == "done" and round(job["expires"] - job["created"], 3) == 7.2
        folder = server.state / "jobs" / job["id"]
        assert folder.is_dir()
        deadline = time.monotonic() + 30
        while rina.get(f"{API}/jobs/{job['id']}").status_code != 404:
            assert time.monotonic() < deadline, "the job outlived its time to live"
            time.sleep(0.5)
        assert not folder.exists()
