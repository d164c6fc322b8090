"""Run exported scripts standalone, in a Python process that has imported torch once.

Why: the tests that check an exported script (tests/core/test_export_script.py,
test_network_script.py, test_chinese_listings.py, test_cnn_session.py) used to start
`python script.py` for each script, and each of those ~40 processes spent 1-2 s of CPU importing
torch before the script's first line: about 80 of the suite's CPU-seconds on a 2-core machine.
Here one runner process per pytest worker (started on first use, `python -I`) imports numpy and
torch once and runs the scripts one after another, each as `python script.py ARGS` would:

- `runpy.run_path(run_name="__main__")`: a fresh namespace, `__name__ == "__main__"`, `__file__`;
  `sys.argv` is `[script, *args]`, the script's folder is `sys.path[0]`, the cwd is the one asked;
- its stdout and stderr are files of the caller's (file descriptors 1 and 2 point at them, so
  output from C code is caught too), stdin is /dev/null;
- the exit status is Python's: 0, `sys.exit`'s code, or 1 with the traceback on stderr;
- GradLab cannot be imported: `-I` keeps PYTHONPATH out, the folder the editable install adds
  to `sys.path` is taken off, and a meta-path finder refuses `gradlab`; a script that leans on
  GradLab fails as it would on a student's computer;
- what a script may change is put back before the next one: the state of the preloaded torch
  (default dtype, thread count, grad mode, deterministic and anomaly flags, matmul precision,
  print options) and NumPy (error handling, print options), the random generators (seeded
  afresh from the OS, as a new process seeds them), the warning filters, the environment, the
  cwd, `sys.path` and the modules the script imported from its own folder. (The generated
  scripts only call `torch.set_num_threads`; atexit handlers and threads a script leaves behind
  are not undone: no generated script makes any.)
- `-W` options apply to the script; torch's own import ran before the script, under warnings
  that were recorded: a script run with `-W error` fails if that import warned.

`run_module` runs `python -m gradlab ARGS` the same way for test_cli_language.py (about 20
commands whose one error line and exit status follow the locale variables; one imports torch):
with the environment given, `sys.path[0]` the cwd, GradLab imported afresh from there, and every
`gradlab` module dropped from `sys.modules` afterwards, so that the next job imports it anew (or,
a script, cannot).

A script that kills its process (a crash, `os._exit`) still gives its exit status and output, and
the next script gets a new runner; a script over its timeout raises `subprocess.TimeoutExpired`.
The runner is this file run as a program: `python -I script_runner.py MODULE...` (stdlib only).
"""

from __future__ import annotations

import atexit
import json
import os
import select
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import IO

PRELOAD = ("numpy", "torch")


class ScriptRunner:
    """The client side: a runner process, spoken to in JSON lines over its stdin and stdout,
    started when first needed and again after a script ended it."""

    def __init__(self, preload: tuple[str, ...] = PRELOAD) -> None:
        self.command = [sys.executable, "-I", str(Path(__file__).resolve()), *preload]
        self.process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None  # the runner's own stderr, shown if it dies
        atexit.register(self.close)

    def close(self) -> None:
        """End the runner (it stops at the end of its input) and wait for it."""
        if self.process is None:
            return
        if self.process.poll() is None:
            assert self.process.stdin is not None
            self.process.stdin.close()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        for file in (self.process.stdin, self.process.stdout, self._log):
            if file is not None:
                file.close()
        self.process = None

    def _kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def run(
        self,
        script: str | os.PathLike[str],
        *args: str,
        cwd: str | os.PathLike[str] | None = None,
        timeout: float = 120,
        warnings: tuple[str, ...] = (),
        check: bool = False,
    ) -> subprocess.CompletedProcess[str]:
        """`subprocess.run([python, *-W warnings, script, *args], capture_output=True,
        text=True, cwd=cwd, timeout=timeout, check=check)`, in the runner process."""
        command = [sys.executable, *(f"-W{w}" for w in warnings), str(script), *args]
        job = {"script": str(Path(script).resolve()), "argv": [str(script), *args]}
        return self._run(job, command, cwd, None, timeout, list(warnings), check)

    def run_module(
        self,
        module: str,
        *args: str,
        cwd: str | os.PathLike[str] | None = None,
        env: dict[str, str] | None = None,
        timeout: float = 120,
        check: bool = False,
    ) -> subprocess.CompletedProcess[str]:
        """`subprocess.run([python, "-m", module, *args], capture_output=True, text=True,
        encoding="utf-8", cwd=cwd, env=env, timeout=timeout, check=check)` in the runner: the
        module (GradLab's, here) is imported afresh from `cwd` and forgotten afterwards."""
        command = [sys.executable, "-m", module, *args]
        job = {"module": module, "argv": ["-m", *args]}
        return self._run(job, command, cwd, env, timeout, [], check)

    def _run(
        self,
        job: dict,
        command: list[str],
        cwd: str | os.PathLike[str] | None,
        env: dict[str, str] | None,
        timeout: float,
        warnings: list[str],
        check: bool,
    ) -> subprocess.CompletedProcess[str]:
        if self.process is None or self.process.poll() is not None:
            self.close()
            self._log = tempfile.TemporaryFile()
            self.process = subprocess.Popen(
                self.command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._log
            )
        handle, out = tempfile.mkstemp(prefix="script-stdout-")
        os.close(handle)
        handle, err = tempfile.mkstemp(prefix="script-stderr-")
        os.close(handle)
        job = {
            **job,
            "cwd": os.path.abspath(cwd if cwd is not None else os.getcwd()),
            "env": env,
            "stdout": out,
            "stderr": err,
            "warnings": warnings,
        }
        try:
            returncode = self._answer(job, command, timeout, out, err)
            done = subprocess.CompletedProcess(command, returncode, _read(out), _read(err))
        except BaseException:  # a timeout, or pytest-timeout or ^C in the middle of the job:
            self._kill()  # its answer must never be read as the next job's
            raise
        finally:
            os.unlink(out)
            os.unlink(err)
        if check:
            done.check_returncode()
        return done

    def _answer(self, job: dict, command: list[str], timeout: float, out: str, err: str) -> int:
        process, log = self.process, self._log
        assert process is not None and process.stdin is not None and process.stdout is not None
        process.stdin.write(json.dumps(job).encode() + b"\n")
        process.stdin.flush()
        ready, _, _ = select.select([process.stdout], [], [], timeout)
        if not ready:
            raise subprocess.TimeoutExpired(command, timeout, _read(out), _read(err))
        line = process.stdout.readline()
        if line:
            return int(json.loads(line)["returncode"])
        returncode = process.wait()  # the script (or the runner) ended the process
        assert log is not None
        log.seek(0)
        runner_said = log.read().decode("utf-8", "backslashreplace")  # empty but for its start
        with open(err, "a", encoding="utf-8") as file:
            file.write(runner_said)
        return returncode


_SHARED = ScriptRunner()


def run_script(
    script: str | os.PathLike[str],
    *args: str,
    cwd: str | os.PathLike[str] | None = None,
    timeout: float = 120,
    warnings: tuple[str, ...] = (),
    check: bool = False,
) -> subprocess.CompletedProcess[str]:
    """`ScriptRunner.run` in this process's (this pytest worker's) runner."""
    return _SHARED.run(script, *args, cwd=cwd, timeout=timeout, warnings=warnings, check=check)


def run_module(
    module: str,
    *args: str,
    cwd: str | os.PathLike[str] | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    """`ScriptRunner.run_module` in this process's (this pytest worker's) runner."""
    return _SHARED.run_module(module, *args, cwd=cwd, env=env, timeout=timeout)


def _read(path: str) -> str:
    with open(path, encoding="utf-8") as file:
        return file.read()


# ---- the runner process ------------------------------------------------------------------------


class _NoGradlab:
    """A meta-path finder that refuses GradLab, as on a computer without it (but to a job that
    runs GradLab's own command)."""

    allowed = False

    def find_spec(self, name: str, path: object = None, target: object = None) -> None:
        if _is_gradlab(name) and not self.allowed:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)


def _is_gradlab(name: str) -> bool:
    return name == "gradlab" or name.startswith("gradlab.")


def _serve() -> None:
    import importlib
    import warnings

    finder = _NoGradlab()
    sys.meta_path.insert(0, finder)  # type: ignore[arg-type]
    # the editable install puts the repository on sys.path, even under -I
    sys.path[:] = [p for p in sys.path if not os.path.isdir(os.path.join(p, "gradlab"))]
    requests = os.fdopen(os.dup(0), "rb")
    answers = os.fdopen(os.dup(1), "wb")
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 0)
    os.dup2(2, 1)  # between scripts, stray output goes to the runner's log, not the answers
    log = os.dup(2)
    with warnings.catch_warnings(record=True) as preload_warnings:
        warnings.simplefilter("always")
        for name in sys.argv[1:]:
            importlib.import_module(name)
    assert not any(_is_gradlab(m) for m in sys.modules)
    fresh = _State()
    for line in requests:
        job = json.loads(line)
        finder.allowed = "module" in job
        try:
            returncode = _run_job(job, fresh, preload_warnings, log)
        finally:
            finder.allowed = False
            for name in [m for m in sys.modules if _is_gradlab(m)]:
                del sys.modules[name]  # gone again, and imported afresh by the next command
        answers.write(json.dumps({"returncode": returncode}).encode() + b"\n")
        answers.flush()


class _State:
    """What a script may change in the process, as it was once the preloaded modules were in
    (torch's and NumPy's only if they were preloaded)."""

    def __init__(self) -> None:
        import copy

        self.torch = sys.modules.get("torch")
        self.numpy = sys.modules.get("numpy")
        if self.torch is not None:
            torch = self.torch
            self.torch_dtype = torch.get_default_dtype()
            self.threads = torch.get_num_threads()
            self.grad = torch.is_grad_enabled()
            self.deterministic = torch.are_deterministic_algorithms_enabled()
            self.warn_only = torch.is_deterministic_algorithms_warn_only_enabled()
            self.anomaly = torch.is_anomaly_enabled()
            self.matmul = torch.get_float32_matmul_precision()
            self.torch_print = copy.copy(vars(torch._tensor_str.PRINT_OPTS))
        if self.numpy is not None:
            self.np_err = self.numpy.geterr()
            self.np_print = self.numpy.get_printoptions()
        self.environ = dict(os.environ)
        self.path = list(sys.path)
        self.cwd = os.getcwd()

    def restore(self) -> None:
        import random

        if self.torch is not None:
            torch = self.torch
            torch.set_default_dtype(self.torch_dtype)
            torch.set_num_threads(self.threads)
            torch.set_grad_enabled(self.grad)
            torch.use_deterministic_algorithms(self.deterministic, warn_only=self.warn_only)
            torch.set_anomaly_enabled(self.anomaly)
            torch.set_float32_matmul_precision(self.matmul)
            torch.seed()  # a fresh process seeds torch's generator from the OS
            vars(torch._tensor_str.PRINT_OPTS).update(self.torch_print)
        if self.numpy is not None:
            self.numpy.seterr(**self.np_err)
            self.numpy.set_printoptions(**self.np_print)
            self.numpy.random.seed()  # and NumPy's global one
        random.seed()  # and Python's
        os.environ.clear()
        os.environ.update(self.environ)
        sys.path[:] = self.path
        os.chdir(self.cwd)


def _run_job(job: dict, fresh: _State, preload_warnings: list, log: int) -> int:
    import runpy
    import traceback
    import warnings

    script = job.get("script")
    folder = os.path.dirname(script) if script else job["cwd"]  # `-m`: the cwd comes first
    fresh.restore()
    if job["env"] is not None:
        os.environ.clear()
        os.environ.update(job["env"])
    modules = set(sys.modules)
    saved = {name: getattr(sys, name) for name in ("argv", "stdout", "stderr", "warnoptions")}
    out = os.open(job["stdout"], os.O_WRONLY | os.O_TRUNC)
    err = os.open(job["stderr"], os.O_WRONLY | os.O_TRUNC)
    os.dup2(out, 1)
    os.dup2(err, 2)
    os.close(out)
    os.close(err)
    sys.stdout = open(1, "w", encoding="utf-8", closefd=False)
    sys.stderr = open(2, "w", encoding="utf-8", errors="backslashreplace", closefd=False)
    sys.stderr.reconfigure(line_buffering=True)
    sys.argv = list(job["argv"])
    sys.warnoptions = list(job["warnings"])
    sys.path.insert(0, folder)
    returncode = 0
    with warnings.catch_warnings():  # restores the filters; a fresh registry for each script
        try:
            for option in job["warnings"]:
                warnings._setoption(option)  # type: ignore[attr-defined]
            os.chdir(job["cwd"])
            if job["warnings"] and preload_warnings:
                for w in preload_warnings:
                    warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
            if script:
                runpy.run_path(script, run_name="__main__")
            else:
                runpy.run_module(job["module"], run_name="__main__", alter_sys=True)
        except SystemExit as stop:
            returncode = _exit_status(stop.code)
        except BaseException as error:  # what Python prints for an uncaught one
            shown = traceback.TracebackException.from_exception(error)
            frames = [
                f
                for f in shown.stack
                if f.filename not in (__file__, runpy.__file__, "<frozen runpy>")
            ]
            shown.stack = traceback.StackSummary.from_list(frames)
            print("".join(shown.format()), end="", file=sys.stderr)
            returncode = 1
        finally:
            for stream in (sys.stdout, sys.stderr):
                try:
                    stream.flush()
                except (OSError, ValueError):
                    pass
            for name, value in saved.items():
                setattr(sys, name, value)
            for name in set(sys.modules) - modules:  # the script's own modules, beside it
                where = getattr(sys.modules[name], "__file__", None) or ""
                if where.startswith(folder + os.sep):
                    del sys.modules[name]
            os.dup2(log, 1)
            os.dup2(log, 2)
    return returncode


def _exit_status(code: object) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    print(code, file=sys.stderr)
    return 1


if __name__ == "__main__":
    _serve()
