"""Stage 1 — load: a scenario file and the files it names into a validated ``Scenario``.

Every problem is collected (not only the first) and reported with its file, row, field,
value and a fix, as one ``InputError``; nothing is planned from a scenario with errors.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from .._errors import InputError, Issue, KtjError, PluginError
from .._plugins.hookspecs import Loader
from .._plugins.host import PluginHost, build_host
from .._scenario import Household, Scenario, SupplySource, Vehicle
from .checks import check_scenario
from .ids import check_ids
from .origins import COLLECTIONS, Origins, issues_from_validation
from .records import read_csv_records, read_plugin_records
from .sheets import XLSX_SUFFIXES
from .text import (
    MAX_SCENARIO_BYTES,
    LineDict,
    LineLoader,
    TooLarge,
    display_path,
    read_text,
    strip_lines,
)

CSV_SUFFIXES = (".csv", ".txt", ".tsv")
"""Read by the built-in CSV reader; ``XLSX_SUFFIXES`` by the built-in workbook reader;
any other suffix goes to a plugin's loader if one claims it (and to the CSV reader
otherwise)."""


def loader_for(host: PluginHost, suffix: str) -> tuple[str, Loader] | None:
    """The first plugin loader claiming ``suffix`` (with its plugin's name), if any."""
    for plugin, loaders in host.call("ktj_register_loaders", Loader):
        for loader in loaders:
            if suffix.lower() in {s.lower() for s in loader.suffixes}:
                return plugin, loader
    return None


def _types_of_switched_off(
    scenario: Scenario, origins: Origins, enabled_types: set[str], host: PluginHost
) -> tuple[list[Issue], set[str]]:
    """Warn about households whose settlement type belongs to a plugin the scenario
    switched off: they are planned as ``regular`` (that is the point of switching it off),
    whereas a type no plugin knows is a typo and stays an error."""
    unknown = {h.settlement_type for h in scenario.households} - enabled_types
    if not unknown:
        return [], set()
    out: list[Issue] = []
    covered: set[str] = set()
    for name, types in sorted(host.switched_off_settlement_types().items()):
        theirs = (types - enabled_types) & unknown
        for kind in sorted(theirs):
            n = sum(1 for h in scenario.households if h.settlement_type == kind)
            out.append(
                Issue(
                    origins.scenario_file,
                    f"plugins.{name}",
                    f"plugin '{name}' is switched off, so the {n} household(s) of settlement "
                    f"type '{kind}' are planned as regular households",
                    f"remove '{name}: false' to apply its rules",
                    severity="warning",
                )
            )
        covered |= theirs
        unknown -= theirs
    return out, covered


class _OneHost:
    """The run's plugins, built once on first need from the raw ``plugins:`` section;
    a plugin that cannot be loaded becomes an issue, not an exception."""

    def __init__(self, data: dict[str, Any], folder: Path, extra: Sequence[Path]) -> None:
        self.data, self.folder, self.extra = data, folder, extra
        self.built = False
        self.host: PluginHost | None = None

    def __call__(self, issues: list[Issue], display: str) -> PluginHost | None:
        if self.built:
            return self.host
        self.built = True
        raw = self.data.get("plugins")
        settings = strip_lines(raw) if isinstance(raw, dict) else {}
        paths = self.data.get("plugin_paths")
        names = [str(x) for x in paths] if isinstance(paths, list) else []
        files = [self.folder / n for n in names if (self.folder / n).exists()]
        outside = [f for f in files if not f.resolve().is_relative_to(self.folder.resolve())]
        issues.extend(
            Issue(
                display,
                "plugin_paths",
                "a plugin file outside the scenario's folder is not run",
                "move it into the scenario's folder, or pass --plugins-dir to run it",
                value=str(f),
            )
            for f in outside
        )
        files = [f for f in files if f not in outside]
        try:
            self.host = build_host(settings, files + list(self.extra))
        except InputError as exc:
            # The plugin host names the file "scenario"; name the actual file instead.
            issues.extend(
                replace(i, file=display) if i.file == "scenario" else i for i in exc.issues
            )
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
        return self.host


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
    p = Path(path)
    display = p.name
    origins = Origins(scenario_file=display)
    issues: list[Issue] = []
    data = _read_yaml(p)
    for key, value in data.items():
        if isinstance(value, LineDict):
            origins.top_lines[str(key)] = value.line
    host = _OneHost(data, p.parent, plugins_dirs)
    files = _Files(p, origins, issues, host)
    for coll in COLLECTIONS:
        records = files.collection(data.get(coll), coll)
        if records is not None:
            data[coll] = records
    issues.extend(check_ids(data, origins))
    clean = strip_lines(data)
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
        issues.extend(_cross_checks(checked, checked_origins, p.parent, host(issues, display)))
    if any(i.severity == "error" for i in issues) or scenario is None:
        raise InputError(issues)
    scenario._base_dir = p.parent.resolve()
    return Loaded(scenario, origins, [i for i in issues if i.severity != "error"], p)


def _read_yaml(p: Path) -> dict[str, Any]:
    """The scenario file as a mapping with line numbers, or an ``InputError`` saying why not."""
    display = p.name
    try:
        text = read_text(p, MAX_SCENARIO_BYTES)
    except (OSError, ValueError) as exc:
        why = getattr(exc, "strerror", None) or exc
        raise InputError(
            [Issue(str(p), "(file)", f"cannot read the scenario ({why})", "check the path")]
        ) from None
    try:
        data = yaml.load(text, Loader=LineLoader)  # noqa: S506 - LineLoader is a SafeLoader
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
        if isinstance(exc, TooLarge):
            fix = "write the values out instead of repeating them with anchors (&) and aliases (*)"
        if isinstance(exc, yaml.constructor.ConstructorError):
            fix = "remove the '!!' tag: a scenario holds plain data (text, numbers, lists)"
        raise InputError(
            [Issue(display, "(yaml)", f"not valid YAML: {problem}", fix, row=row)]
        ) from None
    if not isinstance(data, dict):
        raise InputError(
            [Issue(display, "(file)", "a scenario must be a YAML mapping", "see README: Scenario")]
        )
    return data


class _Files:
    """Reads the files a scenario names for its collections (CSV or a plugin's format)."""

    def __init__(self, path: Path, origins: Origins, issues: list[Issue], host: _OneHost) -> None:
        self.path, self.origins, self.issues, self.host = path, origins, issues, host

    def collection(self, value: Any, coll: str) -> list[Any] | None:
        """Records of one collection: inline mappings and the rows of the files it names."""
        if isinstance(value, str | dict) and not isinstance(value, LineDict | list):
            value = [value]
        if isinstance(value, LineDict) and set(value) == {"csv"}:
            value = [value["csv"]]
        if not isinstance(value, list):
            return None
        records: list[Any] = []
        for item in value:
            if isinstance(item, str):
                records.extend(self.read(item, coll))
            elif isinstance(item, LineDict) and set(item) == {"csv"}:
                records.extend(self.read(item["csv"], coll))
            else:
                line = item.line if isinstance(item, LineDict) else None
                self.origins.records[(coll, len(records))] = (self.path.name, line)
                records.append(item)
        return records

    def read(self, item: object, coll: str) -> list[dict[str, Any]]:
        p, issues = self.path, self.issues
        try:
            file_path = (p.parent / str(item)).resolve()
        except RuntimeError:  # Python 3.11's resolve() on a symbolic link loop
            file_path = p.parent / str(item)
        except (ValueError, OSError):  # e.g. a NUL character pasted into the file name
            issues.append(
                Issue(
                    p.name,
                    coll,
                    "not a usable file name",
                    "write the file's name, relative to the scenario file",
                    row=self.origins.top_lines.get(coll),
                    value=repr(str(item))[1:-1][:80],
                )
            )
            return []
        shown = display_path(file_path, p)
        if file_path.suffix.lower() not in CSV_SUFFIXES + XLSX_SUFFIXES:
            plugins = self.host(issues, p.name)
            found = loader_for(plugins, file_path.suffix) if plugins is not None else None
            if found is not None:
                plugin, loader = found
                return read_plugin_records(
                    file_path, loader, plugin, coll, shown, self.origins, issues
                )
        return read_csv_records(file_path, coll, shown, self.origins, issues)


def _cross_checks(
    scenario: Scenario, origins: Origins, folder: Path, plugins: PluginHost | None
) -> list[Issue]:
    """Checks across records, with the settlement types the run's plugins know."""
    out: list[Issue] = []
    types = plugins.settlement_types() if plugins is not None else None
    if types is not None and plugins is not None:
        warned, switched_off = _types_of_switched_off(scenario, origins, types, plugins)
        out.extend(warned)
        types |= switched_off
    out.extend(check_scenario(scenario, origins, scenario_dir=folder, settlement_types=types))
    return out


def _partial_scenario(clean: dict[str, Any], origins: Origins) -> tuple[Scenario | None, Origins]:
    """The valid part of an invalid scenario, with origins re-indexed to match.

    Records that fail validation are left out (their problems are already reported);
    settings fall back to defaults field by field, so checks that depend on a broken
    setting stay quiet rather than report consequences of it.
    """
    from pydantic import TypeAdapter

    from .._scenario import Base, Settings

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
