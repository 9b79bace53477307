"""The `upstream` command: thin commands that call services.

Each capability registers its own commands from its `commands.py`, so the parts of the product
stay in their own folders. Domain errors become one clear line on stderr and exit code 2.
"""

from __future__ import annotations

import sys

import typer
from rich.console import Console

from upstream import __version__
from upstream.errors import UpstreamError

app = typer.Typer(
    name="upstream",
    help="Upstream: see need early, help people through one door, invest where prevention pays back.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Plain click errors: "Error: Invalid value for '--port': 70000 is not in the range…" on
    # one line, rather than a box that wraps the message across lines.
    rich_markup_mode=None,
)
err_console = Console(stderr=True, soft_wrap=True)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"upstream {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", help="Print the version and exit.", callback=_version, is_eager=True
    ),
) -> None:
    """Upstream's command line for analysts and operators."""


def _register_commands() -> None:
    # Imported here, not at module top, so `upstream --help` stays quick and a broken
    # capability names itself rather than breaking the whole CLI.
    from upstream import demo
    from upstream.casework import commands as casework_commands
    from upstream.directory import commands as directory_commands
    from upstream.economics import commands as economics_commands
    from upstream.governance import commands as governance_commands
    from upstream.identify import commands as identify_commands
    from upstream.insight import commands as insight_commands
    from upstream.synth import commands as synth_commands
    from upstream.web import commands as web_commands

    for module in (
        synth_commands,
        economics_commands,
        insight_commands,
        web_commands,
        directory_commands,
        casework_commands,
        governance_commands,
        identify_commands,
        demo,
    ):
        module.register(app)


_register_commands()


def main() -> None:
    try:
        app(standalone_mode=True)
    except UpstreamError as error:
        err_console.print(f"[bold red]error:[/] {error.one_line()}", highlight=False)
        sys.exit(2)
