"""The planning service's API, against a real ``ktj-route serve`` and an HTTP client."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

import ktj_logistics as ktj

from .service_server import (
    API,
    BAD_INPUTS,
    DAY,
    DAY_FILES,
    Server,
    ktj_route,
    running_server,
    upload,
    wait_for,
)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("service")
    with running_server(folder, "--max-upload-mb", "2", "--max-files", "5") as s:
        yield s


@pytest.fixture(scope="module")
def done_job(server: Server) -> str:
    """The bundled South Jakarta day, planned with a short search by the service (its
    served share comes from the stock and fleet: 410 of 444 whether 0.5 s or 6 s)."""
    rina = server.client("rina")
    r = upload(rina, DAY_FILES, time_limit_s=1)
    assert r.status_code == 202, r.text
    assert r.headers["location"] == f"{API}/jobs/{r.json()['id']}"
    job = wait_for(rina, r.json()["id"], {"done", "failed"})
    assert job["status"] == "done", job
    return str(job["id"])


def test_the_bundled_day_is_planned_and_its_plan_passes_ktj_route_verify(
    server: Server, done_job: str, tmp_path: Path
) -> None:
    """Submit, poll to done, download plan.json, check it with the command line."""
    rina = server.client("rina")
    job = rina.get(f"{API}/jobs/{done_job}").json()
    assert job["households"] == 444 and job["progress"]["fraction"] == 1.0
    assert job["totals"]["households"] == 444 and job["totals"]["served"] > 400
    plan = rina.get(f"{API}/jobs/{done_job}/plan.json")
    assert plan.status_code == 200
    (tmp_path / "plan.json").write_bytes(plan.content)
    # The command is ktj.verify on the loaded scenario and plan.json (re-pricing every
    # leg on the roads): what the library would say, checked once.
    checked = ktj_route("verify", str(DAY / "scenario.yaml"), str(tmp_path / "plan.json"))
    assert checked.returncode == 0, checked.stderr
    assert "OK: 444 households accounted for" in checked.stdout
    parsed = ktj.Plan.model_validate_json(plan.content)
    report = rina.get(f"{API}/jobs/{done_job}/verify").json()
    assert report == {"ok": True, "households": 444, "routes": len(parsed.routes), "violations": []}


def test_every_artefact_downloads_and_the_zip_holds_them_all(server: Server, done_job: str) -> None:
    rina = server.client("rina")
    listing = rina.get(f"{API}/jobs/{done_job}/files").json()
    paths = {f["path"] for f in listing["files"]}
    assert {"plan.json", "map.html", "routes.geojson", "stops.geojson", "routes.csv"} <= paths
    assert {"sheets/all.html", "whatsapp/all.txt"} <= paths
    officer = listing["officers"][0]
    assert officer["sheet"] in paths and officer["text"] in paths
    sheet = rina.get(f"{API}/jobs/{done_job}/files/{officer['sheet']}")
    assert sheet.status_code == 200 and "attachment" in sheet.headers["content-disposition"]
    assert "Lembar rute" in sheet.text  # Bahasa Indonesia unless asked otherwise
    geo = rina.get(f"{API}/jobs/{done_job}/files/routes.geojson")
    assert geo.headers["content-type"] == "application/geo+json"
    assert geo.json()["type"] == "FeatureCollection"
    zipped = rina.get(listing["zip_url"])
    assert zipped.headers["content-type"] == "application/zip"
    names = set(zipfile.ZipFile(io.BytesIO(zipped.content)).namelist())
    assert names == paths
    outside = rina.get(f"{API}/jobs/{done_job}/files/..%2F..%2Fservice.sqlite3")
    assert outside.status_code == 404


def test_explain_says_why_a_household_was_served_or_not(server: Server, done_job: str) -> None:
    rina = server.client("rina")
    plan = ktj.Plan.model_validate_json(rina.get(f"{API}/jobs/{done_job}/plan.json").content)
    for outcome in (plan.households[0], *plan.unserved()[:1]):
        e = rina.get(f"{API}/jobs/{done_job}/explain/{outcome.household_id}").json()
        expected = ktj.explain(plan, outcome.household_id)
        assert (e["served"], e["headline"]) == (expected.served, expected.headline)
    assert rina.get(f"{API}/jobs/{done_job}/explain/JS-99999").status_code == 404


def test_a_hand_edited_plan_is_checked_against_the_jobs_scenario(
    server: Server, done_job: str
) -> None:
    rina = server.client("rina")
    plan = rina.get(f"{API}/jobs/{done_job}/plan.json").json()
    plan["households"] = plan["households"][1:]  # one household lost
    report = rina.post(f"{API}/jobs/{done_job}/verify", json=plan).json()
    assert report["ok"] is False and report["violations"]
    assert rina.post(f"{API}/jobs/{done_job}/verify", json={"x": 1}).status_code == 422


def test_no_endpoint_answers_without_a_valid_token(server: Server, done_job: str) -> None:
    anonymous, wrong = server.client(None), server.client(None)
    wrong.headers["Authorization"] = "Bearer not-a-token"
    job = f"{API}/jobs/{done_job}"
    gets = [f"{API}/jobs", job, f"{job}/plan.json", f"{job}/verify", f"{job}/files",
            f"{job}/files/map.html", f"{job}/all.zip", f"{job}/explain/JS-0001",
            f"{API}/openapi.json"]  # fmt: skip
    for c in (anonymous, wrong):
        for path in gets:
            r = c.get(path)
            assert r.status_code == 401, path
            assert r.headers["www-authenticate"].startswith("Bearer")
        assert upload(c, DAY_FILES).status_code == 401
        assert c.post(f"{API}/jobs", json={}).status_code == 401
        assert c.delete(job).status_code == 401


def test_another_coordinators_job_does_not_exist_for_them(server: Server, done_job: str) -> None:
    budi = server.client("budi")
    job = f"{API}/jobs/{done_job}"
    for path in (job, f"{job}/plan.json", f"{job}/files", f"{job}/all.zip", f"{job}/verify"):
        assert budi.get(path).status_code == 404, path
    assert budi.delete(job).status_code == 404
    assert done_job not in {j["id"] for j in budi.get(f"{API}/jobs").json()}
    assert done_job in {j["id"] for j in server.client("rina").get(f"{API}/jobs").json()}


def test_uploads_over_the_size_or_count_limit_are_refused_with_413(server: Server) -> None:
    rina = server.client("rina")
    big = [("files", ("households.csv", b"x" * (3 * 1024 * 1024), "text/csv"))]
    assert rina.post(f"{API}/jobs/upload", files=big).status_code == 413

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
        for _ in range(48):
            yield b"y" * 65536

    r = rina.post(f"{API}/jobs", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413
    six = [("files", (f"t{i}.csv", b"id\n", "text/csv")) for i in range(6)]
    r = rina.post(f"{API}/jobs/upload", files=six)
    assert r.status_code == 413 and "at most 5 files" in r.json()["detail"]


def _issues_of_validate(folder: Path) -> list[dict[str, object]]:
    with pytest.raises(ktj.InputError) as caught:
        ktj.load(folder / "scenario.yaml")
    return [
        {
            "file": i.file,
            "row": i.row,
            "field": i.field,
            "value": i.value,
            "message": i.message,
            "fix": i.fix,
        }  # fmt: skip
        for i in caught.value.issues
    ]


@pytest.mark.parametrize(
    "case", ["many_problems_grouped", "malformed_csv_unclosed_quote", "missing_csv_file"]
)
def test_a_broken_spreadsheet_gives_422_with_the_issues_of_ktj_route_validate(
    server: Server, case: str
) -> None:
    folder = BAD_INPUTS / case
    r = upload(
        server.client("rina"), sorted(p for p in folder.iterdir() if p.name != "expected.txt")
    )
    assert r.status_code == 422
    body = r.json()
    got = [
        {k: i[k] for k in ("file", "row", "field", "value", "message", "fix")}
        for i in body["issues"]
    ]
    assert got == _issues_of_validate(folder)
    printed = ktj_route("validate", str(folder / "scenario.yaml"))
    assert printed.returncode == 2
    for issue in body["issues"]:
        assert issue["message"] in printed.stderr and issue["file"] in printed.stderr
    assert "Traceback" not in r.text and str(server.state) not in r.text


def test_a_scenario_may_not_reach_outside_its_upload_or_bring_plugins(server: Server) -> None:
    rina = server.client("rina")
    text = (DAY / "scenario.yaml").read_text(encoding="utf-8")
    sneaky = text.replace("households: households.csv", "households: ../../x/households.csv")
    sneaky += "plugin_paths: [evil.py]\n"
    parts = [("files", ("scenario.yaml", sneaky.encode(), "text/yaml"))]
    parts += [("files", (p.name, p.read_bytes(), "text/csv")) for p in DAY_FILES[1:]]
    r = rina.post(f"{API}/jobs/upload", files=parts)
    assert r.status_code == 422
    fields = {i["field"] for i in r.json()["issues"]}
    assert {"households", "plugin_paths"} <= fields
    evil = [("files", ("evil.py", b"import os", "text/x-python"))]
    assert rina.post(f"{API}/jobs/upload", files=evil).status_code == 422
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [{', '.join(['*' + p] * 10)}]\n"
        for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    )
    r = rina.post(
        f"{API}/jobs", content=bomb.encode(), headers={"content-type": "application/json"}
    )
    assert r.status_code == 422 and "aliases" in r.text


def test_a_scenario_can_be_submitted_as_one_json_document(server: Server) -> None:
    rina = server.client("rina")
    scenario = ktj.load(DAY / "scenario.yaml").scenario
    small = scenario.model_copy(update={"households": scenario.households[:15]})
    r = rina.post(f"{API}/jobs", content=small.model_dump_json(), params={"time_limit_s": 1,
                  "lang": "en", "redact": True})  # fmt: skip
    assert r.status_code == 202, r.text
    job = wait_for(rina, r.json()["id"], {"done", "failed"})
    assert job["status"] == "done" and job["totals"]["households"] == 15
    assert job["options"] == {"time_limit_s": 1.0, "lang": "en", "redact": True}
    sheet = rina.get(f"{API}/jobs/{job['id']}/files/sheets/all.txt").text
    assert "Route sheet" in sheet and scenario.households[0].name not in sheet
    bad = rina.post(f"{API}/jobs", json={"x": 1}, params={"time_limit_s": -1})
    assert bad.status_code == 422 and bad.json()["issues"][0]["field"] == "query.time_limit_s"


def test_a_road_network_comes_from_the_operator_not_the_upload(server: Server) -> None:
    """Networks are installed with ``--networks``; a day naming another is refused,
    with the names the service has."""
    rina = server.client("rina")
    scenario = ktj.load(DAY / "scenario.yaml").scenario
    small = scenario.model_copy(update={"households": scenario.households[:5]})
    data = small.model_dump(mode="json")
    data["settings"]["travel"]["network"] = "data/jakarta-barat.graphml.gz"
    r = rina.post(f"{API}/jobs", json=data, params={"time_limit_s": 1})
    assert r.status_code == 422, r.text
    issue = r.json()["issues"][0]
    assert issue["field"] == "settings.travel.network"
    assert "roads_jaksel_osm2012_simplified.graphml.gz" in issue["fix"]


def test_answers_carry_security_headers_and_the_openapi_names_the_models(server: Server) -> None:
    rina = server.client("rina")
    for r in (rina.get(f"{API}/jobs"), httpx.get(server.url + "/")):
        assert "default-src 'none'" in r.headers["content-security-policy"]
        assert r.headers["x-frame-options"] == "DENY"
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["referrer-policy"] == "same-origin"
        assert "server" not in r.headers
    schema = rina.get(f"{API}/openapi.json").json()
    assert {"Plan", "Scenario", "JobStatus", "InputProblems", "IssueOut"} <= set(
        schema["components"]["schemas"]
    )
    assert f"{API}/jobs/upload" in schema["paths"]


def _nonce(page: str) -> str:
    return page.split('name="csrf" value="', 1)[1].split('"', 1)[0]


def test_the_page_needs_a_session_and_its_writes_need_the_csrf_token(server: Server) -> None:
    browser = server.client(None, follow_redirects=False)
    login = browser.get("/")
    assert 'name="token"' in login.text and "Masuk" in login.text
    forged = browser.post("/login", data={"token": server.tokens["rina"], "csrf": "guess"})
    assert forged.status_code == 403 and "ktj_session" not in forged.headers.get("set-cookie", "")
    wrong = browser.post("/login", data={"token": "nope", "csrf": _nonce(forged.text)})
    assert wrong.status_code == 401 and "ktj_session" not in wrong.headers.get("set-cookie", "")
    nonce = _nonce(wrong.text)  # each login form has its own
    r = browser.post("/login", data={"token": server.tokens["rina"], "csrf": nonce})
    assert r.status_code == 303
    cookie = r.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie.replace("Strict", "strict")
    page = browser.get("/")
    assert 'id="upload-form"' in page.text
    csrf = page.text.split('name="csrf-token" content="', 1)[1].split('"', 1)[0]
    assert browser.get(f"{API}/jobs").status_code == 200  # reading needs only the session
    assert upload(browser, DAY_FILES[:1]).status_code == 403  # a write without the token
    browser.headers["X-CSRF-Token"] = csrf
    browser.headers["Origin"] = "https://evil.example"
    assert upload(browser, DAY_FILES[:1]).status_code == 403  # from another site
    del browser.headers["Origin"]
    assert upload(browser, DAY_FILES[:1]).status_code == 422  # ours: the CSVs are missing
    english = browser.get("/?lang=en")
    assert "Upload the day" in english.text and 'lang="en"' in english.text


def test_the_log_holds_no_personal_data(server: Server, done_job: str) -> None:
    log = server.log.read_text(encoding="utf-8")
    assert "queued" in log and done_job in log
    with (DAY / "households.csv").open(encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f, delimiter=";"))
    checked = 0
    for row in rows:
        for col in ("id", "name", "phone", "address", "notes"):
            value = row[col].strip()
            if len(value) >= 6:
                assert value not in log, col
                checked += 1
    assert checked > 4 * 400
