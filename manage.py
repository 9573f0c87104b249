#!/usr/bin/env python3
"""Django's command-line utility for dxday (the same as the ``dxday`` console script)."""

from dxday.cli import main

if __name__ == "__main__":
    main()
