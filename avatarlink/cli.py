"""The `avatarlink` command: one subcommand per module in avatarlink.commands.

Each command module defines ``register(subparsers)`` which adds its parser and
sets ``func`` (taking the parsed args, returning an exit code). Discovery keeps
this file free of per-feature imports, so features stay independent.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Sequence

from avatarlink import __version__, commands
from avatarlink.errors import UserError

DESCRIPTION = """\
Be seen and heard without being identified: your webcam face drives a
stylized 3D character and your voice is shifted. Nothing that identifies you
(camera pixels, face landmarks, your original voice) leaves the machine.

Start with `avatarlink demo` (no camera needed), then `avatarlink run`.
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="avatarlink",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"avatarlink {__version__}")
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND")
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{commands.__name__}.{info.name}")
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "func"):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except UserError as exc:
        print(f"avatarlink: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("avatarlink: stopped", file=sys.stderr)
        return 130
