"""Asking an IPP printer itself how it is: one Get-Printer-Attributes request, read only.

CUPS learns a driverless printer's state (out of paper, jammed, …) only while one of its
jobs runs, and keeps the last reasons it saw until the next job: between jobs, or when the
printer has vanished mid-job, only the printer knows. The kiosk therefore asks the device
of an ipp:// or ipps:// queue directly, with a short timeout.

Why not pycups for this: its requests always go to the path "/" (printers expect their own
resource, e.g. /ipp/print), it waits up to 30 s to connect, and it cannot decode
octetString values such as printer-supply. IPP's binary encoding (RFC 8010) of one
request and the plain values of its response is small enough to do here.
"""

from __future__ import annotations

import http.client
import ssl
import struct
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from kiosk.printing.model import Marker

TIMEOUT_S = 2.0
WANTED = (
    "printer-state",
    "printer-state-reasons",
    "printer-state-message",
    "printer-is-accepting-jobs",
    "marker-names",
    "marker-levels",
    "marker-types",
    "marker-colors",
    "marker-low-levels",
    "printer-supply",
    "printer-supply-description",
)

Value = int | bool | str
Attributes = dict[str, list[Value]]
Group = tuple[int, Attributes]


@dataclass(frozen=True)
class DeviceState:
    """What the device said; `reachable` False when nothing listens at its address."""

    reachable: bool
    answered: bool = False
    state: int = 0
    reasons: tuple[str, ...] = ()
    message: str = ""
    markers: tuple[Marker, ...] = ()
    error: str = ""
    attributes: Attributes = field(default_factory=dict, repr=False)


def asks_device(device_uri: str) -> bool:
    return urlsplit(device_uri).scheme in ("ipp", "ipps")


def query(device_uri: str, timeout_s: float = TIMEOUT_S) -> DeviceState:
    """The device's printer-state, reasons, message and supplies. Never raises."""
    request = _request(device_uri, GET_PRINTER_ATTRIBUTES, WANTED)
    reachable, groups, error = _post(device_uri, request, timeout_s)
    if error:
        return DeviceState(reachable=reachable, error=error)
    printer = [attributes for tag, attributes in groups if tag == _PRINTER_GROUP]
    return _state(printer[0] if printer else {})


def finished_job_state(
    device_uri: str, job_name: str, timeout_s: float = TIMEOUT_S
) -> tuple[bool, int]:
    """(reachable, job-state) of the device's latest finished job with this name: 7
    canceled, 8 aborted, 9 completed, or 0 when the device does not say (no such job, no
    job history, no IPP answer). CUPS can report a job completed that the printer canceled
    or aborted, or that was cut off when the printer went away: its ipp backend's wait for
    the job may end before its status monitor sees why."""
    which = _attribute(_KEYWORD, "which-jobs", b"completed")
    request = _request(device_uri, GET_JOBS, ("job-id", "job-name", "job-state"), which)
    reachable, groups, error = _post(device_uri, request, timeout_s)
    if error:
        return reachable, 0
    latest, state = -1, 0
    for tag, attributes in groups:
        job_id = attributes.get("job-id", [-1])[0]
        if (
            tag == _JOB_GROUP
            and attributes.get("job-name", [""])[0] == job_name
            and isinstance(job_id, int)
            and job_id > latest
        ):
            found = attributes.get("job-state", [0])[0]
            latest, state = job_id, found if isinstance(found, int) else 0
    return True, state


def _post(device_uri: str, request: bytes, timeout_s: float) -> tuple[bool, list[Group], str]:
    """(reachable, the answer's groups, '' or what went wrong)."""
    parts = urlsplit(device_uri)
    host = parts.hostname or "localhost"
    try:
        port = parts.port or 631
    except ValueError:
        return False, [], f"bad device URI {device_uri!r}"
    connection: http.client.HTTPConnection
    if parts.scheme == "ipps":
        context = ssl.create_default_context()
        context.check_hostname = False  # printers carry self-signed certificates
        context.verify_mode = ssl.CERT_NONE
        connection = http.client.HTTPSConnection(host, port, timeout=timeout_s, context=context)
    else:
        connection = http.client.HTTPConnection(host, port, timeout=timeout_s)
    try:
        try:
            connection.connect()
        except OSError as exc:
            return False, [], f"{host}:{port}: {exc}"
        try:
            connection.request(
                "POST",
                parts.path or "/",
                body=request,
                headers={"Content-Type": "application/ipp"},
            )
            response = connection.getresponse()
            body = response.read()
        except (OSError, http.client.HTTPException) as exc:
            return True, [], f"no IPP answer: {exc}"
        if response.status != 200:
            return True, [], f"HTTP {response.status} {response.reason}"
        try:
            status, groups = parse_groups(body)
        except ValueError as exc:
            return True, [], f"unreadable IPP answer: {exc}"
        if status >= 0x0100:
            return True, [], f"IPP status 0x{status:04x}"
        return True, groups, ""
    finally:
        connection.close()


def _state(attributes: Attributes) -> DeviceState:
    state = attributes.get("printer-state", [0])[0]
    reasons = tuple(str(r) for r in attributes.get("printer-state-reasons", []) if r != "none")
    message = attributes.get("printer-state-message", [""])[0]
    return DeviceState(
        reachable=True,
        answered=True,
        state=state if isinstance(state, int) else 0,
        reasons=reasons,
        message=str(message),
        markers=markers_from(attributes),
        attributes=attributes,
    )


def markers_from(attributes: Attributes) -> tuple[Marker, ...]:
    """Supplies from marker-* attributes, else from IPP Everywhere's printer-supply."""
    names = [str(n) for n in attributes.get("marker-names", [])]
    if names:
        levels = _ints(attributes.get("marker-levels", []))
        kinds = [str(k) for k in attributes.get("marker-types", [])]
        colors = [str(c) for c in attributes.get("marker-colors", [])]
        lows = _ints(attributes.get("marker-low-levels", []))
        return tuple(
            Marker(
                name,
                levels[i] if i < len(levels) else -1,
                kinds[i] if i < len(kinds) else "",
                colors[i] if i < len(colors) else "",
                lows[i] if i < len(lows) else -1,
            )
            for i, name in enumerate(names)
        )
    supplies = [str(s) for s in attributes.get("printer-supply", [])]
    descriptions = [str(d) for d in attributes.get("printer-supply-description", [])]
    found = []
    for i, supply in enumerate(supplies):
        keys = dict(
            item.split("=", 1) for item in supply.split(";") if "=" in item
        )  # "type=toner;maxcapacity=100;level=40;colorantname=black;"
        level = _int(keys.get("level", "-1"))
        capacity = _int(keys.get("maxcapacity", "100"))
        if level >= 0 and capacity > 0:
            level = round(level * 100 / capacity)
        name = descriptions[i] if i < len(descriptions) else keys.get("colorantname", "")
        found.append(Marker(name or f"supply {i + 1}", level, keys.get("type", "")))
    return tuple(found)


def _int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        return -1


def _ints(values: list[Value]) -> list[int]:
    return [v if isinstance(v, int) and not isinstance(v, bool) else -1 for v in values]


# ------------------------------------------------------------ RFC 8010 encoding
_OPERATION_GROUP, _JOB_GROUP, _END, _PRINTER_GROUP = 0x01, 0x02, 0x03, 0x04
_INTEGER, _BOOLEAN, _ENUM = 0x21, 0x22, 0x23
_OCTETS, _TEXT_LANG, _NAME_LANG = 0x30, 0x35, 0x36
_BEGIN_COLLECTION, _END_COLLECTION = 0x34, 0x37
_KEYWORD, _URI, _CHARSET, _LANGUAGE = 0x44, 0x45, 0x47, 0x48
GET_PRINTER_ATTRIBUTES = 0x000B
GET_JOBS = 0x000A


def _attribute(tag: int, name: str, value: bytes) -> bytes:
    encoded = name.encode()
    return struct.pack(">BH", tag, len(encoded)) + encoded + struct.pack(">H", len(value)) + value


def _request(uri: str, operation: int, wanted: tuple[str, ...], *extra: bytes) -> bytes:
    out = struct.pack(">BBHI", 1, 1, operation, 1)  # IPP/1.1, request-id 1
    out += bytes([_OPERATION_GROUP])
    out += _attribute(_CHARSET, "attributes-charset", b"utf-8")
    out += _attribute(_LANGUAGE, "attributes-natural-language", b"en")
    out += _attribute(_URI, "printer-uri", uri.encode())
    out += b"".join(extra)
    out += _attribute(_KEYWORD, "requested-attributes", wanted[0].encode())
    for name in wanted[1:]:
        out += _attribute(_KEYWORD, "", name.encode())  # additional value: empty name
    return out + bytes([_END])


def parse_response(body: bytes) -> tuple[int, Attributes]:
    """(status-code, the printer group's attributes). Raises ValueError."""
    status, groups = parse_groups(body)
    printer = [attributes for tag, attributes in groups if tag == _PRINTER_GROUP]
    return status, printer[0] if printer else {}


def parse_groups(body: bytes) -> tuple[int, list[Group]]:
    """(status-code, [(group tag, attributes)]): one group per printer or job. Collections
    are skipped; values that are not integers, booleans or text are left out. Raises
    ValueError."""
    if len(body) < 8:
        raise ValueError("shorter than an IPP header")
    status = struct.unpack_from(">H", body, 2)[0]
    at, depth, name = 8, 0, ""
    groups: list[Group] = []
    while at < len(body):
        tag = body[at]
        at += 1
        if tag == _END:
            break
        if tag < 0x10:  # a delimiter: the next group
            groups.append((tag, {}))
            continue
        name_length, value, at = _field(body, at)
        if name_length:
            name = value.decode("utf-8", "replace")
        _, raw, at = _field(body, at)
        if tag == _BEGIN_COLLECTION:
            depth += 1
            continue
        if tag == _END_COLLECTION:
            depth = max(0, depth - 1)
            continue
        decoded = _decode(tag, raw)
        if depth or not groups or decoded is None:
            continue
        groups[-1][1].setdefault(name, []).append(decoded)
    return status, groups


def _field(body: bytes, at: int) -> tuple[int, bytes, int]:
    """A 2-byte length and that many bytes: (length, bytes, position after them)."""
    if at + 2 > len(body):
        raise ValueError("truncated")
    length = struct.unpack_from(">H", body, at)[0]
    end = at + 2 + length
    if end > len(body):
        raise ValueError("truncated")
    return length, body[at + 2 : end], end


def _decode(tag: int, raw: bytes) -> Value | None:
    if tag in (_INTEGER, _ENUM) and len(raw) == 4:
        return int(struct.unpack(">i", raw)[0])
    if tag == _BOOLEAN and len(raw) == 1:
        return raw != b"\x00"
    if tag in (_TEXT_LANG, _NAME_LANG) and len(raw) >= 4:
        language = struct.unpack_from(">H", raw, 0)[0]
        text = raw[2 + language + 2 :]
        return text.decode("utf-8", "replace")
    if tag == _OCTETS or 0x40 <= tag <= 0x4F:
        return raw.decode("utf-8", "replace")
    return None
