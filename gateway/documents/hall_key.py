"""The hall's document key: the private key that signs certificates, its certificate, and the root.

A hall gets its document certificate from the government's CA; the demo (and a hall trying the
gateway out) makes its own: ``kiosk-gateway admin document-key`` writes a root certificate (the
one a checker trusts) and a document-signing certificate issued by it, with ECDSA P-256 keys:

    DIR/root.pem        the root certificate (publish it: PDF readers and `verify` trust it)
    DIR/document.pem    the hall's document-signing certificate
    DIR/document.key    its private key (mode 0600)
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

HALL_NAME = "厦门市行政服务中心"
ROOT_FILE, CERT_FILE, KEY_FILE = "root.pem", "document.pem", "document.key"


class DocumentKeyMissing(RuntimeError):
    """No document key in the directory; the message says how to make one."""


@dataclass(frozen=True)
class DocumentKey:
    directory: Path

    @property
    def root(self) -> Path:
        return self.directory / ROOT_FILE

    @property
    def certificate(self) -> Path:
        return self.directory / CERT_FILE

    @property
    def key(self) -> Path:
        return self.directory / KEY_FILE

    def exists(self) -> bool:
        return self.root.is_file() and self.certificate.is_file() and self.key.is_file()

    def require(self) -> DocumentKey:
        if not self.exists():
            raise DocumentKeyMissing(
                f"no document key in {self.directory}; make one with "
                f"`kiosk-gateway admin document-key --dir {self.directory}`")
        return self


def _name(common: str, unit: str) -> x509.Name:
    return x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
        x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, "福建省"),
        x509.NameAttribute(NameOID.LOCALITY_NAME, "厦门市"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, HALL_NAME),
        x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, unit),
        x509.NameAttribute(NameOID.COMMON_NAME, common),
    ])


def _write(path: Path, data: bytes, private: bool = False) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600 if private else 0o644)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.replace(tmp, path)


def make_demo_key(directory: Path, *, now: dt.datetime | None = None, years: int = 5,
                  replace: bool = False) -> DocumentKey:
    """Write a demo root and a document certificate it issued into ``directory``."""
    key = DocumentKey(Path(directory))
    if key.exists() and not replace:
        raise FileExistsError(f"{directory} already holds a document key (use --replace to make a new one)")
    key.directory.mkdir(parents=True, exist_ok=True)
    start = (now or dt.datetime.now(dt.UTC)) - dt.timedelta(days=1)
    end = start + dt.timedelta(days=365 * years)
    root_key = ec.generate_private_key(ec.SECP256R1())
    root_name = _name(f"{HALL_NAME} 演示根证书 Demo Root", "演示 Demo")
    root = (
        x509.CertificateBuilder().subject_name(root_name).issuer_name(root_name)
        .public_key(root_key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(start).not_valid_after(end + dt.timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(root_key.public_key()), critical=False)
        .sign(root_key, hashes.SHA256())
    )
    doc_key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder().subject_name(_name(f"{HALL_NAME} 电子印章 Document seal", "政务服务 Documents"))
        .issuer_name(root_name).public_key(doc_key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(start).not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(doc_key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()), critical=False)
        .sign(root_key, hashes.SHA256())
    )
    _write(key.root, root.public_bytes(serialization.Encoding.PEM))
    _write(key.certificate, cert.public_bytes(serialization.Encoding.PEM))
    _write(key.key, doc_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()), private=True)
    return key


def ensure_demo_key(directory: Path) -> DocumentKey:
    """The key in ``directory``, made first if there is none (the demo and the sample command)."""
    key = DocumentKey(Path(directory))
    return key if key.exists() else make_demo_key(key.directory)
