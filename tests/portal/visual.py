"""Pixel comparison of a panel's screenshot with its baseline, and what a change leaves behind:
the expected, actual and diff images and one side-by-side HTML page (`index.html`).

A pixel counts as changed when one of its channels differs by more than `threshold` (below
that is anti-aliasing noise); a panel has changed when more than `tolerance` of its pixels
did, or when its size did.
"""

from __future__ import annotations

import html
import io
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageChops, ImageOps

TOLERANCE = 0.001  # share of the panel's pixels
THRESHOLD = 32  # of 255, per channel


@dataclass(frozen=True)
class Comparison:
    name: str
    changed_pixels: int
    total_pixels: int
    expected_size: tuple[int, int]
    actual_size: tuple[int, int]
    diff: Image.Image

    @property
    def share(self) -> float:
        return self.changed_pixels / self.total_pixels if self.total_pixels else 0.0

    def changed(self, tolerance: float = TOLERANCE) -> bool:
        return self.expected_size != self.actual_size or self.share > tolerance

    def describe(self) -> str:
        size = "" if self.expected_size == self.actual_size else (
            f"; size {self.expected_size[0]}x{self.expected_size[1]} → {self.actual_size[0]}x{self.actual_size[1]}")
        return f"{self.name}: {self.changed_pixels} pixels changed ({self.share:.3%}){size}"


def compare(name: str, expected_png: bytes, actual_png: bytes, *, threshold: int = THRESHOLD) -> Comparison:
    expected = Image.open(io.BytesIO(expected_png)).convert("RGB")
    actual = Image.open(io.BytesIO(actual_png)).convert("RGB")
    width, height = max(expected.width, actual.width), max(expected.height, actual.height)
    expected_full, actual_full = _pad(expected, width, height), _pad(actual, width, height)
    difference = ImageChops.difference(expected_full, actual_full)
    # The largest channel difference of each pixel, then changed (255) or not (0).
    channels = difference.split()
    strongest = ImageChops.lighter(ImageChops.lighter(channels[0], channels[1]), channels[2])
    changed = strongest.point(lambda value: 255 if value > threshold else 0)
    count = changed.histogram()[255]
    return Comparison(name, count, width * height, expected.size, actual.size, _diff_image(expected_full, changed))


def _pad(image: Image.Image, width: int, height: int) -> Image.Image:
    if image.size == (width, height):
        return image
    canvas = Image.new("RGB", (width, height), (255, 255, 255))
    canvas.paste(image, (0, 0))
    return canvas


def _diff_image(expected: Image.Image, changed: Image.Image) -> Image.Image:
    """The baseline faded to grey, the changed pixels in red on it."""
    faded = ImageOps.grayscale(expected).point(lambda value: 155 + value * 100 // 255).convert("RGB")
    red = Image.new("RGB", expected.size, (230, 0, 0))
    return Image.composite(red, faded, changed)


def write_change(out_dir: Path, comparison: Comparison, expected_png: bytes, actual_png: bytes) -> Path:
    """Keeps the evidence of one changed panel and rebuilds the side-by-side page."""
    out_dir.mkdir(parents=True, exist_ok=True)
    name = comparison.name
    (out_dir / f"{name}-expected.png").write_bytes(expected_png)
    (out_dir / f"{name}-actual.png").write_bytes(actual_png)
    comparison.diff.save(out_dir / f"{name}-diff.png")
    (out_dir / f"{name}.txt").write_text(comparison.describe() + "\n", encoding="utf-8")
    return write_index(out_dir)


def write_index(out_dir: Path) -> Path:
    rows = []
    for summary in sorted(out_dir.glob("*.txt")):
        name = summary.stem
        images = "".join(
            f'<figure><img src="{html.escape(name)}-{kind}.png" alt="{kind}"><figcaption>{kind}</figcaption></figure>'
            for kind in ("expected", "actual", "diff")
        )
        rows.append(f"<section><h2>{html.escape(summary.read_text(encoding='utf-8').strip())}</h2>"
                    f"<div class=row>{images}</div></section>")
    page = (
        "<!DOCTYPE html><html lang=en><meta charset=utf-8><title>Visual changes</title>"
        "<style>body{font-family:sans-serif;margin:16px}.row{display:flex;gap:12px;align-items:flex-start}"
        "figure{margin:0}img{max-width:32vw;border:1px solid #ccc}h2{font-size:15px}</style>"
        f"<h1>Panels that changed ({len(rows)})</h1>"
        "<p>Accept the new look with <code>make baselines</code> "
        "(<code>pytest tests/portal -m visual --update-baselines</code>).</p>" + "".join(rows) + "</html>"
    )
    index = out_dir / "index.html"
    index.write_text(page, encoding="utf-8")
    return index
