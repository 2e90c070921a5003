"""IPP/1.1 messages on the wire (RFC 8010): a request or response with its attribute groups.

A message is ``version (2 bytes) · operation-id or status-code (2) · request-id (4)``, then groups
each opened by a delimiter tag, each attribute ``value-tag · name-length · name · value-length ·
value`` (a further value of the same attribute has an empty name), ``end-of-attributes``, then the
document data. Only what the kiosk and its simulated printer use is typed; any other value tag is
kept as raw bytes, and a malformed message is an ``IppError`` naming where it broke.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from typing import Any

# delimiter tags
OPERATION, JOB, END, PRINTER, UNSUPPORTED = 0x01, 0x02, 0x03, 0x04, 0x05
# value tags
INTEGER, BOOLEAN, ENUM = 0x21, 0x22, 0x23
TEXT, NAME, KEYWORD, URI, CHARSET, LANGUAGE, MIME = 0x41, 0x42, 0x44, 0x45, 0x47, 0x48, 0x49
NO_VALUE, UNKNOWN = 0x13, 0x12
# operations
PRINT_JOB, VALIDATE_JOB, CANCEL_JOB, GET_JOB_ATTRIBUTES, GET_PRINTER_ATTRIBUTES = 0x02, 0x04, 0x08, 0x09, 0x0B
# job states (job-state enum)
JOB_PENDING, JOB_HELD, JOB_PROCESSING, JOB_STOPPED, JOB_CANCELED, JOB_ABORTED, JOB_COMPLETED = range(3, 10)
JOB_STATES = {3: "pending", 4: "pending-held", 5: "processing", 6: "processing-stopped", 7: "canceled",
              8: "aborted", 9: "completed"}
# printer states
PRINTER_IDLE, PRINTER_PROCESSING, PRINTER_STOPPED = 3, 4, 5
# status codes
OK, OK_IGNORED = 0x0000, 0x0001
CLIENT_BAD_REQUEST, CLIENT_NOT_FOUND, CLIENT_FORMAT_UNSUPPORTED = 0x0400, 0x0406, 0x040A
SERVER_INTERNAL, SERVER_OPERATION_UNSUPPORTED, SERVER_NOT_ACCEPTING, SERVER_BUSY = 0x0500, 0x0501, 0x0506, 0x0507

_INT_TAGS = {INTEGER, ENUM}
_STR_TAGS = {TEXT, NAME, KEYWORD, URI, CHARSET, LANGUAGE, MIME}
_OUT_OF_BAND = {NO_VALUE, UNKNOWN, 0x10}


class IppError(ValueError):
    """A message that is not IPP, or breaks off; the text says where."""


@dataclass
class Attribute:
    tag: int
    values: list[Any]


@dataclass
class Group:
    tag: int
    attributes: dict[str, Attribute] = field(default_factory=dict)

    def add(self, name: str, tag: int, *values: Any) -> Group:
        self.attributes[name] = Attribute(tag, list(values))
        return self

    def get(self, name: str, default: Any = None) -> Any:
        """The first value of ``name`` (or ``default``)."""
        found = self.attributes.get(name)
        return found.values[0] if found and found.values else default

    def all(self, name: str) -> list[Any]:
        found = self.attributes.get(name)
        return list(found.values) if found else []


@dataclass
class Message:
    code: int  # operation-id in a request, status-code in a response
    request_id: int
    groups: list[Group] = field(default_factory=list)
    data: bytes = b""
    version: tuple[int, int] = (1, 1)

    def group(self, tag: int) -> Group:
        """The first group with ``tag`` (an empty one when there is none)."""
        return next((g for g in self.groups if g.tag == tag), Group(tag))

    def groups_of(self, tag: int) -> list[Group]:
        return [g for g in self.groups if g.tag == tag]


def request(operation: int, request_id: int, printer_uri: str, *, user: str = "kiosk") -> Message:
    """A request with the operation attributes every one starts with (RFC 8011 §4.1.4)."""
    op = (Group(OPERATION).add("attributes-charset", CHARSET, "utf-8")
          .add("attributes-natural-language", LANGUAGE, "zh-cn")
          .add("printer-uri", URI, printer_uri).add("requesting-user-name", NAME, user))
    return Message(operation, request_id, [op])


def response(status: int, request_id: int, *groups: Group) -> Message:
    op = Group(OPERATION).add("attributes-charset", CHARSET, "utf-8").add("attributes-natural-language",
                                                                        LANGUAGE, "en")
    return Message(status, request_id, [op, *groups])


def _value_bytes(tag: int, value: Any) -> bytes:
    if tag in _INT_TAGS:
        return struct.pack(">i", int(value))
    if tag == BOOLEAN:
        return b"\x01" if value else b"\x00"
    if tag in _OUT_OF_BAND:
        return b""
    if tag in _STR_TAGS:
        return str(value).encode("utf-8")
    if isinstance(value, bytes | bytearray):
        return bytes(value)
    raise IppError(f"cannot encode {value!r} with value tag 0x{tag:02x}")


def encode(message: Message) -> bytes:
    out = bytearray(struct.pack(">BBHI", message.version[0], message.version[1], message.code, message.request_id))
    for group in message.groups:
        out.append(group.tag)
        for name, attribute in group.attributes.items():
            for i, value in enumerate(attribute.values or [None]):
                key = name.encode("ascii") if i == 0 else b""
                raw = _value_bytes(attribute.tag, value) if attribute.values else b""
                if len(key) > 0x7FFF or len(raw) > 0x7FFF:
                    raise IppError(f"attribute {name} is too long for IPP")
                out += struct.pack(">bh", attribute.tag, len(key)) + key + struct.pack(">h", len(raw)) + raw
    out.append(END)
    return bytes(out) + message.data


def _value(tag: int, raw: bytes) -> Any:
    if tag in _INT_TAGS:
        if len(raw) != 4:
            raise IppError(f"an integer of {len(raw)} bytes")
        return struct.unpack(">i", raw)[0]
    if tag == BOOLEAN:
        if len(raw) != 1:
            raise IppError(f"a boolean of {len(raw)} bytes")
        return raw != b"\x00"
    if tag in _STR_TAGS:
        return raw.decode("utf-8", "replace")
    return raw


def decode(data: bytes) -> Message:
    """The message in ``data`` (document data after the attributes lands in ``.data``)."""
    if len(data) < 9:
        raise IppError(f"{len(data)} bytes are too few for an IPP message")
    major, minor, code, request_id = struct.unpack_from(">BBHI", data)
    if major not in (1, 2):
        raise IppError(f"IPP version {major}.{minor} is not one this printer speaks")
    message = Message(code & 0xFFFF, request_id, version=(major, minor))
    at, group, last = 8, None, None
    while True:
        if at >= len(data):
            raise IppError(f"the message ends at byte {at} without end-of-attributes")
        tag = data[at]
        at += 1
        if tag == END:
            message.data = data[at:]
            return message
        if tag < 0x10:  # a delimiter: a new group
            group, last = Group(tag), None
            message.groups.append(group)
            continue
        if group is None:
            raise IppError(f"an attribute before any group at byte {at - 1}")
        if at + 2 > len(data):
            raise IppError(f"the message breaks off in an attribute at byte {at}")
        (name_len,) = struct.unpack_from(">h", data, at)
        at += 2
        name = data[at:at + name_len].decode("ascii", "replace")
        at += name_len
        if name_len < 0 or at + 2 > len(data):
            raise IppError(f"the message breaks off in an attribute name at byte {at}")
        (value_len,) = struct.unpack_from(">h", data, at)
        at += 2
        if value_len < 0 or at + value_len > len(data):
            raise IppError(f"the value of {name or last!r} runs past the message's end")
        value = _value(tag, data[at:at + value_len])
        at += value_len
        if name_len == 0:  # another value of the attribute before
            if last is None:
                raise IppError(f"an additional value with no attribute before it at byte {at}")
            group.attributes[last].values.append(value)
        else:
            group.attributes[name] = Attribute(tag, [] if tag in _OUT_OF_BAND else [value])
            last = name
