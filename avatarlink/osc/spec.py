"""Parse ``--osc KIND[:HOST[:PORT]][,key=value...]`` into a :class:`SenderSpec`.

Examples: ``vrchat``, ``vmc:127.0.0.1:39539``, ``raw:9010``,
``vrchat:192.168.1.20:9000,binary=6,listen=off``. Options come after the
first comma so that addresses (which contain colons) stay unambiguous.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from avatarlink.errors import UserError

DEFAULT_PORTS: dict[str, int] = {
    "vrchat": 9000,  # VRChat listens on 9000 (and answers on 9001)
    "vmc": 39539,  # the usual VMC receiver port (VSeeFace, Warudo, EVMC4U)
    "ifacialmocap": 49983,  # what iFacialMocap receivers listen on
    "raw": 9010,  # ours; pick any free port for a custom receiver
}
OPTIONS: dict[str, frozenset[str]] = {
    "vrchat": frozenset({"rate", "prefix", "threshold", "refresh", "binary", "bundle", "listen"}),
    "vmc": frozenset({"rate"}),
    "ifacialmocap": frozenset({"rate"}),
    "raw": frozenset({"rate"}),
}
DEFAULT_HOST = "127.0.0.1"
USAGE = "use KIND[:HOST[:PORT]][,key=value...] with KIND one of " + ", ".join(DEFAULT_PORTS)


@dataclass(frozen=True)
class SenderSpec:
    """One parsed ``--osc`` value; ``text`` is kept for error messages."""

    kind: str
    host: str
    port: int
    options: dict[str, str] = field(default_factory=dict)
    text: str = ""


def parse_port(text: str, what: str, lowest: int = 1) -> int:
    """A port number; listeners pass ``lowest=0`` (0 = any free port)."""
    if not text.isdigit() or not lowest <= int(text) < 65536:
        raise UserError(f"{what}: port {text!r} is not a number from {lowest} to 65535")
    return int(text)


def split_host_port(text: str, default_port: int, what: str, lowest: int = 1) -> tuple[str, int]:
    """``HOST``, ``HOST:PORT``, ``PORT`` or ``[IPv6]:PORT``."""
    if text.startswith("["):
        host, sep, rest = text[1:].partition("]")
        if not sep or (rest and not rest.startswith(":")):
            raise UserError(f"{what}: malformed [IPv6] address; {USAGE}")
        return host, parse_port(rest[1:], what, lowest) if rest else default_port
    if text.isdigit():
        return DEFAULT_HOST, parse_port(text, what, lowest)
    host, sep, port = text.rpartition(":")
    if not sep:
        return text, default_port
    if ":" in host:
        raise UserError(f"{what}: write an IPv6 address in brackets, e.g. [::1]:9000")
    if not host:
        raise UserError(f"{what}: empty host; {USAGE}")
    return host, parse_port(port, what, lowest)


def parse_spec(text: str) -> SenderSpec:
    what = f"--osc {text!r}"
    address, _, option_text = text.strip().partition(",")
    kind, _, target = address.partition(":")
    kind = kind.strip().lower()
    if kind not in DEFAULT_PORTS:
        raise UserError(f"{what}: unknown target {kind!r}; {USAGE}")
    host, port = (
        split_host_port(target, DEFAULT_PORTS[kind], what)
        if target
        else (DEFAULT_HOST, DEFAULT_PORTS[kind])
    )
    options: dict[str, str] = {}
    for item in filter(None, (part.strip() for part in option_text.split(","))):
        key, eq, value = item.partition("=")
        if not eq or key not in OPTIONS[kind]:
            allowed = ", ".join(sorted(OPTIONS[kind]))
            raise UserError(f"{what}: unknown option {item!r}; {kind} takes {allowed}")
        options[key] = value
    return SenderSpec(kind, host, port, options, text)


def float_option(spec: SenderSpec, key: str, default: float, low: float, high: float) -> float:
    """A numeric option within [low, high], or one clear line saying what is allowed."""
    raw = spec.options.get(key)
    if raw is None:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = float("nan")
    if not low <= value <= high:
        raise UserError(f"--osc {spec.text!r}: {key}={raw} must be a number from {low} to {high}")
    return value


def int_option(spec: SenderSpec, key: str, default: int, low: int, high: int) -> int:
    """A whole-number option within [low, high]."""
    value = float_option(spec, key, default, low, high)
    if value != int(value):
        raise UserError(f"--osc {spec.text!r}: {key}= takes a whole number from {low} to {high}")
    return int(value)
