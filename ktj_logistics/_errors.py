"""The exceptions ktj-route raises, and the exit code each one maps to.

::

    KtjError                    base; never raised itself
    ├── InputError        (2)   the scenario or its files are wrong; carries every Issue found
    ├── PluginError       (2)   a plugin raised or answered a hook with the wrong type
    ├── NoPlanError       (3)   the solver found no plan within its limits
    └── InternalError     (1)   a bug: e.g. the verifier rejected the solver's plan

Only the CLI turns these into messages and exit codes; the library never prints.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Issue:
    """One problem in the input, precise enough for a volunteer to fix it.

    ``row`` is the 1-based line of a CSV file (the header is row 1) or of a YAML file.
    """

    file: str
    field: str
    message: str
    fix: str
    row: int | None = None
    value: str | None = None
    severity: str = "error"  # "error" stops the run; "warning" is reported and planning goes on

    def __str__(self) -> str:
        where = self.file + (f", row {self.row}" if self.row is not None else "")
        shown = f" (value: {self.value!r})" if self.value is not None else ""
        return f"{where}, field '{self.field}'{shown}: {self.message}. Fix: {self.fix}"


class KtjError(Exception):
    """Base of every error ktj-route raises on purpose."""

    exit_code = 1


class InputError(KtjError):
    """The input is wrong. Holds *all* issues found, so one run reports everything."""

    exit_code = 2

    def __init__(self, issues: list[Issue]) -> None:
        self.issues = [i for i in issues if i.severity == "error"]
        self.warnings = [i for i in issues if i.severity != "error"]
        super().__init__(f"{len(self.issues)} problem(s) in the input")

    def grouped(self) -> dict[str, list[Issue]]:
        """Issues grouped by file, in first-seen order."""
        out: dict[str, list[Issue]] = {}
        for issue in self.issues:
            out.setdefault(issue.file, []).append(issue)
        return out


class PluginError(KtjError):
    """A plugin misbehaved; names the plugin and the hook so its author can fix it."""

    exit_code = 2

    def __init__(self, plugin: str, hook: str, detail: str) -> None:
        self.plugin, self.hook, self.detail = plugin, hook, detail
        super().__init__(f"plugin '{plugin}' failed in hook '{hook}': {detail}")


class NoPlanError(KtjError):
    """No plan could be found (infeasible day, or nothing within the time limit)."""

    exit_code = 3


class InternalError(KtjError):
    """Something ktj-route itself got wrong; a plan that fails verification lands here."""

    exit_code = 1
