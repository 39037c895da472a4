"""A plugin file beside a scenario's folder: ktj-route must refuse to run it from
tests/bad_inputs/plugin_outside_folder (it would fail loudly if it ran)."""

raise RuntimeError("a plugin outside the scenario folder was run")
