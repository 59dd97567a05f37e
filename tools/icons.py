"""Render the app icon (restons/static/restons/icons/icon.svg) to the PNGs the web app manifest names.

Run once after changing the SVG: ``.venv/bin/python tools/icons.py`` (needs Chromium at /usr/bin/chromium).
"""

from pathlib import Path

from playwright.sync_api import sync_playwright

FOLDER = Path(__file__).resolve().parent.parent / "restons" / "static" / "restons" / "icons"

with sync_playwright() as playwright:
    browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
    svg = (FOLDER / "icon.svg").read_text()
    for size in (192, 512):
        page = browser.new_page(viewport={"width": size, "height": size})
        sized = svg.replace("<svg ", f'<svg width="{size}" height="{size}" ', 1)
        page.set_content(f'<body style="margin:0">{sized}</body>')
        page.screenshot(path=str(FOLDER / f"icon-{size}.png"), omit_background=False)
        page.close()
    browser.close()
