"""Stage 1 — load: scenario files into a validated ``Scenario``.

Volunteers' spreadsheets arrive as CSV exported by Excel in many locales, so the CSV
reader accepts ``;`` or ``,`` delimiters, decimal commas, a UTF-8 BOM or Windows-1252
text. Every problem is collected (not only the first) and reported with its file, row,
field, value and a fix, as one ``InputError``.
"""

from __future__ import annotations

import csv
import difflib
import io
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any, cast

import yaml
from pydantic import ValidationError

from .errors import InputError, Issue, PluginError
from .hookspecs import Loader
from .model import Household, Scenario, SupplySource, Vehicle
from .plugins import PluginHost, build_host

COLLECTIONS = ("households", "vehicles", "sources", "bases")

# Column aliases seen in coordinators' sheets (Indonesian and English); keys are normalised.
_ALIASES: dict[str, str] = {
    "latitude": "lat",
    "lintang": "lat",
    "longitude": "lon",
    "lng": "lon",
    "long": "lon",
    "bujur": "lon",
    "nama": "name",
    "alamat": "address",
    "telepon": "phone",
    "telp": "phone",
    "hp": "phone",
    "no_hp": "phone",
    "jumlah_anggota": "members",
    "anggota": "members",
    "jumlah_paket": "packages_needed",
    "paket": "packages_needed",
    "jenis_permukiman": "settlement_type",
    "catatan": "notes",
    "lansia": "elderly",
    "balita": "child_under_5",
    "hamil": "pregnant",
    "komorbid": "comorbid",
    "disabilitas": "disability",
    "tidak_berpenghasilan": "no_income",
    "mulai_isolasi": "isolation_start",
    "jendela_waktu": "time_windows",
    "time_window": "time_windows",
    "gedung": "building",
    "zona": "zone_colour",
    "zone_color": "zone_colour",
}

_TRUE = {"1", "true", "yes", "y", "ya", "x", "v", "benar", "iya"}
_FALSE = {"0", "false", "no", "n", "tidak", "t", "salah", "-"}

_BOOL_FIELDS = {
    "elderly",
    "child_under_5",
    "pregnant",
    "comorbid",
    "disability",
    "no_income",
}
_NUMERIC_FIELDS = {
    "lat",
    "lon",
    "members",
    "packages_needed",
    "capacity_packages",
    "capacity_kg",
    "speed_kmh",
    "max_trips",
    "loading_minutes",
}


def _known_columns(model: type[Any]) -> set[str]:
    cols = set(model.model_fields) - {"location"}
    return cols | {"lat", "lon"}


KNOWN_COLUMNS: dict[str, set[str]] = {
    "households": _known_columns(Household),
    "vehicles": _known_columns(Vehicle) | {"shift_start", "shift_end"},
    "sources": _known_columns(SupplySource) | {"opening_start", "opening_end"},
    "bases": {"id", "name", "kind", "lat", "lon"},
}
REQUIRED_COLUMNS: dict[str, list[str]] = {
    "households": ["id", "lat", "lon"],
    "vehicles": ["id", "kind", "base", "capacity_packages", "capacity_kg"],
    "sources": ["id", "lat", "lon", "stock"],
    "bases": ["id", "lat", "lon"],
}


@dataclass
class Origins:
    """Where each record came from, so a validation error can name a file and a row."""

    scenario_file: str
    records: dict[tuple[str, int], tuple[str, int | None]] = field(default_factory=dict)
    # For CSV-backed collections: model field -> column name as written by the user.
    columns: dict[str, dict[str, str]] = field(default_factory=dict)
    top_lines: dict[str, int] = field(default_factory=dict)

    def locate(self, loc: tuple[Any, ...]) -> tuple[str, int | None, str]:
        """Map a pydantic error location to (file, row, field name as the user wrote it)."""
        if len(loc) >= 2 and loc[0] in COLLECTIONS and isinstance(loc[1], int):
            coll, idx = str(loc[0]), loc[1]
            file, row = self.records.get((coll, idx), (self.scenario_file, None))
            rest = [str(p) or "''" for p in loc[2:]]  # an empty key shows as ''
            if rest[:1] == ["location"] and len(rest) > 1:
                rest = rest[1:]
            if not rest:
                return file, row, "(record)"
            # "time_windows.0" -> the user's column name, then which entry of the cell
            head = self.columns.get(coll, {}).get(rest[0], rest[0])
            tail = "".join(f"[{int(p) + 1}]" if p.isdigit() else f".{p}" for p in rest[1:])
            return file, row, head + tail
        key = str(loc[0]) if loc else ""
        name = ".".join(str(p) if str(p) else "''" for p in loc)  # an empty key shows as ''
        return self.scenario_file, self.top_lines.get(key), name or "(scenario)"


# --- YAML with line numbers -------------------------------------------------------------


class _LineDict(dict[str, Any]):
    line: int = 0


class _LineLoader(yaml.SafeLoader):
    """Safe YAML (no arbitrary objects) that remembers the line of every mapping."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> _LineDict:
    d = _LineDict(cast(dict[str, Any], loader.construct_mapping(node, deep=True)))
    d.line = node.start_mark.line + 1
    return d


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
# PyYAML turns "2021-17-01" into a date itself and raises a bare ValueError when it is not
# one; keeping timestamps as text lets the model report a bad date with its row and fix.
_LineLoader.add_constructor(
    "tag:yaml.org,2002:timestamp",
    yaml.SafeLoader.construct_yaml_str,  # type: ignore[type-var]
)


def _read_text(path: Path) -> str:
    raw = path.read_bytes()
    # A UTF-8 BOM in front of Windows-1252 text happens when sheets are pasted together;
    # drop it before deciding the encoding so the first header is not mangled.
    raw = raw.removeprefix(b"\xef\xbb\xbf")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        # Excel on Indonesian Windows saves "CSV" as Windows-1252.
        return raw.decode("cp1252", errors="replace")


def _display(path: Path, base: Path) -> str:
    try:
        return str(path.relative_to(base.resolve().parent))
    except ValueError:
        return str(path)


# --- CSV ------------------------------------------------------------------------------


def _norm_col(name: str) -> str:
    return name.strip().strip("\ufeff").lower().replace(" ", "_").replace("-", "_")


def _sniff_delimiter(text: str) -> str:
    first = next((ln for ln in text.splitlines() if ln.strip()), "")
    counts = {d: first.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _number(text: str, decimal_comma: bool) -> str:
    t = text.strip().replace(" ", "")
    if decimal_comma and "," in t:
        # "1.234,5" (thousands dot) -> "1234.5"; "-6,25" -> "-6.25"
        t = t.replace(".", "").replace(",", ".")
    try:
        float(t)
    except ValueError:
        return text.strip()  # report the cell as the volunteer typed it
    return t


def _cell(field_name: str, value: str, decimal_comma: bool) -> Any:
    v = value.strip()
    if field_name in _BOOL_FIELDS:
        low = v.lower()
        if low in _TRUE:
            return True
        if low in _FALSE:
            return False
        return v  # let validation report it with a fix
    if field_name in _NUMERIC_FIELDS:
        return _number(v, decimal_comma)
    if field_name in {"time_windows"}:
        return [w for w in (p.strip() for p in v.replace(";", "|").split("|")) if w]
    if field_name in {"items", "stock"}:
        out: dict[str, Any] = {}
        for part in v.replace(";", "|").replace(",", "|").split("|"):
            if not part.strip():
                continue
            k, _, n = part.partition(":")
            out[k.strip()] = n.strip() if n else "1"
        return out
    if field_name in {"sources", "vehicle_kinds"}:
        return [p.strip() for p in v.replace(";", "|").replace(",", "|").split("|") if p.strip()]
    return v


def _row_to_record(coll: str, row: dict[str, str], decimal_comma: bool) -> dict[str, Any]:
    rec: dict[str, Any] = {}
    for key, value in row.items():
        if value is None or not str(value).strip():
            continue  # blank cell: the model's default applies (or "missing" is reported)
        rec[key] = _cell(key, str(value), decimal_comma)
    loc = {k: rec.pop(k) for k in ("lat", "lon") if k in rec}
    if loc:
        rec["location"] = loc
    if coll == "vehicles" and ("shift_start" in rec or "shift_end" in rec):
        rec["shift"] = {"start": rec.pop("shift_start", None), "end": rec.pop("shift_end", None)}
    if coll == "sources" and ("opening_start" in rec or "opening_end" in rec):
        rec["opening_hours"] = {
            "start": rec.pop("opening_start", None),
            "end": rec.pop("opening_end", None),
        }
    return rec


def read_csv_records(
    path: Path, coll: str, display: str, origins: Origins, issues: list[Issue]
) -> list[dict[str, Any]]:
    """Read one CSV of a collection; appends issues instead of raising."""
    try:
        text = _read_text(path)
    except (OSError, ValueError) as exc:
        issues.append(
            Issue(
                display,
                coll,
                f"cannot read the file ({getattr(exc, 'strerror', None) or exc})",
                "check the path",
            )
        )
        return []
    if not text.strip():
        issues.append(
            Issue(display, "(file)", "the file is empty", "export the sheet again with a header")
        )
        return []
    delim = _sniff_delimiter(text)
    decimal_comma = delim == ";"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim, strict=True)
    rows: list[list[str]] = []
    try:
        rows.extend(reader)
    except csv.Error as exc:
        # The reader stops at the bad quote; the row where the quoted cell began is
        # where a volunteer has to look.
        issues.append(
            Issue(
                display,
                "(row)",
                f"the CSV is malformed ({exc}) in or after this row",
                'check for an unclosed or stray quote (") in this row; '
                "export the sheet again as CSV",
                row=len(rows) + 1,
            )
        )
        return []
    return records_from_rows(rows, coll, display, origins, issues, decimal_comma, delim)


def records_from_rows(
    rows: list[list[str]],
    coll: str,
    display: str,
    origins: Origins,
    issues: list[Issue],
    decimal_comma: bool,
    delim: str = ",",
) -> list[dict[str, Any]]:
    """A header row and data rows (as from a CSV or a plugin's loader) → model records."""
    header_raw = rows[0]
    header = [_ALIASES.get(_norm_col(h), _norm_col(h)) for h in header_raw]
    known = KNOWN_COLUMNS[coll]
    missing = [c for c in REQUIRED_COLUMNS[coll] if c not in header]
    if missing:
        strays = [h for h in header if h and h not in known]
        near = [
            f"'{close[0]}' for '{m}'"
            for m in missing
            if (close := difflib.get_close_matches(m, strays, n=1, cutoff=0.5))
        ]
        hint = f" (is {', '.join(near)} a misspelling?)" if near else ""
        optional = sorted(known - set(REQUIRED_COLUMNS[coll]))
        issues.append(
            Issue(
                display,
                ", ".join(missing),
                "required column(s) missing from the header" + hint,
                f"add the column(s); required columns: {', '.join(REQUIRED_COLUMNS[coll])}; "
                f"optional: {', '.join(optional)}",
                row=1,
            )
        )
        return []
    col_names: dict[str, str] = {}
    for raw, col in zip(header_raw, header, strict=True):
        col_names[col] = raw.strip().strip("\ufeff")
        if col and col not in known:
            close = difflib.get_close_matches(col, sorted(known), n=1)
            hint = f"did you mean '{close[0]}'?" if close else "remove it or rename it"
            issues.append(
                Issue(
                    display,
                    raw.strip(),
                    "unknown column, ignored",
                    hint,
                    row=1,
                    severity="warning",
                )
            )
    seen_cols: set[str] = set()
    for col in header:
        if col in seen_cols and col in known:
            issues.append(
                Issue(display, col, "column appears twice", "keep one of the two columns", row=1)
            )
        seen_cols.add(col)
    origins.columns[coll] = col_names
    records: list[dict[str, Any]] = []
    start_index = len([k for k in origins.records if k[0] == coll])
    for line_no, cells in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in cells):
            continue  # blank line at the end of an export
        if len(cells) != len(header):
            fix = f"check for a stray '{delim}' or a missing cell in this row"
            if delim == "," and len(cells) > len(header):
                fix = (
                    "numbers with decimal commas (e.g. -6,25) split cells in a comma-separated "
                    "file: export with ';' as separator, or quote those numbers"
                )
            issues.append(
                Issue(
                    display,
                    "(row)",
                    f"row has {len(cells)} cells but the header has {len(header)}",
                    fix,
                    row=line_no,
                )
            )
            continue
        row = {col: cell for col, cell in zip(header, cells, strict=True) if col in known}
        origins.records[(coll, start_index + len(records))] = (display, line_no)
        records.append(_row_to_record(coll, row, decimal_comma))
    return records


def read_plugin_records(
    path: Path,
    loader: Loader,
    plugin: str,
    coll: str,
    display: str,
    origins: Origins,
    issues: list[Issue],
) -> list[dict[str, Any]]:
    """Read a file with a plugin's ``Loader``; its records go through the CSV checks.

    The loader returns one mapping (column name -> cell text) per row; row numbers in
    messages count as in a sheet (header row 1, first record row 2).
    """
    hook = f"ktj_register_loaders (loader '{loader.name}' reading {display})"
    try:
        answer = loader.read(path)
    except OSError as exc:
        issues.append(
            Issue(display, coll, f"cannot read the file ({exc.strerror})", "check the path")
        )
        return []
    except Exception as exc:  # noqa: BLE001 - reported with the plugin's name
        raise PluginError(plugin, hook, f"{type(exc).__name__}: {exc}") from exc
    if not isinstance(answer, list) or not all(isinstance(r, dict) for r in answer):
        raise PluginError(plugin, hook, "returned no list of mappings (column -> text)")
    if not answer:
        issues.append(Issue(display, "(file)", "the file has no records", "check the file"))
        return []
    columns: list[str] = []
    for rec in answer:
        columns += [str(k) for k in rec if str(k) not in columns]
    rows = [columns] + [
        ["" if rec.get(c) is None else str(rec.get(c)) for c in columns] for rec in answer
    ]
    return records_from_rows(rows, coll, display, origins, issues, loader.decimal_comma)


# --- the scenario file ---------------------------------------------------------------


def _strip_lines(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {k: _strip_lines(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_strip_lines(v) for v in obj]
    return obj


_FIXES: dict[str, str] = {
    "missing": "fill in this value",
    "int_parsing": "write a whole number",
    "int_from_float": "write a whole number",
    "float_parsing": "write a number (e.g. -6.25)",
    "bool_parsing": "write ya/tidak (yes/no)",
    "date_from_datetime_parsing": "write the date as YYYY-MM-DD",
    "date_parsing": "write the date as YYYY-MM-DD",
    "time_parsing": "write the time as HH:MM",
    "extra_forbidden": "remove this field or correct its spelling",
    "enum": "use one of the listed values",
    "literal_error": "use one of the listed values",
    "greater_than_equal": "use a larger value",
    "greater_than": "use a larger value",
    "less_than_equal": "use a smaller value",
    "too_short": "add at least one entry",
    "string_too_short": "fill in this value",
    "string_too_long": "shorten it",
    "value_error": "correct the value as the message says",
}


def issues_from_validation(exc: ValidationError, origins: Origins) -> list[Issue]:
    out: list[Issue] = []
    for err in exc.errors(include_url=False):
        file, row, fld = origins.locate(tuple(err["loc"]))
        value = err.get("input")
        shown = None if isinstance(value, dict | list) or value is None else str(value)[:80]
        fix = _FIXES.get(err["type"], "correct the value")
        if err["type"] == "extra_forbidden":
            parent = tuple(err["loc"][:-1])
            known = _known_fields_at(parent)
            close = difflib.get_close_matches(str(err["loc"][-1]), known, n=1)
            if close:
                fix = f"remove it, or did you mean '{close[0]}'?"
        msg = str(err["msg"]).removeprefix("Value error, ")
        if err["type"] == "value_error" and "; " in msg:
            msg, fix = msg.split("; ", 1)  # our validators write "what is wrong; how to fix"
        out.append(Issue(file, fld, msg, fix, row=row, value=shown))
    return out


def _known_fields_at(loc: tuple[Any, ...]) -> list[str]:
    from .model import Settings

    models: dict[str, Any] = {
        "households": Household,
        "vehicles": Vehicle,
        "sources": SupplySource,
        "settings": Settings,
    }
    if not loc:
        return list(Scenario.model_fields)
    model = models.get(str(loc[0]))
    return list(model.model_fields) if model else []


def plugin_files(scenario: Scenario, scenario_dir: Path, extra: Sequence[Path] = ()) -> list[Path]:
    """Local plugin files of a run: the scenario's ``plugin_paths`` plus ``--plugins-dir``."""
    return [scenario_dir / p for p in scenario.plugin_paths if (scenario_dir / p).exists()] + [
        Path(e) for e in extra
    ]


CSV_SUFFIXES = (".csv", ".txt", ".tsv")
"""Read by the built-in CSV reader; any other suffix goes to a plugin's loader if one
claims it (and to the CSV reader otherwise)."""


def loader_for(host: PluginHost, suffix: str) -> tuple[str, Loader] | None:
    """The first plugin loader claiming ``suffix`` (with its plugin's name), if any."""
    for plugin, loaders in host.call("ktj_register_loaders", Loader):
        for loader in loaders:
            if suffix.lower() in {s.lower() for s in loader.suffixes}:
                return plugin, loader
    return None


def _types_of_disabled_plugins(
    scenario: Scenario, origins: Origins, enabled_types: set[str], files: Sequence[Path]
) -> tuple[list[Issue], set[str]]:
    """Warn about households whose settlement type belongs to a plugin the scenario
    switched off: they are planned as ``regular`` (that is the point of switching it off),
    whereas a type no plugin knows is a typo and stays an error."""
    from .shape import known_settlement_types

    unknown = {h.settlement_type for h in scenario.households} - enabled_types
    disabled = [n for n, v in scenario.plugins.items() if v is False]
    if not unknown or not disabled:
        return [], set()
    everything = {n: v for n, v in scenario.plugins.items() if v is not False}
    out: list[Issue] = []
    covered: set[str] = set()
    for name in disabled:
        host = build_host({**everything, name: True}, files)
        theirs = (known_settlement_types(host) - enabled_types) & unknown
        for t in sorted(theirs):
            n = sum(1 for h in scenario.households if h.settlement_type == t)
            out.append(
                Issue(
                    origins.scenario_file,
                    f"plugins.{name}",
                    f"plugin '{name}' is switched off, so the {n} household(s) of settlement "
                    f"type '{t}' are planned as regular households",
                    f"remove '{name}: false' to apply its rules",
                    severity="warning",
                )
            )
        covered |= theirs
        unknown -= theirs
    return out, covered


@dataclass(frozen=True)
class Loaded:
    """A validated scenario with where its records came from and any warnings."""

    scenario: Scenario
    origins: Origins
    warnings: list[Issue]
    path: Path


def load_scenario(path: str | Path) -> Scenario:
    """Load and validate a scenario file (YAML), with the CSV files it refers to."""
    return load(path).scenario


def load(path: str | Path, plugins_dirs: Sequence[Path] = ()) -> Loaded:
    """Like ``load_scenario`` but keeps origins and warnings for messages and reports.

    ``plugins_dirs`` adds local plugin files or folders (``--plugins-dir``); they count
    when checking settlement types, which plugins may add.
    """
    from .checks import check_scenario

    p = Path(path)
    display = p.name
    origins = Origins(scenario_file=display)
    issues: list[Issue] = []
    try:
        text = _read_text(p)
    except (OSError, ValueError) as exc:
        raise InputError(
            [
                Issue(
                    str(p),
                    "(file)",
                    f"cannot read the scenario ({getattr(exc, 'strerror', None) or exc})",
                    "check the path",
                )
            ]
        ) from None
    try:
        data = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - _LineLoader is a SafeLoader
    except (ValueError, OverflowError, RecursionError) as exc:
        # Constructors outside YAMLError (numbers too large, nesting too deep).
        raise InputError(
            [
                Issue(
                    display,
                    "(yaml)",
                    f"cannot read the YAML ({type(exc).__name__}: {str(exc)[:80]})",
                    "check the values near the reported problem; write plain text and numbers",
                )
            ]
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        row = mark.line + 1 if mark is not None else None
        problem = str(getattr(exc, "problem", None) or exc)
        fix = "check indentation and quoting near this line"
        if isinstance(exc, yaml.constructor.ConstructorError):
            fix = "remove the '!!' tag: a scenario holds plain data (text, numbers, lists)"
        raise InputError(
            [Issue(display, "(yaml)", f"not valid YAML: {problem}", fix, row=row)]
        ) from None
    if not isinstance(data, dict):
        raise InputError(
            [Issue(display, "(file)", "a scenario must be a YAML mapping", "see README: Scenario")]
        )
    for key in data:
        value = data[key]
        if isinstance(value, _LineDict):
            origins.top_lines[str(key)] = value.line
    hosts: dict[str, PluginHost] = {}

    def host() -> PluginHost:
        """The run's plugins, built on first need from the raw ``plugins:`` section."""
        if "host" not in hosts:
            raw = data.get("plugins")
            settings = _strip_lines(raw) if isinstance(raw, dict) else {}
            paths = data.get("plugin_paths")
            names = [str(x) for x in paths] if isinstance(paths, list) else []
            files = [p.parent / n for n in names if (p.parent / n).exists()]
            hosts["host"] = build_host(settings, files + list(plugins_dirs))
        return hosts["host"]

    def read_file(item: object, coll: str) -> list[dict[str, Any]]:
        try:
            file_path = (p.parent / str(item)).resolve()
        except (ValueError, OSError):  # e.g. a NUL character pasted into the file name
            issues.append(
                Issue(
                    display,
                    coll,
                    "not a usable file name",
                    "write the file's name, relative to the scenario file",
                    row=origins.top_lines.get(coll),
                    value=repr(str(item))[1:-1][:80],
                )
            )
            return []
        shown = _display(file_path, p)
        if file_path.suffix.lower() not in CSV_SUFFIXES:
            found = loader_for(host(), file_path.suffix)
            if found is not None:
                plugin, loader = found
                return read_plugin_records(file_path, loader, plugin, coll, shown, origins, issues)
        return read_csv_records(file_path, coll, shown, origins, issues)

    for coll in COLLECTIONS:
        value = data.get(coll)
        if isinstance(value, str | dict) and not isinstance(value, _LineDict | list):
            value = [value]
        if isinstance(value, _LineDict) and set(value) == {"csv"}:
            value = [value["csv"]]
        if isinstance(value, list):
            records: list[Any] = []
            for item in value:
                if isinstance(item, str):
                    records.extend(read_file(item, coll))
                elif isinstance(item, _LineDict) and set(item) == {"csv"}:
                    records.extend(read_file(item["csv"], coll))
                else:
                    line = item.line if isinstance(item, _LineDict) else None
                    origins.records[(coll, len(records))] = (display, line)
                    records.append(item)
            data[coll] = records
    clean = _strip_lines(data)
    scenario: Scenario | None = None
    checked, checked_origins = None, origins
    try:
        scenario = Scenario.model_validate(clean)
        checked = scenario
    except ValidationError as exc:
        issues.extend(issues_from_validation(exc, origins))
        # Cross-record checks still run on the records that are valid on their own, so
        # one run reports a duplicate id and a typo in another row together.
        checked, checked_origins = _partial_scenario(clean, origins)
    if checked is not None:
        types = _settlement_types_or_issues(checked, p.parent, plugins_dirs, issues, display)
        if types is not None:
            warned, switched_off = _types_of_disabled_plugins(
                checked, checked_origins, types, plugin_files(checked, p.parent, plugins_dirs)
            )
            issues.extend(warned)
            types |= switched_off
        issues.extend(
            check_scenario(checked, checked_origins, scenario_dir=p.parent, settlement_types=types)
        )
    if any(i.severity == "error" for i in issues) or scenario is None:
        raise InputError(issues)
    scenario._base_dir = p.parent.resolve()
    return Loaded(scenario, origins, [i for i in issues if i.severity != "error"], p)


def _settlement_types_or_issues(
    scenario: Scenario,
    scenario_dir: Path,
    plugins_dirs: Sequence[Path],
    issues: list[Issue],
    display: str,
) -> set[str] | None:
    """Settlement types known to this run's plugins; plugin problems become issues."""
    from .errors import KtjError, PluginError
    from .shape import known_settlement_types

    try:
        host = build_host(scenario.plugins, plugin_files(scenario, scenario_dir, plugins_dirs))
        return known_settlement_types(host)
    except InputError as exc:
        # The plugin host names the file "scenario"; name the actual file instead.
        issues.extend(replace(i, file=display) if i.file == "scenario" else i for i in exc.issues)
    except PluginError as exc:
        issues.append(
            Issue(
                "plugins",
                exc.plugin,
                f"plugin failed in {exc.hook}: {exc.detail}",
                "fix or disable the plugin (plugins: {name: false})",
            )
        )
    except KtjError as exc:
        issues.append(Issue("plugins", "(plugins)", str(exc), "fix or disable the plugin"))
    return None


def _partial_scenario(clean: dict[str, Any], origins: Origins) -> tuple[Scenario | None, Origins]:
    """The valid part of an invalid scenario, with origins re-indexed to match.

    Records that fail validation are left out (their problems are already reported);
    settings fall back to defaults field by field, so checks that depend on a broken
    setting stay quiet rather than report consequences of it.
    """
    from pydantic import TypeAdapter

    from .model import Base, Settings

    models: dict[str, Any] = {
        "households": Household,
        "vehicles": Vehicle,
        "sources": SupplySource,
        "bases": Base,
    }
    kept_origins = Origins(origins.scenario_file, columns=origins.columns)
    kept_origins.top_lines = origins.top_lines
    parts: dict[str, Any] = {}
    for coll, model in models.items():
        raw = clean.get(coll)
        valid: list[Any] = []
        for i, rec in enumerate(raw if isinstance(raw, list) else []):
            try:
                valid.append(model.model_validate(rec))
            except ValidationError:
                continue
            kept_origins.records[(coll, len(valid) - 1)] = origins.records.get(
                (coll, i), (origins.scenario_file, None)
            )
        parts[coll] = valid
    raw_settings = clean.get("settings") if isinstance(clean.get("settings"), dict) else {}
    assert isinstance(raw_settings, dict)
    settings_fields: dict[str, Any] = {}
    for name, info in Settings.model_fields.items():
        if name not in raw_settings:
            continue
        try:
            adapter: TypeAdapter[Any] = TypeAdapter(info.annotation)  # type: ignore[arg-type]
            settings_fields[name] = adapter.validate_python(raw_settings[name])
        except (ValidationError, TypeError):
            continue
    if "items" in settings_fields:
        settings_fields["items"] = Settings._standard_known(settings_fields["items"])
    defaults = Settings(planning_date=date(2000, 1, 1))
    settings = defaults.model_copy(update=settings_fields)
    if "items" not in settings_fields and isinstance(raw_settings.get("items"), dict):
        # Broken item table: accept any item name rather than report each as unknown.
        return None, origins
    raw_plugins = clean.get("plugins")
    plugins: dict[str, Any] = raw_plugins if isinstance(raw_plugins, dict) else {}
    paths = clean.get("plugin_paths")
    scenario = Scenario.model_construct(
        settings=settings,
        plugins=plugins,
        plugin_paths=[str(x) for x in paths] if isinstance(paths, list) else [],
        **parts,
    )
    return scenario, kept_origins
