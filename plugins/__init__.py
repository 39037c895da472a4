"""ktj-route's built-in rule plugins.

Each module is registered through the ``ktj_logistics`` entry-point group, exactly like a
third-party plugin, so a scenario can switch any of them off (``plugins: {name: false}``)
or replace it.
"""
