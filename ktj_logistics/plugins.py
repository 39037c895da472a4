"""Finding, configuring and calling plugins. A new manager is built for every run.

Plugins come from three places, all treated alike once found:

* the ``ktj_logistics`` entry-point group — the built-in plugins (package ``ktj_plugins``,
  the repository's ``plugins/`` folder) are registered there exactly like third-party ones;
* local ``.py`` files named in the scenario (``plugin_paths``) or given with
  ``--plugins-dir``.

Built-in plugins are on unless the scenario says ``name: false``; third-party and local
plugins load only when enabled (a scenario should not run code it did not ask for).
"""

from __future__ import annotations

import importlib.util
import inspect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib.metadata import entry_points
from pathlib import Path
from types import ModuleType
from typing import Any

import pluggy
from pydantic import BaseModel, ValidationError

from . import hookspecs
from .errors import InputError, Issue, PluginError

BUILTIN_PACKAGE = "ktj_plugins"


@dataclass(frozen=True)
class PluginInfo:
    name: str
    version: str
    source: str  # "built-in", "entry point <dist>", or a file path
    hooks: tuple[str, ...]
    enabled: bool
    description: str


@dataclass
class _Candidate:
    name: str
    load: Any  # Callable[[], ModuleType]
    version: str
    source: str
    builtin: bool


def _discover_entry_points() -> list[_Candidate]:
    out: list[_Candidate] = []
    for ep in entry_points(group=hookspecs.PROJECT):
        dist = ep.dist
        version = dist.version if dist is not None else "?"
        builtin = ep.value.split(":")[0].startswith(BUILTIN_PACKAGE + ".")
        source = "built-in" if builtin else f"entry point ({dist.name if dist else '?'})"
        out.append(_Candidate(ep.name, ep.load, version, source, builtin))
    return out


def _load_file(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"ktj_local_plugin_{path.stem}", path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _discover_files(paths: Iterable[Path]) -> list[_Candidate]:
    out: list[_Candidate] = []
    for path in paths:
        files = sorted(path.glob("*.py")) if path.is_dir() else [path]
        for f in files:
            if f.name.startswith("_"):
                continue
            out.append(
                _Candidate(f.stem, lambda f=f: _load_file(f), "local", str(f), builtin=False)
            )
    return out


class PluginHost:
    """The plugins of one run and the typed, error-checked way to call their hooks."""

    def __init__(self, pm: pluggy.PluginManager, infos: list[PluginInfo]) -> None:
        self.pm = pm
        self.infos = infos

    @property
    def enabled(self) -> list[str]:
        return [i.name for i in self.infos if i.enabled]

    def call(self, hook: str, expect: type | tuple[type, ...], **kwargs: Any) -> list[tuple[str, Any]]:
        """Call ``hook`` on every plugin; returns (plugin name, answer) for non-None answers.

        Answers are checked against ``expect`` (for list answers: each element), and any
        exception is turned into a ``PluginError`` naming the plugin and the hook.
        """
        caller = getattr(self.pm.hook, hook)
        results: list[tuple[str, Any]] = []
        # pluggy keeps implementations in call order reversed (last registered first).
        for impl in reversed(caller.get_hookimpls()):
            args = {a: kwargs[a] for a in impl.argnames}
            try:
                answer = impl.function(**args)
            except Exception as exc:  # noqa: BLE001 - reported with the plugin's name
                raise PluginError(impl.plugin_name, hook, f"{type(exc).__name__}: {exc}") from exc
            if answer is None:
                continue
            items = answer if isinstance(answer, list) else [answer]
            wrong = [x for x in items if not isinstance(x, expect)]
            if wrong or (expect_list(hook) and not isinstance(answer, list)):
                names = expect.__name__ if isinstance(expect, type) else "/".join(
                    t.__name__ for t in expect
                )
                raise PluginError(
                    impl.plugin_name,
                    hook,
                    f"returned {type(answer).__name__}"
                    f"{'' if not wrong else ' containing ' + type(wrong[0]).__name__},"
                    f" expected {'a list of ' if expect_list(hook) else ''}{names} or None",
                )
            results.append((impl.plugin_name, answer))
        return results


_LIST_HOOKS = {
    "ktj_settlement_types",
    "ktj_priority",
    "ktj_vehicle_access",
    "ktj_time_windows",
    "ktj_group_stops",
    "ktj_register_exporters",
    "ktj_register_loaders",
}


def expect_list(hook: str) -> bool:
    return hook in _LIST_HOOKS


def _instantiate(module: ModuleType, name: str, settings: dict[str, Any]) -> object:
    config_model = getattr(module, "Config", None)
    plugin_cls = getattr(module, "Plugin", None)
    if plugin_cls is None:
        if settings:
            raise InputError(
                [
                    Issue(
                        "scenario",
                        f"plugins.{name}",
                        "this plugin takes no settings",
                        f"write '{name}: true' instead",
                    )
                ]
            )
        return module
    config: Any = None
    if inspect.isclass(config_model) and issubclass(config_model, BaseModel):
        try:
            config = config_model.model_validate(settings)
        except ValidationError as exc:
            raise InputError(
                [
                    Issue(
                        "scenario",
                        f"plugins.{name}." + ".".join(str(p) for p in e["loc"]),
                        str(e["msg"]),
                        f"see the settings of plugin '{name}' (ktj-route plugins)",
                        value=None if isinstance(e.get("input"), dict) else str(e.get("input")),
                    )
                    for e in exc.errors(include_url=False)
                ]
            ) from None
    return plugin_cls(config) if config is not None else plugin_cls()


def build_host(
    plugin_settings: dict[str, bool | dict[str, Any]] | None = None,
    plugin_files: Sequence[Path] = (),
    *,
    extra: Sequence[tuple[str, object]] = (),
    list_all: bool = False,
) -> PluginHost:
    """Build the plugin host for one run.

    ``plugin_settings`` is the scenario's ``plugins:`` section. ``extra`` registers
    plugin objects directly (for embedding and tests). With ``list_all`` disabled plugins
    are described too (``ktj-route plugins``) but not registered.
    """
    settings = dict(plugin_settings or {})
    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs.KtjHookSpecs)
    infos: list[PluginInfo] = []
    candidates = _discover_entry_points() + _discover_files(plugin_files)
    known = {c.name for c in candidates} | {n for n, _ in extra}
    unknown = [n for n in settings if n not in known]
    if unknown:
        raise InputError(
            [
                Issue(
                    "scenario",
                    f"plugins.{n}",
                    "no plugin of this name is installed",
                    f"installed plugins: {', '.join(sorted(known))}",
                )
                for n in unknown
            ]
        )
    for cand in candidates:
        # Built-in and explicitly named local files: on unless disabled. Third-party
        # entry points: only when the scenario names them.
        default_on = cand.builtin or cand.version == "local"
        wanted = settings.get(cand.name, default_on)
        enabled = wanted is not False
        module: ModuleType | None = None
        if enabled or list_all:
            try:
                module = cand.load()
            except Exception as exc:  # noqa: BLE001
                raise PluginError(cand.name, "(import)", f"{type(exc).__name__}: {exc}") from exc
        obj: object | None = None
        if enabled and module is not None:
            obj = _instantiate(module, cand.name, wanted if isinstance(wanted, dict) else {})
            if pm.get_plugin(cand.name) is not None:
                raise PluginError(cand.name, "(register)", "two plugins have this name")
            pm.register(obj, name=cand.name)
        hooks = tuple(
            sorted(n for n in dir(module) if n.startswith("ktj_"))
            if module is not None
            else ()
        )
        if module is not None and hasattr(module, "Plugin"):
            hooks = tuple(sorted(n for n in dir(module.Plugin) if n.startswith("ktj_")))
        doc = (inspect.getdoc(module) or "").split("\n")[0] if module is not None else ""
        infos.append(PluginInfo(cand.name, cand.version, cand.source, hooks, enabled, doc))
    for name, obj in extra:
        pm.register(obj, name=name)
        hooks = tuple(sorted(n for n in dir(obj) if n.startswith("ktj_")))
        infos.append(PluginInfo(name, "embedded", "python", hooks, True, ""))
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        raise PluginError(getattr(exc, "plugin_name", "?"), "(validate)", str(exc)) from exc
    return PluginHost(pm, infos)
