"""Comments and docstrings of the CNN lab's exported script (gradlab.core.cnn.export):
id -> (en, zh). ``cnn.module.*`` and ``cnn.function.*`` stand, in Chinese, for the English
comments and docstrings of the GradLab code the script includes."""

CNN_COMMENTS: dict[str, tuple[str, str]] = {
    "cnn.title": (
        "GradLab CNN pipeline, exported as a standalone training script.",
        "GradLab 的 CNN 流程，导出为独立的训练脚本。",
    ),
    "cnn.process": (
        "The chapter's process: 1 load data (加载数据) -> 2 prepare the model (准备模型) -> "
        "3 set the\nloss (设置损失函数) -> 4 set the optimizer (设置优化器) -> 5 train (开始训练) "
        "-> 6 validate\n(验证) -> 7 show the results (结果聚合展示).",
        "本章的流程：1 加载数据 -> 2 准备模型 -> 3 设置损失函数 -> 4 设置优化器 -> 5 开始训练\n"
        "-> 6 验证 -> 7 结果聚合展示。",
    ),
    "cnn.settings": ("Settings:", "设置："),
    "cnn.run": (
        "Run: python3 {name} [--save-weights FILE]   (needs Python 3.10+, NumPy and PyTorch)",
        "运行：`python3 {name} [--save-weights FILE]`   （需要 Python 3.10+、NumPy 和 PyTorch）",
    ),
    "cnn.val_chunk": ("validation images per forward pass", "每次前向传播的验证图像数"),
    "cnn.threads": (
        "the thread count also fixes the rounding",
        "线程数也决定了舍入，所以固定下来",
    ),
    "cnn.dataset_error": ("A data file or folder cannot be used.", "数据文件或文件夹无法使用。"),
    "cnn.digits_file": (
        "the UCI optdigits CSV shipped with GradLab (CC BY 4.0: E. Alpaydin, C. Kaynak)",
        "随 GradLab 提供的 UCI `optdigits` 数据（CSV 格式，`CC BY 4.0` 许可：Alpaydin 与 Kaynak）",
    ),
    "cnn.demo_image": ('the chapter\'s all-ones "image"', "本章全为 1 的“图像”"),
    "cnn.demo_target": ("the chapter's y", "本章的 `y`"),
    "cnn.one_hot": (
        "mse on classes: compare with one-hot rows",
        "对类别用均方误差：与独热编码的行比较",
    ),
    "cnn.validate": (
        "Summed loss, right answers and predictions over the validation set, in chunks.",
        "在验证集上分块计算：损失之和、预测正确的个数和预测值。",
    ),
    "cnn.step1": ("1. data", "1. 加载数据"),
    "cnn.step2": (
        "2. model (torch's default initialisation, drawn from the seed)",
        "2. 准备模型（`torch` 的默认初始化，由随机种子决定）",
    ),
    "cnn.step34": (
        "3. loss: loss_fn above; 4. optimizer",
        "3. 损失函数：上面的 `loss_fn`；4. 优化器",
    ),
    "cnn.per_value": (
        "mse averages over every output number",
        "均方误差对每个输出数值取均值",
    ),
    "cnn.step56": (
        "5. train, 6. validate after every epoch",
        "5. 开始训练，6. 每个轮次（Epoch）之后验证",
    ),
    "cnn.step7": (
        "7. results: confusion matrix (rows: true class, columns: predicted) and per-class "
        "accuracy",
        "7. 结果：混淆矩阵（行：真实类别，列：预测类别）和每个类别的准确率",
    ),
    "cnn.part1": ("1. data (加载数据)", "1. 加载数据"),
    "cnn.part2": ("2. model (准备模型): the chapter's CNN", "2. 准备模型：本章的 CNN"),
    "cnn.part3": (
        "3.-7. loss, optimizer, train, validate, results",
        "3.-7. 损失函数、优化器、训练、验证、结果",
    ),
    "cnn.from": ("From GradLab's {path}:", "来自 GradLab 的 {path}："),
    # the included GradLab code, summarised (only in Chinese: English keeps the code's own words)
    "cnn.module.shapes": (
        "The shapes dataset.",
        "“形状”数据集：用 NumPy 画出 10 类简单的彩色形状，\n"
        "# 按块生成，每块由各自的随机种子决定，每类数量相同",
    ),
    "cnn.module.split": (
        "The stratified split.",
        "按随机种子划分训练集和验证集，并保持每个类别所占的比例",
    ),
    "cnn.module.digits": (
        "The optdigits reader.",
        "从随附的 CSV 文件读取 UCI `optdigits` 的 8×8 手写数字（像素缩放到 0..1）",
    ),
    "cnn.module.cifar": (
        "The safe CIFAR-10 reader.",
        "安全地读取 CIFAR-10 的 Python 版本批次文件：不反序列化任何对象，只解释其中的数据，\n"
        "# 并限制文件大小、操作码数量和嵌套深度；文件不对时抛出 `DatasetError`",
    ),
    "cnn.function.images_as_float": (
        "A batch as float32 0..1.",
        "把一个批次转成 0..1 的 float32（`uint8` 图像在用到时才转换）",
    ),
    "cnn.function.resize_images": (
        "Bilinear resizing.",
        "把图像用双线性插值缩放到 `size` × `size`",
    ),
    "cnn.function.flattened_size": (
        "Numbers per image after the convolutions.",
        "经过三组卷积和池化之后每张图像的数值个数（本章 32×32 的输入为 1024）",
    ),
    "cnn.function.build_cnn": (
        "The chapter's CNN.",
        "本章的 CNN：三组卷积 + 池化，展平，再接两个线性层",
    ),
}
