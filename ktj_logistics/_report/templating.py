"""The HTML template environment: Jinja2 with autoescaping always on.

Household names, addresses and notes are typed by volunteers; autoescaping makes every
``{{ value }}`` text, never markup, without each template having to remember it.
"""

from __future__ import annotations

from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined


@cache
def environment(package: str = "ktj_logistics._report") -> Environment:
    """The templates of ``package`` (its ``templates/`` folder), one environment each."""
    return Environment(
        loader=PackageLoader(package, "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
