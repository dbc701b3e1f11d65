"""Static checks of the packaging (the real build + smoke test run in CI via `make smoke`, not here).

The spec must stay a one-folder build, exclude what the app does not use and never exclude what it imports, keep
the Qt plugins the app needs (including `offscreen`, which the smoke test and headless runs use), and the
installer must stay per-user by default.
"""

from __future__ import annotations

import ast
import importlib.util
import stat
import tomllib
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
SPEC_PATH = PACKAGING / "wardbrief.spec"
SPEC_TEXT = SPEC_PATH.read_text(encoding="utf-8")
SPEC_TREE = ast.parse(SPEC_TEXT)
SPEC_TABLES = (
    "EXCLUDES",
    "DROP_PREFIXES",
    "DROP_LIB_STEMS",
    "DROP_PLUGIN_DIRS",
    "KEEP_PLATFORMS",
    "DROP_IMAGEFORMATS",
    "DROP_PLATFORMTHEMES",
)


def spec_namespace() -> dict[str, Any]:
    """The spec's tables and its `_keep` filter, without running PyInstaller."""
    nodes = [
        node
        for node in SPEC_TREE.body
        if (isinstance(node, ast.Assign) and any(getattr(t, "id", "") in SPEC_TABLES for t in node.targets))
        or (isinstance(node, ast.FunctionDef) and node.name == "_keep")
    ]
    namespace: dict[str, Any] = {}
    exec(compile(ast.Module(body=nodes, type_ignores=[]), str(SPEC_PATH), "exec"), namespace)
    return namespace


def calls(name: str) -> list[ast.Call]:
    return [
        n for n in ast.walk(SPEC_TREE) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == name
    ]


def load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"wardbrief_packaging_{name}", PACKAGING / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def app_imports() -> set[str]:
    """Every module the app's code (and the frozen entry script) imports, at any depth."""
    names: set[str] = set()
    for path in [*(ROOT / "desktop").rglob("*.py"), PACKAGING / "entry.py"]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module)
                names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


# --- the spec ----------------------------------------------------------------------------------------------


def test_spec_is_a_one_folder_build() -> None:
    (exe,) = calls("EXE")
    keywords = {k.arg: k.value for k in exe.keywords}
    assert isinstance(keywords["exclude_binaries"], ast.Constant) and keywords["exclude_binaries"].value is True
    assert len(calls("COLLECT")) == 1
    # one-file builds pass a.binaries/a.datas to EXE; a one-folder EXE gets only the scripts and the PYZ
    assert not any(isinstance(arg, ast.Attribute) and arg.attr in ("binaries", "datas") for arg in exe.args)
    assert keywords["upx"].value is False  # type: ignore[attr-defined]


def test_spec_takes_name_and_version_from_pyproject_and_bundles_resources() -> None:
    assert 'tomllib.loads((ROOT / "pyproject.toml")' in SPEC_TEXT
    assert '["version"]' in SPEC_TEXT and 'APP = "WardBrief"' in SPEC_TEXT
    assert '(str(ROOT / "resources"), "resources")' in SPEC_TEXT  # desktop/resources.py looks in _MEIPASS/resources
    assert 'copy_metadata("wardbrief")' in SPEC_TEXT  # so desktop.__version__ is the real version when frozen
    assert "console=not WINDOWS" in SPEC_TEXT  # GUI executable (no console window) on Windows
    assert "version=str(VERSION_FILE) if WINDOWS" in SPEC_TEXT


def test_spec_keeps_only_the_matplotlib_backends_the_charts_use() -> None:
    (analysis,) = calls("Analysis")
    hooksconfig = ast.literal_eval(next(k.value for k in analysis.keywords if k.arg == "hooksconfig"))
    assert sorted(hooksconfig["matplotlib"]["backends"]) == ["Agg", "SVG"]  # charts are rendered as SVG


def test_spec_excludes_what_the_app_does_not_use() -> None:
    excludes = set(spec_namespace()["EXCLUDES"])
    for name in (
        "tkinter",
        "IPython",
        "pytest",
        "hypothesis",
        "PySide6.QtNetwork",
        "PySide6.QtQml",
        "PySide6.QtQuick",
        "PySide6.Qt3DCore",
        "PySide6.QtWebEngineCore",
        "PySide6.QtMultimedia",
        "pandas.tests",
        "numpy.tests",
    ):
        assert name in excludes, name


def test_spec_never_excludes_a_module_the_app_imports() -> None:
    excludes = spec_namespace()["EXCLUDES"]
    imported = app_imports()
    clashes = sorted({name for name in imported for ex in excludes if name == ex or name.startswith(ex + ".")})
    assert clashes == [], f"the spec excludes modules the app imports: {clashes}"


@pytest.mark.parametrize(
    ("dest", "kept"),
    [
        ("PySide6/Qt/plugins/platforms/libqxcb.so", True),
        ("PySide6/Qt/plugins/platforms/libqoffscreen.so", True),  # headless runs and the smoke test
        ("PySide6/Qt/plugins/platforms/libqminimal.so", True),
        ("PySide6/plugins/platforms/qwindows.dll", True),
        ("PySide6\\plugins\\platforms\\qoffscreen.dll", True),
        ("PySide6/Qt/plugins/platforms/libqvnc.so", False),
        ("PySide6/Qt/plugins/platforms/libqeglfs.so", False),
        ("PySide6/Qt/plugins/imageformats/libqsvg.so", True),
        ("PySide6/Qt/plugins/imageformats/libqjpeg.so", True),
        ("PySide6/Qt/plugins/imageformats/libqtiff.so", False),
        ("PySide6/Qt/plugins/iconengines/libqsvgicon.so", True),
        ("PySide6/Qt/plugins/printsupport/libcupsprintersupport.so", True),
        ("PySide6/plugins/styles/qmodernwindowsstyle.dll", True),
        ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", False),
        ("PySide6/Qt/plugins/tls/libqopensslbackend.so", False),
        ("PySide6/Qt/plugins/sqldrivers/libqsqlite.so", False),
        ("PySide6/Qt/translations/qtbase_de.qm", False),
        ("PySide6/Qt/lib/libQt6Quick.so.6", False),
        ("PySide6/opengl32sw.dll", False),
        ("PySide6/Qt/lib/libQt6Pdf.so.6", True),  # the in-app preview
        ("PySide6/Qt/lib/libQt6Network.so.6", True),  # QtPdf links it
        ("PySide6/Qt/lib/libicudata.so.73", True),
        ("matplotlib/mpl-data/sample_data/goog.npz", False),
        ("matplotlib/mpl-data/fonts/ttf/DejaVuSans.ttf", True),
        ("matplotlib/mpl-data/fonts/ttf/STIXGeneral.ttf", False),
        ("resources/docs/screenshots/data-100.png", True),
        ("matplotlib/mpl-data/matplotlibrc", True),
        ("resources/fonts/DejaVuSans.ttf", True),
        ("resources/demo/README.md", True),
    ],
)
def test_spec_file_filter(dest: str, kept: bool) -> None:
    assert spec_namespace()["_keep"](dest) is kept


def test_version_resource_template_fills_from_pyproject() -> None:
    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    template = (PACKAGING / "version_info.txt.in").read_text(encoding="utf-8")
    numbers = [int(p) for p in version.split(".")[:4]] + [0, 0, 0, 0]
    text = (
        template.replace("{version_tuple}", ", ".join(map(str, numbers[:4])))
        .replace("{version}", version)
        .replace("{name}", "WardBrief")
        .replace("{description}", "WardBrief")
    )
    tree = ast.parse(text, mode="eval")  # PyInstaller eval()s this file
    strings = {
        n.args[0].value: n.args[1].value
        for n in ast.walk(tree)
        if isinstance(n, ast.Call) and getattr(n.func, "id", "") == "StringStruct"
    }
    assert strings["FileVersion"] == strings["ProductVersion"] == version
    assert strings["OriginalFilename"] == "WardBrief.exe"
    assert "{" not in text.replace("{{", "")


# --- entry script, build and smoke helpers ---------------------------------------------------------------


def test_entry_script_supports_worker_processes_and_runs_the_cli() -> None:
    text = (PACKAGING / "entry.py").read_text(encoding="utf-8")
    assert text.index("multiprocessing.freeze_support()") < text.index("from desktop.cli import main")
    assert "sys.exit(main())" in text


def test_build_names_the_large_parts() -> None:
    build = load("build")
    assert build.classify("_internal/PySide6/Qt/lib/libicudata.so.73").startswith("ICU")
    assert build.classify("_internal/numpy.libs/libscipy_openblas64_-32a4b2a6.so").startswith("OpenBLAS")
    assert build.classify("_internal/libpython3.11.so.1.0").startswith("libpython")
    assert build.classify("_internal/PySide6/Qt/lib/libQt6Gui.so.6") == "Qt libraries"
    assert build.platform_tag().count("-") == 1


def test_smoke_helpers_isolate_the_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    smoke = load("smoke_test")
    monkeypatch.setenv("PYTHONPATH", "/somewhere")
    monkeypatch.setenv("WARDBRIEF_DATA_DIR", "/real/data")
    monkeypatch.setenv("DISPLAY", ":0")
    home = tmp_path / "home"
    home.mkdir()
    env = smoke.isolated_env(home)
    assert "PYTHONPATH" not in env and "WARDBRIEF_DATA_DIR" not in env and "DISPLAY" not in env
    assert env["HOME"] == str(home) and env["LOCALAPPDATA"].startswith(str(home))
    assert env["XDG_CACHE_HOME"].startswith(str(home)) and env["QT_QPA_PLATFORM"] == "offscreen"

    bundle = tmp_path / "WardBrief"
    (bundle / "_internal").mkdir(parents=True)
    (bundle / "_internal" / "lib.so").write_bytes(b"x")
    smoke.make_read_only(bundle)
    writable = stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH
    assert not any(p.stat().st_mode & writable for p in [bundle, *bundle.rglob("*")])
    smoke.make_writable(bundle)
    assert all(p.stat().st_mode & stat.S_IWUSR for p in [bundle, *bundle.rglob("*")])
    assert set(smoke.snapshot(bundle)) == {"_internal", "_internal/lib.so"}


def test_ci_runs_the_tests_then_the_bundle_smoke_test() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert ci.index("make test") < ci.index("make smoke")
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "packaging/build.py" in makefile and "packaging/smoke_test.py" in makefile


# --- the Windows installer (cannot be compiled here: Inno Setup is Windows-only) ---------------------------


def test_installer_is_per_user_by_default_with_an_all_users_mode() -> None:
    iss = (PACKAGING / "installer" / "wardbrief.iss").read_text(encoding="utf-8")
    settings = dict(
        line.split("=", 1) for line in iss.splitlines() if "=" in line and not line.startswith((";", " ", "#"))
    )
    assert settings["PrivilegesRequired"] == "lowest"  # no admin: %LOCALAPPDATA%\Programs
    assert "dialog" in settings["PrivilegesRequiredOverridesAllowed"]  # IT can pick "all users"
    assert settings["DefaultDirName"] == r"{autopf}\{#AppName}"  # {userpf} per user, Program Files for all users
    assert "{autoprograms}" in iss  # Start-menu entry
    assert r"{localappdata}\WardBrief" in iss and "MB_DEFBUTTON2" in iss  # data kept unless the user says Yes
    assert "GetVersionNumbersString" in iss  # version from the build's exe
    assert r'Source: "{#BundleDir}\*"' in iss


def test_smoke_test_refuses_a_missing_bundle(tmp_path: Path) -> None:
    smoke = load("smoke_test")
    with pytest.raises(smoke.SmokeFailure, match="build it first"):
        smoke.smoke(tmp_path / "nothing")


def test_third_party_notices_cover_the_runtime_dependencies(tmp_path: Path) -> None:
    notices = load("notices")
    names = {d.metadata["Name"].lower().replace("_", "-") for d in notices.runtime_distributions()}
    assert {"pyside6-essentials", "pandas", "matplotlib", "openpyxl", "sqlite-utils", "python-calamine"} <= names
    assert not names & {"pytest", "hypothesis", "mypy", "pyinstaller", "pip", "wardbrief"}  # dev tools, the app
    text = notices.write_notices(tmp_path / "licenses").read_text(encoding="utf-8")
    assert "LGPL-3.0-only" in text and "Open Government Licence v3.0" in text
    assert (tmp_path / "licenses" / "pandas").is_dir()


def test_smoke_test_checks_the_user_guide_is_bundled(tmp_path: Path) -> None:
    smoke = load("smoke_test")
    guide = ROOT / "docs" / "user-guide.md"
    if not guide.is_file():
        pytest.skip("no user guide in this checkout")
    assert "user-guide.md" in smoke.missing_guide_files(tmp_path)
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "user-guide.md").write_text("x", encoding="utf-8")
    missing = smoke.missing_guide_files(docs)
    assert "user-guide.md" not in missing
    for name in missing:  # every image the guide links
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_bytes(b"png")
    assert smoke.missing_guide_files(docs) == []
