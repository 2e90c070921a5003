"""Certificate benchmark: the gateway's time to make one signed A4 certificate, and its size.

For each kind (social security: 2 pages, property, population) a demo citizen's certificate is
laid out and rendered (WeasyPrint, PDF/A) and signed (pyHanko, PAdES) as the kiosk's endpoint
does; the first one of the process, which loads the fonts, is reported apart. Baseline, in the
same run: WeasyPrint rendering a one-line Chinese page with the same fonts (the fixed cost).
Targets: median <= 1.5 s a certificate (a citizen waits for it at the kiosk), size <= 1.5 MB.

    .venv/bin/python benchmarks/bench_documents.py [--repeats 5]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import date
from pathlib import Path

from report import figure, median, note

TARGET_S, TARGET_MB = 1.5, 1.5


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()

    from gateway.demo_seed import _citizens
    from gateway.documents.cli import SAMPLE_CITIZENS
    from gateway.documents.hall_key import ensure_demo_key
    from gateway.documents.kinds import KINDS
    from gateway.documents.register import new_code
    from gateway.documents.render import render_pdf
    from gateway.documents.seal import demo_seal
    from gateway.documents.sheet import Certificate, html
    from gateway.documents.signing import sign_pdf
    from gateway.settings import hall_now

    citizens = {c[0]: c for c in _citizens(date.today())}
    with tempfile.TemporaryDirectory() as tmp:
        key = ensure_demo_key(Path(tmp) / "key")

        def one(kind_name: str) -> tuple[float, int, int]:
            kind = KINDS[kind_name]
            c = citizens[SAMPLE_CITIZENS[kind_name]]
            record = {"social_security": c[3], "property": c[4], "population": c[5]}[kind_name]
            code = new_code()
            cert = Certificate(kind, c[1], c[0], record, f"XMZW-{kind.prefix}-20261205-000001", code,
                               f"http://127.0.0.1:8765/verify/{code}", hall_now(), demo_seal())
            start = time.perf_counter()
            rendered = render_pdf(html(cert), identifier=cert.number)
            signed = sign_pdf(rendered.data, key, reason=f"verification code {code}")
            return time.perf_counter() - start, len(signed), rendered.pages

        first, _, _ = one("population")
        note(f"first certificate of the process (fonts loaded): {first:.2f} s")
        times: list[float] = []
        sizes: list[int] = []
        for kind_name in KINDS:
            for _ in range(args.repeats):
                seconds, size, pages = one(kind_name)
                times.append(seconds)
                sizes.append(size)
            note(f"{kind_name}: {pages} page(s), {size / 1e6:.2f} MB, last {seconds:.2f} s")
        start = time.perf_counter()
        for _ in range(args.repeats):
            render_pdf("<p style='font-family:\"Noto Sans CJK SC\"'>厦门市行政服务中心</p>", identifier="x")
        baseline = (time.perf_counter() - start) / args.repeats
    typical = median(times)
    figure("certificate rendered and signed, median", typical, "s", baseline=baseline,
           target=f"<= {TARGET_S} s", passed=typical <= TARGET_S)
    largest = max(sizes) / 1e6
    figure("certificate size, largest", largest, "MB", target=f"<= {TARGET_MB} MB",
           passed=largest <= TARGET_MB)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
