"""Finding, configuring and calling plugins. A new manager is built for every run.

Plugins come from three places, all treated alike once found:

* the ``ktj_logistics`` entry-point group — the built-in plugins (package ``ktj_plugins``,
  the repository's ``plugins/`` folder) are registered there exactly like third-party ones;
* local ``.py`` files named in the scenario (``plugin_paths``) or given with
  ``--plugins-dir``.

Built-in plugins and the local files a run names are on unless the scenario says
``name: false``; third-party plugins load only when the scenario names them (a scenario
should not run code it did not ask for).

A plugin is either a module of ``@hookimpl`` functions, or a module with a ``Plugin``
class (instantiated once per run) and, if it has settings, a pydantic ``Config`` model:
the scenario's ``plugins: {name: {...}}`` mapping is validated by ``Config`` and passed
to ``Plugin(config)``. Plugins are registered built-ins first, then third-party, then
local files; pluggy asks the last registered first, so a local file's answer to a
"first answer wins" hook beats a built-in's (``tryfirst``/``trylast`` override this).
"""

from __future__ import annotations

import hashlib
import importlib.util
import inspect
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from types import ModuleType
from typing import Any

import pluggy
from pydantic import BaseModel, ValidationError

from .._errors import InputError, Issue, PluginError
from . import hookspecs
from .installed import Candidate, entry_point_plugins


@dataclass(frozen=True)
class PluginInfo:
    name: str
    version: str
    source: str  # "built-in", "entry point <dist>", or a file path
    hooks: tuple[str, ...]
    enabled: bool
    description: str


def _load_file(path: Path) -> ModuleType:
    # A name unique per file, registered in sys.modules: pydantic and dataclasses look
    # a class's module up there to resolve its annotations.
    digest = hashlib.sha1(str(path.resolve()).encode()).hexdigest()[:10]
    name = f"ktj_local_plugin_{path.stem}_{digest}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(name, None)
        raise
    return module


def _discover_files(paths: Iterable[Path]) -> list[Candidate]:
    out: list[Candidate] = []
    missing = [p for p in paths if not p.exists()]
    if missing:
        raise InputError(
            [
                Issue(
                    "command line",
                    "--plugins-dir",
                    "no such plugin file or folder",
                    "give a folder of .py files or one .py file",
                    value=str(p),
                )
                for p in missing
            ]
        )
    for path in paths:
        files = sorted(path.glob("*.py")) if path.is_dir() else [path]
        for f in files:
            if f.name.startswith("_"):
                continue
            out.append(
                Candidate(
                    f.stem,
                    partial(_load_file, f),
                    "local",
                    str(f),
                    builtin=False,
                    default_on=True,
                )
            )
    return out


class PluginHost:
    """The plugins of one run and the typed, error-checked way to call their hooks."""

    def __init__(
        self,
        pm: pluggy.PluginManager,
        infos: list[PluginInfo],
        switched_off: dict[str, ModuleType] | None = None,
    ) -> None:
        self.pm = pm
        self.infos = infos
        self._switched_off = switched_off or {}

    def settlement_types(self) -> set[str]:
        """``regular`` and every settlement type an enabled plugin provides."""
        types = {"regular"}
        for _, answer in self.call("ktj_settlement_types", str):
            types.update(answer)
        return types

    def switched_off_settlement_types(self) -> dict[str, set[str]]:
        """Settlement types of the plugins the scenario switched off (``name: false``).

        Their households are planned as regular ones; the loader warns about them. The
        plugins are asked directly, with default settings, and never registered.
        """
        out: dict[str, set[str]] = {}
        for name, module in self._switched_off.items():
            target = getattr(module, "Plugin", module)
            if not hasattr(target, "ktj_settlement_types"):
                continue
            try:
                obj = _instantiate(module, name, {})
                answer = obj.ktj_settlement_types()  # type: ignore[attr-defined]
            except Exception:  # noqa: BLE001 - a switched-off plugin must not stop the run
                continue
            if isinstance(answer, list):
                out[name] = {str(x) for x in answer}
        return out

    @property
    def enabled(self) -> list[str]:
        return [i.name for i in self.infos if i.enabled]

    def call(
        self, hook: str, expect: type | tuple[type, ...], **kwargs: Any
    ) -> list[tuple[str, Any]]:
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
            if isinstance(answer, bool) and bool not in _as_tuple(expect):
                raise PluginError(
                    impl.plugin_name,
                    hook,
                    f"returned {answer!r}, expected {_names(expect)} or None",
                )
            listed = expect_list(hook)
            if listed and not isinstance(answer, list):
                raise PluginError(
                    impl.plugin_name,
                    hook,
                    f"returned {type(answer).__name__}, "
                    f"expected a list of {_names(expect)} or None",
                )
            items = answer if listed else [answer]
            wrong = [x for x in items if not isinstance(x, expect)]
            if wrong:
                raise PluginError(
                    impl.plugin_name,
                    hook,
                    f"returned {type(answer).__name__}"
                    f"{' containing ' + type(wrong[0]).__name__ if listed else ''},"
                    f" expected {'a list of ' if listed else ''}{_names(expect)} or None",
                )
            results.append((impl.plugin_name, answer))
        return results


def _as_tuple(expect: type | tuple[type, ...]) -> tuple[type, ...]:
    return expect if isinstance(expect, tuple) else (expect,)


def _names(expect: type | tuple[type, ...]) -> str:
    return "/".join(t.__name__ for t in _as_tuple(expect))


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


HOOK_NAMES = frozenset(n for n in dir(hookspecs.KtjHookSpecs) if n.startswith("ktj_"))
_IMPL_MARK = hookspecs.PROJECT + "_impl"


def hooks_of(obj: object) -> tuple[str, ...]:
    """The hooks ``obj`` (a module or a ``Plugin`` class/instance) implements."""
    return tuple(
        sorted(n for n in dir(obj) if n.startswith("ktj_") and hasattr(getattr(obj, n), _IMPL_MARK))
    )


def _check_shape(module: ModuleType, name: str) -> None:
    """Catch the mistakes pluggy lets pass silently: a hook-named function without
    ``@hookimpl`` (never called), settings without a ``Plugin`` class, hook wrappers."""
    plugin_cls = getattr(module, "Plugin", None)
    target: object = plugin_cls if plugin_cls is not None else module
    for attr in dir(target):
        fn = getattr(target, attr)
        if attr in HOOK_NAMES and callable(fn) and not hasattr(fn, _IMPL_MARK):
            raise PluginError(name, attr, "the function is not marked with @hookimpl")
        opts = getattr(fn, _IMPL_MARK, None)
        if isinstance(opts, dict) and (opts.get("hookwrapper") or opts.get("wrapper")):
            raise PluginError(name, attr, "hook wrappers are not supported; use tryfirst/trylast")
    if getattr(module, "Config", None) is not None and plugin_cls is None:
        raise PluginError(
            name, "(settings)", "the module defines Config but no Plugin class to receive it"
        )


def _instantiate(module: ModuleType, name: str, settings: dict[str, Any]) -> object:
    _check_shape(module, name)
    config_model = getattr(module, "Config", None)
    plugin_cls = getattr(module, "Plugin", None)
    if plugin_cls is None or config_model is None:
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
        return module if plugin_cls is None else plugin_cls()
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


def _register(pm: pluggy.PluginManager, obj: object, name: str) -> None:
    """Register ``obj``; pluggy's complaints (e.g. an argument the hook does not have)
    become a ``PluginError`` naming the plugin."""
    try:
        pm.register(obj, name=name)
    except pluggy.PluginValidationError as exc:
        raise PluginError(name, "(register)", str(exc)) from exc


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
    switched_off: dict[str, ModuleType] = {}
    candidates = entry_point_plugins() + _discover_files(plugin_files)
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
        wanted = settings.get(cand.name, cand.default_on)
        enabled = wanted is not False
        module: ModuleType | None = None
        switched_off_here = settings.get(cand.name) is False  # named and switched off
        if enabled or list_all or switched_off_here:
            try:
                module = cand.load()
            except Exception as exc:  # noqa: BLE001
                raise PluginError(cand.name, "(import)", f"{type(exc).__name__}: {exc}") from exc
        obj: object | None = None
        if enabled and module is not None:
            obj = _instantiate(module, cand.name, wanted if isinstance(wanted, dict) else {})
            if pm.get_plugin(cand.name) is not None:
                raise PluginError(cand.name, "(register)", "two plugins have this name")
            _register(pm, obj, cand.name)
        if switched_off_here and module is not None:
            switched_off[cand.name] = module
        hooks: tuple[str, ...] = ()
        if module is not None:
            hooks = hooks_of(getattr(module, "Plugin", module))
        doc = (inspect.getdoc(module) or "").split("\n")[0] if module is not None else ""
        infos.append(PluginInfo(cand.name, cand.version, cand.source, hooks, enabled, doc))
    for name, obj in extra:
        _register(pm, obj, name)
        hooks = hooks_of(obj)
        infos.append(PluginInfo(name, "embedded", "python", hooks, True, ""))
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        culprit = pm.get_name(exc.plugin) or "?"
        raise PluginError(culprit, "(validate)", str(exc)) from exc
    return PluginHost(pm, infos, switched_off)
