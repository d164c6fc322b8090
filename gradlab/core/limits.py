"""The budgets of every file GradLab reads, in one place (README's "Files GradLab reads").

Each loader checks them before doing the work a hostile file could blow up, so any file is
accepted or refused in seconds and well under a gigabyte; a refusal names the file, the limit
and the value. The GUI uses the same numbers (a text field holds at most MAX_TEXT_CHARS).
"""

from __future__ import annotations

__all__ = [
    "LONGEST_UNBROKEN_RUN",
    "MAX_CIFAR_DEPTH",
    "MAX_CIFAR_FILE_BYTES",
    "MAX_CIFAR_ITEMS",
    "MAX_CIFAR_MEMO",
    "MAX_CIFAR_OPCODES",
    "MAX_INT_DIGITS",
    "MAX_JSON_DEPTH",
    "MAX_LESSON_BYTES",
    "MAX_LESSON_LANGUAGES",
    "MAX_LESSON_QUESTIONS",
    "MAX_LESSON_TEXT_CHARS",
    "MAX_LESSON_TITLE_CHARS",
    "MAX_MANIFEST_BYTES",
    "MAX_RUN_ID",
    "MAX_RUN_ROWS",
    "MAX_SESSION_BYTES",
    "MAX_SESSION_MEMBERS",
    "MAX_SESSION_RUNS",
    "MAX_TEXT_CHARS",
    "MAX_WEIGHTS_FILE_BYTES",
    "MAX_WEIGHTS_MEMBERS",
    "MAX_WEIGHTS_MEMBER_BYTES",
    "MAX_WEIGHTS_PICKLE_BYTES",
]

# text settings (the target expression) and run labels; also the parameter panel's field limit
MAX_TEXT_CHARS = 32_767
MAX_JSON_DEPTH = 32  # lessons, configs and session manifests nest 4 levels
MAX_INT_DIGITS = 20  # a whole number in JSON: an int64 has 19 digits

# lessons and config files
MAX_LESSON_BYTES = 5 * 1024 * 1024
MAX_LESSON_TITLE_CHARS = 1_000
MAX_LESSON_TEXT_CHARS = 100_000  # one explanation or question, per language
MAX_LESSON_QUESTIONS = 100
MAX_LESSON_LANGUAGES = 16
LONGEST_UNBROKEN_RUN = 200  # longer runs without a break get invisible break opportunities

# session files (ZIP archives)
MAX_SESSION_MEMBERS = 10_000
MAX_SESSION_BYTES = 640 * 1024**2  # unpacked, all parts together: the run list keeps <= 512 MiB
MAX_MANIFEST_BYTES = 32 * 1024 * 1024
MAX_RUN_ROWS = 2**18  # what GradLab records per run (262,144 rows)
MAX_RUN_ID = 2**63 - 1  # run ids are int64 (Qt item data, NumPy)
MAX_SESSION_RUNS = 1_000

# CNN weights (.pt, a ZIP archive of tensors)
MAX_WEIGHTS_FILE_BYTES = 64 * 1024 * 1024  # the chapter's CNN is ~1 MB of float32
MAX_WEIGHTS_MEMBER_BYTES = 32 * 1024 * 1024
MAX_WEIGHTS_MEMBERS = 256
MAX_WEIGHTS_PICKLE_BYTES = 1024 * 1024  # the object layout (data.pkl): a few KB for a state_dict

# CIFAR-10 "python version" batch files. The reader keeps its own copies (MAX_FILE_BYTES, ...):
# the exported training script copies it verbatim and cannot import GradLab; a test keeps the
# two equal
MAX_CIFAR_FILE_BYTES = 64 * 1024 * 1024  # a real batch file is 31 MB
MAX_CIFAR_OPCODES = 500_000  # a real batch has about 30,000
MAX_CIFAR_MEMO = 100_000
MAX_CIFAR_ITEMS = 100_000  # items in one list, dict or tuple (10,000 labels)
MAX_CIFAR_DEPTH = 32  # tuples inside tuples
