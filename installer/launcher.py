"""Entry script for the frozen build: the same `main()` as `python -m app` and the `taizhang` script."""

import sys
import warnings

# Before anything imports matplotlib: its font cache lives in the user's local data folder and is built
# once, not in a temporary folder at every launch (the spec drops PyInstaller's run-time hook that did that).
from app.paths import use_persistent_matplotlib_cache

use_persistent_matplotlib_cache()
# The spec leaves out mpl_toolkits (3-D axes, which matplotlib imports at start-up and the app never draws).
warnings.filterwarnings("ignore", message="Unable to import Axes3D", category=UserWarning)

from app.__main__ import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
