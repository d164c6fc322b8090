"""The script runner (tests/script_runner.py) answers as `python script.py` would: output, exit
status, traceback, -W options; with GradLab out of reach and nothing left over from the script
before."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.script_runner import ScriptRunner, run_module, run_script


def _script(tmp_path: Path, text: str, name: str = "script.py") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_output_argv_cwd_and_name(tmp_path: Path) -> None:
    (tmp_path / "here").mkdir()
    script = _script(
        tmp_path,
        "import os, sys\nprint(__name__, sys.argv[1:], os.path.basename(os.getcwd()))\n"
        "print('误差', file=sys.stderr)\nos.write(1, b'from C\\n')\n",
    )
    done = run_script(script, "a", "--b", cwd=tmp_path / "here")
    assert (done.returncode, done.stderr) == (0, "误差\n")
    assert done.stdout.splitlines() == ["from C", "__main__ ['a', '--b'] here"]  # C's is unbuffered


def test_exit_status_and_traceback_are_pythons(tmp_path: Path) -> None:
    done = run_script(_script(tmp_path, "import sys\nprint('x')\nsys.exit(3)\n"))
    assert (done.returncode, done.stdout) == (3, "x\n")
    done = run_script(_script(tmp_path, "import sys\nsys.exit('no data')\n"))
    assert (done.returncode, done.stderr) == (1, "no data\n")
    done = run_script(_script(tmp_path, "def f():\n    raise ValueError('bad')\n\nf()\n"))
    assert done.returncode == 1
    assert done.stderr.startswith(f'Traceback (most recent call last):\n  File "{tmp_path}')
    assert done.stderr.endswith("ValueError: bad\n") and "runpy" not in done.stderr
    with pytest.raises(subprocess.CalledProcessError):
        run_script(_script(tmp_path, "raise SystemExit(2)\n"), check=True)


def test_gradlab_cannot_be_imported(tmp_path: Path) -> None:
    done = run_script(_script(tmp_path, "import numpy, torch\nimport gradlab.core\n"))
    assert done.returncode == 1
    assert done.stderr.endswith("ModuleNotFoundError: No module named 'gradlab'\n"), done.stderr
    found = "import os, sys\nprint([p for p in sys.path if os.path.isdir(p + '/gradlab')])\n"
    assert run_script(_script(tmp_path, found)).stdout == "[]\n"


def test_a_module_runs_as_python_m_from_its_cwd_with_its_environment(tmp_path: Path) -> None:
    _script(
        tmp_path,
        "import os, sys\nprint(__name__, sys.argv[0] == __file__, sys.argv[1:], os.environ['X'])\n"
        "import gradlab\n",  # allowed here, but not on the path: the editable install's is gone
        "probe.py",
    )
    done = run_module("probe", "--a", cwd=tmp_path, env={"X": "y"})
    assert done.stdout == "__main__ True ['--a'] y\n"
    assert done.returncode == 1 and "No module named 'gradlab'" in done.stderr
    assert done.args == [sys.executable, "-m", "probe", "--a"]
    done = run_module("gradlab", "fit", "--lr", "-1", cwd=Path(__file__).parents[1])
    assert done.returncode == 2 and "learning rate must be > 0" in done.stderr, done.stderr
    done = run_script(_script(tmp_path, "import gradlab\n"))  # and out of reach again
    assert done.returncode == 1 and "No module named 'gradlab'" in done.stderr


def test_warning_options_apply_to_the_script(tmp_path: Path) -> None:
    script = _script(tmp_path, "import warnings\nwarnings.warn('careful')\nprint('went on')\n")
    done = run_script(script, warnings=("error",))
    assert done.returncode == 1 and done.stderr.endswith("UserWarning: careful\n")
    done = run_script(script)
    assert done.returncode == 0 and "UserWarning: careful" in done.stderr  # shown again


def test_a_script_starts_from_a_fresh_process_state(tmp_path: Path) -> None:
    changes = _script(
        tmp_path,
        "import os, sys, numpy as np, torch\nimport helper\n"
        "torch.set_default_dtype(torch.float64); torch.set_num_threads(3)\n"
        "torch.set_grad_enabled(False); torch.use_deterministic_algorithms(True)\n"
        "np.seterr(all='raise'); os.environ['GRADLAB_X'] = '1'; sys.path.append('/x')\n",
        "changes.py",
    )
    _script(tmp_path, "", "helper.py")
    before = "import os, sys, numpy as np, torch\nprint([torch.get_default_dtype(), "
    before += "torch.get_num_threads(), torch.is_grad_enabled(), "
    before += "torch.are_deterministic_algorithms_enabled(), np.geterr()['divide'], "
    before += "'GRADLAB_X' in os.environ, '/x' in sys.path, 'helper' in sys.modules])\n"
    reader = _script(tmp_path, before, "reader.py")
    first = run_script(reader)
    assert run_script(changes).returncode == 0
    assert run_script(reader).stdout == first.stdout, first.stdout
    # torch's generator is seeded afresh, as in a new process: no two scripts draw alike
    draw = _script(tmp_path, "import torch\nprint(torch.rand(3).tolist())\n", "draw.py")
    assert run_script(draw).stdout != run_script(draw).stdout


def test_a_crashed_or_late_script_is_reported_and_the_next_one_runs(tmp_path: Path) -> None:
    runner = ScriptRunner(preload=())  # no torch: its restarts are cheap
    try:
        crash = _script(tmp_path, "import os, sys\nprint('half', flush=True)\nos._exit(7)\n")
        done = runner.run(crash)
        assert (done.returncode, done.stdout) == (7, "half\n")
        late = _script(tmp_path, "import time\ntime.sleep(30)\n")
        with pytest.raises(subprocess.TimeoutExpired):
            runner.run(late, timeout=0.5)
        done = runner.run(_script(tmp_path, "print('fine')\n"), "x")
        assert (done.returncode, done.stdout) == (0, "fine\n")
        assert done.args == [sys.executable, str(tmp_path / "script.py"), "x"]
    finally:
        runner.close()
