"""Build the characters in avatars/ (procedural, deterministic, byte-identical).

Run ``.venv/bin/python tools/build_avatars.py`` to rewrite avatars/*.glb, or
add ``--out DIR`` to write elsewhere (the reproducibility test does).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tools"))
sys.path.insert(0, str(REPO))

from avatarkit.build import build  # noqa: E402
from avatarkit.characters import CHARACTERS  # noqa: E402
from tqdm import tqdm  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "avatars", help="output folder")
    parser.add_argument("names", nargs="*", help="only these characters (default: all)")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    chosen = [c for c in CHARACTERS if not args.names or c.name in args.names]
    for character in tqdm(chosen, desc="characters", disable=len(chosen) < 2):
        blob = build(character, args.out / f"{character.name}.glb")
        print(f"{character.name}.glb  {len(blob) / 1024:.0f} KB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
