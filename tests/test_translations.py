"""Every user-facing string has its Vietnamese translation."""

import subprocess
from pathlib import Path

CATALOGUE = Path(__file__).resolve().parent.parent / "locale" / "vi" / "LC_MESSAGES" / "django.po"


def test_vietnamese_catalogue_is_complete_and_valid():
    result = subprocess.run(["msgfmt", "--check", "--statistics", "-o", "/dev/null",
                             str(CATALOGUE)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "translated message" in result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr

