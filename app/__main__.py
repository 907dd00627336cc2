"""Entry point: `python -m app` and the `taizhang` console script."""

from __future__ import annotations

import gc
import sys


def main() -> int:
    from app.cli import main as cli_main

    code = cli_main()
    # The process ends next: set everything aside so that the collector's last full pass at exit does not walk
    # it (~0.1 s with the models loaded, more after an import). Reference counting still frees it all.
    gc.freeze()
    return code


if __name__ == "__main__":
    sys.exit(main())
