"""The seal printed on certificates: the hall's image from configuration, or the demo's drawn one.

A configured seal is a PNG (transparent background) of at most ``MAX_SEAL_BYTES``; anything else
is refused with the reason. Without one, the demo seal is drawn here: a red ring, the hall's name
around the top, a star and "政务服务专用章" — clearly a demo ("演示") so no one mistakes it.
"""

from __future__ import annotations

import functools
import io
import math
import subprocess
from pathlib import Path

from gateway.documents.hall_key import HALL_NAME

MAX_SEAL_BYTES = 512 * 1024
_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
RED = (200, 22, 29, 235)


class SealRefused(ValueError):
    """The configured seal image cannot be used; the message says why."""


def load_seal(path: Path | None) -> bytes:
    """PNG bytes of the seal: ``path`` if given (checked), else the demo's."""
    if path is None:
        return demo_seal()
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_SEAL_BYTES + 1)
    except OSError as exc:
        raise SealRefused(f"cannot read the seal image {path}: {exc.strerror or exc}") from None
    if len(data) > MAX_SEAL_BYTES:
        raise SealRefused(f"the seal image {path} is larger than {MAX_SEAL_BYTES // 1024} KiB")
    if not data.startswith(_PNG_MAGIC):
        raise SealRefused(f"the seal image {path} is not a PNG file")
    return data


def font_file() -> tuple[str, int] | None:
    try:
        out = subprocess.run(["fc-match", "-f", "%{file}|%{index}", "Noto Sans CJK SC:bold:lang=zh-cn"],
                             capture_output=True, text=True, timeout=5).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    path, _, index = out.partition("|")
    return (path, int(index or 0)) if path else None


@functools.cache
def demo_seal(size: int = 600) -> bytes:
    """The demo seal as PNG bytes (drawn once per process)."""
    from PIL import Image, ImageDraw, ImageFont

    found = font_file()

    def font(px: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
        if found:
            try:
                return ImageFont.truetype(found[0], px, index=found[1])
            except OSError:
                pass
        return ImageFont.load_default(px)

    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    c, ring = size / 2, size * 0.035
    draw.ellipse((ring, ring, size - ring, size - ring), outline=RED, width=round(ring))
    # the star in the middle
    r_out, r_in = size * 0.16, size * 0.065
    points = [(c + (r_out if i % 2 == 0 else r_in) * math.sin(i * math.pi / 5),
               c - (r_out if i % 2 == 0 else r_in) * math.cos(i * math.pi / 5)) for i in range(10)]
    draw.polygon(points, fill=RED)
    # the hall's name around the top, each character turned to face the centre
    text, glyph_px = HALL_NAME, round(size * 0.105)
    arc = math.radians(250)
    radius = size / 2 - ring * 2 - glyph_px * 0.62
    for i, char in enumerate(text):
        angle = -arc / 2 + arc * (i + 0.5) / len(text)
        tile = Image.new("RGBA", (glyph_px * 2, glyph_px * 2), (0, 0, 0, 0))
        ImageDraw.Draw(tile).text((glyph_px, glyph_px), char, font=font(glyph_px), fill=RED, anchor="mm")
        tile = tile.rotate(-math.degrees(angle), resample=Image.Resampling.BICUBIC)
        x = c + radius * math.sin(angle) - glyph_px
        y = c - radius * math.cos(angle) - glyph_px
        img.alpha_composite(tile, (round(x), round(y)))
    draw.text((c, c + size * 0.25), "政务服务专用章", font=font(round(size * 0.07)), fill=RED, anchor="mm")
    draw.text((c, c + size * 0.355), "演示 DEMO", font=font(round(size * 0.05)), fill=RED, anchor="mm")
    out = io.BytesIO()
    img.save(out, "PNG", optimize=True)
    return out.getvalue()
