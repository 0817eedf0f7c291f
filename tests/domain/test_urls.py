"""The URL guard: http(s) only, no credentials, no private, loopback, link-local or unspecified targets."""
import pytest

from domain import urls
from domain.errors import ValidationFailed


@pytest.mark.parametrize("url", [
    "http://127.0.0.1/a.mp4", "http://localhost:8080/a.mp4", "http://10.1.2.3/a", "http://192.168.0.9/a",
    "http://172.16.5.5/a", "http://169.254.169.254/latest/meta-data", "http://[::1]/a", "http://0.0.0.0/a",
    "http://[::ffff:127.0.0.1]/a", "http://100.64.0.1/a",
])
async def test_private_and_local_targets_are_refused(url):
    with pytest.raises(ValidationFailed) as refused:
        await urls.check(url, allow_private=False, field=["input", "url"])
    assert refused.value.field == ["input", "url"]


@pytest.mark.parametrize("url", ["ftp://example.com/a", "file:///etc/passwd", "http:///a", "https://u:p@example.com/a",
                                 "gopher://x", "not a url"])
async def test_other_schemes_and_credentials_are_refused(url):
    with pytest.raises(ValidationFailed):
        await urls.check(url, allow_private=True, field=["url"])


async def test_public_addresses_and_the_private_switch():
    await urls.check("http://93.184.216.34/a.mp4", allow_private=False, field=["url"])
    await urls.check("http://127.0.0.1:9/a.mp4", allow_private=True, field=["url"])
    assert urls.is_public("8.8.8.8") and not urls.is_public("::1") and not urls.is_public("224.0.0.1")
