"""Fixtures of the kit check: a synthetic kit and the labelled corpus served on loopback."""

import functools
import io
import random

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.scanner.corpus import synthetic as corpus


@functools.cache
def logo_png(seed: int) -> bytes:
    """A logo drawn for ``seed``, as PNG bytes."""
    markup = corpus.logo_svg(random.Random(seed), corpus.PALETTES[seed % 4])
    image = corpus.render_svg(markup, width=300)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def kit_upload(name: str, *, seed: int = 1) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, logo_png(seed), content_type="image/png")


@pytest.fixture(scope="session")
def labelled():
    """The corpus of seed 3: kit + one site per case, with its expected verdict."""
    return corpus.build(3)


@pytest.fixture(scope="session")
def served(labelled):
    with corpus.CorpusServer(labelled.sites, latency=0.0) as server:
        yield server


@pytest.fixture(scope="session")
def kit_dir(labelled, tmp_path_factory):
    return labelled.write_kit(tmp_path_factory.mktemp("kit"))


def png_bytes(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()
