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
