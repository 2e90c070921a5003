"""HTML to an A4 PDF/A with WeasyPrint: fonts embedded as subsets, the page count known.

WeasyPrint (and the pango it needs) is imported here only, so nothing else in the gateway pays for
it until a certificate is asked for; the kiosk never imports it at all.
"""

from __future__ import annotations

import gc
import logging
import warnings
from dataclasses import dataclass

PDF_VARIANT = "pdf/a-3b"  # PDF/A-3b allows the signature added after it as an incremental update

log = logging.getLogger("gateway.documents")


@dataclass(frozen=True)
class RenderedPdf:
    data: bytes
    pages: int


def render_pdf(html: str, *, identifier: str) -> RenderedPdf:
    """Lay out ``html`` and write it as PDF/A; ``identifier`` becomes the PDF's document id."""
    import weasyprint

    # WeasyPrint's own warnings name unsupported CSS; they are not the citizen's problem
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    document = weasyprint.HTML(string=html, base_url=None).render()
    with warnings.catch_warnings():
        # WeasyPrint opens its sRGB profile for PDF/A and leaves closing it to the garbage collector
        warnings.simplefilter("ignore", ResourceWarning)
        data = document.write_pdf(pdf_variant=PDF_VARIANT, pdf_identifier=identifier.encode("ascii"),
                                  optimize_images=True)
        gc.collect()
    return RenderedPdf(data, len(document.pages))
