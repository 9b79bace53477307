"""The `upstream` command: thin commands that call services.

Every command is a job in `upstream.jobs`, which registers it here. Domain errors become one clear line on stderr and exit code 2.
"""

from __future__ import annotations

from typing import Any

import typer
from rich.console import Console
from rich.markup import escape
from typer.core import TyperGroup

from upstream import __version__
from upstream.errors import UpstreamError, not_utf8, reason

err_console = Console(stderr=True, soft_wrap=True)


def print_error(line: str) -> None:
    """What the user sees for any error they can act on: `error: WHERE: WHAT` on stderr, on
    one line even when a library's message spans several."""
    one_line = " ".join(part.strip() for part in line.splitlines() if part.strip())
    err_console.print(f"[bold red]error:[/] {escape(one_line)}", highlight=False)


class UpstreamCommands(TyperGroup):
    """The root command: the one place that turns errors into one line and exit code 2.

    Commands raise domain errors (upstream.errors) that name the file and what is wrong. A few
    failures of the files and folders a user names can still reach here from deep in a library
    (a folder that cannot be written mid-run, JSON nested past Python's recursion limit); they
    get one line too, never a traceback.
    """

    def invoke(self, ctx: Any) -> Any:  # typer's own (vendored) click Context
        try:
            return super().invoke(ctx)
        except UpstreamError as error:
            print_error(error.one_line())
        except BrokenPipeError:
            raise  # output piped to `head`: click exits quietly
        except (OSError, UnicodeDecodeError, RecursionError) as error:
            print_error(last_resort_line(error))
        raise typer.Exit(2)


def last_resort_line(error: OSError | UnicodeDecodeError | RecursionError) -> str:
    if isinstance(error, UnicodeDecodeError):
        return not_utf8(error)
    if isinstance(error, RecursionError):
        return "input nested too deeply to read"
    where = f"{error.filename}: " if error.filename is not None else ""
    return where + reason(error)


app = typer.Typer(
    cls=UpstreamCommands,
    name="upstream",
    help="Upstream: see need early, help people through one door, invest where prevention pays back.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Plain click errors: "Error: Invalid value for '--port': 70000 is not in the range…" on
    # one line, rather than a box that wraps the message across lines.
    rich_markup_mode=None,
)


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
    # Every command is a job (upstream.jobs): the floor above everything it orchestrates.
    from upstream.jobs import (
        audit,
        casework,
        cld,
        demo,
        directory,
        economics,
        frontdoor,
        frontdoor_api,
        identify,
        insight,
        synth,
        triage,
        web,
    )

    for module in (
        synth,
        economics,
        insight,
        web,
        directory,
        casework,
        frontdoor,
        frontdoor_api,  # adds `frontdoor api-key` to frontdoor's group
        cld,  # `cld export`, and `reviews check` and `reviews overdue`
        audit,
        identify,
        triage,
        demo,
    ):
        module.register(app)


_register_commands()


def main() -> None:
    app(standalone_mode=True)  # errors become one line in UpstreamCommands.invoke
