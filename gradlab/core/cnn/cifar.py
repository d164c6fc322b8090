"""CIFAR-10 "python version" batches, read without unpickling (NumPy only, exportable).

The batch files are Python pickles. Loading a pickle can run any code, so this module never
calls pickle.load: a small interpreter walks the opcodes and understands only what those
files hold (dicts, lists, strings, ints and NumPy arrays in numpy's own pickle layout). It
calls nothing named in the file: the three globals it accepts are recognised by name and the
arrays are rebuilt with numpy.frombuffer. Anything else raises DatasetError.

Budgets keep a hostile file to seconds and a bounded amount of memory: the file's size is
checked before it is read, and the interpreter limits its opcodes, memo, container sizes and
tuple nesting. References stay shared (nothing is copied out of the memo), so a "billion
laughs" file of nested references costs no more than its own size.
"""

import math
import os
import struct
from typing import Any

import numpy as np

from .errors import DatasetError  # gradlab-only

CIFAR_FILES = (*(f"data_batch_{i}" for i in range(1, 6)), "test_batch", "batches.meta")
CIFAR_SUBFOLDER = "cifar-10-batches-py"  # what the downloaded archive unpacks to
CIFAR_NAMES_ZH = {
    "airplane": "飞机",
    "automobile": "汽车",
    "bird": "鸟",
    "cat": "猫",
    "deer": "鹿",
    "dog": "狗",
    "frog": "青蛙",
    "horse": "马",
    "ship": "船",
    "truck": "卡车",
}
_GLOBALS = {
    ("numpy.core.multiarray", "_reconstruct"): "reconstruct",  # NumPy 1.x, the real files
    ("numpy._core.multiarray", "_reconstruct"): "reconstruct",  # NumPy 2.x
    ("numpy.core.numeric", "_frombuffer"): "frombuffer",  # protocol 5, NumPy 1.x
    ("numpy._core.numeric", "_frombuffer"): "frombuffer",  # protocol 5, NumPy 2.x
    ("numpy", "ndarray"): "ndarray",
    ("numpy", "dtype"): "dtype",
    ("_codecs", "encode"): "encode",  # how Python 3 writes bytes at protocol 2
}
MAX_FILE_BYTES = 64 * 1024 * 1024  # a real batch file is 31 MB
MAX_OPCODES = 500_000  # a real batch has about 30,000
MAX_MEMO = 100_000  # a real batch memoizes each of its 10,000 file names
MAX_ITEMS = 100_000  # items in one list, dict or tuple (10,000 labels)
MAX_DEPTH = 32  # tuples inside tuples (hashing one recurses in C)
_DTYPE_CODES = {"u1", "i1", "u2", "i2", "u4", "i4", "u8", "i8", "f4", "f8", "b1"}


class _Global:
    def __init__(self, role: str) -> None:
        self.role = role


class _Dtype:
    def __init__(self, code: str) -> None:
        self.code, self.order = code, "|"


class _Array:
    def __init__(self, array: np.ndarray | None = None) -> None:
        self.array = array


def _error(path: str, message: str) -> DatasetError:
    name = os.path.basename(path)
    return DatasetError(f"{name}: {message}", "cifar_bad_file", {"file": name})


def _str(value: Any) -> Any:
    """Python 2 str arrives as bytes (SHORT_BINSTRING): compare such names as text."""
    return value.decode("latin1") if isinstance(value, bytes) else value


def _reduce(path: str, func: Any, args: tuple[Any, ...]) -> Any:
    """What calling func(*args) would give, for the few calls numpy's pickles contain."""
    role = func.role if isinstance(func, _Global) else None
    if role == "encode" and len(args) == 2 and isinstance(args[0], str):
        if args[1] not in ("latin1", "latin-1"):
            raise _error(path, f"unexpected text encoding {args[1]!r}")
        return args[0].encode("latin1")
    if role == "dtype" and args and _str(args[0]) in _DTYPE_CODES:
        return _Dtype(_str(args[0]))
    if role == "reconstruct" and args and isinstance(args[0], _Global):
        if args[0].role == "ndarray":
            return _Array()
    if role == "frombuffer" and len(args) == 4:  # (data, dtype, shape, order)
        raw, dtype, shape, order = args
        return _Array(_make_array(path, raw, dtype, shape, _str(order) == "F"))
    raise _error(path, "holds a call that a CIFAR-10 batch never contains; it was not run")


def _make_array(path: str, raw: Any, dtype: Any, shape: Any, fortran: bool) -> np.ndarray:
    """numpy.frombuffer on the stored bytes, after checking that they fit the shape."""
    if not (isinstance(dtype, _Dtype) and isinstance(raw, bytes) and isinstance(shape, tuple)):
        raise _error(path, "holds an array in an unexpected layout")
    if len(shape) > 8 or not all(isinstance(n, int) and n >= 0 for n in shape):
        raise _error(path, f"holds an array with a bad shape ({len(shape)} sizes)")
    order: Any = "=" if dtype.order == "|" else dtype.order  # checked in _build: | < > =
    np_dtype = np.dtype(dtype.code).newbyteorder(order)
    if math.prod(shape) * np_dtype.itemsize != len(raw):
        raise _error(path, f"holds an array of shape {shape} with {len(raw)} bytes of data")
    return np.frombuffer(raw, dtype=np_dtype).reshape(shape, order="F" if fortran else "C")


def _build(path: str, target: Any, state: Any) -> None:
    """Apply a BUILD state to a dtype or an array, as numpy's __setstate__ would."""
    if isinstance(target, _Dtype) and isinstance(state, tuple) and len(state) >= 2:
        if _str(state[1]) not in ("|", "<", ">", "="):
            raise _error(path, f"unexpected byte order {state[1]!r}")
        target.order = _str(state[1])
    elif isinstance(target, _Array) and isinstance(state, tuple) and len(state) == 5:
        _, shape, dtype, fortran, raw = state
        target.array = _make_array(path, raw, dtype, shape, bool(fortran))
    else:
        raise _error(path, "holds an object state a CIFAR-10 batch never contains")


def _resolve(value: Any) -> Any:
    """Replace the array placeholders by their arrays, two levels down (all a batch holds).

    Never deeper: shared references stay shared, so nested references cannot multiply.
    """

    def shallow(item: Any) -> Any:
        return item.array if isinstance(item, _Array) else item

    if isinstance(value, dict):
        return {k: shallow(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(shallow(v) for v in value)
    return shallow(value)


def safe_load_pickle(path: str) -> Any:
    """The object stored in a CIFAR-10 batch file, without executing anything in it."""
    try:
        with open(path, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            if size > MAX_FILE_BYTES:
                raise _error(
                    path,
                    f"is {size:,} bytes; a CIFAR-10 batch file is at most {MAX_FILE_BYTES:,}",
                )
            data = f.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise DatasetError(
            f"{path}: cannot read the file ({exc.strerror})", "cannot_read", {"path": path}
        ) from None
    try:
        return _resolve(_interpret(path, data))
    except DatasetError:
        raise
    except (
        AttributeError,
        IndexError,
        KeyError,
        RecursionError,
        struct.error,
        TypeError,
        ValueError,
    ) as exc:  # a damaged or foreign file: the opcodes do not fit together
        reason = str(exc).splitlines()[0][:80] if str(exc) else ""
        raise _error(
            path, f"is not a CIFAR-10 batch file ({type(exc).__name__}: {reason})"
        ) from None


def _interpret(path: str, data: bytes) -> Any:
    """Run the opcodes on a stack machine that only builds plain data."""
    stack: list[Any] = []
    marks: list[int] = []  # where each MARK'ed group starts on the stack
    memo: dict[int, Any] = {}
    depths: dict[int, int] = {}  # id(tuple) -> how many tuples deep it is
    pos, end = 0, len(data)
    opcodes = 0

    def limit(what: str, count: int, most: int) -> None:
        if count > most:
            raise _error(path, f"holds {what} ({count:,}; the limit is {most:,}); not loaded")

    def new_tuple(items: list[Any]) -> tuple[Any, ...]:
        limit("a tuple too long", len(items), MAX_ITEMS)
        depth = 1 + max((depths.get(id(v), 0) for v in items if type(v) is tuple), default=0)
        limit("tuples nested too deeply", depth, MAX_DEPTH)
        made = tuple(items)
        depths[id(made)] = depth
        return made

    def take(n: int) -> bytes:
        nonlocal pos
        if n < 0 or pos + n > end:
            raise _error(path, "the file ends too early (cut off while copying?)")
        chunk = data[pos : pos + n]
        pos += n
        return chunk

    def unsigned(n: int) -> int:
        return int.from_bytes(take(n), "little")

    def pop_mark() -> list[Any]:
        start = marks.pop()
        items = stack[start:]
        del stack[start:]
        return items

    while True:
        opcodes += 1
        limit("too many pickle opcodes", opcodes, MAX_OPCODES)
        op = take(1)
        if op == b"\x80":  # PROTO
            if unsigned(1) > 5:
                raise _error(path, "uses an unknown pickle protocol")
        elif op == b"\x95":  # FRAME: a hint about sizes only
            take(8)
        elif op == b".":  # STOP
            if len(stack) != 1 or marks:
                raise _error(path, "the data ends in an unfinished state")
            return stack[0]
        elif op == b"(":
            marks.append(len(stack))
        elif op == b"}":
            stack.append({})
        elif op == b"]":
            stack.append([])
        elif op == b")":
            stack.append(())
        elif op == b"t":
            stack.append(new_tuple(pop_mark()))
        elif op in (b"\x85", b"\x86", b"\x87"):  # TUPLE1..3
            n = op[0] - 0x84
            if len(stack) < n:
                raise _error(path, "the data does not fit together")
            made = new_tuple(stack[-n:])
            del stack[-n:]
            stack.append(made)
        elif op == b"s":
            value, key = stack.pop(), stack.pop()
            stack[-1][key] = value
            limit("a dictionary too large", len(stack[-1]), MAX_ITEMS)
        elif op == b"u":
            items = pop_mark()
            target = stack[-1]
            for i in range(0, len(items) - 1, 2):
                target[items[i]] = items[i + 1]
            limit("a dictionary too large", len(target), MAX_ITEMS)
        elif op == b"a":
            value = stack.pop()
            stack[-1].append(value)
            limit("a list too long", len(stack[-1]), MAX_ITEMS)
        elif op == b"e":
            items = pop_mark()
            stack[-1].extend(items)
            limit("a list too long", len(stack[-1]), MAX_ITEMS)
        elif op in (b"N", b"\x88", b"\x89"):
            stack.append({b"N": None, b"\x88": True, b"\x89": False}[op])
        elif op == b"K":
            stack.append(unsigned(1))
        elif op == b"M":
            stack.append(unsigned(2))
        elif op == b"J":
            stack.append(int.from_bytes(take(4), "little", signed=True))
        elif op == b"\x8a":  # LONG1
            stack.append(int.from_bytes(take(unsigned(1)), "little", signed=True))
        elif op == b"G":  # BINFLOAT
            stack.append(struct.unpack(">d", take(8))[0])
        elif op in (b"U", b"C"):  # SHORT_BINSTRING (Python 2 str), SHORT_BINBYTES
            stack.append(bytes(take(unsigned(1))))
        elif op == b"T":  # BINSTRING
            stack.append(bytes(take(int.from_bytes(take(4), "little", signed=True))))
        elif op == b"B":
            stack.append(bytes(take(unsigned(4))))
        elif op in (b"\x8e", b"\x96"):  # BINBYTES8, BYTEARRAY8
            stack.append(bytes(take(unsigned(8))))
        elif op in (b"\x8c", b"X", b"\x8d"):  # SHORT_BINUNICODE, BINUNICODE, BINUNICODE8
            stack.append(take(unsigned({b"\x8c": 1, b"X": 4, b"\x8d": 8}[op])).decode("utf-8"))
        elif op in (b"q", b"r"):  # BINPUT, LONG_BINPUT
            memo[unsigned(1 if op == b"q" else 4)] = stack[-1]
            limit("too many stored references", len(memo), MAX_MEMO)
        elif op == b"\x94":  # MEMOIZE
            memo[len(memo)] = stack[-1]
            limit("too many stored references", len(memo), MAX_MEMO)
        elif op in (b"h", b"j"):  # BINGET, LONG_BINGET
            key = unsigned(1 if op == b"h" else 4)
            if key not in memo:
                raise _error(path, "refers back to data it never stored")
            stack.append(memo[key])
        elif op in (b"c", b"\x93"):  # GLOBAL, STACK_GLOBAL
            if op == b"c":
                module = _line(path, data, pos)
                pos += len(module) + 1
                name = _line(path, data, pos)
                pos += len(name) + 1
                module_name, global_name = module.decode("ascii"), name.decode("ascii")
            else:
                global_name, module_name = stack.pop(), stack.pop()
            role = _GLOBALS.get((module_name, global_name))
            if role is None:
                raise _error(
                    path,
                    f"refers to {module_name}.{global_name}, which a CIFAR-10 batch "
                    "never contains; the file was not loaded (it may be unsafe)",
                )
            stack.append(_Global(role))
        elif op == b"R":
            args = stack.pop()
            func = stack.pop()
            if not isinstance(args, tuple):
                raise _error(path, "holds a call in an unexpected layout")
            stack.append(_reduce(path, func, args))
        elif op == b"b":
            state = stack.pop()
            _build(path, stack[-1], state)
        else:
            raise _error(
                path,
                f"holds pickle opcode {op!r} at byte {pos - 1}, which a CIFAR-10 "
                "batch never contains; the file was not loaded",
            )


def _line(path: str, data: bytes, pos: int) -> bytes:
    end = data.find(b"\n", pos, pos + 256)
    if end < 0:
        raise _error(path, "holds a broken name")
    return data[pos:end]


def _text(value: Any) -> Any:
    return value.decode("latin1") if isinstance(value, bytes) else value


def read_batch(path: str) -> tuple[np.ndarray, np.ndarray]:
    """Images (n, 3, 32, 32) uint8 and labels (n,) int64 from one data_batch / test_batch."""
    batch = safe_load_pickle(path)
    if not isinstance(batch, dict):
        raise _error(path, "does not hold a dictionary")
    batch = {_text(k): v for k, v in batch.items()}
    missing = [k for k in ("data", "labels") if k not in batch]
    if missing:
        raise _error(path, f"has no {' or '.join(missing)} entry")
    images, labels = batch["data"], batch["labels"]
    if not (isinstance(images, np.ndarray) and images.ndim == 2 and images.shape[1] == 3072):
        raise _error(path, "its data is not an array of 3072 numbers (3×32×32) per image")
    if not (isinstance(labels, (list, np.ndarray)) and len(labels) == len(images)):
        raise _error(path, f"holds {len(images)} images but a different number of labels")
    if isinstance(labels, list) and not all(type(v) is int for v in labels):
        raise _error(path, "its labels are not whole numbers 0..9")
    labels = np.asarray(labels)
    if labels.dtype.kind not in "iu" or (
        labels.size and not 0 <= labels.min() <= labels.max() <= 9
    ):
        raise _error(path, "its labels are not whole numbers 0..9")
    return images.astype(np.uint8).reshape(-1, 3, 32, 32), labels.astype(np.int64)


def read_label_names(path: str) -> tuple[str, ...]:
    """The 10 class names stored in batches.meta."""
    meta = safe_load_pickle(path)
    names = meta.get(b"label_names", meta.get("label_names")) if isinstance(meta, dict) else None
    if not (isinstance(names, list) and len(names) == 10):
        raise _error(path, "has no list of 10 label_names")
    return tuple(_text(n) for n in names)


def find_cifar_folder(folder: str | os.PathLike[str]) -> str:
    """The folder that holds the batch files; raises DatasetError naming what is missing."""
    folder = os.fspath(folder)
    if not os.path.isdir(folder):
        raise DatasetError(
            f"CIFAR-10 folder {folder!r} does not exist or is not a folder",
            "cifar_no_folder",
            {"folder": folder},
        )
    inner = os.path.join(folder, CIFAR_SUBFOLDER)
    if os.path.isdir(inner) and not os.path.exists(os.path.join(folder, "batches.meta")):
        folder = inner
    missing = [n for n in CIFAR_FILES if not os.path.isfile(os.path.join(folder, n))]
    if missing:
        hint = ""
        if any(n.endswith(".bin") for n in os.listdir(folder)):
            hint = " (this looks like the binary version; GradLab reads the python version)"
        raise DatasetError(
            f"CIFAR-10 folder {folder!r} is incomplete{hint}: missing {', '.join(missing)}. "
            f"It needs {', '.join(CIFAR_FILES)} from cifar-10-python.tar.gz",
            "cifar_incomplete",
            {"folder": folder, "missing": ", ".join(missing), "binary": bool(hint)},
        )
    return folder


def read_cifar10(
    folder: str | os.PathLike[str],
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, tuple[str, ...]]:
    """(train images, train labels, test images, test labels, label names) of a folder."""
    folder = find_cifar_folder(folder)
    parts = [read_batch(os.path.join(folder, f"data_batch_{i}")) for i in range(1, 6)]
    test_images, test_labels = read_batch(os.path.join(folder, "test_batch"))
    names = read_label_names(os.path.join(folder, "batches.meta"))
    train_images = np.concatenate([p[0] for p in parts])
    train_labels = np.concatenate([p[1] for p in parts])
    return train_images, train_labels, test_images, test_labels, names
