"""``python -m ktj_logistics`` runs the ``ktj-route`` command."""

from ._cli.app import app

app(prog_name="ktj-route")
