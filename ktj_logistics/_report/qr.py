"""QR codes for navigation on paper: a phone's camera opens the trip's Maps link.

segno makes them: a pure-Python, dependency-free and actively maintained QR encoder
(ISO/IEC 18004) whose SVG output embeds in the sheet without images or network. Error
correction M survives a crease or a smudge on a printed page; the mask is fixed because
segno's search for the best mask costs four times as long, and every mask decodes.
"""

from __future__ import annotations

from functools import lru_cache

import segno


@lru_cache(maxsize=4096)
def qr_svg(text: str) -> str:
    """An inline ``<svg>`` of ``text`` (sized by CSS; four modules of quiet zone)."""
    code = segno.make(text, error="m", mask=0, boost_error=False, micro=False)
    svg: str = code.svg_inline(scale=1, border=4, omitsize=True, svgclass="qr")
    return svg
