"""--osc spec parsing: defaults, addresses, options and one-line errors."""

from __future__ import annotations

import pytest

from avatarlink.errors import UserError
from avatarlink.osc import open_senders
from avatarlink.osc.spec import parse_spec


@pytest.mark.parametrize(
    ("text", "kind", "host", "port", "options"),
    [
        ("vrchat", "vrchat", "127.0.0.1", 9000, {}),
        ("VMC", "vmc", "127.0.0.1", 39539, {}),
        ("ifacialmocap:10.0.0.5", "ifacialmocap", "10.0.0.5", 49983, {}),
        ("raw:9123", "raw", "127.0.0.1", 9123, {}),
        ("vmc:localhost:40000", "vmc", "localhost", 40000, {}),
        ("vrchat:[::1]:9000,listen=off", "vrchat", "::1", 9000, {"listen": "off"}),
        (
            "vrchat:127.0.0.1:9000,binary=6,prefix=/avatar/parameters/v2/",
            "vrchat", "127.0.0.1", 9000, {"binary": "6", "prefix": "/avatar/parameters/v2/"},
        ),
    ],
)  # fmt: skip
def test_parse(text, kind, host, port, options):
    spec = parse_spec(text)
    assert (spec.kind, spec.host, spec.port, spec.options) == (kind, host, port, options)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("obs", "unknown target 'obs'"),
        ("vmc:host:0", "port '0'"),
        ("vmc:host:70000", "port '70000'"),
        ("vmc:host:abc", "port 'abc'"),
        ("vmc::9000", "empty host"),
        ("vmc:::1:9000", "brackets"),
        ("vmc,binary=3", "unknown option 'binary=3'"),
        ("vrchat,binary=2.5", "whole number"),
        ("vrchat,binary=20", "binary=20"),
        ("vrchat,rate=fast", "rate=fast"),
        ("vrchat,prefix=avatar", "prefix"),
        ("vmc:999.1.1.1", "not a valid IPv4 address"),
        ("vmc:bad..name", "cannot resolve host"),
        ("vmc:255.255.255.255", "cannot send to 255.255.255.255"),
    ],
)
def test_bad_specs_are_one_line_user_errors(text, fragment):
    with pytest.raises(UserError) as err:
        for sender in open_senders([text]):
            sender.close()
    message = str(err.value)
    assert fragment in message and "\n" not in message and err.value.exit_code == 2


def test_a_bad_spec_opens_nothing():
    with pytest.raises(UserError):
        open_senders(["vmc:127.0.0.1:39539", "nonsense"])
