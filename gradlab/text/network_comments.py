"""Comments of a network's code listing and exported script (gradlab.core.network_listing,
gradlab.core.network_script): id -> (en, zh). The phases' shared comments ("loss",
"zero_grad.*", "update.optim") are the polynomial listing's."""

NETWORK_COMMENTS: dict[str, tuple[str, str]] = {
    # set-up
    "net.input": (
        "x as one column (n, 1): the network's one input",
        "x 作为一列 (n, 1)：网络唯一的输入",
    ),
    "net.start.random": (
        "start values: torch's default for nn.Linear(fan_in, fan_out), uniform in ±1/√fan_in,",
        "初始值：`torch` 对 `nn.Linear(fan_in, fan_out)` 的默认初始化，在 ±1/√fan_in 内均匀分布，",
    ),
    "net.start.random_seed": (
        "drawn from the seed's own stream, as GradLab draws them",
        "与 GradLab 相同，从随机种子专用于初始值的随机流中抽取",
    ),
    "net.start.zeros": (
        "start values: all zeros, so the units of a layer stay alike (symmetry never breaks)",
        "初始值：全为零，因此同一层的各个单元始终相同（对称性永远不会被打破）",
    ),
    "net.start.values": (
        "start values: the numbers you gave, in torch's order (W1, b1, W2, ...)",
        "初始值：你给出的数，按 `torch` 的顺序（`W1`、`b1`、`W2` 等）",
    ),
    "net.weights": (
        "one array per weight matrix and bias vector, shaped as torch's (out, in)",
        "每个权重矩阵和偏置向量各一个数组，形状与 `torch` 的相同 (out, in)",
    ),
    "net.requires_grad": (
        "one tensor per weight matrix and bias vector; requires_grad makes torch record the graph",
        "每个权重矩阵和偏置向量各一个张量；`requires_grad` 让 `torch` 记录计算图",
    ),
    "net.model": (
        "the network: linear layers with {activation} between them, one linear output unit",
        "网络：各线性层之间是 `{activation}`，最后是一个线性输出单元",
    ),
    "net.gelu": (
        'GELU as torch computes it (approximate="tanh").',
        '与 `torch` 的计算相同的 `GELU`（`approximate="tanh"`）。',
    ),
    "net.gelu_slope": (
        "GELU'(z), by the product and chain rules.",
        "`GELU'(z)`，由乘积法则和链式法则得到。",
    ),
    # the custom Functions (torch-function)
    "net.function.linear": (
        "z = a Wᵀ + b for one layer, its backward written by hand.",
        "一层的 z = a Wᵀ + b，它的 `backward` 由手写完成。",
    ),
    "net.function.linear_save": (
        "backward needs a and W, not z",
        "`backward` 需要 `a` 和 `W`，不需要 `z`",
    ),
    "net.function.grad_input": (
        "back to the layer below (the data x needs none)",
        "传回下一层（数据 `x` 不需要梯度）",
    ),
    "net.function.activation": (
        "a = {activation}(z), its slope written by hand.",
        "a = `{activation}(z)`，它的斜率由手写完成。",
    ),
    "net.function.slope_needs": (
        "the slope needs {name} only",
        "斜率只需要 `{name}`",
    ),
    # the phases
    "net.forward.numpy": (
        "forward pass: layer by layer, z = a Wᵀ + b, then a = {activation}(z)",
        "前向传播：逐层计算 z = a Wᵀ + b，再计算 a = `{activation}(z)`",
    ),
    "net.forward.autograd": (
        "forward pass: layer by layer (torch records the graph)",
        "前向传播：逐层计算（`torch` 记录计算图）",
    ),
    "net.forward.optim": (
        "forward pass: the model's layers one after another, for every point",
        "前向传播：对每个点依次经过模型的各层",
    ),
    "net.output": (
        "the output unit is linear: one number per point",
        "输出单元是线性的：每个点一个数",
    ),
    "net.backward.numpy": (
        "2-3. backward: the chain rule, layer by layer from the output back",
        "2-3. 反向传播：按链式法则，从输出层开始逐层向后",
    ),
    "net.backward.autograd": (
        "2-3. backward: autograd applies the chain rule through every layer, filling W1.grad, ...",
        "2-3. 反向传播：`autograd` 对每一层应用链式法则，填入 `W1.grad` 等",
    ),
    "net.forward.function": (
        "forward pass: layer by layer through our Functions (each one node in the graph)",
        "前向传播：逐层经过我们的 `Function`（每个都是计算图中的一个节点）",
    ),
    "net.backward.function": (
        "2-3. backward: autograd finds grad_y_pred, then calls our backwards from the output back",
        "2-3. 反向传播：`autograd` 先求出 `grad_y_pred`，再从输出层开始逐个调用我们的 `backward`",
    ),
    "net.backward.optim": (
        "2-3. backward: autograd fills every layer's weight.grad and bias.grad",
        "2-3. 反向传播：`autograd` 填入每一层的 `weight.grad` 和 `bias.grad`",
    ),
    "net.update.numpy": (
        "4. update every weight and bias: plain gradient descent",
        "4. 更新每个权重和偏置：普通的梯度下降",
    ),
    "net.update.autograd": (
        "4. update every weight and bias, outside the graph",
        "4. 更新每个权重和偏置，在计算图之外进行",
    ),
    "net.guard.diverged": (
        "GradLab ends a run whose loss or parameters stop being finite ('diverged')",
        "损失或参数不再是有限值时，GradLab 结束这次运行（“发散”）",
    ),
    # the exported script
    "script.network_model": (
        "Model: a network, {layers} hidden layer(s) of {hidden} {activation} units and a linear",
        "模型：神经网络，{layers} 个隐藏层，每层 {hidden} 个 `{activation}` 单元，",
    ),
    "script.network_model_end": (
        "output unit ({count} parameters), {dtype}.",
        "再加一个线性输出单元（共 {count} 个参数），{dtype}。",
    ),
    "method.net.numpy-manual": (
        "backpropagation written out layer by layer in NumPy",
        "在 NumPy 中逐层手写反向传播",
    ),
    "method.net.torch-autograd": (
        "explicit weight tensors, loss.backward(), a manual update",
        "显式的权重张量、`loss.backward()`、手动更新参数",
    ),
    "method.net.torch-optim": (
        "nn.Sequential, a loss module, torch.optim",
        "`nn.Sequential`、损失模块、`torch.optim`",
    ),
    "method.net.torch-function": (
        "custom Linear and activation Functions, their backward written by hand",
        "自定义的 `Linear` 和激活函数 `Function`，它们的 `backward` 由手写完成",
    ),
    "script.network_prints": (
        "It prints the loss every so often and a line `RESULT_JSON {{...}}` with the same\n"
        "numbers as `gradlab fit --model mlp ... --json` (the parameters in torch's order).",
        "它每隔一段时间打印一次损失，最后打印一行 `RESULT_JSON {{...}}`，其中的数字与\n"
        "`gradlab fit --model mlp ... --json` 相同（参数按 `torch` 的顺序排列）。",
    ),
    "script.network_predict": (
        "The network's predictions at x from its parameters (torch's order), in float64.",
        "由参数（按 `torch` 的顺序）计算网络在 `x` 处的预测值，用 float64 计算。",
    ),
    "script.network_loss_at": (
        "The loss at the parameters p on all the given points, in float64.",
        "参数为 `p` 时在所有给定点上的损失，用 float64 计算。",
    ),
    "script.network_diverged": (
        "diverged at step {{diverged_at}}: the last finite parameters are kept",
        "在第 {{diverged_at}} 步发散：保留最后一组有限的参数",
    ),
    "script.final_parameters": ("at the final parameters", "在最终参数处"),
}
