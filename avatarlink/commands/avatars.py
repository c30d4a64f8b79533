"""`avatarlink avatars`: list the characters people can be seen as."""

from __future__ import annotations

import argparse

from avatarlink.avatars import DEFAULT_AVATAR, list_avatars


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "avatars",
        help="list the installed characters",
        description=(
            "List the characters in avatars/ with their triangle count and file. "
            "Pass a name to --avatar of `run`, `render` or `demo`; any glTF 2.0 .glb "
            "with the 52 ARKit morph targets and head/eyeLeft/eyeRight nodes also works."
        ),
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    avatars = list_avatars()
    if not avatars:
        print("no characters installed (build them with tools/build_avatars.py)")
        return 1
    width = max(4, *(len(a.name) for a in avatars)) + 2
    print(f"{'name':<{width}}{'triangles':>9}  path")
    for a in avatars:
        mark = " (default)" if a.name == DEFAULT_AVATAR else ""
        print(f"{a.name:<{width}}{a.triangles:>9}  {a.path}{mark}")
    return 0
