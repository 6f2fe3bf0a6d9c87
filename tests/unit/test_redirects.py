"""Where `next` may send a user after signing in: only a path on this site."""

import pytest

from portal.redirects import safe_next_url

HOME = "/home"


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "///evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "/%09/evil.example",
        "/\t/evil.example",
        "/\n/evil.example",
        "/\r/evil.example",
        "/%0a/evil.example",
        "/%0d/evil.example",
        "/%2F/evil.example",
        "%2F%2Fevil.example",
        "/%5Cevil.example",
        "/%5C%5Cevil.example",
        "https://evil.example",
        "http:/evil.example",
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "data:text/html,x",
        " //evil.example",
        "/\u2028/evil.example",
        "/\u00a0/evil.example",
        "/\x00/evil.example",
        "evil.example",
        "",
        None,
        "/" + "a" * 5000,
    ],
)
def test_hostile_targets_fall_back_to_the_default(target):
    assert safe_next_url(target, HOME) == HOME


@pytest.mark.parametrize(
    "target",
    [
        "/",
        "/proposals",
        "/proposals/12/edit",
        "/calls?status=open&q=chip",
        "/budget/#charts",
        "/calls/1?next=%2Fx",
        "/đề-tài",
    ],
)
def test_paths_on_the_site_are_kept(target):
    assert safe_next_url(target, HOME) == target
