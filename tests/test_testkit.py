"""The harness itself: a page that reaches beyond 127.0.0.1 fails the test it ran in (in the
test's own call, not in its teardown), and a page that stays local passes."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

INNER = """
def test_foreign_image(page):
    page.set_content("<img src='http://192.0.2.7/pixel.png'>")
    page.wait_for_timeout(300)

def test_local_only(page):
    page.set_content("<p>nothing to fetch</p>")
"""


def test_a_request_beyond_this_machine_fails_the_test_itself(pytester):
    pytester.makeconftest('pytest_plugins = ["backcare_testkit.pytest_plugin"]')
    pytester.makepyfile(test_inner=INNER)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-q")
    result.assert_outcomes(passed=1, failed=1, errors=0)
    result.stdout.fnmatch_lines(["*requests left 127.0.0.1*192.0.2.7*"])
    assert "at teardown" not in result.stdout.str()


@pytest.mark.parametrize(
    ("url", "local"),
    [
        ("http://127.0.0.1:8866/voila/render/app/dashboard.ipynb", True),
        ("ws://localhost:8866/api/kernels/1/channels", True),
        ("http://[::1]:8000/hub/", True),
        ("data:image/png;base64,AAAA", True),
        ("blob:http://127.0.0.1:8866/1234", True),
        # JupyterLab puts a markdown image's attachment: address on the page before it resolves it.
        ("attachment:lab-run-all-cells.png", True),
        ("https://fonts.googleapis.com/css?family=Roboto", False),
        ("http://192.0.2.7/pixel.png", False),
        ("wss://cdn.example.org/socket", False),
        ("http://127.0.0.1.example.org/", False),
    ],
)
def test_only_network_requests_to_another_host_count_as_leaving(url, local):
    from backcare_testkit.browser import is_local

    assert is_local(url) is local
