"""Comments of the polynomial lab's code listing (gradlab.core.code_listing): id -> (en, zh)."""

LISTING_COMMENTS: dict[str, tuple[str, str]] = {
    # set-up
    "setup.coefficients": ("the coefficients", "系数"),
    "setup.features_as_tensors": ("the features as tensors", "特征，转为张量"),
    "setup.huber_delta": (
        "Huber: squared below delta, linear above",
        "Huber 损失：误差小于 `delta` 时取平方，大于时取线性",
    ),
    "setup.requires_grad": (
        "one tensor per coefficient; requires_grad makes torch record the graph",
        "每个系数一个张量；`requires_grad` 让 `torch` 记录计算图",
    ),
    "setup.start_values": (
        "start from GradLab's values, not torch's random ones",
        "从 GradLab 的初始值开始，而不是 `torch` 的随机值",
    ),
    # mini-batches
    "batch.next": (
        "this step's mini-batch: the next batch_size points of the epoch's shuffle",
        "本步的小批次：本轮次打乱后的顺序中接下来的 `batch_size` 个点",
    ),
    "batch.new_epoch": (
        "a new epoch: a new seeded order of all the points",
        "新的轮次：按随机种子把所有点重新排序",
    ),
    # the phases, per method
    "forward.numpy": ("forward pass: the polynomial's predictions", "前向传播：多项式的预测值"),
    "forward.autograd": (
        "forward pass: the polynomial's predictions (torch records the graph)",
        "前向传播：多项式的预测值（`torch` 记录计算图）",
    ),
    "forward.function": (
        "forward pass: our Function's forward (one node in the graph)",
        "前向传播：我们的 `Function` 的 `forward`（计算图中的一个节点）",
    ),
    "forward.optim": (
        "forward pass: bias + weights · (x, x^2, ...) for every point",
        "前向传播：对每个点计算 偏置 + 权重 · (x, x^2, ...)",
    ),
    "loss": ("1. the loss from prediction and label", "1. 由预测值和标签值计算损失"),
    "backward.numpy": (
        "2-3. backward: each gradient by the chain rule,",
        "2-3. 反向传播：按链式法则求每个梯度，",
    ),
    "backward.autograd": (
        "2-3. backward: autograd applies the chain rule, filling a.grad, ...",
        "2-3. 反向传播：`autograd` 应用链式法则，填入 `a.grad` 等",
    ),
    "backward.function": (
        "2-3. backward: autograd finds grad_y_pred, then calls our backward",
        "2-3. 反向传播：`autograd` 先求出 `grad_y_pred`，再调用我们的 `backward`",
    ),
    "backward.optim": (
        "2-3. backward: autograd fills bias.grad and weight.grad",
        "2-3. 反向传播：`autograd` 填入 `bias.grad` 和 `weight.grad`",
    ),
    "update.numpy": (
        "4. update the coefficients: plain gradient descent",
        "4. 更新参数：普通的梯度下降",
    ),
    "update.autograd": (
        "4. update the coefficients, outside the graph",
        "4. 更新参数，在计算图之外进行",
    ),
    "update.optim": (
        "4. update: {optimizer}'s rule changes the weights",
        "4. 更新参数：按 {optimizer} 的规则改变权重",
    ),
    "zero_grad.numpy": (
        "5. zero the gradients: nothing to clear, NumPy computes them afresh",
        "5. 梯度置零：无需清除，NumPy 每步都重新计算梯度",
    ),
    "zero_grad.autograd": (
        "5. zero the gradients, or the next backward() would add to them",
        "5. 梯度置零，否则下一次 `backward()` 会把梯度累加上去",
    ),
    "zero_grad.optim": (
        "5. zero the gradients (the chapter does it just before backward())",
        "5. 梯度置零（本章在 `backward()` 之前做这一步）",
    ),
    # the custom Function (torch-function)
    "function.docstring": (
        "y_pred = a + b*x + c*x**2 + ... with its backward written by hand.",
        "y_pred = a + b*x + c*x**2 + ...，它的反向传播由手写完成。",
    ),
    "function.save": ("backward needs the features x**k", "`backward` 需要特征 `x**k`"),
    "function.chain_rule": (
        "chain rule: ∂loss/∂b = Σ ∂loss/∂y_pred · ∂y_pred/∂b = Σ grad_y_pred · X[:, 1]",
        "链式法则：∂loss/∂b = Σ ∂loss/∂y_pred · ∂y_pred/∂b = Σ `grad_y_pred` · `X[:, 1]`",
    ),
    "function.bug": ("a deliberate bug: wrong sign", "故意的错误：符号反了"),
    "function.no_x_grad": ("no gradient for X", "`X` 不需要梯度"),
    # the exported script's divergence guard
    "guard.diverged": (
        "GradLab ends a run whose loss or coefficients stop being finite ('diverged')",
        "损失或系数不再是有限值时，GradLab 结束这次运行（“发散”）",
    ),
    "guard.last_loss": (
        "the last finite loss, reported if the final one is not",
        "最后一个有限的损失；最终损失不是有限值时报告它",
    ),
}
