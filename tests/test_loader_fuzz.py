"""Fuzzing the loaders: no input crashes them, and every rejection is an ``InputError``.

Random bytes, mutated copies of a real CSV and YAML, and random YAML documents are fed
to ``load``; the only acceptable outcomes are a validated scenario or an ``InputError``
whose issues each name a file, a field and a fix. The number of inputs is bounded by
``max_examples`` so the run stays short on a shared machine.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ktj_logistics import InputError, Loaded, load

from .conftest import TINY_SCENARIO

FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
HOSTILE = ";,\"'\n\r\t\x00\ufeff-:.|0123456789 aZ,é’{}[]!&*#%@=+"


@contextmanager
def tiny_with(name: str, data: bytes) -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as tmp:
        case = Path(tmp) / "case"
        shutil.copytree(TINY_SCENARIO.parent, case)
        (case / name).write_bytes(data)
        yield case / "scenario.yaml"


def load_or_input_error(path: Path) -> Loaded | InputError:
    try:
        return load(path)
    except InputError as exc:
        assert exc.issues, "an InputError always carries at least one issue"
        for issue in exc.issues:
            assert issue.file and issue.field and issue.fix and issue.message
            str(issue)  # every issue can be shown
        return exc


@st.composite
def mutated(draw: st.DrawFn, text: str) -> str:
    """``text`` with a few random insertions, deletions and replacements."""
    chars = list(text)
    for _ in range(draw(st.integers(1, 8))):
        pos = draw(st.integers(0, len(chars)))
        op = draw(st.sampled_from(["insert", "delete", "replace"]))
        piece = draw(st.text(alphabet=HOSTILE, min_size=1, max_size=4))
        if op == "insert":
            chars[pos:pos] = list(piece)
        elif op == "delete":
            del chars[pos : pos + len(piece)]
        else:
            chars[pos : pos + len(piece)] = list(piece)
    return "".join(chars)


HOUSEHOLDS = (TINY_SCENARIO.parent / "households.csv").read_text(encoding="utf-8-sig")
VEHICLES = (TINY_SCENARIO.parent / "vehicles.csv").read_text(encoding="utf-8")
SCENARIO = TINY_SCENARIO.read_text(encoding="utf-8")


@FUZZ
@given(st.binary(max_size=400))
def test_random_bytes_as_a_csv_never_crash_the_loader(data: bytes) -> None:
    with tiny_with("households.csv", data) as path:
        load_or_input_error(path)


@FUZZ
@given(
    st.sampled_from(["households.csv", "vehicles.csv"]),
    st.data(),
    st.sampled_from(["utf-8-sig", "utf-8", "cp1252"]),
)
def test_mutated_csv_files_never_crash_the_loader(
    name: str, data: st.DataObject, encoding: str
) -> None:
    text = data.draw(mutated(HOUSEHOLDS if name == "households.csv" else VEHICLES))
    raw = text.encode(encoding, errors="replace")
    with tiny_with(name, raw) as path:
        load_or_input_error(path)


@FUZZ
@given(mutated(SCENARIO))
def test_a_mutated_scenario_file_never_crashes_the_loader(text: str) -> None:
    with tiny_with("scenario.yaml", text.encode("utf-8")) as path:
        load_or_input_error(path)


scalars = st.none() | st.booleans() | st.integers(-(10**6), 10**6) | st.text(max_size=8)
documents = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                ["settings", "sources", "bases", "vehicles", "households", "plugins", "id", "stock"]
            )
            | st.text(max_size=5),
            inner,
            max_size=4,
        )
    ),
    max_leaves=12,
)


@FUZZ
@given(documents)
def test_random_yaml_documents_never_crash_the_loader(doc: object) -> None:
    text = yaml.safe_dump(doc, allow_unicode=True)
    with tiny_with("scenario.yaml", text.encode("utf-8")) as path:
        load_or_input_error(path)


@settings(max_examples=100, deadline=None)
@given(
    st.sampled_from(["households", "vehicles", "sources", "bases"]),
    st.dictionaries(
        st.sampled_from(["id", "lat", "lon", "stock", "kind", "base", "shift", "location"]),
        scalars | st.floats(allow_nan=True),
        max_size=5,
    ),
)
def test_odd_inline_records_never_crash_the_loader(coll: str, record: dict[str, object]) -> None:
    doc = yaml.safe_load(SCENARIO)
    doc[coll] = [record]
    with tiny_with("scenario.yaml", yaml.safe_dump(doc).encode("utf-8")) as path:
        load_or_input_error(path)


def test_a_python_object_tag_in_yaml_is_an_input_error_and_never_runs() -> None:
    evil = "!!python/object/apply:os.system ['touch pwned']\n"
    with tiny_with("scenario.yaml", ("name: " + evil + SCENARIO).encode()) as path:
        result = load_or_input_error(path)
        assert isinstance(result, InputError)
        assert "python/object" in str(result.issues[0])
        assert not (path.parent / "pwned").exists()
        assert not Path("pwned").exists()


def test_an_impossible_date_in_yaml_is_reported_with_its_field_not_a_crash() -> None:
    text = SCENARIO.replace("planning_date: 2021-07-01", "planning_date: 2021-17-01")
    with tiny_with("scenario.yaml", text.encode()) as path:
        result = load_or_input_error(path)
    assert isinstance(result, InputError)
    issue = result.issues[0]
    assert (issue.field, issue.value) == ("settings.planning_date", "2021-17-01")
    assert issue.fix == "write the date as YYYY-MM-DD"


def test_a_nul_character_in_a_csv_file_name_is_an_input_error() -> None:
    text = SCENARIO.replace("households: households.csv", 'households: "rumah\\0.csv"')
    with tiny_with("scenario.yaml", text.encode()) as path:
        result = load_or_input_error(path)
    assert isinstance(result, InputError)
    assert result.issues[0].message == "not a usable file name"
