"""Front-end assets: GOV.UK Frontend from the npm registry (pinned by package-lock.json),
compiled once with our static path. Nothing is fetched at run time; this runs at set-up.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from django.conf import settings

COMPILED_CSS = Path(settings.BASE_DIR) / "cumulus" / "web" / "static" / "cumulus" / "cumulus.css"
GOVUK_DIST = Path(settings.BASE_DIR) / "node_modules" / "govuk-frontend" / "dist" / "govuk"


class FrontendBuildError(RuntimeError):
    pass


def frontend_assets_ready() -> bool:
    return COMPILED_CSS.exists() and (GOVUK_DIST / "govuk-frontend.min.js").exists()


def ensure_frontend_assets(*, force: bool = False) -> bool:
    """Install the npm packages from the lockfile and compile the CSS if either is missing.

    Returns True if it had to build. Raises ``FrontendBuildError`` with npm's output on failure.
    """
    if frontend_assets_ready() and not force:
        return False
    npm = shutil.which("npm")
    if npm is None:
        raise FrontendBuildError("npm was not found: install Node.js (with npm) and try again")
    for args in ([npm, "ci", "--no-audit", "--no-fund"], [npm, "run", "build"]):
        result = subprocess.run(  # noqa: S603 - fixed arguments, no user input
            args, cwd=settings.BASE_DIR, capture_output=True, text=True, check=False
        )
        if result.returncode != 0:
            raise FrontendBuildError(
                f"'{' '.join(args[1:])}' failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}"
            )
    return True
