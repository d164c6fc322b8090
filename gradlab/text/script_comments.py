"""Comments and docstrings of the polynomial lab's exported script (gradlab.core.export_script):
id -> (en, zh)."""

SCRIPT_COMMENTS: dict[str, tuple[str, str]] = {
    # the docstring at the top
    "script.title": (
        "A GradLab run, exported as a standalone script.",
        "GradLab 的一次运行，导出为独立脚本。",
    ),
    "script.target": ("Target: y = {target}{noise}", "目标：y = {target}{noise}"),
    "script.noise": (" plus Gaussian noise (sd {sd})", "，加上高斯噪声（标准差 {sd}）"),
    "script.points": (
        "on {points} points in [{low}, {high}]{held_out}.",
        "取 [{low}, {high}] 上的 {points} 个点{held_out}。",
    ),
    "script.held_out": (", {percent} held out for validation", "，其中 {percent} 留作验证"),
    "script.model": (
        "Model: a degree-{degree} polynomial in {basis}, {dtype}.",
        "模型：{degree} 次多项式，以{basis}为基，{dtype}。",
    ),
    "script.basis.power": ("raw powers of x", " x 的幂 "),
    "script.basis.legendre": ("Legendre polynomials of scaled x", "缩放后 x 的 Legendre 多项式"),
    "script.method": ("Method: {method}, {title}.", "方法：`{method}`，{title}。"),
    "method.numpy-manual": (
        "the chapter's listing 1 (gradients written out by hand in NumPy)",
        "本章的代码清单 1（在 NumPy 中手写梯度）",
    ),
    "method.torch-autograd": (
        "the chapter's listing 2 (tensors, loss.backward(), a manual update)",
        "本章的代码清单 2（张量、`loss.backward()`、手动更新参数）",
    ),
    "method.torch-optim": (
        "the chapter's listing 3 (nn.Sequential, a loss module, torch.optim)",
        "本章的代码清单 3（`nn.Sequential`、损失模块、`torch.optim`）",
    ),
    "method.torch-function": (
        "listing 2's loop around a torch.autograd.Function with a hand-written backward",
        "代码清单 2 的循环，围绕一个反向传播由手写完成的 `torch.autograd.Function`",
    ),
    "script.flipped_sign": (
        "Its backward has a deliberate bug (a lesson's): grad_b has the wrong sign.",
        "它的反向传播有一个故意的错误（课程设置的）：`grad_b` 的符号是反的。",
    ),
    "script.training": (
        "Training: {loss} loss ({reduction}), {update}, learning rate {lr},",
        "训练：{loss}（归约方式：{reduction}），{update}，学习率 {lr}，",
    ),
    "loss.squared": ("squared", "平方误差损失"),
    "loss.l1": ("l1", "L1 损失"),
    "loss.huber": ("huber", "Huber 损失"),
    "reduction.sum": ("sum", "求和"),
    "reduction.mean": ("mean", "取均值"),
    "script.plain_gd": ("plain gradient descent", "普通的梯度下降"),
    "script.steps": (
        "{steps} steps, {batches}, seed {seed}.",
        "{steps} 步，{batches}，随机种子 {seed}。",
    ),
    "script.minibatches": ("mini-batches of {size}", "小批次（批大小 {size}）"),
    "script.full_batch": ("full batch", "全批次"),
    "script.needs_numpy": ("Needs only NumPy.", "只需要 NumPy。"),
    "script.needs_torch": ("Needs only NumPy and PyTorch.", "只需要 NumPy 和 PyTorch。"),
    "script.prints": (
        "It prints the loss every so often, the chapter's final `y_pred = ...` line and a line\n"
        "`RESULT_JSON {{...}}` with the same numbers as `gradlab fit ... --json`.",
        "它每隔一段时间打印一次损失，最后打印本章的 `y_pred = ...` 一行，以及一行\n"
        "`RESULT_JSON {{...}}`，其中的数字与 `gradlab fit ... --json` 相同。",
    ),
    # data and features
    "script.data": (
        "0. Data: the target on evenly spaced points (the chapter's data stage)",
        "0. 数据：目标函数在等距点上的值（本章的加载数据阶段）",
    ),
    "script.errstate": (
        "as GradLab: inf/nan are values, not errors",
        "与 GradLab 相同：`inf`/`nan` 是数值，不是错误",
    ),
    "script.noisy_sine": ("noisy sine", "带噪声的正弦"),
    "script.gaussian_noise": ("Gaussian noise", "高斯噪声"),
    "script.hold_out": (
        "hold out {n} random points for validation (the chapter's validate stage)",
        "随机留出 {n} 个点用于验证（本章的验证阶段）",
    ),
    "script.power_features": (
        "The columns 1, x, x^2, ..., x^{degree}: computed once, each power from the one before.",
        "各列为 1, x, x^2, ..., x^{degree}：只计算一次，每个幂由前一个幂得到。",
    ),
    "script.centre": ("the x range's middle and half width", "x 范围的中点和半宽"),
    "script.legendre_features": (
        "Legendre polynomials P0..P{degree} of x scaled to [-1, 1].",
        "把 x 缩放到 [-1, 1] 后的 Legendre 多项式 P0..P{degree}。",
    ),
    "script.bonnet": (
        "Bonnet's recurrence: (k + 1) P_{{k+1}} = (2k + 1) t P_k - k P_{{k-1}}",
        "Bonnet 递推式：(k + 1) P_{{k+1}} = (2k + 1) t P_k - k P_{{k-1}}",
    ),
    "script.power_note": ("X[:, k] is x**k", "X[:, k] 即 x**k"),
    "script.legendre_note": (
        "X[:, k] is P_k(t), t = x scaled to [-1, 1]",
        "X[:, k] 即 P_k(t)，t 为缩放到 [-1, 1] 的 x",
    ),
    "script.random_init": (
        "start values: uniform in [0, 1) (the chapter's np.random.rand() per coefficient)",
        "初始值：[0, 1) 上的均匀分布（本章对每个系数调用 `np.random.rand()`）",
    ),
    "script.start_values": ("start values", "初始值"),
    # the loop and the results
    "script.loop": (
        "The training loop: the chapter's steps, one pass per step",
        "训练循环：本章的各个步骤，每一步走一遍",
    ),
    "script.loss_at": (
        "The loss at coefficients w on all the given points, in float64.",
        "系数为 `w` 时在所有给定点上的损失，用 float64 计算。",
    ),
    "script.in_powers": (
        "the same polynomial in powers of x: expand each P_k(t), then put in t(x)",
        "同一个多项式写成 x 的幂：展开每个 P_k(t)，再代入 t(x)",
    ),
    "script.horner": ("Horner's scheme on polynomials", "对多项式使用 Horner 法"),
    "script.diverged": (
        "diverged at step {{diverged_at}}: the last finite coefficients are kept",
        "在第 {{diverged_at}} 步发散：保留最后一组有限的系数",
    ),
    "script.final_loss": ("at the final coefficients", "在最终系数处"),
}
