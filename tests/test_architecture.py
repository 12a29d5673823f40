"""The project's standing promises about its own shape."""

import ast
import re

import pytest

from tests.conftest import ROOT

PACKAGE = ROOT / "cpwb_stats"
MODULES = sorted(p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts)


def imported_modules(path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def loaded_by_name(path) -> set[str]:
    """Modules a file loads by a string: ``importlib.import_module("x")``, ``__import__("x")``."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant) \
                and ast.unparse(node.func) in ("importlib.import_module", "import_module",
                                               "__import__"):
            names.add(str(node.args[0].value).split(".")[0])
    return names


UPWARDS = {"streamlit", "plotly", "cpwb_ui", "cpwb_figures"}


# ``__main__.py`` is the program ``python -m cpwb_stats``, not the library: no module imports
# it, and it is the one place that plugs the drawing stage into the report command.
@pytest.mark.parametrize("path", [p for p in MODULES if p.name != "__main__.py"],
                         ids=lambda p: str(p.relative_to(PACKAGE)))
def test_statistics_package_imports_no_streamlit_or_plotly(path):
    """Not at the top, not inside a function, not by name: the statistics package never
    depends on the UI or on drawing (the caller passes the pictures in)."""
    assert not (imported_modules(path) | loaded_by_name(path)) & UPWARDS


def test_the_import_check_sees_imports_inside_functions_and_by_name(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("import importlib\n\ndef f():\n    from cpwb_ui import charts\n"
                      "    return importlib.import_module('plotly.io')\n")
    assert {"cpwb_ui", "plotly"} <= imported_modules(sample) | loaded_by_name(sample)


def test_drawing_imports_no_streamlit():
    """The report command draws without a browser session of Streamlit."""
    for path in (ROOT / "cpwb_figures").glob("*.py"):
        assert not (imported_modules(path) | loaded_by_name(path)) & {"streamlit", "cpwb_ui"}, \
            path.name


# The stages in the order data flows through them (docs/architecture.md): a module may import
# its own stage and the ones before it, never one after it.
STAGES = ["i18n", "problems", "terms", "ingest", "contract", "measures", "disclosure",
          "workspace", "pipeline", "targets", "demo", "output", "cli"]


def stage_of(path) -> str:
    return path.relative_to(PACKAGE).parts[0].removesuffix(".py")


def stages_imported(path, where=None) -> set[str]:
    """The stages ``path`` imports, however it imports them (top of file, inside a function,
    ``from cpwb_stats import x``, relative, or by name). ``where`` is the module's place in the
    package when ``path`` is a copy elsewhere."""
    where = where or path
    names = set(loaded_by_name_full(path))
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # resolved from the module's own package
                package = ["cpwb_stats", *where.relative_to(PACKAGE).parts[:-1]]
                base = ".".join(filter(None, [*package[:len(package) - node.level + 1], base]))
            names |= ({base} if base != "cpwb_stats"
                      else {f"cpwb_stats.{alias.name}" for alias in node.names})
    return {name.split(".")[1] for name in names
            if name.startswith("cpwb_stats.") and name.split(".")[1] in STAGES}


def loaded_by_name_full(path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant) \
                and ast.unparse(node.func) in ("importlib.import_module", "import_module",
                                               "__import__"):
            names.add(str(node.args[0].value))
    return names


def test_every_module_belongs_to_a_stage():
    assert {stage_of(p) for p in MODULES} - {"__init__", "__main__"} == set(STAGES)


@pytest.mark.parametrize("path", [p for p in MODULES if stage_of(p) in STAGES],
                         ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_import_runs_back_up_the_pipeline(path):
    here = STAGES.index(stage_of(path))
    later = {name for name in stages_imported(path) if STAGES.index(name) > here}
    assert not later, f"{path.relative_to(PACKAGE)} ({STAGES[here]}) imports later stages {later}"


def test_the_direction_check_sees_an_import_back_up(tmp_path):
    module = PACKAGE / "measures" / "representation.py"
    assert "workspace" not in stages_imported(module)
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from cpwb_stats.workspace import stored\n"
                      "    from cpwb_stats import pipeline\n")
    assert stages_imported(sample) == {"workspace", "pipeline"}
    sample.write_text("def f():\n    from ..workspace import stored\n"
                      "    from .. import pipeline\n    from . import intervals\n")
    assert stages_imported(sample, where=module) == {"workspace", "pipeline", "measures"}


@pytest.mark.parametrize("path", sorted((ROOT / "pages").glob("*.py")), ids=lambda p: p.name)
def test_pages_are_thin(path):
    source = path.read_text()
    assert ".groupby(" not in source and "pd.read_" not in source
    assert len(source.splitlines()) < 120


def test_no_inplace_mutation_in_the_package():
    for path in MODULES:
        assert "inplace=True" not in path.read_text(), path.name


PUBLIC_MEASURES = ["representation_by_rank", "combine_zones", "wilson_interval",
                   "protect_representation", "compare_with_reference", "funnel_impact",
                   "stage_contributions", "pooled_impact", "mantel_haenszel", "protect_funnel",
                   "protect_comparison", "leaver_rates", "leave_reasons", "promotion_rates",
                   "kaplan_meier", "retention_at", "logrank_test", "cumulative_incidence",
                   "protect_retention", "protect_curve", "protect_breakdown",
                   "target_progress", "project", "steady_share", "years_to_target",
                   "hire_share_needed", "simulate", "project_ladder", "simulate_ladder",
                   "ladder_hire_share_needed", "zone_rates", "ladder_rates", "project_target"]


@pytest.mark.parametrize("name", PUBLIC_MEASURES)
def test_every_public_measure_is_documented(name):
    docs = "\n".join(p.read_text() for p in (ROOT / "docs").glob("*.md"))
    assert f"`{name}`" in docs, f"docs/ does not describe {name}"


def test_documented_problem_codes_exist():
    """docs/formats.md lists the checks; each code it names must be one the validator uses."""
    from cpwb_stats.i18n import catalogue

    documented = set(re.findall(r"`problem\.([a-z_]+)`", (ROOT / "docs" / "formats.md").read_text()))
    assert documented
    assert documented <= {k.split(".", 1)[1] for k in catalogue("en") if k.startswith("problem.")}


def test_readme_commands_are_the_ones_ci_runs():
    readme = (ROOT / "README.md").read_text()
    assert "scripts/test.sh" in readme and "scripts/run.sh" in readme
    assert "scripts/test.sh" in (ROOT / ".ci" / "run").read_text()


def test_the_page_icon_is_a_file_served_by_the_app_itself():
    """A ':material/...:' or emoji tab icon is fetched from a font server or CDN, which police
    networks block; an image file is served by Streamlit from the app's own address."""
    from PIL import Image

    tree = ast.parse((ROOT / "app.py").read_text())
    [call] = [n for n in ast.walk(tree) if isinstance(n, ast.Call)
              and getattr(n.func, "attr", "") == "set_page_config"]
    icon = next(k.value for k in call.keywords if k.arg == "page_icon")
    assert not (isinstance(icon, ast.Constant) and isinstance(icon.value, str)), ast.unparse(icon)
    assert "icon.png" in ast.unparse(tree)
    with Image.open(ROOT / "cpwb_ui" / "icon.png") as image:
        assert image.format == "PNG" and image.size == (64, 64)


LABELS = ("rank_label", "group_label", "dimension_label", "scope_label")


def test_labels_are_defined_once():
    """The words for ranks and groups live in ``cpwb_stats.terms.labels``; pages and report import them."""
    defined = {}
    for path in [*MODULES, *(ROOT / "cpwb_ui").glob("*.py")]:
        for node in ast.parse(path.read_text()).body:  # module functions, not Ladder's methods
            if isinstance(node, ast.FunctionDef) and node.name in LABELS:
                defined.setdefault(node.name, []).append(path.name)
    assert defined == {name: ["labels.py"] for name in LABELS}


def test_no_module_of_the_package_imports_the_program_entry():
    for path in PACKAGE.rglob("*.py"):
        assert "cpwb_stats.__main__" not in imported_modules_full(path), path.name


def imported_modules_full(path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_every_place_the_architecture_page_names_exists():
    """A newcomer follows docs/architecture.md to a measure's definition, code and test in one
    step each: every path it names is there."""
    page = (ROOT / "docs" / "architecture.md").read_text()
    named = set(re.findall(r"`((?:cpwb_stats|cpwb_ui|cpwb_figures|tests|docs)/[\w/.*]+)`", page))
    assert len(named) > 20
    missing = [name for name in named if not list(ROOT.glob(name.rstrip("/")))]
    assert not missing
