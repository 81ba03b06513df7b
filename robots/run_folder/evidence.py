"""Evidence files in the run folder: a screenshot of each record's confirmation panel, and a
Playwright trace of each record that failed. Names carry the record's position and a keyed
hash of its key (HMAC with the folder's own secret): never a member's ID or name, and not a
plain hash either, which a list of all 10^12 member IDs would undo."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import io
from pathlib import Path

from PIL import Image
from playwright.async_api import Locator, Page

SCREENSHOTS = "screenshots"
TRACES = "traces"
THUMBNAIL_WIDTH = 160


def thumbnail_path(screenshot: str) -> str:
    """Where a screenshot's thumbnail lives (made once, at capture, for the HTML report)."""
    return screenshot.rsplit(".", 1)[0] + ".thumb.jpg"


async def _screenshot(panel: Locator, path: Path) -> bytes:
    """The panel's pixels. A panel in view is cut from the page (a third cheaper than an
    element screenshot, which scrolls and waits for stability first); a taller one is not."""
    box = await panel.bounding_box()
    viewport = panel.page.viewport_size
    if box and viewport and box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"] and box["width"] > 0:
        return await panel.page.screenshot(path=path, clip=box, scale="css")
    return await panel.screenshot(path=path, scale="css")


class Evidence:
    def __init__(self, out_dir: Path, key: bytes) -> None:
        self.out_dir = out_dir
        self.key = key
        (out_dir / SCREENSHOTS).mkdir(mode=0o700, exist_ok=True)
        (out_dir / TRACES).mkdir(mode=0o700, exist_ok=True)

    def stem(self, seq: int, key: str) -> str:
        return f"{seq:06d}-{hmac.new(self.key, key.encode(), hashlib.sha256).hexdigest()[:10]}"

    async def capture(self, panel: Locator, seq: int, key: str, *, name: str | None = None) -> str:
        """Screenshots the panel (not the whole page); returns the path relative to the run.
        `name` keeps a further screenshot of the record apart from its confirmation's."""
        relative = self._relative(seq, key, name)
        return await self._with_thumbnail(await _screenshot(panel, self.out_dir / relative), relative)

    async def capture_view(self, page: Page, seq: int, key: str) -> str:
        """Screenshots what the page shows (the visible part): a refusal's evidence, its
        message "in the upper portion of the panel" with the panel around it."""
        relative = self._relative(seq, key)
        return await self._with_thumbnail(await page.screenshot(path=self.out_dir / relative, scale="css"), relative)

    def _relative(self, seq: int, key: str, name: str | None = None) -> str:
        return f"{SCREENSHOTS}/{self.stem(seq, key)}{'-' + name if name else ''}.png"

    async def _with_thumbnail(self, png: bytes, relative: str) -> str:
        # Off the event loop: the other workers' browsers go on meanwhile.
        await asyncio.to_thread(self._write_thumbnail, png, self.out_dir / thumbnail_path(relative))
        return relative

    @staticmethod
    def _write_thumbnail(png: bytes, path: Path) -> None:
        try:
            with Image.open(io.BytesIO(png)) as image:
                image = image.convert("RGB")
                image.thumbnail((THUMBNAIL_WIDTH, THUMBNAIL_WIDTH * 4))
                image.save(path, "JPEG", quality=70)
        except (OSError, ValueError):
            return  # the report shows a link without a thumbnail; the screenshot itself is saved

    def trace_path(self, seq: int, key: str) -> tuple[Path, str]:
        relative = f"{TRACES}/{self.stem(seq, key)}.zip"
        return self.out_dir / relative, relative

    def discard_trace(self, seq: int, key: str) -> None:
        self.trace_path(seq, key)[0].unlink(missing_ok=True)
