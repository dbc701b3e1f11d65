"""Third-party notices for the bundle: which open-source packages it contains, under which licences, with their
licence files. Called by packaging/wardbrief.spec; the result goes into the bundle as `_internal/licenses/`.

The list is WardBrief's runtime dependencies, followed recursively from the installed metadata, so a new dependency
is covered without editing this file. Qt (through PySide6) is used under the LGPL v3: its wheels carry no licence
text, so the LGPL/GPL texts are copied from the build machine when it has them (Debian: /usr/share/common-licenses)
and the notice names where to get them otherwise. A one-folder build keeps the Qt libraries as separate files in
`_internal/`, so a user can replace them, as the LGPL asks.
"""

from __future__ import annotations

import importlib.metadata as md
import re
import shutil
from pathlib import Path

LICENCE_WORDS = ("LICEN", "COPYING", "NOTICE", "AUTHORS")
COMMON_LICENSES = Path("/usr/share/common-licenses")
QT_NOTE = (
    "Qt and PySide6 (The Qt Company) are used under the GNU Lesser General Public License v3 (LGPL-3.0-only).\n"
    "The Qt libraries are the separate files _internal/PySide6/Qt/lib/* (Linux) or _internal/PySide6/*.dll\n"
    "(Windows) and may be replaced with compatible builds. Source: https://download.qt.io/official_releases/qt/\n"
    "and https://code.qt.io/cgit/pyside/pyside-setup.git. Licence texts: https://www.gnu.org/licenses/lgpl-3.0.txt\n"
    "and https://www.gnu.org/licenses/gpl-3.0.txt (copies in this folder when the build machine had them).\n"
)


def _name(requirement: str) -> str | None:
    """The distribution a Requires-Dist line names, or None for optional extras."""
    if ";" in requirement and "extra" in requirement.split(";", 1)[1]:
        return None
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement)
    return match.group(1) if match else None


def runtime_distributions(root: str = "wardbrief") -> list[md.Distribution]:
    """`root` and everything it needs at run time (no extras), each once, sorted by name."""
    seen: dict[str, md.Distribution] = {}
    todo = [root]
    while todo:
        name = todo.pop()
        key = re.sub(r"[-_.]+", "-", name).lower()
        if key in seen:
            continue
        try:
            dist = md.distribution(name)
        except md.PackageNotFoundError:
            continue
        seen[key] = dist
        todo.extend(n for n in map(_name, dist.requires or []) if n)
    for tool in ("wardbrief", "pip", "setuptools", "wheel"):  # the app itself; installers the spec leaves out
        seen.pop(tool, None)
    return sorted(seen.values(), key=lambda d: d.metadata["Name"].lower())


def licence_of(dist: md.Distribution) -> str:
    meta = dist.metadata
    text = meta.get("License-Expression") or ""
    if not text:
        licence = (meta.get("License") or "").strip()
        text = licence.splitlines()[0] if licence and len(licence) < 200 else ""
    if not text:
        classifiers = [c.split("::")[-1].strip() for c in meta.get_all("Classifier") or [] if c.startswith("License")]
        text = ", ".join(classifiers)
    return text or "see the licence files"


def write_notices(out_dir: Path) -> Path:
    """Write out_dir/THIRD-PARTY-NOTICES.txt and copy each package's licence files to out_dir/<package>/."""
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)
    lines = [
        "WardBrief bundles these open-source packages. Each package's own licence files are in the folder named",
        "after it. The demo data is public sector information licensed under the Open Government Licence v3.0.",
        "",
        QT_NOTE,
    ]
    for dist in runtime_distributions():
        name, version = dist.metadata["Name"], dist.version
        folder = out_dir / re.sub(r"[^A-Za-z0-9._-]+", "_", name)
        copied = 0
        for file in dist.files or []:
            if any(word in file.name.upper() for word in LICENCE_WORDS):
                source = Path(str(file.locate()))
                if source.is_file():
                    target = folder / Path(*file.parts[1:] if ".dist-info" in file.parts[0] else file.parts)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(source, target)
                    copied += 1
        home = dist.metadata.get("Home-page") or next(
            (u.split(",", 1)[1].strip() for u in dist.metadata.get_all("Project-URL") or [] if "," in u), ""
        )
        lines.append(f"{name} {version}: {licence_of(dist)}{'  ' + home if home else ''}")
        if not copied:
            lines.append("    (no licence file in the package; see its home page)")
    for text in ("LGPL-3", "GPL-3"):
        if (COMMON_LICENSES / text).is_file():
            shutil.copyfile(COMMON_LICENSES / text, out_dir / f"{text}.txt")
    notices = out_dir / "THIRD-PARTY-NOTICES.txt"
    notices.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return notices
