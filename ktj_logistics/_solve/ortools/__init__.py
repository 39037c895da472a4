"""OR-Tools routing: the only package of ktj-route that imports OR-Tools.

It is imported when a plan is searched, not when ``ktj_logistics`` is imported, so an
app or a plugin that only reads scenarios and plans never loads the solver.
"""

from .model import solve

__all__ = ["solve"]
