"""A network has no listing written the chapter's way yet: exporting its script says so in one
line (both languages), never writes a polynomial script that would not be the run."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from gradlab.core.config import Config, ConfigError
from gradlab.core.export_script import export_script

NETWORK = Config().with_changes(**{"model.kind": "mlp", "model.hidden": 4})


def test_exporting_a_networks_script_is_refused_with_a_message_id() -> None:
    with pytest.raises(ConfigError) as caught:
        export_script(NETWORK)
    assert caught.value.message_id == "script_network"
    assert caught.value.field == "model.kind"


@pytest.mark.parametrize(
    ("lang", "expected"), [("C", "written for the polynomial only"), ("zh_CN.UTF-8", "神经网络")]
)
def test_the_command_line_refuses_in_one_line(tmp_path, lang: str, expected: str) -> None:
    script = tmp_path / "x.py"
    env = {**os.environ, "LANG": lang, "LC_ALL": "", "LANGUAGE": ""}
    env.pop("GRADLAB_LANGUAGE", None)
    done = subprocess.run(
        [sys.executable, "-m", "gradlab", "fit", "--model", "mlp", "--hidden", "4",
         "--steps", "5", "--export-script", str(script)],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0], done.stderr
    assert not script.exists()
