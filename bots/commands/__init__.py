"""CLI commands beyond the core ones, one module per concern.

Each module defines ``register(cli: click.Group)`` and adds its commands; ``bots.cli`` loads
every module here, so a feature adds its command without editing the core CLI.
"""
