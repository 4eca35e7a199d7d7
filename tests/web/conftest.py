from tests.web.browser import chromium, desktop_page, phone_page  # noqa: F401  (fixtures)
