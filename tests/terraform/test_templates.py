"""The shell templates run by the instances and the notebook, rendered as templatefile() would render them.

Checked with `bash -n` (syntax), Python's compiler (embedded scripts) and the user-data size limits.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

TERRAFORM = Path(__file__).resolve().parents[2] / "terraform"
TEMPLATES = sorted(TERRAFORM.rglob("*.tftpl"))
USER_DATA_LIMIT = 16 * 1024  # EC2 user data and SageMaker lifecycle scripts, before base64
EMBEDDED_PYTHON = re.compile(r"<<'PY'\n(.*?)\nPY\n", re.DOTALL)


def render(template: Path) -> str:
    """templatefile(): ${name} is substituted (here with a placeholder value), $${ is a literal ${."""
    text = template.read_text()
    assert "%{" not in text, "directives are not rendered here; keep the templates to ${...} interpolation"
    text = text.replace("$${", "\0")
    text = re.sub(r"\$\{([a-z_]+)\}", lambda m: f"x{m.group(1)}x", text)
    assert "${" not in text, f"{template.name}: unescaped interpolation of a non-variable"
    return text.replace("\0", "${")


def template_id(path: Path) -> str:
    return path.name if path.parent.name != "templates" else f"{path.parents[1].name}/{path.name}"


def test_templates_exist() -> None:
    assert len(TEMPLATES) >= 5


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash not installed")
@pytest.mark.parametrize(
    "template",
    TEMPLATES,
    ids=template_id,
)
def test_rendered_template_is_valid_bash(template: Path) -> None:
    result = subprocess.run(
        ["bash", "-n"], input=render(template), capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    "template",
    TEMPLATES,
    ids=template_id,
)
def test_embedded_python_compiles(template: Path) -> None:
    for script in EMBEDDED_PYTHON.findall(render(template)):
        compile(script, f"{template.name}:python", "exec")


def test_user_data_fits() -> None:
    install = render(TERRAFORM / "modules/bootstrap/install.sh.tftpl")
    for module in ("api", "nightly"):
        units = render(TERRAFORM / f"modules/{module}/templates/units.sh.tftpl")
        size = len((install + "\n" + units).encode())
        assert size < USER_DATA_LIMIT * 0.8, f"{module} user data is {size} bytes"
    for template in (TERRAFORM / "modules/notebook/templates").glob("*.tftpl"):
        assert len(render(template).encode()) < USER_DATA_LIMIT, template.name


def test_services_run_unprivileged_and_hardened() -> None:
    for module in ("api", "nightly"):
        units = (TERRAFORM / f"modules/{module}/templates/units.sh.tftpl").read_text()
        for setting in ("User=wtw", "NoNewPrivileges=true", "ProtectSystem=strict", "PrivateTmp=true"):
            assert setting in units, f"{module}: {setting}"


def test_settings_never_touch_disk() -> None:
    """Secrets are read into the process environment by wtw-exec, never written to an env file."""
    install = (TERRAFORM / "modules/bootstrap/install.sh.tftpl").read_text()
    assert "os.execvpe" in install
    assert "EnvironmentFile" not in "".join(p.read_text() for p in TEMPLATES)
