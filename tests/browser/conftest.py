import pytest

from tests.services import CHROMIUM, need, which

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    need(which(CHROMIUM) is not None, f"Chromium is not installed at {CHROMIUM}")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_FLAGS}


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "en-US", "viewport": {"width": 1280, "height": 900}}


@pytest.fixture(autouse=True)
def _pages_closed_after_each_test(browser):
    """Pages opened with browser.new_page() outlive the test; one that polls the server (the
    queue display) would hit the live server from the next test. Close them all."""
    yield
    for context in browser.contexts:
        context.close()
