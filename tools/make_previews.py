"""Render a labelled preview sheet per character into avatars/previews/.

Uses avatarlink's own Renderer, so the sheets show exactly what a call sees.
Run ``.venv/bin/python tools/make_previews.py [NAME ...] [--out DIR]``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont
from tqdm import tqdm

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from avatarlink.avatars import list_avatars  # noqa: E402
from avatarlink.render import Renderer  # noqa: E402
from avatarlink.render.expressions import EXPRESSIONS, expression_frame  # noqa: E402

TILE = (320, 240)  # the smallest size a video call shows: the sheet must read here
COLUMNS = 4
LABEL_H = 26


def sheet(name: str) -> Image.Image:
    names = list(EXPRESSIONS)
    rows = -(-len(names) // COLUMNS)
    w, h = TILE
    canvas = Image.new("RGB", (COLUMNS * w, rows * (h + LABEL_H)), (24, 28, 34))
    draw = ImageDraw.Draw(canvas)
    font = ImageFont.load_default(size=18)
    with Renderer(name, size=TILE, background="#3a4654", antialias=4) as renderer:
        for i, expr in enumerate(names):
            image = renderer.render(expression_frame(expr))
            x, y = (i % COLUMNS) * w, (i // COLUMNS) * (h + LABEL_H)
            canvas.paste(Image.fromarray(image), (x, y + LABEL_H))
            draw.text((x + 8, y + 3), expr, fill=(235, 235, 235), font=font)
    return canvas


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="characters (default: all)")
    parser.add_argument("--out", type=Path, default=REPO / "avatars" / "previews")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    chosen = [a.name for a in list_avatars() if not args.names or a.name in args.names]
    for name in tqdm(chosen, desc="previews"):
        image = sheet(name)
        image.save(args.out / f"{name}.png", optimize=True)
    return 0


if __name__ == "__main__":
    np.seterr(all="ignore")
    raise SystemExit(main())
