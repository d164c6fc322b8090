"""Lesson, config and session file problems in Chinese, by message id.

The core raises LessonError and SessionFileError (gradlab.core.worded_error.WordedError) with
an English message and the same facts as a message id and values; ``file_error_zh`` words them
in Chinese here, so the Chinese interface and command line never show an English detail.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

# message id -> the Chinese sentence; the names in braces are the error's values
FILE_MESSAGES_ZH = {
    # any file
    "file_problem": "{problem}",
    "file_missing": "没有这个文件",
    "file_empty": "文件是空的",
    "file_cannot_read": "无法读取文件（{reason}）",
    "file_cannot_write": "无法写入文件（{reason}）",
    "not_utf8": "不是 UTF-8 文本（第 {byte} 个字节）",
    # lesson and config files
    "lesson_is_folder": "这是一个文件夹，不是课程文件",
    "lesson_too_large": "文件太大，不能作为课程（上限是 {limit} 字节）",
    "lesson_bad_json": "不是有效的 JSON：第 {line} 行第 {column} 列有错误",
    "lesson_json_budget": "课程文件超出了 JSON 的限制（太长或数字太多）",
    "lesson_too_deep": "不是课程文件：JSON 嵌套太深",
    "lesson_not_object": "{what} 必须是 JSON 对象，而不是 {value}",
    "lesson_no_format": '缺少 "format": 1（这是 GradLab 课程文件吗？）',
    "lesson_bad_format": "不支持格式版本 {value}（这个版本的 GradLab 读取版本 {version}）",
    "lesson_bad_kind": '"kind" 必须是 "{lesson}" 或 "{config}"，而不是 {value}',
    "lesson_unknown_key": "未知的键 {name}{hint}",
    "lesson_unknown_long_key": "未知的键 {name}（{length} 个字符）",
    "lesson_unknown_top_key": "未知的键 {name}（已知的键：{known}）",
    "lesson_key_of_lessons": "{name} 只能写在 {lesson} 文件中，不能写在 {kind} 文件中",
    "lesson_setting_outside": '未知的键 {name}：设置应写在 "config" 里面',
    "lesson_wrong_type": "{label}必须是{expected}，而不是 {value}",
    "lesson_text_too_long": "{where} 有 {length} 个字符；上限是 {limit}",
    "lesson_not_finite": "课程文件中不允许 {name}；请写一个有限的数字",
    "lesson_too_many_questions": "questions：有 {count} 个问题；上限是 {limit}",
    "lesson_too_many_languages": "{where}：有 {count} 种语言；上限是 {limit}",
    "lesson_long_language": "{where}：语言名称有 {length} 个字符，太长了",
    "lesson_not_texts": (
        '{where} 必须是文本或形如 {{"en": "...", "zh": "..."}} 的对象，而不是 {value}'
    ),
    "lesson_not_list": "{where} 必须是列表，而不是 {value}",
    "lesson_not_names": "{where} 必须是名称的列表，而不是 {value}",
    "lesson_not_optimizer": "compare_optimizers：优化器必须是 {allowed} 之一，而不是 {value}",
    # session files
    "session_is_folder": "这是一个文件夹，不是会话文件",
    "session_not_zip": "不是 GradLab 会话文件（不是 ZIP 压缩包）",
    "session_damaged": "文件已损坏或不完整；保存时被中断了吗？",
    "session_too_many_parts": "会话文件的组成部分太多；上限是 {limit}",
    "session_too_large": "内容太大（解压后 {size} 字节；上限是 {limit}）",
    "session_no_manifest": "是 ZIP 压缩包，但不是 GradLab 会话（没有 {manifest}）",
    "session_manifest_bad": "会话文件的 {manifest} 已损坏或不是 GradLab 写的",
    "session_wrong_kind": '不是 GradLab 会话："kind" 是 {value}',
    "session_newer": (
        "由更新版本的 GradLab 保存（格式 {version}）；这个版本读取格式 {reads}：请更新 GradLab"
    ),
    "session_too_many_runs": "有 {count} 次运行；会话文件最多保存 {limit} 次",
    "session_same_id": "两次运行的编号相同",
    "session_run_bad": "第 {run} 次运行的数据已损坏或不是 GradLab 写的",
}

# the type a setting must have (lesson_wrong_type's "expected") -> in Chinese
EXPECTED_ZH = {
    "str": "文本",
    "bool": " true 或 false",
    "float": "数字",
    "int": "整数",
    "tuple[float, ...]": "一组数字",
}

# gradlab.core.atomic.input_problem's reasons -> in Chinese
_KINDS_ZH = {"a FIFO": "FIFO 管道", "a device": "设备", "a special file": "特殊文件"}
_NOT_REGULAR = re.compile(r"not a regular file \((?P<kind>.+)\)")


def problem_zh(problem: str) -> str:
    """``empty file name`` / ``not a regular file (a FIFO)`` in Chinese."""
    if problem == "empty file name":
        return "文件名为空"
    match = _NOT_REGULAR.fullmatch(problem)
    if match:
        return f"不是普通文件（{_KINDS_ZH.get(match['kind'], match['kind'])}）"
    return problem


def file_error_zh(
    message_id: str, values: Mapping[str, object], errno_zh: Mapping[int, str], label: str
) -> str | None:
    """The Chinese sentence for a file error's id and values (None for an id not known here);
    ``errno_zh`` words an OSError's reason, ``label`` is the setting's Chinese name."""
    template = FILE_MESSAGES_ZH.get(message_id)
    if template is None:
        return None
    fields = {key: str(value) for key, value in values.items()}
    number = values.get("errno")
    if isinstance(number, int) and number in errno_zh:
        fields["reason"] = errno_zh[number]
    if "problem" in fields:
        fields["problem"] = problem_zh(fields["problem"])
    close = fields.get("close")
    fields["hint"] = f"（是不是 {close}？）" if close else ""
    fields["expected"] = EXPECTED_ZH.get(fields.get("expected", ""), fields.get("expected", ""))
    fields["label"] = label
    if fields.get("what") == "lesson":
        fields["what"] = "课程文件"
    text = template.format(**fields)
    named = "{where}" in template or "{label}" in template
    if message_id.startswith("lesson_") and "where" in values and not named:
        text = f"{fields['where']}：{text}"  # e.g. "locked：未知的键 …"
    where = fields.get("file")
    return f"{where}：{text}" if where else text
