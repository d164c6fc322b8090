"""Configuration errors in the user's language, for the window and the command line alike.

The core raises ``ConfigError`` with an English message (what an English reader sees) and the
same facts as data: a message id, the field, the value, the limits or the allowed choices.
``error_text`` gives the English message as it is, and builds the Chinese sentence from
the data, so each sentence has one source.
"""

from __future__ import annotations

import errno
from collections.abc import Mapping

from gradlab.core.validation import ConfigError, Limits, show_number
from gradlab.core.worded_error import WordedError
from gradlab.text.file_errors import file_error_zh

# field path (polynomial lab: "training.lr"; CNN lab: "lr") -> its name in Chinese
FIELDS_ZH = {
    "data.target": "目标函数",
    "data.x_min": "x 最小值",
    "data.x_max": "x 最大值",
    "data.points": "点数",
    "data.noise": "噪声",
    "data.val_fraction": "验证比例",
    "data.plot_margin": "绘图超出数据的范围",
    "model.degree": "多项式次数",
    "model.basis": "基函数",
    "model.init": "初始化方式",
    "model.init_values": "初始值",
    "model.dtype": "数据类型",
    "model.kind": "模型",
    "model.layers": "隐藏层数",
    "model.hidden": "隐藏单元数",
    "model.activation": "激活函数",
    "training.method": "方法",
    "training.loss": "损失函数",
    "training.reduction": "归约方式",
    "training.huber_delta": "Huber 损失的 delta",
    "training.flip_backward_sign": "反向传播中故意反转的符号",
    "training.lr": "学习率",
    "training.steps": "步数",
    "training.batch_size": "批大小",
    "optimizer.name": "优化器",
    "optimizer.momentum": "动量",
    "optimizer.nesterov": "Nesterov 动量",
    "optimizer.weight_decay": "权重衰减",
    "optimizer.alpha": "RMSprop 的 alpha",
    "optimizer.beta1": "beta1",
    "optimizer.beta2": "beta2",
    "optimizer.eps": "eps",
    "seed": "随机种子",
    "dataset": "数据集",
    "data_dir": "数据文件夹",
    "n_images": "图像数量",
    "val_fraction": "验证比例",
    "batch_size": "批大小",
    "epochs": "轮次（Epoch）数",
    "optimizer": "优化器",
    "lr": "学习率",
    "momentum": "动量",
    "alpha": "RMSprop 的 alpha",
    "betas": "betas",
    "weight_decay": "权重衰减",
    "loss": "损失函数",
    "relu": "ReLU",
    "threads": "线程数",
}

# why a file operation failed (OSError.errno) -> in Chinese
ERRNO_ZH = {
    errno.ENOENT: "没有这个文件或文件夹",
    errno.EACCES: "权限不足",
    errno.EPERM: "不允许此操作",
    errno.EISDIR: "这是一个文件夹",
    errno.ENOTDIR: "路径中有一部分不是文件夹",
    errno.ENOSPC: "磁盘空间不足",
    errno.EROFS: "文件系统是只读的",
}

# message id -> the Chinese sentence; {label} is the field's name, the rest ConfigError.details
MESSAGES_ZH = {
    "not_a_number": "{label}必须是数字，而不是 {value}",
    "not_an_integer": "{label}必须是整数，而不是 {value}",
    "out_of_range": "{label}必须 {range}，而不是 {value}",
    "not_a_choice": "{label}必须是 {allowed} 之一，而不是 {value}",
    "not_a_boolean": "{label}必须是 true 或 false，而不是 {value}",
    "not_text": "{label}必须是文本，而不是 {value}",
    "unknown_field": "没有名为 {value} 的设置",
    "empty_target": "目标函数不能为空：请选一个命名目标或输入关于 x 的表达式",
    "bad_expression": "目标函数 {value} 无法解析{where}",
    "target_not_finite": "目标函数在 x = {value} 处不是有限值：请选择目标函数有定义的 x 范围",
    "target_too_large": "目标函数的值达到 {value}，太大，无法用这种数据类型训练：请把它缩小",
    "powers_too_large": (
        "在这个 x 范围内 x 的幂达到 {value}，太大，无法训练：请用更小的 x 范围或次数、"
        "Legendre 基或 float64"
    ),
    "x_max_not_above_x_min": "x 最大值必须大于 x 最小值，而不是 {value}",
    "too_few_training_points": "验证比例 {value} 留下的训练点太少",
    "not_a_tuple": "初始值必须是一组数字",
    "init_values_count": "初始值的个数必须是多项式次数加 1，而不是 {value}",
    "nesterov_needs_momentum": "Nesterov 动量需要动量 > 0",
    "compare_each_once": "要比较的每个优化器只能列出一次（至少一个），而不是 {value}",
    "cifar_needs_folder": (
        "CIFAR-10 需要一个数据文件夹：包含 data_batch_1 … data_batch_5、test_batch 和 "
        "batches.meta 的文件夹（数据集的 Python 版本）"
    ),
    "not_a_multiple_of_10": "图像数量必须是 10 的倍数（10 个类别各占相同数量），而不是 {value}",
    "not_two_numbers": "betas 必须是两个数字（beta1, beta2），而不是 {value}",
    "demo_needs_mse": (
        "演示的目标 [1, 2, ..., 10] 是一组数字而不是类别：请用 mse 损失（本章的）或 auto"
    ),
    "settings_invalid": "设置无效：请先改正标出的字段",
    "invalid": "{label}的值无效：{value}",
}


# a data file or folder the CNN lab cannot use (DatasetError's ids): id -> (en, zh)
DATASET_MESSAGES = {
    # weights files (gradlab.core.cnn.weights)
    "weights_cannot_save": (
        "cannot save weights to {path}: {reason}",
        "无法把权重保存到 {path}：{reason}",
    ),
    "weights_bad_input": (
        "weights file '{path}': {problem}",
        "权重文件“{path}”无法使用：{problem}",
    ),
    "weights_too_big": (
        "{path} is {size} bytes; a weights file is at most {limit}",
        "{path} 有 {size} 字节；权重文件最多 {limit} 字节（本章的 CNN 约需 1 MB）",
    ),
    "weights_missing": ("weights file {path} does not exist", "权重文件 {path} 不存在"),
    "weights_is_folder": ("weights file {path} is a folder", "权重文件 {path} 是一个文件夹"),
    "weights_zip_budget": (
        "{path}: the archive is beyond the limits for a weights file",
        "{path}：这个压缩包超出了权重文件的限制",
    ),
    "weights_not_zip": (
        "{path} is not a weights file saved by GradLab or torch.save",
        "{path} 不是由 GradLab 或 torch.save 保存的权重文件"
        "（不是 torch.save 写出的 ZIP 格式，或已损坏）",
    ),
    "weights_part_too_large": (
        "{path}: a part is {size} bytes unpacked; the limit is {limit}",
        "{path}：其中一部分解压后有 {size} 字节；上限是 {limit}",
    ),
    "weights_unpacks_too_large": (
        "{path} unpacks to {size} bytes; the limit is {limit}",
        "{path} 解压后有 {size} 字节；上限是 {limit}",
    ),
    "weights_not_weights": (
        "{path} is not a weights file saved by GradLab or torch.save",
        "{path} 不是由 GradLab 或 torch.save 保存的权重文件（已损坏，或包含张量以外的内容）",
    ),
    "weights_not_state_dict": (
        "{path} does not hold a model's weights (a state_dict)",
        "{path} 不包含模型的权重（state_dict）",
    ),
    "weights_other_model": (
        "{path} holds weights for a different model: missing {missing}; unexpected {unknown}",
        "{path} 保存的是另一个模型的权重：缺少 {missing}；多出 {unknown}",
    ),
    "weights_wrong_shape": (
        "{path} does not fit this model: {key} has shape {file_shape} in the file but "
        "{model_shape} here",
        "{path} 与这个模型不匹配：`{key}` 在文件中的形状是 {file_shape}，这里是 {model_shape}"
        "（是为另一种数据集的图像通道数或尺寸保存的模型吗？）",
    ),
    "cifar_no_folder": (
        "CIFAR-10 folder '{folder}' does not exist or is not a folder",
        "CIFAR-10 文件夹“{folder}”不存在或不是文件夹",
    ),
    "cifar_incomplete": (
        "CIFAR-10 folder '{folder}' is incomplete{hint}: missing {missing}. "
        "It needs {files} from cifar-10-python.tar.gz",
        "CIFAR-10 文件夹“{folder}”不完整{hint}：缺少 {missing}。"
        "它需要 cifar-10-python.tar.gz 中的 {files}",
    ),
    "cifar_binary_hint": (
        " (this looks like the binary version; GradLab reads the python version)",
        "（这看起来是二进制版本；GradLab 读取的是 Python 版本）",
    ),
    "cifar_bad_file": (
        "{file} is not a usable CIFAR-10 batch file",
        "{file} 不是可用的 CIFAR-10 批次文件（文件已损坏，或不是数据集的 Python 版本），未读取",
    ),
    "cannot_read": ("cannot read the file {path}", "无法读取文件 {path}"),
}
CIFAR_FILES_TEXT = "data_batch_1 … data_batch_5, test_batch, batches.meta"


def dataset_text(message_id: str, values: Mapping[str, object], language: str) -> str:
    """A CNN data problem (a DatasetError's id and values) as a sentence in ``language``."""
    english, chinese = DATASET_MESSAGES[message_id]
    hint = ""
    if values.get("binary"):
        hint = DATASET_MESSAGES["cifar_binary_hint"][language == "zh"]
    fields = {"files": CIFAR_FILES_TEXT, **values, "hint": hint}
    return (chinese if language == "zh" else english).format(**fields)


def error_text(error: BaseException, language: str) -> str:
    """The error as one sentence in ``language`` ("en" or "zh").

    A ConfigError (or an error caused by one, such as a lesson's bad value) and a CNN data
    problem with a known id are worded in Chinese from their data; in English, and for any
    other error, the error's own message is kept.
    """
    if language != "zh":
        return str(error)
    if isinstance(error, OSError) and error.errno in ERRNO_ZH:
        where = error.filename
        return ERRNO_ZH[error.errno] + (f"：{where}" if where is not None else "")
    message_id = getattr(error, "message_id", None)
    if not isinstance(error, ConfigError) and message_id in DATASET_MESSAGES:
        return dataset_text(str(message_id), getattr(error, "values", {}), language)
    values = getattr(error, "values", {})
    if isinstance(error, WordedError):
        where = values.get("file")
        prefix = f"{where}：" if where else ""
        cause = error.__cause__
        if message_id in ("lesson_config", "session_config") and isinstance(cause, BaseException):
            return prefix + error_text(cause, language)  # a setting's value: as in the panel
        label = FIELDS_ZH.get(str(values.get("where", "")), str(values.get("where", "")))
        worded = file_error_zh(str(message_id), values, ERRNO_ZH, label)
        if worded is not None:
            return worded
    if not isinstance(error, ConfigError) and isinstance(error.__cause__, ConfigError):
        error = error.__cause__
    if not isinstance(error, ConfigError):
        return str(error)
    values = {key: str(value) for key, value in error.details.values.items()}
    values["label"] = FIELDS_ZH.get(error.field, error.field)
    if error.limits is not None:
        values["range"] = range_text_zh(error.limits)
    values["where"] = _position_zh(error)
    template = MESSAGES_ZH.get(error.message_id, MESSAGES_ZH["invalid"])
    return template.format(**values)


def range_text_zh(limits: Limits) -> str:
    """``> 0 且 <= 1000``: the allowed range, the numbers as the English message shows them."""
    low = f"{'>' if limits.open_low else '>='} {show_number(limits.low, limits.integer)}"
    high = f"{'<' if limits.open_high else '<='} {show_number(limits.high, limits.integer)}"
    return f"{low} 且 {high}"


def _position_zh(error: ConfigError) -> str:
    position = getattr(error.__cause__, "position", None)
    return f"（第 {position + 1} 个字符处）" if isinstance(position, int) else ""
