"""The watermark under every page: the hall's words, faint and slanted, drawn as an image.

An image rather than text so that a text extraction of the certificate (``pdftotext``, a screen
reader, a copy and paste) gives the certificate's words alone.
"""

from __future__ import annotations

import functools
import io

from gateway.documents.hall_key import HALL_NAME
from gateway.documents.seal import font_file

WORDS = f"{HALL_NAME} 自助终端出具 仅限本人使用"


@functools.cache
def watermark_png(width: int = 1240, height: int = 1754) -> bytes:
    """A transparent A4-shaped PNG (150 dpi) with the words repeated on a slant."""
    from PIL import Image, ImageDraw, ImageFont

    found = font_file()
    try:
        font = ImageFont.truetype(found[0], 46, index=found[1]) if found else ImageFont.load_default(46)
    except OSError:
        font = ImageFont.load_default(46)
    side = int((width**2 + height**2) ** 0.5)
    canvas = Image.new("RGBA", (side, side), (0, 0, 0, 0))
    draw = ImageDraw.Draw(canvas)
    for row, y in enumerate(range(0, side, 260)):
        x = -((row * 330) % 900)
        while x < side:
            draw.text((x, y), WORDS, font=font, fill=(179, 38, 30, 26))
            x += int(draw.textlength(WORDS, font=font)) + 140
    turned = canvas.rotate(32, resample=Image.Resampling.BICUBIC)
    left, top = (side - width) // 2, (side - height) // 2
    out = io.BytesIO()
    page = turned.crop((left, top, left + width, top + height))
    # a few shades of one red are all it has: a palette image is a fifth of the size
    page.quantize(colors=8, method=Image.Quantize.FASTOCTREE).save(out, "PNG", optimize=True)
    return out.getvalue()
