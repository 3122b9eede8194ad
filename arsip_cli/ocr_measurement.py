"""Scanned pages made from known text, and the character error rate: the inputs of the OCR tests and of
scripts/bench_ocr.py (the answers are the drawn text itself).

A page is drawn in Pillow's bundled font (no system fonts needed) on an A4 page at ``dpi``, optionally
with salt-and-pepper noise, a slight blur and a small rotation as a flatbed scan of a photocopy has;
pages are saved as an image-only PDF (no text layer) or a (multi-page) TIFF. Deterministic: a seeded
random generator.
"""

from __future__ import annotations

import random
import textwrap
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

A4_INCHES = (8.27, 11.69)
FONT_POINTS = 11


def scanned_page(
    paragraphs: list[str], dpi: int = 300, noise: float = 0.0, angle: float = 0.0, seed: int = 0
) -> Image.Image:
    """One page holding ``paragraphs`` (wrapped at 80 characters, a blank line between paragraphs)."""
    width, height = int(A4_INCHES[0] * dpi), int(A4_INCHES[1] * dpi)
    page = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(page)
    size = FONT_POINTS / 72 * dpi
    font = ImageFont.load_default(size=round(size))
    y = margin = dpi
    for paragraph in paragraphs:
        for line in textwrap.wrap(paragraph, 80, break_on_hyphens=False):
            draw.text((margin, y), line, font=font, fill=0)
            y += round(size * 1.5)
        y += round(size)
    if noise:
        rng = random.Random(seed)
        pixels = page.load()
        for _ in range(int(width * height * noise)):
            x, y_ = rng.randrange(width), rng.randrange(height)
            pixels[x, y_] = 0 if rng.random() < 0.5 else 255
        page = page.filter(ImageFilter.GaussianBlur(0.6))
    if angle:
        page = page.rotate(angle, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=255)
    return page


def save_pdf(pages: list[Image.Image], path: Path, dpi: int = 300) -> Path:
    """An image-only PDF, one page per image (what a scanner without OCR writes)."""
    pages[0].save(  # no title, no dates: the same pages give the same bytes
        path,
        save_all=True,
        append_images=pages[1:],
        resolution=dpi,
        title=None,
        creationDate=None,
        modDate=None,
    )
    return path


def save_tiff(pages: list[Image.Image], path: Path, dpi: int = 300) -> Path:
    pages[0].save(path, save_all=True, append_images=pages[1:], dpi=(dpi, dpi), compression="tiff_deflate")
    return path


def press_release_pages(text: str) -> tuple[list[str], list[str]]:
    """The sample press release's paragraphs split over two pages: page 1 up to the paragraph before
    the one on health protocols (``protokol kesehatan``), which opens page 2."""
    paragraphs = [line.strip() for line in text.split("\n") if line.strip()]
    paragraphs = [
        p for p in paragraphs if not p.endswith("|") and p not in ("(Pur/Humas)", "Posting Komentar")
    ]
    second = next(i for i, p in enumerate(paragraphs) if "protokol kesehatan" in p)
    return paragraphs[:second], paragraphs[second:]


def char_error_rate(reference: str, hypothesis: str) -> float:
    """Levenshtein distance / reference length, on whitespace-normalised text (character error rate)."""
    ref, hyp = " ".join(reference.split()), " ".join(hypothesis.split())
    previous = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, start=1):
        current = [i]
        for j, h in enumerate(hyp, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (r != h)))
        previous = current
    return previous[-1] / max(1, len(ref))
