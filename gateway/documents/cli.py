"""``kiosk-gateway document sample``, ``kiosk-gateway verify`` and ``kiosk-gateway admin document-key``.

- ``admin document-key [--dir DIR] [--replace]`` makes the demo's root and document certificate;
- ``document sample --kind K --out FILE.pdf`` renders a demo citizen's certificate with the key
  (made first when there is none), signs it and records it, so an admin can check a template and
  ``verify`` knows it;
- ``verify FILE.pdf`` prints authentic / altered / unknown and why; exit 0 authentic, 1 altered,
  3 unknown, 2 when the command itself cannot run (no such file, no database).
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from gateway.documents.checking import MAX_PDF_BYTES, Outcome, check_pdf
from gateway.documents.hall_key import DocumentKey, ensure_demo_key, make_demo_key
from gateway.documents.kinds import KINDS
from gateway.documents.register import SqliteIssuedDocuments, new_code
from gateway.settings import hall_now

SAMPLE_CITIZENS = {"social_security": "350206199607210013", "property": "350203194803120021",
                   "population": "350206199607210013"}
_EXIT = {Outcome.AUTHENTIC: 0, Outcome.ALTERED: 1, Outcome.UNKNOWN: 3}


def _key_dir(args: argparse.Namespace) -> Path:
    return args.key_dir if args.key_dir is not None else Path(args.db).resolve().parent / "document-key"


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", type=Path, default=Path("gateway.sqlite3"), help="the gateway's database")
    parser.add_argument("--key-dir", type=Path, default=None,
                        help="the document key's directory (default: document-key beside the database)")


def key_main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="kiosk-gateway admin document-key",
                                     description="Make the demo's document-signing key, certificate and root.")
    parser.add_argument("--dir", type=Path, default=Path("document-key"), help="where to write them")
    parser.add_argument("--replace", action="store_true", help="replace a key already there")
    args = parser.parse_args(argv)
    try:
        key = make_demo_key(args.dir, replace=args.replace)
    except (FileExistsError, OSError) as exc:
        print(f"kiosk-gateway admin document-key: {exc}", file=sys.stderr)
        return 2
    print(f"document key written to {key.directory}: {key.root.name} (trust this root), "
          f"{key.certificate.name}, {key.key.name} (keep secret)")
    return 0


def document_main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="kiosk-gateway document", description="Official documents on A4.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    sample = commands.add_parser("sample", help="render, sign and record a demo citizen's certificate")
    sample.add_argument("--kind", required=True, choices=sorted(KINDS))
    sample.add_argument("--out", required=True, type=Path, help="the PDF to write")
    sample.add_argument("--seal", type=Path, default=None, help="the seal image (PNG); default the demo's")
    sample.add_argument("--public-url", default="http://127.0.0.1:8765", help="the gateway's public address")
    _common(sample)
    args = parser.parse_args(argv)
    from contract.masking import mask_name
    from gateway.demo_seed import _citizens
    from gateway.documents.issuing import sign_and_record
    from gateway.documents.seal import SealRefused, load_seal
    from gateway.documents.sheet import Certificate
    from gateway.storage import Database

    kind = KINDS[args.kind]
    id_number, name, _, social, properties, household = next(
        c for c in _citizens(date.today()) if c[0] == SAMPLE_CITIZENS[args.kind])
    record = {"social_security": social, "property": properties, "population": household}[args.kind]
    now = hall_now()
    code = new_code()
    try:
        seal = load_seal(args.seal)
        db = Database(args.db)
    except (SealRefused, OSError, RuntimeError) as exc:
        print(f"kiosk-gateway document sample: {exc}", file=sys.stderr)
        return 2
    try:
        certificate = Certificate(kind, name, id_number, record, f"XMZW-{kind.prefix}-{now:%Y%m%d}-SAMPLE",
                                  code, args.public_url.rstrip("/") + f"/verify/{code}", now, seal)
        issued = sign_and_record(certificate, ensure_demo_key(_key_dir(args)), SqliteIssuedDocuments(db),
                                 mask_name(name), "sample")
    finally:
        db.close()
    args.out.write_bytes(issued.data)
    doc = issued.document
    print(f"wrote {args.out}: {kind.title_zh}, {doc.pages} page(s), {doc.size} bytes, number {doc.number}, "
          f"verification code {doc.code}")
    return 0


def verify_main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="kiosk-gateway verify",
                                     description="Say whether a PDF is a certificate the hall issued, unchanged.")
    parser.add_argument("file", type=Path, metavar="FILE.pdf")
    _common(parser)
    args = parser.parse_args(argv)
    from gateway.storage import Database

    try:
        with open(args.file, "rb") as fh:
            data = fh.read(MAX_PDF_BYTES + 1)
    except OSError as exc:
        print(f"kiosk-gateway verify: cannot read {args.file}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    if not args.db.exists():
        print(f"kiosk-gateway verify: no gateway database at {args.db} (give --db)", file=sys.stderr)
        return 2
    try:
        db = Database(args.db)
    except Exception as exc:
        print(f"kiosk-gateway verify: cannot open {args.db}: {exc}", file=sys.stderr)
        return 2
    try:
        verdict = check_pdf(data, SqliteIssuedDocuments(db), DocumentKey(_key_dir(args)))
    finally:
        db.close()
    print(f"{verdict.outcome}: {verdict.reason}")
    if verdict.document is not None:
        d = verdict.document
        print(f"  document {d.number} ({d.kind}), holder {d.holder_masked}, issued {d.issued_at}, code {d.code}")
    if verdict.digest:
        print(f"  SHA-256 of the file: {verdict.digest}")
    return _EXIT[verdict.outcome]
