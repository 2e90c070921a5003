"""The fictional citizens of docs/demo-data.md as the card simulator carries them.

Each card is built into the exact 256-byte text block a real card returns, so the driver's decoder
is exercised end to end. The photo is a deterministic dummy of 1024 bytes (no real WLT).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from devices.idcard.card import PHOTO_SIZE, TEXT_SIZE


def _put(block: bytearray, offset: int, size: int, value: str) -> None:
    raw = value.encode("utf-16-le")
    if len(raw) > size:
        raise ValueError(f"field at {offset} holds {size} bytes, value needs {len(raw)}")
    block[offset : offset + size] = raw + " ".encode("utf-16-le") * ((size - len(raw)) // 2)


@dataclass(frozen=True)
class DemoCitizen:
    """One fictional card: ``fields`` maps (offset, size) to the text at that place."""

    key: str
    label: str  # what the demo panel shows
    fields: tuple[tuple[int, int, str], ...]
    fingerprint_size: int = 1024
    appended_address: str = ""

    def text_block(self) -> bytes:
        block = bytearray(" ".encode("utf-16-le") * (TEXT_SIZE // 2))
        for offset, size, value in self.fields:
            _put(block, offset, size, value)
        return bytes(block)

    def photo(self) -> bytes:
        seed = hashlib.sha256(f"demo photo {self.key}".encode()).digest()
        return (seed * (PHOTO_SIZE // len(seed) + 1))[:PHOTO_SIZE]

    def fingerprint(self) -> bytes:
        seed = hashlib.sha256(f"demo fingerprint {self.key}".encode()).digest()
        return (seed * (self.fingerprint_size // len(seed) + 1))[: self.fingerprint_size]


def _resident(
    key: str, label: str, name: str, gender: str, born: str, address: str, number: str,
    authority: str, valid_from: str, valid_to: str, *, fingerprint_size: int = 1024, appended_address: str = "",
) -> DemoCitizen:  # fmt: skip
    fields = (
        (0, 30, name), (30, 2, gender), (32, 4, "01"), (36, 16, born), (52, 70, address),
        (122, 36, number), (158, 30, authority), (188, 16, valid_from), (204, 16, valid_to),
    )  # fmt: skip
    return DemoCitizen(key, label, fields, fingerprint_size=fingerprint_size, appended_address=appended_address)


CITIZENS: dict[str, DemoCitizen] = {
    c.key: c
    for c in (
        _resident("elderly", "林秀英 (78, 长期)", "林秀英", "2", "19480312", "福建省厦门市思明区鹭江道100号",
                  "350203194803120021", "厦门市公安局思明分局", "20150601", "长期",
                  appended_address="福建省厦门市思明区鹭江道102号"),
        _resident("young", "王晓明 (young)", "王晓明", "1", "19960721", "福建省厦门市湖里区仙岳路4688号",
                  "350206199607210013", "厦门市公安局湖里分局", "20160810", "20360810", fingerprint_size=512),
        DemoCitizen("hk", "陈嘉欣 (J card)", (
            (0, 30, "陈嘉欣"), (30, 2, "2"), (36, 16, "19950815"), (52, 70, "香港特别行政区"),
            (122, 36, "810000199508152024"), (158, 30, "厦门市公安局出入境管理支队"),
            (188, 16, "20240301"), (204, 16, "20290301"), (220, 18, "H12345678"), (238, 4, "01"),
            (248, 2, "J"),
        ), fingerprint_size=0),
        DemoCitizen("foreigner2017", "SMITH, JOHN MICHAEL (I card)", (
            (0, 120, "SMITH, JOHN MICHAEL"), (120, 2, "1"), (122, 30, "USA350286031500"), (152, 6, "USA"),
            (158, 30, "史密斯"), (188, 16, "20190110"), (204, 16, "20290109"), (220, 16, "19860315"),
            (236, 4, "01"), (240, 8, "5000"), (248, 2, "I"),
        ), fingerprint_size=0),
        DemoCitizen("foreigner2023", "GARCIA LOPEZ, MARIA (Y card)", (
            (0, 30, "玛丽亚"), (30, 2, "2"), (32, 4, "00"), (36, 16, "19880612"),
            (52, 70, "GARCIA LOPEZ, MARIA"), (122, 36, "931840198806120010"),
            (188, 16, "20231201"), (204, 16, "20331130"), (220, 22, ""), (242, 6, "USA"), (248, 2, "Y"),
            (250, 6, "K7Q"),  # link to the holder's previous card
        ), fingerprint_size=0),
        _resident("expired", "张建国 (expired)", "张建国", "1", "19700405", "福建省厦门市集美区集美大道1号",
                  "350211197004050016", "厦门市公安局集美分局", "20040501", "20240501"),
        _resident("bad_check_digit", "李伟 (bad check digit)", "李伟", "1", "19851103", "福建省厦门市海沧区沧林路8号",
                  "350205198511030034", "厦门市公安局海沧分局", "20120101", "20320101"),
        _resident("appointment", "黄美玲 (appointment today)", "黄美玲", "2", "19550920",
                  "福建省厦门市思明区湖滨南路334号", "350203195509200041", "厦门市公安局思明分局", "20141001", "长期"),
    )
}  # fmt: skip

# A Y card whose English name really spans both fields, to prove they are joined before stripping.
LONG_ENGLISH_NAME = "GARCIA LOPEZ DE LA VEGA FERNANDEZ, MARIA ISA"  # part 1 ends in a space
