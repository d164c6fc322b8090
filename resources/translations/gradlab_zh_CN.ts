<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name></name>
    <message>
        <source>Download data</source>
        <translation>下载数据</translation>
    </message>
    <message>
        <source>Load data</source>
        <translation>加载数据</translation>
    </message>
    <message>
        <source>Prepare the model</source>
        <translation>准备模型</translation>
    </message>
    <message>
        <source>Set the loss</source>
        <translation>设置损失函数</translation>
    </message>
    <message>
        <source>Set the optimizer</source>
        <translation>设置优化器</translation>
    </message>
    <message>
        <source>Train</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>Validate</source>
        <translation>验证</translation>
    </message>
    <message>
        <source>Results</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>The chapter downloads CIFAR-10 first. GradLab works offline: shapes are drawn on this PC, the digits ship with GradLab, CIFAR-10 comes from your teacher&apos;s folder.</source>
        <translation>书中首先下载 CIFAR-10。GradLab 可以离线使用：形状在本机上绘制，手写数字随 GradLab 提供，CIFAR-10 来自老师提供的文件夹。</translation>
    </message>
    <message>
        <source>Load the images into memory, hold some out for validation, and cut the rest into batches.</source>
        <translation>把图像加载到内存中，留出一部分用于验证，其余的分成批次。</translation>
    </message>
    <message>
        <source>Build the chapter&apos;s CNN: three Conv2d + MaxPool2d blocks, Flatten, two Linear layers.</source>
        <translation>构建书中的 CNN：三个 Conv2d + MaxPool2d 模块、Flatten 和两个 Linear 层。</translation>
    </message>
    <message>
        <source>Choose how a wrong answer is counted: cross-entropy for classes, or the chapter&apos;s mean squared error.</source>
        <translation>选择错误答案的计分方式：分类用交叉熵，或用书中的均方误差。</translation>
    </message>
    <message>
        <source>Choose the rule that turns gradients into parameter updates (SGD, RMSprop, Adam) and its learning rate.</source>
        <translation>选择把梯度变成参数更新的规则（SGD、RMSprop、Adam）及其学习率。</translation>
    </message>
    <message>
        <source>For every batch: forward pass, loss, zero_grad(), loss.backward(), optimizer.step().</source>
        <translation>对每个批次：前向传播、计算损失、zero_grad()、loss.backward()、optimizer.step()。</translation>
    </message>
    <message>
        <source>After every epoch: loss and accuracy on images the model never trained on.</source>
        <translation>每个轮次之后：在模型从未训练过的图像上计算损失和准确率。</translation>
    </message>
    <message>
        <source>Aggregate and show the results: confusion matrix, mistakes, per-class accuracy, filters and feature maps.</source>
        <translation>汇总并展示结果：混淆矩阵、错误样本、各类别准确率、卷积核和特征图。</translation>
    </message>
    <message>
        <source>epoch {e}/{n}</source>
        <translation>轮次 {e}/{n}</translation>
    </message>
    <message>
        <source>Type at least one number, e.g. 1, 2, 3.</source>
        <translation>请至少输入一个数，例如 1, 2, 3。</translation>
    </message>
    <message>
        <source>At most {most} numbers, please (there are {count}).</source>
        <translation>最多 {most} 个数（现在有 {count} 个）。</translation>
    </message>
    <message>
        <source>Entry {position}, “{entry}”, is not a number: type numbers separated by commas, e.g. 1, 2, 3.</source>
        <translation>第 {position} 项“{entry}”不是数：请输入用逗号分隔的数，例如 1, 2, 3。</translation>
    </message>
    <message>
        <source>Entry {position}, “{entry}”, is too large or not a number: use numbers between -1e6 and 1e6.</source>
        <translation>第 {position} 项“{entry}”太大或不是有限的数：请使用 -1e6 到 1e6 之间的数。</translation>
    </message>
    <message>
        <source>Predictions and targets need the same number of entries (now {predictions} and {targets}).</source>
        <translation>预测值和目标的个数必须相同（现在分别是 {predictions} 个和 {targets} 个）。</translation>
    </message>
    <message>
        <source>Every sample needs one logit per class, the same number of classes each (at least 2).</source>
        <translation>每个样本的每个类别都需要一个 logit，各样本的类别数相同（至少 2 个）。</translation>
    </message>
    <message>
        <source>Class {label} does not exist: there are {classes}.</source>
        <translation>类别 {label} 不存在：一共只有 {classes} 个类别。</translation>
    </message>
    <message>
        <source>The data set needs at least one sample.</source>
        <translation>数据集至少需要一个样本。</translation>
    </message>
    <message>
        <source>Huber&apos;s δ must be greater than 0.</source>
        <translation>Huber 的 δ 必须大于 0。</translation>
    </message>
    <message>
        <source>{field}: {error}</source>
        <translation>{field}：{error}</translation>
    </message>
    <message>
        <source>layer {n}: linear (W{n}, b{n})</source>
        <translation>第 {n} 层：线性层（W{n}、b{n}）</translation>
    </message>
    <message>
        <source>layer {n}: {activation}</source>
        <translation>第 {n} 层：{activation}</translation>
    </message>
    <message>
        <source>leaf: the parameter {name}</source>
        <translation>叶子节点：参数 {name}</translation>
    </message>
    <message>
        <source>root: the loss, where backward() starts</source>
        <translation>根节点：损失，backward() 从这里开始</translation>
    </message>
    <message>
        <source>value (forward pass): {value}</source>
        <translation>值（前向传播）：{value}</translation>
    </message>
    <message>
        <source>gradient flowing in (backward pass): {value}</source>
        <translation>流入的梯度（反向传播）：{value}</translation>
    </message>
    <message>
        <source>after the update: {value}</source>
        <translation>更新参数之后：{value}</translation>
    </message>
    <message>
        <source>its backward, written by hand:</source>
        <translation>它的 backward（手写）：</translation>
    </message>
    <message>
        <source>not computed yet</source>
        <translation>尚未计算</translation>
    </message>
    <message>
        <source>shape {shape}</source>
        <translation>形状 {shape}</translation>
    </message>
    <message>
        <source>custom Function: backward by hand</source>
        <translation>自定义 Function：手写 backward</translation>
    </message>
    <message>
        <source>value {value}</source>
        <translation>值 {value}</translation>
    </message>
    <message>
        <source>grad {value}</source>
        <translation>梯度 {value}</translation>
    </message>
    <message>
        <source>Step {step}:</source>
        <translation>第 {step} 步：</translation>
    </message>
    <message>
        <source>NumPy keeps no graph: this is the chain rule of listing 1, written by hand.</source>
        <translation>NumPy 不保存计算图：这是书中代码 1 手工写出的链式法则。</translation>
    </message>
    <message>
        <source>grad_y_pred first, then each coefficient&apos;s gradient from it.</source>
        <translation>先算 grad_y_pred，再由它算出每个系数的梯度。</translation>
    </message>
    <message>
        <source>The coefficients change (yellow).</source>
        <translation>系数发生变化（黄色）。</translation>
    </message>
    <message>
        <source>Nothing to clear: NumPy computes the gradients afresh each step.</source>
        <translation>无需清除：NumPy 每一步都重新计算梯度。</translation>
    </message>
    <message>
        <source>Forward pass: each operation adds its node to the graph, from the leaves (the parameters) up.</source>
        <translation>前向传播：每个运算都把自己的节点加入计算图，从叶子节点（参数）往上。</translation>
    </message>
    <message>
        <source>The loss is the root of the graph: loss.grad_fn is its node.</source>
        <translation>损失是计算图的根节点：loss.grad_fn 就是它的节点。</translation>
    </message>
    <message>
        <source>loss.backward(): the gradients flow from the root down to the leaves (red).</source>
        <translation>loss.backward()：梯度从根节点向下流到叶子节点（红色）。</translation>
    </message>
    <message>
        <source>The update changes the leaves, the parameters (yellow).</source>
        <translation>更新参数改变了叶子节点，也就是参数（黄色）。</translation>
    </message>
    <message>
        <source>Zero the gradients: each leaf&apos;s .grad is None again.</source>
        <translation>梯度置零：每个叶子节点的 .grad 重新变为 None。</translation>
    </message>
    <message>
        <source>The graph of the latest step (refreshed about once a second while running).</source>
        <translation>最近一步的计算图（训练进行时约每秒刷新一次）。</translation>
    </message>
    <message>
        <source>Step one phase to watch autograd build this step&apos;s computation graph.</source>
        <translation>按“单步（阶段）”，观看自动求导构建这一步的计算图。</translation>
    </message>
    <message>
        <source>Hover over a node or click it to see its value and its gradient.</source>
        <translation>把鼠标悬停在节点上或点击它，查看它的值和梯度。</translation>
    </message>
    <message>
        <source>hidden layer {k}, the first {shown} of its {h} units</source>
        <translation>隐藏层 {k}，其 {h} 个单元中的前 {shown} 个</translation>
    </message>
    <message>
        <source>hidden layer {k}, its {h} units</source>
        <translation>隐藏层 {k}，其 {h} 个单元</translation>
    </message>
    <message>
        <source>output unit (linear)</source>
        <translation>输出单元（线性）</translation>
    </message>
    <message>
        <source>tensor</source>
        <translation>张量</translation>
    </message>
    <message>
        <source>shape</source>
        <translation>形状</translation>
    </message>
    <message>
        <source>first entries</source>
        <translation>前几个元素</translation>
    </message>
    <message>
        <source>By backpropagation, from the output back:</source>
        <translation>由反向传播，从输出层往回计算：</translation>
    </message>
    <message>
        <source>first entries before</source>
        <translation>更新前的前几个元素</translation>
    </message>
    <message>
        <source>after</source>
        <translation>更新后</translation>
    </message>
    <message>
        <source>L is the loss; z_k = a_(k−1)·W_kᵀ + b_k is layer k before its activation, a_0 = x. The gradients flow from the output back to layer 1.</source>
        <translation>L 是损失；z_k = a_(k−1)·W_kᵀ + b_k 是第 k 层激活之前的值，a_0 = x。梯度从输出层一路传回第 1 层。</translation>
    </message>
    <message>
        <source>‖before‖</source>
        <translation>‖更新前‖</translation>
    </message>
    <message>
        <source>‖after‖</source>
        <translation>‖更新后‖</translation>
    </message>
    <message>
        <source>‖change‖</source>
        <translation>‖变化量‖</translation>
    </message>
</context>
<context>
    <name>AboutDialog</name>
    <message>
        <source>About GradLab</source>
        <translation>关于 GradLab</translation>
    </message>
    <message>
        <source>not loaded yet</source>
        <translation>尚未加载</translation>
    </message>
    <message>
        <source>not installed</source>
        <translation>未安装</translation>
    </message>
    <message>
        <source>Watch and drive the training of a model: gradient descent fits a polynomial to sin(x), step by step, as in the chapter.</source>
        <translation>观察并操控模型的训练：像书中一样，用梯度下降一步一步地让多项式拟合 sin(x)。</translation>
    </message>
    <message>
        <source>MIT licence. The bundled Chinese font is a subset of Noto Sans CJK SC (SIL Open Font License).</source>
        <translation>MIT 许可证。内置的中文字体是 Noto Sans CJK SC 的子集（SIL 开放字体许可证）。</translation>
    </message>
</context>
<context>
    <name>Accessibility</name>
    <message>
        <source>Steps for Step ×N</source>
        <translation>“单步 ×N”的步数</translation>
    </message>
    <message>
        <source>Steps the Step × button does, then it pauses</source>
        <translation>“单步 ×”按钮执行的步数，执行完后暂停</translation>
    </message>
    <message>
        <source>Parameters to show</source>
        <translation>要显示的参数</translation>
    </message>
    <message>
        <source>What the parameter plot draws: each tensor&apos;s norm, or one tensor&apos;s first entries</source>
        <translation>参数图显示的内容：每个张量的范数，或某个张量的前几个元素</translation>
    </message>
    <message>
        <source>Speed</source>
        <translation>速度</translation>
    </message>
    <message>
        <source>How many training steps run per second</source>
        <translation>每秒运行多少个训练步</translation>
    </message>
    <message>
        <source>Early stop tolerance</source>
        <translation>提前停止的容差</translation>
    </message>
    <message>
        <source>The run stops when the loss changes less than this</source>
        <translation>损失的变化小于此值时，运行停止</translation>
    </message>
    <message>
        <source>Landscape horizontal axis</source>
        <translation>损失曲面的横轴</translation>
    </message>
    <message>
        <source>The coefficient shown across the loss landscape</source>
        <translation>损失曲面横向显示的系数</translation>
    </message>
    <message>
        <source>Landscape vertical axis</source>
        <translation>损失曲面的纵轴</translation>
    </message>
    <message>
        <source>The coefficient shown up the loss landscape</source>
        <translation>损失曲面纵向显示的系数</translation>
    </message>
    <message>
        <source>Steps to compare</source>
        <translation>比较的步数</translation>
    </message>
    <message>
        <source>How many steps each optimizer runs in the comparison</source>
        <translation>比较中每个优化器运行的步数</translation>
    </message>
    <message>
        <source>Learning rate of the comparison</source>
        <translation>比较使用的学习率</translation>
    </message>
    <message>
        <source>The learning rate every compared optimizer uses</source>
        <translation>所有参与比较的优化器使用的学习率</translation>
    </message>
    <message>
        <source>Earlier runs</source>
        <translation>之前的运行</translation>
    </message>
    <message>
        <source>Runs kept to compare; check one to draw it</source>
        <translation>保留下来用于比较的运行；勾选一个即可把它画出来</translation>
    </message>
    <message>
        <source>Code listing</source>
        <translation>代码清单</translation>
    </message>
    <message>
        <source>The method&apos;s Python code; the phase&apos;s lines marked</source>
        <translation>所选方法的 Python 代码；当前阶段的代码行已标出</translation>
    </message>
    <message>
        <source>Values of the phase</source>
        <translation>本阶段的数值</translation>
    </message>
    <message>
        <source>The numbers the current phase of the step computed</source>
        <translation>这一步的当前阶段算出的数值</translation>
    </message>
    <message>
        <source>Optimizer state</source>
        <translation>优化器状态</translation>
    </message>
    <message>
        <source>What the optimizer keeps between steps</source>
        <translation>优化器在两步之间保存的内容</translation>
    </message>
    <message>
        <source>Lesson</source>
        <translation>课程</translation>
    </message>
    <message>
        <source>The open lesson&apos;s text and tasks</source>
        <translation>当前课程的内容和任务</translation>
    </message>
    <message>
        <source>Image number</source>
        <translation>图像编号</translation>
    </message>
    <message>
        <source>Which validation image the feature maps show</source>
        <translation>特征图显示的是哪一张验证图像</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>层</translation>
    </message>
    <message>
        <source>Which layer&apos;s feature maps are shown</source>
        <translation>显示哪一层的特征图</translation>
    </message>
    <message>
        <source>Model summary</source>
        <translation>模型概要</translation>
    </message>
    <message>
        <source>The CNN&apos;s layers, output shapes and parameters</source>
        <translation>CNN 的各层、输出形状和参数</translation>
    </message>
    <message>
        <source>Hide this message</source>
        <translation>隐藏此消息</translation>
    </message>
    <message>
        <source>Closes the message above the plots</source>
        <translation>关闭图表上方的消息</translation>
    </message>
    <message>
        <source>Labs</source>
        <translation>实验</translation>
    </message>
    <message>
        <source>The polynomial lab and the CNN pipeline</source>
        <translation>多项式实验和 CNN 完整流程</translation>
    </message>
    <message>
        <source>Logits of sample 1</source>
        <translation>样本 1 的 logits</translation>
    </message>
    <message>
        <source>One number per class; softmax turns them into probabilities</source>
        <translation>每个类别一个数；softmax 把它们变成概率</translation>
    </message>
    <message>
        <source>Correct class of sample 1</source>
        <translation>样本 1 的正确类别</translation>
    </message>
    <message>
        <source>The class whose probability the cross-entropy rewards</source>
        <translation>交叉熵所奖励其概率的那个类别</translation>
    </message>
    <message>
        <source>Logits of sample 2</source>
        <translation>样本 2 的 logits</translation>
    </message>
    <message>
        <source>Correct class of sample 2</source>
        <translation>样本 2 的正确类别</translation>
    </message>
    <message>
        <source>Logits of sample 3</source>
        <translation>样本 3 的 logits</translation>
    </message>
    <message>
        <source>Correct class of sample 3</source>
        <translation>样本 3 的正确类别</translation>
    </message>
    <message>
        <source>Cross-entropy table</source>
        <translation>交叉熵表</translation>
    </message>
    <message>
        <source>Per sample: the probability of the correct class, −log p, by the formula and by torch</source>
        <translation>每个样本：正确类别的概率、−log p，分别由公式和 torch 计算</translation>
    </message>
    <message>
        <source>Predictions</source>
        <translation>预测值</translation>
    </message>
    <message>
        <source>The model&apos;s predictions ŷ, numbers separated by commas or spaces</source>
        <translation>模型的预测值 ŷ，数字之间用逗号或空格分隔</translation>
    </message>
    <message>
        <source>Targets</source>
        <translation>标签值</translation>
    </message>
    <message>
        <source>The labels y, numbers separated by commas or spaces</source>
        <translation>标签值 y，数字之间用逗号或空格分隔</translation>
    </message>
    <message>
        <source>Huber loss δ</source>
        <translation>Huber 损失的阈值 δ</translation>
    </message>
    <message>
        <source>Where the Huber loss switches from squared to absolute error</source>
        <translation>Huber 损失从平方误差切换为绝对误差的位置</translation>
    </message>
    <message>
        <source>Vary prediction</source>
        <translation>改变的预测值</translation>
    </message>
    <message>
        <source>Which prediction the plots vary</source>
        <translation>图中改变的是哪一个预测值</translation>
    </message>
    <message>
        <source>Plots show</source>
        <translation>图中显示</translation>
    </message>
    <message>
        <source>Sum or mean over the points in the plots</source>
        <translation>图中对各点求和还是求平均</translation>
    </message>
    <message>
        <source>Node details</source>
        <translation>节点详情</translation>
    </message>
    <message>
        <source>The selected node&apos;s forward value and the gradient flowing into it</source>
        <translation>所选节点在前向传播中的值，以及流入它的梯度</translation>
    </message>
    <message>
        <source>Loss table</source>
        <translation>损失表</translation>
    </message>
    <message>
        <source>Each loss by the formula and by torch&apos;s loss module, summed and averaged</source>
        <translation>每种损失分别由公式和 torch 的损失模块计算，求和与求平均</translation>
    </message>
    <message>
        <source>Method in both precisions</source>
        <translation>两种精度下运行的方法</translation>
    </message>
    <message>
        <source>The method run in float32 and in float64 side by side</source>
        <translation>同时以 float32 和 float64 运行的方法</translation>
    </message>
    <message>
        <source>Logits of sample {n}</source>
        <translation>样本 {n} 的 logits</translation>
    </message>
    <message>
        <source>One logit per class, separated by commas</source>
        <translation>每个类别一个 logit，用逗号分隔</translation>
    </message>
    <message>
        <source>Correct class of sample {n}</source>
        <translation>样本 {n} 的正确类别</translation>
    </message>
    <message>
        <source>The class this sample really belongs to</source>
        <translation>这个样本真正所属的类别</translation>
    </message>
    <message>
        <source>Use the suggested learning rate</source>
        <translation>使用建议的学习率</translation>
    </message>
    <message>
        <source>Puts the suggested learning rate into the field</source>
        <translation>把建议的学习率填入输入框</translation>
    </message>
    <message>
        <source>Apply the suggested fix</source>
        <translation>采用建议的修正</translation>
    </message>
    <message>
        <source>Does what the message above the plots suggests</source>
        <translation>执行图表上方消息所建议的操作</translation>
    </message>
    <message>
        <source>Plot of {y} against {x}</source>
        <translation>{y} 随 {x} 变化的图表</translation>
    </message>
    <message>
        <source>Pane “{title}”; show or hide it from the View menu</source>
        <translation>窗格“{title}”；可在“视图”菜单中显示或隐藏</translation>
    </message>
    <message>
        <source>Tabs: {tabs}</source>
        <translation>标签页：{tabs}</translation>
    </message>
</context>
<context>
    <name>AdminSettings</name>
    <message>
        <source>Lab settings file {file} ignored: it cannot be read ({reason}).</source>
        <translation>已忽略机房设置文件 {file}：无法读取（{reason}）。</translation>
    </message>
    <message>
        <source>Lab settings file {file} ignored: it is not UTF-8 text.</source>
        <translation>已忽略机房设置文件 {file}：它不是 UTF-8 文本。</translation>
    </message>
    <message>
        <source>Lab settings file {file} ignored: it is larger than {limit} bytes.</source>
        <translation>已忽略机房设置文件 {file}：它超过 {limit} 字节。</translation>
    </message>
    <message>
        <source>Lab settings file {file} ignored: it is not an INI file (line {line}).</source>
        <translation>已忽略机房设置文件 {file}：它不是 INI 文件（第 {line} 行）。</translation>
    </message>
    <message>
        <source>Lab settings file {file}: unknown setting &apos;{key}&apos; ignored.</source>
        <translation>机房设置文件 {file}：已忽略未知设置“{key}”。</translation>
    </message>
    <message>
        <source>Lab settings file {file}: &apos;{value}&apos; is not allowed for &apos;{key}&apos;; ignored.</source>
        <translation>机房设置文件 {file}：“{key}”不允许取值“{value}”，已忽略。</translation>
    </message>
    <message>
        <source>Lab settings file {file}: admin/locked names an unknown setting &apos;{key}&apos;.</source>
        <translation>机房设置文件 {file}：admin/locked 中有未知设置“{key}”。</translation>
    </message>
    <message>
        <source>Lab settings file {file}: a line was ignored.</source>
        <translation>机房设置文件 {file}：已忽略一行。</translation>
    </message>
</context>
<context>
    <name>Advice</name>
    <message>
        <source>Above the stable limit {limit} for this data and model: plain gradient descent will probably diverge. Try {suggestion} or less (you may still try this one).</source>
        <translation>超过了这组数据和模型的最大稳定学习率 {limit}：普通梯度下降很可能会发散。请试试 {suggestion} 或更小的值（也可以仍用这个值试一试）。</translation>
    </message>
    <message>
        <source>at step {step}</source>
        <translation>在第 {step} 步</translation>
    </message>
    <message>
        <source>Training diverged {where}: the loss grew without bound. The learning rate {lr} is above the stable limit {limit} for this data and model (2 / the largest curvature), so every step overshoots further. Try {suggestion}. The plots show the history up to the last finite step.</source>
        <translation>训练{where}发散：损失无限增大。学习率 {lr} 超过了这组数据和模型的最大稳定学习率 {limit}（2 / 最大曲率），所以每一步都冲得更远。请试试 {suggestion}。图中显示的是直到最后一个有限值那一步的历史。</translation>
    </message>
    <message>
        <source>Training diverged {where}: the loss or a coefficient became infinite. The learning rate {lr} is too large for this setup; try a smaller one such as {suggestion}. The plots show the history up to the last finite step.</source>
        <translation>训练{where}发散：损失或某个系数变成了无穷大。对这个设置来说，学习率 {lr} 太大了；请试试更小的值，例如 {suggestion}。图中显示的是直到最后一个有限值那一步的历史。</translation>
    </message>
</context>
<context>
    <name>Appearance</name>
    <message>
        <source>&amp;Theme</source>
        <translation>主题(&amp;T)</translation>
    </message>
    <message>
        <source>Follow the &amp;system</source>
        <translation>跟随系统(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Light</source>
        <translation>浅色(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Dark</source>
        <translation>深色(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;High contrast</source>
        <translation>高对比度(&amp;H)</translation>
    </message>
    <message>
        <source>Dark or high contrast when the desktop asks for it, light otherwise</source>
        <translation>桌面系统要求时使用深色或高对比度，否则使用浅色</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation>键盘快捷键(&amp;K)</translation>
    </message>
</context>
<context>
    <name>Autosave</name>
    <message>
        <source>The session as it was at the last autosave or when GradLab last closed</source>
        <translation>上次自动保存或 GradLab 上次关闭时的会话</translation>
    </message>
    <message>
        <source>Reopen the &amp;autosaved session</source>
        <translation>重新打开自动保存的会话(&amp;U)</translation>
    </message>
    <message>
        <source>There is no autosaved session yet.</source>
        <translation>还没有自动保存的会话。</translation>
    </message>
    <message>
        <source>Autosave failed: {error}</source>
        <translation>自动保存失败：{error}</translation>
    </message>
</context>
<context>
    <name>Banner</name>
    <message>
        <source>Hide this message</source>
        <translation>隐藏此消息</translation>
    </message>
</context>
<context>
    <name>ClassAccuracyPlot</name>
    <message>
        <source>Accuracy per class</source>
        <translation>各类别的准确率</translation>
    </message>
    <message>
        <source>validation accuracy</source>
        <translation>验证准确率</translation>
    </message>
</context>
<context>
    <name>ClassificationPage</name>
    <message>
        <source>Sample</source>
        <translation>样本</translation>
    </message>
    <message>
        <source>Logits (one per class)</source>
        <translation>Logits（每个类别一个）</translation>
    </message>
    <message>
        <source>Correct class</source>
        <translation>正确类别</translation>
    </message>
    <message>
        <source>Numbers separated by commas or spaces, e.g. 1, 2, 3</source>
        <translation>用逗号或空格分隔的数，例如 1, 2, 3</translation>
    </message>
    <message>
        <source>Sample {n}</source>
        <translation>样本 {n}</translation>
    </message>
    <message>
        <source>sample</source>
        <translation>样本</translation>
    </message>
    <message>
        <source>softmax probabilities</source>
        <translation>softmax 概率</translation>
    </message>
    <message>
        <source>−log p(correct): formula</source>
        <translation>−log p(正确类别)：按公式</translation>
    </message>
    <message>
        <source>mean</source>
        <translation>取均值</translation>
    </message>
    <message>
        <source>sum</source>
        <translation>求和</translation>
    </message>
    <message>
        <source>cross-entropy = −log p</source>
        <translation>交叉熵 = −log p</translation>
    </message>
    <message>
        <source>the samples</source>
        <translation>各样本</translation>
    </message>
    <message>
        <source>Cross-entropy −log p: the smaller p(correct), the larger the loss</source>
        <translation>交叉熵 −log p：p(正确类别) 越小，损失越大</translation>
    </message>
    <message>
        <source>p(correct class)</source>
        <translation>p(正确类别)</translation>
    </message>
    <message>
        <source>cross-entropy</source>
        <translation>交叉熵</translation>
    </message>
    <message>
        <source>The likelihood of the data set is the product of each sample&apos;s p(correct): {product} = {likelihood}. Its −log is {nll}, the sum of the cross-entropies (mean {mean} × {count} samples). Raise sample 1&apos;s correct logit by 1: the mean cross-entropy falls to {better_mean} and the likelihood rises to {better}. Minimising cross-entropy is maximising likelihood: one is −log of the other.</source>
        <translation>数据集的似然是每个样本 p(正确类别) 的乘积：{product} = {likelihood}。它的 −log 是 {nll}，正是各样本交叉熵之和（均值 {mean} × {count} 个样本）。把样本 1 正确类别的 logit 加 1：平均交叉熵降到 {better_mean}，似然升到 {better}。最小化交叉熵就是最大化似然（最大似然）：一个是另一个的 −log。</translation>
    </message>
</context>
<context>
    <name>Classroom</name>
    <message>
        <source>Locked by the lesson</source>
        <translation>已被课程锁定</translation>
    </message>
    <message>
        <source>&amp;Export</source>
        <translation>导出(&amp;E)</translation>
    </message>
</context>
<context>
    <name>CnnLabWidget</name>
    <message>
        <source>Each training step, as in the chapter:&lt;pre&gt;output = model(images)
loss = loss_fn(output, labels)
optimizer.zero_grad()
loss.backward()
optimizer.step()&lt;/pre&gt;An epoch is one pass over all training images.</source>
        <translation>和书中一样，每个训练步：&lt;pre&gt;output = model(images)
loss = loss_fn(output, labels)
optimizer.zero_grad()
loss.backward()
optimizer.step()&lt;/pre&gt;一个轮次（Epoch）就是把所有训练图像完整过一遍。</translation>
    </message>
    <message>
        <source>After every epoch the model predicts the validation images, which it never trains on. Training accuracy rising while validation accuracy stalls or falls means the model learns the training images by heart (overfitting).</source>
        <translation>每个轮次结束后，模型会预测验证图像（它从不在这些图像上训练）。如果训练准确率在上升，而验证准确率停滞或下降，说明模型在死记硬背训练图像（过拟合）。</translation>
    </message>
    <message>
        <source>Training stopped. Results and Save weights use the model as it is now; Start begins a new run.</source>
        <translation>训练已停止。“结果”和“保存权重”使用模型当前的状态；点击“开始”会开始新的运行。</translation>
    </message>
    <message>
        <source>Press “Load data and show samples” (or Start).</source>
        <translation>请点击“加载数据并显示样本”（或“开始”）。</translation>
    </message>
    <message>
        <source>Loading the data…</source>
        <translation>正在加载数据…</translation>
    </message>
    <message>
        <source>There is no model yet: press Start first.</source>
        <translation>还没有模型：请先点击“开始”。</translation>
    </message>
    <message>
        <source>Save the model&apos;s weights</source>
        <translation>保存模型的权重</translation>
    </message>
    <message>
        <source>PyTorch weights (*.pt *.pth)</source>
        <translation>PyTorch 权重 (*.pt *.pth)</translation>
    </message>
    <message>
        <source>Pause first, then load weights.</source>
        <translation>请先暂停，再加载权重。</translation>
    </message>
    <message>
        <source>Load weights</source>
        <translation>加载权重</translation>
    </message>
    <message>
        <source>PyTorch weights (*.pt *.pth);;All files (*)</source>
        <translation>PyTorch 权重 (*.pt *.pth);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Export the pipeline as a script</source>
        <translation>把流程导出为脚本</translation>
    </message>
    <message>
        <source>Python script (*.py)</source>
        <translation>Python 脚本 (*.py)</translation>
    </message>
    <message>
        <source>Pause or let training finish to see the results.</source>
        <translation>暂停或等训练完成后即可查看结果。</translation>
    </message>
    <message>
        <source>Computing the results…</source>
        <translation>正在计算结果…</translation>
    </message>
    <message>
        <source>The data could not be used: {e}</source>
        <translation>无法使用这些数据：{e}</translation>
    </message>
    <message>
        <source>Training finished.</source>
        <translation>训练完成。</translation>
    </message>
    <message>
        <source>Training finished: validation accuracy {a:.1%}.</source>
        <translation>训练完成：验证准确率 {a:.1%}。</translation>
    </message>
    <message>
        <source>Show results</source>
        <translation>显示结果</translation>
    </message>
    <message>
        <source>The loss became infinite or NaN at batch {n}: the learning rate {lr:g} is too large for this setup. Try {smaller:g}.</source>
        <translation>损失在第 {n} 个批次变成了无穷大或 NaN：对这个设置来说，学习率 {lr:g} 太大了。请试试 {smaller:g}。</translation>
    </message>
    <message>
        <source>Weights saved to {path}.</source>
        <translation>权重已保存到 {path}。</translation>
    </message>
    <message>
        <source>Weights loaded from {path}; the results below use them.</source>
        <translation>已从 {path} 加载权重；下面的结果使用这些权重。</translation>
    </message>
    <message>
        <source>Script written to {path}: run it with python3.</source>
        <translation>脚本已写入 {path}：用 python3 运行它。</translation>
    </message>
    <message>
        <source>The data settings changed: load the data again to see samples.</source>
        <translation>数据设置已更改：请重新加载数据以查看样本。</translation>
    </message>
</context>
<context>
    <name>CnnSettings</name>
    <message>
        <source>Choose the CIFAR-10 folder (python version)</source>
        <translation>选择 CIFAR-10 文件夹（python 版本）</translation>
    </message>
    <message>
        <source>{train:,} training and {val:,} validation images; {n} shown, the classes in turn</source>
        <translation>{train:,} 张训练图像和 {val:,} 张验证图像；显示 {n} 张，各类别轮流出现</translation>
    </message>
    <message>
        <source>Where the images come from, how many are held out for validation, and how many go into one batch (one update of the parameters).</source>
        <translation>图像从哪里来、留出多少用于验证，以及一个批次（参数的一次更新）包含多少张图像。</translation>
    </message>
    <message>
        <source>Dataset</source>
        <translation>数据集</translation>
    </message>
    <message>
        <source>Which images the CNN learns</source>
        <translation>CNN 要学习哪些图像</translation>
    </message>
    <message>
        <source>Shapes (drawn on this PC)</source>
        <translation>形状（在本机上绘制）</translation>
    </message>
    <message>
        <source>Handwritten digits (UCI, shipped)</source>
        <translation>手写数字（UCI，随软件提供）</translation>
    </message>
    <message>
        <source>CIFAR-10 (from a folder)</source>
        <translation>CIFAR-10（从文件夹读取）</translation>
    </message>
    <message>
        <source>The chapter&apos;s demo (one image)</source>
        <translation>书中的演示（一张图像）</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <source>CIFAR-10 folder</source>
        <translation>CIFAR-10 文件夹</translation>
    </message>
    <message>
        <source>The unpacked cifar-10-batches-py folder: data_batch_1 … data_batch_5, test_batch, batches.meta</source>
        <translation>解压后的 cifar-10-batches-py 文件夹：data_batch_1 … data_batch_5、test_batch、batches.meta</translation>
    </message>
    <message>
        <source>Images</source>
        <translation>图像数</translation>
    </message>
    <message>
        <source>How many shapes to draw (a multiple of 10: the same count per class)</source>
        <translation>要绘制多少个形状（10 的倍数：每个类别数量相同）</translation>
    </message>
    <message>
        <source>Validation fraction</source>
        <translation>验证比例</translation>
    </message>
    <message>
        <source>Share of each class held out to validate on (never trained on)</source>
        <translation>每个类别中留出用于验证的比例（从不用于训练）</translation>
    </message>
    <message>
        <source>Batch size</source>
        <translation>批大小</translation>
    </message>
    <message>
        <source>Images per training step: the gradient is averaged over a batch</source>
        <translation>每个训练步使用的图像数：梯度在一个批次上取平均</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <source>Same seed, same images, same starting weights, same numbers</source>
        <translation>相同的种子，相同的图像、相同的初始权重、相同的结果</translation>
    </message>
    <message>
        <source>Load data and show samples</source>
        <translation>加载数据并显示样本</translation>
    </message>
    <message>
        <source>These settings belong to the run: press Reset to change them. The learning rate can change at any time.</source>
        <translation>这些设置属于本次运行：要修改请点击“重置”。学习率可以随时修改。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Samples with their labels&lt;/b&gt;</source>
        <translation>&lt;b&gt;样本及其标签值&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Press “Load data and show samples” (or Start).</source>
        <translation>请点击“加载数据并显示样本”（或“开始”）。</translation>
    </message>
    <message>
        <source>The chapter&apos;s CNN: three blocks of Conv2d(kernel 5, padding 2) + MaxPool2d(2) with 32, 32 and 64 channels, Flatten, Linear(1024, 64), Linear(64, 10). The input&apos;s channels follow the dataset; the flattened size is computed.</source>
        <translation>书中的 CNN：三个 Conv2d（卷积核 5，padding 2）+ MaxPool2d(2) 模块，通道数分别为 32、32 和 64，然后是 Flatten、Linear(1024, 64)、Linear(64, 10)。输入通道数由数据集决定；展平后的大小会自动计算。</translation>
    </message>
    <message>
        <source>ReLU after each convolution and the first Linear</source>
        <translation>在每个卷积和第一个 Linear 之后加 ReLU</translation>
    </message>
    <message>
        <source>Activation</source>
        <translation>激活函数</translation>
    </message>
    <message>
        <source>The chapter&apos;s model has none</source>
        <translation>书中的模型没有激活函数</translation>
    </message>
    <message>
        <source>The chapter has no activation between its layers. Without one, every convolution and Linear layer is linear, so the stack can only learn what max pooling lets through. Train once with and once without ReLU and compare the validation accuracy.</source>
        <translation>书中的各层之间没有激活函数。没有激活函数时，每个卷积层和线性层都是线性的，整个网络只能学到最大池化所允许的东西。请分别在有 ReLU 和没有 ReLU 的情况下各训练一次，比较验证准确率。</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>层</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Output shape</source>
        <translation>输出形状</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>参数</translation>
    </message>
    <message>
        <source>The loss function turns the network&apos;s 10 outputs and the label into one number that training makes smaller.</source>
        <translation>损失函数把网络的 10 个输出和标签值变成一个数，训练就是要让这个数变小。</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>How a wrong answer is counted</source>
        <translation>错误的答案如何计分</translation>
    </message>
    <message>
        <source>Automatic (cross-entropy for classes, MSE for the demo)</source>
        <translation>自动（分类用交叉熵，演示用均方误差）</translation>
    </message>
    <message>
        <source>Cross-entropy</source>
        <translation>交叉熵</translation>
    </message>
    <message>
        <source>Mean squared error on one-hot targets (the chapter&apos;s)</source>
        <translation>对 one-hot 目标的均方误差（书中的做法）</translation>
    </message>
    <message>
        <source>optimizer.step() changes every parameter using its gradient; the learning rate sets how far.</source>
        <translation>optimizer.step() 根据梯度更新每个参数；学习率决定更新的幅度。</translation>
    </message>
    <message>
        <source>Optimizer</source>
        <translation>优化器</translation>
    </message>
    <message>
        <source>The update rule</source>
        <translation>参数更新规则</translation>
    </message>
    <message>
        <source>SGD (with momentum)</source>
        <translation>SGD（带动量）</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <source>Step size of each update; can change during training</source>
        <translation>每次更新的步长；训练中可以修改</translation>
    </message>
    <message>
        <source>Momentum</source>
        <translation>动量</translation>
    </message>
    <message>
        <source>0 = plain gradient descent; 0.9 keeps 90% of the last update</source>
        <translation>0 = 普通梯度下降；0.9 表示保留上一次更新的 90%</translation>
    </message>
    <message>
        <source>RMSprop alpha</source>
        <translation>RMSprop alpha</translation>
    </message>
    <message>
        <source>Smoothing of the running mean of squared gradients</source>
        <translation>梯度平方滑动平均的平滑系数</translation>
    </message>
    <message>
        <source>Adam beta1</source>
        <translation>Adam beta1</translation>
    </message>
    <message>
        <source>Smoothing of the running mean of gradients</source>
        <translation>梯度滑动平均的平滑系数</translation>
    </message>
    <message>
        <source>Adam beta2</source>
        <translation>Adam beta2</translation>
    </message>
    <message>
        <source>Weight decay</source>
        <translation>权重衰减</translation>
    </message>
    <message>
        <source>Pulls every weight a little towards 0 at each step</source>
        <translation>每一步都把每个权重稍微拉向 0</translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation>轮次（Epoch）</translation>
    </message>
    <message>
        <source>How many times training goes through all training images</source>
        <translation>训练要把所有训练图像完整过几遍</translation>
    </message>
    <message>
        <source>Threads</source>
        <translation>线程数</translation>
    </message>
    <message>
        <source>CPU threads torch may use; leave one core for the window</source>
        <translation>torch 可使用的 CPU 线程数；请为窗口留出一个核心</translation>
    </message>
    <message>
        <source>10 classes of shapes (circle, square, triangle, …) with random colours, sizes, positions and noise, 3×32×32. Nothing to download.</source>
        <translation>10 类形状（圆形、正方形、三角形……），颜色、大小、位置和噪声都是随机的，3×32×32。无需下载。</translation>
    </message>
    <message>
        <source>1,797 handwritten digits 0–9 (UCI optdigits, CC BY 4.0), shipped with GradLab: 8×8 pictures enlarged to 32×32, one channel.</source>
        <translation>1,797 个手写数字 0–9（UCI optdigits，CC BY 4.0），随 GradLab 提供：8×8 的图像放大到 32×32，单通道。</translation>
    </message>
    <message>
        <source>CIFAR-10, the chapter&apos;s dataset: 50,000 training and 10,000 test photos in 10 classes. Choose the folder your teacher unpacked from cifar-10-python.tar.gz. Validation uses its test_batch.</source>
        <translation>CIFAR-10，书中使用的数据集：10 个类别，50,000 张训练照片和 10,000 张测试照片。请选择老师从 cifar-10-python.tar.gz 解压出来的文件夹。验证使用其中的 test_batch。</translation>
    </message>
    <message>
        <source>The chapter&apos;s own demo: one all-ones 3×32×32 image, target [1, 2, …, 10], MSE and RMSprop(lr 1e-4), 100 periods. Nothing to validate: watch the loss fall from about 38.</source>
        <translation>书中自己的演示：一张全为 1 的 3×32×32 图像，目标 [1, 2, …, 10]，均方误差和 RMSprop(lr 1e-4)，100 个周期。没有可验证的数据：请观察损失从约 38 开始下降。</translation>
    </message>
    <message>
        <source>Total: {n:,} parameters</source>
        <translation>共 {n:,} 个参数</translation>
    </message>
    <message>
        <source>Cross-entropy: softmax turns the 10 outputs into probabilities; the loss is −log(probability of the right class) (maximum likelihood).</source>
        <translation>交叉熵：softmax 把 10 个输出变成概率；损失是 −log(正确类别的概率)（最大似然）。</translation>
    </message>
    <message>
        <source>Mean squared error: the 10 outputs are compared with the target (for classes a one-hot row, 1 for the right class and 0 elsewhere). The chapter&apos;s demo uses nn.MSELoss().</source>
        <translation>均方误差：把 10 个输出与目标比较（对分类来说是 one-hot 行：正确类别为 1，其余为 0）。书中的演示使用 nn.MSELoss()。</translation>
    </message>
    <message>
        <source>SGD: parameter −= lr × gradient (plus momentum × the last update).</source>
        <translation>SGD：参数 −= lr × 梯度（再加上 动量 × 上一次更新）。</translation>
    </message>
    <message>
        <source>RMSprop (the chapter&apos;s): divides each gradient by the root of its running mean square, so every parameter moves about lr.</source>
        <translation>RMSprop（书中使用的）：把每个梯度除以其滑动均方的平方根，因此每个参数每步大约移动 lr。</translation>
    </message>
    <message>
        <source>Adam: RMSprop plus a running mean of the gradients (momentum); a good default, lr 1e-3.</source>
        <translation>Adam：RMSprop 加上梯度的滑动平均（动量）；一个不错的默认选择，lr 1e-3。</translation>
    </message>
</context>
<context>
    <name>CoefficientPlot</name>
    <message>
        <source>Coefficients</source>
        <translation>系数</translation>
    </message>
    <message>
        <source>step</source>
        <translation>步</translation>
    </message>
    <message>
        <source>value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>Parameters: norm of each tensor</source>
        <translation>参数：每个张量的范数</translation>
    </message>
    <message>
        <source>Parameters: {name}, first {n} of {total}</source>
        <translation>参数：{name}，共 {total} 个中的前 {n} 个</translation>
    </message>
</context>
<context>
    <name>CompareLossPage</name>
    <message>
        <source>Optimizers from the same start</source>
        <translation>从同一起点出发的优化器</translation>
    </message>
    <message>
        <source>step</source>
        <translation>步</translation>
    </message>
    <message>
        <source>loss (log)</source>
        <translation>损失（对数）</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>损失</translation>
    </message>
</context>
<context>
    <name>CompareView</name>
    <message>
        <source>steps</source>
        <translation>步数</translation>
    </message>
    <message>
        <source>lr</source>
        <translation>学习率</translation>
    </message>
    <message>
        <source>suited to each</source>
        <translation>各用适合的值</translation>
    </message>
    <message>
        <source>the experiment&apos;s</source>
        <translation>实验中的值</translation>
    </message>
    <message>
        <source>Suited to each: every optimizer at the rate its rule gives on this problem. Any other choice: the same learning rate for all, which shows how differently each rule turns one rate into steps.</source>
        <translation>各用适合的值：每个优化器都使用其规则在这个问题上给出的学习率。其他选项：所有优化器用同一个学习率，可以看出各条更新规则如何把同一个学习率变成大小不同的步。</translation>
    </message>
    <message>
        <source>Compare optimizers trains SGD, SGD+momentum, RMSprop and Adam from the same start, each at a learning rate suited to it (or one rate for all: see lr). Four-way check runs the chapter&apos;s three methods and a Function with a hand-written backward side by side.</source>
        <translation>比较优化器：从同一起点训练 SGD、SGD+动量、RMSprop 和 Adam，每个都使用适合它的学习率（也可以所有优化器用同一个学习率：见 lr）。四方对照：并排运行本章的三种方法和一个手写 backward 的 Function。</translation>
    </message>
    <message>
        <source>Running the four methods side by side…</source>
        <translation>正在并排运行四种方法…</translation>
    </message>
    <message>
        <source>Running float32 and float64 side by side…</source>
        <translation>正在并排运行 float32 和 float64……</translation>
    </message>
    <message>
        <source>The methods disagree: their gradients differ by up to {gradient:.3g}, far more than rounding. {method} is the one that differs from NumPy by hand: its backward is wrong. gradcheck shows which coefficient.</source>
        <translation>各方法的结果不一致：梯度最多相差 {gradient:.3g}，远超舍入误差。与 NumPy 手写结果不同的是 {method}：它的反向传播有错。gradcheck 会指出是哪个系数。</translation>
    </message>
    <message>
        <source>Autograd computes what we derived by hand: over {steps} steps the four methods&apos; coefficients differ by at most {coefficient:.2g} and their gradients by at most {gradient:.2g} (rounding in the last digits of float64).</source>
        <translation>autograd 算出的正是我们手工推导的结果：在 {steps} 步中，四种方法的系数最多相差 {coefficient:.2g}，梯度最多相差 {gradient:.2g}（float64 最后几位的舍入误差）。</translation>
    </message>
    <message>
        <source>Same data, same start, each optimizer at a learning rate suited to it: {rates}. Final losses: {finals}. Their paths are drawn on the loss landscape.</source>
        <translation>相同的数据、相同的起点，每个优化器使用适合它的学习率：{rates}。最终损失：{finals}。它们的路径画在损失曲面上。</translation>
    </message>
    <message>
        <source>Same data, same start, the same learning rate for all; final losses: {finals}. One rate for all shows how differently each rule turns it into steps: a rate that suits one optimizer can be far too small or too large for another. Their paths are drawn on the loss landscape.</source>
        <translation>相同的数据、相同的起点，所有优化器使用同一个学习率；最终损失：{finals}。同一个学习率可以看出各条规则如何把它变成大小不同的步：适合一个优化器的学习率，对另一个可能太小或太大。它们的路径画在损失曲面上。</translation>
    </message>
    <message>
        <source>Training four optimizers in lockstep…</source>
        <translation>正在同步训练四个优化器…</translation>
    </message>
    <message>
        <source>float32 vs float64</source>
        <translation>float32 对比 float64</translation>
    </message>
    <message>
        <source>Run one method in float32 and in float64 side by side: why do they differ?</source>
        <translation>用 float32 和 float64 并排运行同一种方法：为什么数值不同？</translation>
    </message>
    <message>
        <source>No steps were compared.</source>
        <translation>没有比较任何步。</translation>
    </message>
    <message>
        <source>The methods diverged; lower the learning rate to compare them.</source>
        <translation>这些方法发散了；请降低学习率后再比较。</translation>
    </message>
</context>
<context>
    <name>ConfusionMatrixView</name>
    <message>
        <source>true {true}, predicted {pred}: {n} images</source>
        <translation>真实 {true}，预测 {pred}：{n} 张图像</translation>
    </message>
    <message>
        <source>predicted</source>
        <translation>预测值</translation>
    </message>
    <message>
        <source>true</source>
        <translation>真实值</translation>
    </message>
</context>
<context>
    <name>DifferencePage</name>
    <message>
        <source>Four ways, step by step: largest difference</source>
        <translation>四种方法逐步对比：最大差异</translation>
    </message>
    <message>
        <source>step</source>
        <translation>步</translation>
    </message>
    <message>
        <source>difference (log)</source>
        <translation>差异（对数）</translation>
    </message>
    <message>
        <source>difference</source>
        <translation>差异</translation>
    </message>
    <message>
        <source>coefficients</source>
        <translation>系数</translation>
    </message>
    <message>
        <source>gradients</source>
        <translation>梯度</translation>
    </message>
</context>
<context>
    <name>EarlyStop</name>
    <message>
        <source>Stop near optimum</source>
        <translation>接近最优时停止</translation>
    </message>
    <message>
        <source>Pause the run once its loss is within the tolerance of the best possible loss</source>
        <translation>当损失与可能达到的最小损失之差在容差以内时暂停运行</translation>
    </message>
    <message>
        <source>How close to the optimum loss counts as there</source>
        <translation>与最优损失相差多少算作已经到达</translation>
    </message>
    <message>
        <source>tolerance</source>
        <translation>容差</translation>
    </message>
</context>
<context>
    <name>EpochPlots</name>
    <message>
        <source>Loss per epoch</source>
        <translation>每个轮次的损失</translation>
    </message>
    <message>
        <source>epoch</source>
        <translation>轮次</translation>
    </message>
    <message>
        <source>loss (log)</source>
        <translation>损失（对数）</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>Accuracy per epoch</source>
        <translation>每个轮次的准确率</translation>
    </message>
    <message>
        <source>accuracy</source>
        <translation>准确率</translation>
    </message>
    <message>
        <source>training</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>validation</source>
        <translation>验证</translation>
    </message>
</context>
<context>
    <name>Exports</name>
    <message>
        <source>History as &amp;CSV…</source>
        <translation>历史记录为 CSV(&amp;C)…</translation>
    </message>
    <message>
        <source>The latest run&apos;s loss, coefficients and gradient at every step</source>
        <translation>最近一次运行每一步的损失、系数和梯度</translation>
    </message>
    <message>
        <source>Plots as &amp;PNG…</source>
        <translation>图表为 PNG(&amp;P)…</translation>
    </message>
    <message>
        <source>Each plot as a picture</source>
        <translation>每个图表导出为一张图片</translation>
    </message>
    <message>
        <source>Plots as &amp;SVG…</source>
        <translation>图表为 SVG(&amp;S)…</translation>
    </message>
    <message>
        <source>Each plot as a drawing that stays sharp at any size</source>
        <translation>每个图表导出为矢量图，任意缩放都清晰</translation>
    </message>
    <message>
        <source>Not available: this Qt installation has no SVG support (QtSvg)</source>
        <translation>不可用：当前安装的 Qt 不支持 SVG（缺少 QtSvg）</translation>
    </message>
    <message>
        <source>&amp;Script that repeats the run…</source>
        <translation>重复本次运行的脚本(&amp;S)…</translation>
    </message>
    <message>
        <source>A standalone Python script (NumPy, plus PyTorch for the torch methods) that trains exactly this run and prints y_pred = …</source>
        <translation>一个独立的 Python 脚本（使用 NumPy，torch 方法另需 PyTorch），完全重复这次训练并打印 y_pred = …</translation>
    </message>
    <message>
        <source>&amp;Bundle…</source>
        <translation>打包导出(&amp;B)…</translation>
    </message>
    <message>
        <source>A folder with the history, the plots, the settings and a Python script that repeats the run</source>
        <translation>一个文件夹，包含历史记录、图表、设置以及可重现该运行的 Python 脚本</translation>
    </message>
    <message>
        <source>There is no run to export yet: press Start first.</source>
        <translation>还没有可以导出的运行：请先点击“开始”。</translation>
    </message>
    <message>
        <source>Export history as CSV</source>
        <translation>把历史记录导出为 CSV</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <source>The history was not exported: {error}</source>
        <translation>历史记录未能导出：{error}</translation>
    </message>
    <message>
        <source>History exported to {path}</source>
        <translation>历史记录已导出到 {path}</translation>
    </message>
    <message>
        <source>Export a script that repeats the run</source>
        <translation>导出可重复本次运行的脚本</translation>
    </message>
    <message>
        <source>Python files (*.py)</source>
        <translation>Python 文件 (*.py)</translation>
    </message>
    <message>
        <source>The script was not exported: {error}</source>
        <translation>脚本未能导出：{error}</translation>
    </message>
    <message>
        <source>Script exported to {path}</source>
        <translation>脚本已导出到 {path}</translation>
    </message>
    <message>
        <source>Export the plots into a folder</source>
        <translation>把图表导出到文件夹</translation>
    </message>
    <message>
        <source>The plots were not exported: {error}</source>
        <translation>图表未能导出：{error}</translation>
    </message>
    <message>
        <source>{count} plots exported to {path}</source>
        <translation>已把 {count} 个图表导出到 {path}</translation>
    </message>
    <message>
        <source>Export a bundle into a folder</source>
        <translation>打包导出到文件夹</translation>
    </message>
    <message>
        <source>The bundle was not exported: {error}</source>
        <translation>打包导出失败：{error}</translation>
    </message>
    <message>
        <source>Bundle exported to {path}</source>
        <translation>已打包导出到 {path}</translation>
    </message>
    <message>
        <source>Fix the settings first: {error}</source>
        <translation>请先修正设置：{error}</translation>
    </message>
</context>
<context>
    <name>FitPlot</name>
    <message>
        <source>Fit</source>
        <translation>拟合</translation>
    </message>
    <message>
        <source>training points</source>
        <translation>训练点</translation>
    </message>
    <message>
        <source>validation points</source>
        <translation>验证点</translation>
    </message>
    <message>
        <source>target</source>
        <translation>目标</translation>
    </message>
    <message>
        <source>best possible fit</source>
        <translation>最佳拟合</translation>
    </message>
    <message>
        <source>current fit</source>
        <translation>当前拟合</translation>
    </message>
    <message>
        <source>data from x = {low} to {high}</source>
        <translation>数据范围：x 从 {low} 到 {high}</translation>
    </message>
    <message>
        <source>target: {label}</source>
        <translation>目标：{label}</translation>
    </message>
    <message>
        <source>hidden units: activation × output weight</source>
        <translation>隐藏单元：激活值 × 输出权重</translation>
    </message>
</context>
<context>
    <name>GradLabWindow</name>
    <message>
        <source>GradLab — watch and drive the training of a model</source>
        <translation>GradLab 梯度实验室 —— 观察并操控模型的训练</translation>
    </message>
    <message>
        <source>CNN pipeline</source>
        <translation>CNN 完整流程</translation>
    </message>
    <message>
        <source>Fit a curve</source>
        <translation>拟合曲线</translation>
    </message>
    <message>
        <source>The chapter&apos;s first part: fit y = sin(x) with a cubic (or a small neural network) by gradient descent</source>
        <translation>书中的第一部分：用梯度下降以三次多项式（或一个小型神经网络）拟合 y = sin(x)</translation>
    </message>
    <message>
        <source>The chapter&apos;s whole pipeline: data → model → loss → optimizer → train → validate → results, on a small CNN</source>
        <translation>本章的完整流程：数据 → 模型 → 损失函数 → 优化器 → 训练 → 验证 → 结果，在一个小型 CNN 上演示</translation>
    </message>
    <message>
        <source>&amp;CNN</source>
        <translation>&amp;CNN</translation>
    </message>
</context>
<context>
    <name>GradcheckPanel</name>
    <message>
        <source>gradcheck</source>
        <translation>gradcheck</translation>
    </message>
    <message>
        <source>Check the hand-written backward of the custom Function (torch-function) against finite differences with torch.autograd.gradcheck, in float64</source>
        <translation>用 torch.autograd.gradcheck 在 float64 下把自定义 Function（torch-function）手写的 backward 与有限差分比较</translation>
    </message>
    <message>
        <source>Running gradcheck…</source>
        <translation>正在运行 gradcheck…</translation>
    </message>
    <message>
        <source>gradcheck could not run here.</source>
        <translation>gradcheck 无法在这里运行。</translation>
    </message>
    <message>
        <source>backward (by hand)</source>
        <translation>backward（手写）</translation>
    </message>
    <message>
        <source>finite differences</source>
        <translation>有限差分</translation>
    </message>
    <message>
        <source>gradcheck passed: the hand-written backward agrees with finite differences (float64, {n} points).</source>
        <translation>gradcheck 通过：手写的 backward 与有限差分一致（float64，{n} 个点）。</translation>
    </message>
    <message>
        <source>gradcheck failed: the hand-written backward is wrong for {letters} (float64, {n} points).</source>
        <translation>gradcheck 未通过：手写的 backward 在 {letters} 上有错（float64，{n} 个点）。</translation>
    </message>
</context>
<context>
    <name>GradientPlot</name>
    <message>
        <source>Gradient</source>
        <translation>梯度</translation>
    </message>
    <message>
        <source>step</source>
        <translation>步</translation>
    </message>
    <message>
        <source>gradient norm (log)</source>
        <translation>梯度范数（对数）</translation>
    </message>
    <message>
        <source>‖∇loss‖ (exact)</source>
        <translation>‖∇loss‖（精确值）</translation>
    </message>
    <message>
        <source>‖∇loss‖ (gradient length)</source>
        <translation>‖∇loss‖（梯度长度）</translation>
    </message>
    <message>
        <source>the listing&apos;s float64 floor</source>
        <translation>代码清单的 float64 下限</translation>
    </message>
    <message>
        <source>The listing computes the gradient as sums of float64 products, which stop near {value} at the optimum (rounding). The curve is the exact gradient of the same steps, computed in closed form, so it keeps falling below that.</source>
        <translation>代码清单用 float64 乘积之和计算梯度，在最优点附近因舍入误差停在约 {value}。曲线是同样步骤的精确梯度（以闭式计算），因此会继续降到更低。</translation>
    </message>
</context>
<context>
    <name>GraphPanel</name>
    <message>
        <source>Computation graph</source>
        <translation>计算图</translation>
    </message>
</context>
<context>
    <name>GuideDialog</name>
    <message>
        <source>GradLab guide</source>
        <translation>GradLab 使用指南</translation>
    </message>
    <message>
        <source>Compute the loss from the prediction and the label (forward pass).</source>
        <translation>根据预测值和标签值计算损失（前向传播）。</translation>
    </message>
    <message>
        <source>Differentiate the loss with respect to each parameter, backwards.</source>
        <translation>损失函数对各个参数反向求偏导。</translation>
    </message>
    <message>
        <source>Compute each parameter&apos;s gradient (the chain rule; loss.backward()).</source>
        <translation>计算每个参数的梯度（链式法则；loss.backward()）。</translation>
    </message>
    <message>
        <source>Update the parameters: each moves against its gradient by the learning rate.</source>
        <translation>更新参数：每个参数沿梯度的反方向移动，幅度由学习率决定。</translation>
    </message>
    <message>
        <source>Zero the gradients (zero_grad()), so the next step starts afresh.</source>
        <translation>梯度置零（zero_grad()），让下一步重新开始计算。</translation>
    </message>
    <message>
        <source>Loop again, until the loss stops falling.</source>
        <translation>再次循环，直到损失不再下降。</translation>
    </message>
    <message>
        <source>1 · Data</source>
        <translation>1 · 数据</translation>
    </message>
    <message>
        <source>the curve to learn, its x range, how many points, noise and the share held back for validation.</source>
        <translation>要学习的曲线、x 的范围、点的数量、噪声，以及留作验证的比例。</translation>
    </message>
    <message>
        <source>2 · Model</source>
        <translation>2 · 模型</translation>
    </message>
    <message>
        <source>3 · Method</source>
        <translation>3 · 方法</translation>
    </message>
    <message>
        <source>4 · Loss</source>
        <translation>4 · 损失</translation>
    </message>
    <message>
        <source>how a wrong prediction is scored, and whether the errors are summed or averaged.</source>
        <translation>错误的预测如何计分，以及误差是求和还是取均值。</translation>
    </message>
    <message>
        <source>5 · Optimizer</source>
        <translation>5 · 优化器</translation>
    </message>
    <message>
        <source>the torch.optim algorithm and its settings (only for the nn + optimizer method; with another method it is not shown, and Training is section 5).</source>
        <translation>torch.optim 的算法及其设置（仅用于“nn + 优化器”方法；使用其他方法时不显示，“训练”即为第 5 部分）。</translation>
    </message>
    <message>
        <source>6 · Training</source>
        <translation>6 · 训练</translation>
    </message>
    <message>
        <source>the learning rate, the number of steps and the batch size; the learning rate and steps may change mid-run.</source>
        <translation>学习率、步数和批大小；学习率和步数可以在运行中修改。</translation>
    </message>
    <message>
        <source>Plots</source>
        <translation>图表</translation>
    </message>
    <message>
        <source>Stop near optimum</source>
        <translation>接近最优时停止</translation>
    </message>
    <message>
        <source>tick it on the toolbar and the run pauses at the first step whose loss is within the tolerance of the best possible loss.</source>
        <translation>在工具栏上勾选后，训练会在损失第一次进入最优损失的容差范围内的那一步暂停。</translation>
    </message>
    <message>
        <source>Inside one step</source>
        <translation>一步之内</translation>
    </message>
    <message>
        <source>Step phase runs one phase of a step at a time (forward, loss, backward, update, zero the gradients) with the real numbers, the formulas and the code line that computes them; what the optimizer keeps per coefficient.</source>
        <translation>“单步（阶段）”每次只执行一步中的一个阶段（前向传播、计算损失、反向传播、更新参数、梯度置零），并显示真实的数值、公式和计算它们的那行代码；以及优化器为每个系数保存的内容。</translation>
    </message>
    <message>
        <source>Loss landscape</source>
        <translation>损失曲面</translation>
    </message>
    <message>
        <source>the loss over any two coefficients with the path training took; click to start from another point.</source>
        <translation>任意两个系数上的损失，以及训练走过的路径；点击即可从另一个点开始。</translation>
    </message>
    <message>
        <source>Compare</source>
        <translation>比较</translation>
    </message>
    <message>
        <source>the chapter&apos;s three programs: NumPy by hand, PyTorch autograd, or an nn model with an optimizer; or a fourth, a torch.autograd.Function whose backward is written by hand.</source>
        <translation>书中的三个程序：用 NumPy 手写、PyTorch 自动求导（autograd），或 nn 模型加优化器；还有第四种：反向传播手写的 torch.autograd.Function。</translation>
    </message>
    <message>
        <source>a polynomial (its degree and basis: powers of x or Legendre) or a small neural network (1 to 3 hidden layers of tanh, ReLU, sigmoid or GELU units); where the parameters start, the random seed and the precision (float64 or float32).</source>
        <translation>多项式（阶数和基函数：x 的幂或勒让德多项式），或一个小型神经网络（1 到 3 个隐藏层，单元为 tanh、ReLU、sigmoid 或 GELU）；参数的初始值、随机种子和精度（float64 或 float32）。</translation>
    </message>
    <message>
        <source>the fit over the data, the loss (log scale), each coefficient and the gradient&apos;s size, step by step; for a network also each hidden unit&apos;s part of the fit. Drag to pan, scroll to zoom, the A button follows the data again.</source>
        <translation>逐步显示对数据的拟合、损失（对数刻度）、每个系数和梯度的大小；对于神经网络，还显示每个隐藏单元在拟合中所占的部分。拖动可平移，滚轮可缩放，点 A 按钮重新跟随数据。</translation>
    </message>
    <message>
        <source>Compare optimizers trains SGD, SGD with momentum, RMSprop and Adam from the same start; Four-way check runs the chapter&apos;s three programs and the hand-written Function side by side; gradcheck checks that Function&apos;s backward against finite differences.</source>
        <translation>“比较优化器”从同一起点训练 SGD、带动量的 SGD、RMSprop 和 Adam；“四方对照”把书中的三个程序和手写的 Function 并排运行；gradcheck 把这个 Function 的 backward 与有限差分比较。</translation>
    </message>
    <message>
        <source>Computation graph</source>
        <translation>计算图</translation>
    </message>
    <message>
        <source>the graph autograd records during the step&apos;s forward pass, then walks backwards to compute the gradients, drawn one phase at a time.</source>
        <translation>自动求导在这一步的前向传播中记录下的计算图，随后沿着它反向遍历来计算梯度；按阶段逐一画出。</translation>
    </message>
    <message>
        <source>Loss explorer</source>
        <translation>损失函数探索</translation>
    </message>
    <message>
        <source>View → Loss explorer: how each loss function scores one prediction, and what it does to the fit when some points are outliers.</source>
        <translation>视图 → 损失函数探索：每种损失函数如何为一个预测打分，以及当部分数据点是离群点时它对拟合有什么影响。</translation>
    </message>
    <message>
        <source>float32 vs float64</source>
        <translation>float32 对比 float64</translation>
    </message>
    <message>
        <source>in the Compare dock: the same run in both precisions, and where float32&apos;s rounding stops the loss from falling.</source>
        <translation>在“比较”面板中：同一次训练分别用两种精度运行，并显示 float32 的舍入误差从哪里开始让损失不再下降。</translation>
    </message>
    <message>
        <source>Run history</source>
        <translation>运行历史</translation>
    </message>
    <message>
        <source>every finished, stopped or diverged run, drawn faded behind the live one; tick a run to show or hide it.</source>
        <translation>每一次已完成、已停止或已发散的运行，以淡色画在当前运行后面；勾选一次运行即可显示或隐藏它。</translation>
    </message>
    <message>
        <source>Rewind</source>
        <translation>回退</translation>
    </message>
    <message>
        <source>after a divergence, back to the last good state: lower the learning rate and resume.</source>
        <translation>发散之后，回到最后一个正常的状态：降低学习率后继续。</translation>
    </message>
    <message>
        <source>Lessons</source>
        <translation>课程</translation>
    </message>
    <message>
        <source>File → Lessons… opens a prepared experiment with an explanation and questions in the Lesson pane.</source>
        <translation>“文件 → 课程列表…”会打开一个准备好的实验，并在“课程”面板中显示讲解和问题。</translation>
    </message>
    <message>
        <source>CNN pipeline</source>
        <translation>CNN 完整流程</translation>
    </message>
    <message>
        <source>the second tab runs the chapter&apos;s whole pipeline on a small CNN: data, model, loss, optimizer, train, validate, results; click a stage to see its settings and what it produced.</source>
        <translation>第二个标签页在一个小型 CNN 上运行书中的完整流程：数据、模型、损失、优化器、训练、验证、结果；点击一个阶段即可查看它的设置和产出。</translation>
    </message>
    <message>
        <source>Start, or resume a paused run</source>
        <translation>开始，或继续已暂停的运行</translation>
    </message>
    <message>
        <source>Space</source>
        <translation>空格</translation>
    </message>
    <message>
        <source>Pause / resume</source>
        <translation>暂停 / 继续</translation>
    </message>
    <message>
        <source>One training step, then pause</source>
        <translation>训练一步，然后暂停</translation>
    </message>
    <message>
        <source>Reset: back to step 0 with the current settings</source>
        <translation>重置：用当前设置回到第 0 步</translation>
    </message>
    <message>
        <source>. or Shift+→</source>
        <translation>. 或 Shift+→</translation>
    </message>
    <message>
        <source>One phase of the step (Step phase)</source>
        <translation>执行这一步中的一个阶段（单步（阶段））</translation>
    </message>
    <message>
        <source>Rewind after a divergence</source>
        <translation>发散后回退</translation>
    </message>
    <message>
        <source>Save session</source>
        <translation>保存会话</translation>
    </message>
    <message>
        <source>Save session as…</source>
        <translation>会话另存为…</translation>
    </message>
    <message>
        <source>Open session…</source>
        <translation>打开会话…</translation>
    </message>
    <message>
        <source>Lessons…</source>
        <translation>课程列表…</translation>
    </message>
    <message>
        <source>This guide</source>
        <translation>本指南</translation>
    </message>
    <message>
        <source>Zoom in or out (also Ctrl+wheel over a plot)</source>
        <translation>放大或缩小（也可在图表上按住 Ctrl 滚动滚轮）</translation>
    </message>
    <message>
        <source>Back to 100 % zoom</source>
        <translation>恢复到 100 % 缩放</translation>
    </message>
    <message>
        <source>Presenter mode for a projector, and back</source>
        <translation>进入适合投影仪的演示模式，或退出</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>How GradLab trains a model</source>
        <translation>GradLab 如何训练模型</translation>
    </message>
    <message>
        <source>The controls</source>
        <translation>控件说明</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <source>Saving your work</source>
        <translation>保存你的工作</translation>
    </message>
    <message>
        <source>GradLab fits a polynomial a + b·x + c·x² + d·x³ to y = sin(x), as the chapter does (or a small neural network to the same data), and lets you watch every step. Each step runs the chapter&apos;s six-step training loop:</source>
        <translation>GradLab 像书中一样用多项式 a + b·x + c·x² + d·x³ 拟合 y = sin(x)（也可以用一个小型神经网络拟合同样的数据），并让你观察每一步。每一步都执行书中的六步训练循环：</translation>
    </message>
    <message>
        <source>Space, → and R work whenever you are not typing in a field; click a plot to leave a field.</source>
        <translation>只要你没有在输入框中输入，空格、→ 和 R 就可以使用；点击图表即可离开输入框。</translation>
    </message>
    <message>
        <source>File → Save session keeps the settings and every run&apos;s full history in one file. GradLab also saves your session every minute and offers it back if it closed unexpectedly. File → Export writes the history as CSV, the plots as pictures, or a folder with everything and a Python script that repeats the run.</source>
        <translation>“文件 → 保存会话”把设置和每次运行的完整历史保存在一个文件中。GradLab 还会每分钟自动保存会话，如果程序意外关闭，下次启动时会提供恢复。“文件 → 导出”可以把历史导出为 CSV、把图表导出为图片，或导出一个包含所有内容以及可重现该运行的 Python 脚本的文件夹。</translation>
    </message>
    <message>
        <source>{name}: {text}</source>
        <translation>{name}：{text}</translation>
    </message>
</context>
<context>
    <name>HelpMenu</name>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Guide</source>
        <translation>使用指南(&amp;G)</translation>
    </message>
    <message>
        <source>&amp;About GradLab</source>
        <translation>关于 GradLab(&amp;A)</translation>
    </message>
</context>
<context>
    <name>InsideActions</name>
    <message>
        <source>Step phase</source>
        <translation>单步（阶段）</translation>
    </message>
    <message>
        <source>Run one phase of the step: forward, loss, backward, update, zero the gradients (. or Shift+→)</source>
        <translation>执行这一步中的一个阶段：前向传播、计算损失、反向传播、更新参数、梯度置零（. 或 Shift+→）</translation>
    </message>
    <message>
        <source>Rewind</source>
        <translation>回退</translation>
    </message>
    <message>
        <source>After a divergence: go back to the last good state, so you can lower the learning rate and go on (Ctrl+Z)</source>
        <translation>发散之后：回到最后一个正常的状态，这样你可以降低学习率后继续（Ctrl+Z）</translation>
    </message>
    <message>
        <source>Compare optimizers</source>
        <translation>比较优化器</translation>
    </message>
    <message>
        <source>Train SGD, SGD+momentum, RMSprop and Adam from the same start, in lockstep</source>
        <translation>从同一起点同步训练 SGD、SGD+动量、RMSprop 和 Adam</translation>
    </message>
    <message>
        <source>Four-way check</source>
        <translation>四方对照</translation>
    </message>
    <message>
        <source>Run NumPy-by-hand, autograd, nn+optim and the hand-written Function side by side: same numbers?</source>
        <translation>并排运行 NumPy 手写、autograd、nn+optim 和手写 backward 的 Function：结果相同吗？</translation>
    </message>
    <message>
        <source>&amp;Inside</source>
        <translation>内部(&amp;I)</translation>
    </message>
</context>
<context>
    <name>InsideTraining</name>
    <message>
        <source>Inside one step</source>
        <translation>一步之内</translation>
    </message>
    <message>
        <source>Loss landscape</source>
        <translation>损失曲面</translation>
    </message>
    <message>
        <source>Compare</source>
        <translation>比较</translation>
    </message>
    <message>
        <source>Run history</source>
        <translation>运行历史</translation>
    </message>
    <message>
        <source>Loss explorer</source>
        <translation>损失函数探索</translation>
    </message>
    <message>
        <source>Fix the settings marked in red first.</source>
        <translation>请先修正标红的设置。</translation>
    </message>
    <message>
        <source>These changes need a new run. Start a new run?</source>
        <translation>这些修改需要一次新的运行。开始新的运行吗？</translation>
    </message>
    <message>
        <source>The run diverged: Rewind (Ctrl+Z) to its last good state first.</source>
        <translation>运行已发散：请先回退（Ctrl+Z）到最后一个正常的状态。</translation>
    </message>
    <message>
        <source>All steps are done: raise Steps and press Start, or Reset.</source>
        <translation>所有步数都已完成：请增加步数后点击“开始”，或点击“重置”。</translation>
    </message>
    <message>
        <source>Step {step} was finished as a whole step.</source>
        <translation>第 {step} 步已作为完整的一步完成。</translation>
    </message>
    <message>
        <source>Rewound to step {step}, the last good state. Lower the learning rate, then Resume.</source>
        <translation>已回退到第 {step} 步，即最后一个正常的状态。请降低学习率，然后点击“继续”。</translation>
    </message>
    <message>
        <source>The loss {loss:.8g} is within {tol} of the optimum at step {step:,} (of {total:,}): the rest of the run would change almost nothing. Paused; Resume to go on anyway.</source>
        <translation>在第 {step:,} 步（共 {total:,} 步），损失 {loss:.8g} 与最优值之差已在 {tol} 以内：剩下的运行几乎不会再改变什么。已暂停；如仍要继续，请点击“继续”。</translation>
    </message>
</context>
<context>
    <name>LabController</name>
    <message>
        <source>These changes need a new run, which starts again from step 0 and clears the plots. Start a new run?</source>
        <translation>这些修改需要一次新的运行，它会从第 0 步重新开始并清空图表。开始新的运行吗？</translation>
    </message>
</context>
<context>
    <name>LandscapeStart</name>
    <message>
        <source>For a network, start or step the run first: a click then moves the two parameters of the running network.</source>
        <translation>对于神经网络，请先开始或单步运行：之后点击会移动正在训练的网络中的这两个参数。</translation>
    </message>
    <message>
        <source>New starting point set: training goes on from there.</source>
        <translation>已设置新的起点：训练将从那里继续。</translation>
    </message>
</context>
<context>
    <name>LandscapeView</name>
    <message>
        <source>Horizontal:</source>
        <translation>横轴：</translation>
    </message>
    <message>
        <source>Vertical:</source>
        <translation>纵轴：</translation>
    </message>
    <message>
        <source>path</source>
        <translation>路径</translation>
    </message>
    <message>
        <source>start</source>
        <translation>起点</translation>
    </message>
    <message>
        <source>now</source>
        <translation>当前</translation>
    </message>
    <message>
        <source>optimum</source>
        <translation>最优值</translation>
    </message>
    <message>
        <source>The other {count} parameters are held at their current values. A network&apos;s loss is not a bowl: ridges, saddles and more than one valley. Once a run has started, click to move these two parameters there; training goes on from that point. Drag to pan, wheel to zoom.</source>
        <translation>其余 {count} 个参数保持当前值不变。神经网络的损失不是一个碗：有山脊、鞍点，也不止一个谷底。运行开始后，点击可把这两个参数移到该点，训练从那里继续。拖动可平移，滚轮可缩放。</translation>
    </message>
    <message>
        <source>Click anywhere to start from that point. Drag to pan, wheel to zoom.</source>
        <translation>点击任意位置，从该点开始训练。拖动可平移，滚轮可缩放。</translation>
    </message>
    <message>
        <source>Loss over {i} and {j}</source>
        <translation>关于 {i} 和 {j} 的损失曲面</translation>
    </message>
    <message>
        <source> ({held} held at their current values)</source>
        <translation>（{held} 保持当前值不变）</translation>
    </message>
    <message>
        <source>Could not draw the landscape: {error}</source>
        <translation>无法绘制损失曲面：{error}</translation>
    </message>
</context>
<context>
    <name>LanguageMenu</name>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>Locked by the lab administrator</source>
        <translation>已被机房管理员锁定</translation>
    </message>
    <message>
        <source>Set for every student in {file}</source>
        <translation>由 {file} 为所有学生设定</translation>
    </message>
    <message>
        <source>The Chinese translation could not be loaded.</source>
        <translation>无法加载中文翻译。</translation>
    </message>
</context>
<context>
    <name>LessonActions</name>
    <message>
        <source>Lesson</source>
        <translation>课程</translation>
    </message>
    <message>
        <source>&amp;Lessons…</source>
        <translation>课程列表(&amp;L)…</translation>
    </message>
    <message>
        <source>Open l&amp;esson…</source>
        <translation>打开课程(&amp;E)…</translation>
    </message>
    <message>
        <source>Save as lesso&amp;n…</source>
        <translation>另存为课程(&amp;N)…</translation>
    </message>
    <message>
        <source>&amp;Close lesson</source>
        <translation>关闭课程(&amp;C)</translation>
    </message>
    <message>
        <source>Open lesson</source>
        <translation>打开课程</translation>
    </message>
    <message>
        <source>The lesson was not opened: {error}</source>
        <translation>课程未能打开：{error}</translation>
    </message>
    <message>
        <source>Opening a lesson starts again from step 0 and clears the plots. Open it?</source>
        <translation>打开课程会从第 0 步重新开始并清空图表。确定打开吗？</translation>
    </message>
    <message>
        <source>The last lesson was not reopened and is forgotten: {error}</source>
        <translation>上次的课程未能重新打开，已不再记住：{error}</translation>
    </message>
    <message>
        <source>The last lesson {name} no longer exists and is forgotten.</source>
        <translation>上次的课程 {name} 已不存在，已不再记住。</translation>
    </message>
    <message>
        <source>Fix the settings first: {error}</source>
        <translation>请先修正设置：{error}</translation>
    </message>
    <message>
        <source>Save as lesson</source>
        <translation>另存为课程</translation>
    </message>
    <message>
        <source>The lesson was not saved: {error}</source>
        <translation>课程未能保存：{error}</translation>
    </message>
    <message>
        <source>Lesson saved to {path}</source>
        <translation>课程已保存到 {path}</translation>
    </message>
    <message>
        <source>GradLab lessons (*.json)</source>
        <translation>GradLab 课程 (*.json)</translation>
    </message>
</context>
<context>
    <name>LessonBrowser</name>
    <message>
        <source>Lessons</source>
        <translation>课程</translation>
    </message>
    <message>
        <source>Open lesson</source>
        <translation>打开课程</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>This lesson file cannot be used: {error}</source>
        <translation>无法使用这个课程文件：{error}</translation>
    </message>
    <message>
        <source>Questions</source>
        <translation>问题</translation>
    </message>
</context>
<context>
    <name>LessonView</name>
    <message>
        <source>No lesson is open. File → Lessons… lists the lessons that come with GradLab; a teacher can save the current setup with File → Save as lesson…</source>
        <translation>没有打开的课程。“文件 → 课程列表…”列出 GradLab 自带的课程；老师可以用“文件 → 另存为课程…”保存当前的设置。</translation>
    </message>
    <message>
        <source>Questions</source>
        <translation>问题</translation>
    </message>
</context>
<context>
    <name>LiveView</name>
    <message>
        <source>Press Start (F5) to train the network.</source>
        <translation>按“开始”（F5）训练神经网络。</translation>
    </message>
    <message>
        <source>Press Start (F5) to train the polynomial.</source>
        <translation>按“开始”（F5）训练多项式。</translation>
    </message>
</context>
<context>
    <name>LossExplorer</name>
    <message>
        <source>Regression: L1, MSE, Huber</source>
        <translation>回归：L1、MSE、Huber</translation>
    </message>
    <message>
        <source>Regression</source>
        <translation>回归</translation>
    </message>
    <message>
        <source>Cross-entropy</source>
        <translation>交叉熵</translation>
    </message>
    <message>
        <source>Classification: cross-entropy</source>
        <translation>分类：交叉熵</translation>
    </message>
</context>
<context>
    <name>LossPlot</name>
    <message>
        <source>Loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>step</source>
        <translation>步</translation>
    </message>
    <message>
        <source>loss (log)</source>
        <translation>损失（对数）</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>training loss</source>
        <translation>训练损失</translation>
    </message>
    <message>
        <source>validation loss</source>
        <translation>验证损失</translation>
    </message>
    <message>
        <source>optimum</source>
        <translation>最优值</translation>
    </message>
    <message>
        <source>training loss (sum over {n} points)</source>
        <translation>训练损失（{n} 个点求和）</translation>
    </message>
    <message>
        <source>validation loss (per point)</source>
        <translation>验证损失（每个点平均）</translation>
    </message>
    <message>
        <source>optimum {value}</source>
        <translation>最优值 {value}</translation>
    </message>
</context>
<context>
    <name>LrSuggestion</name>
    <message>
        <source>Plain gradient descent is stable below 2 / λmax = {limit} on this data: {lr} is a round rate just under it.</source>
        <translation>在这组数据上，普通梯度下降在 2 / λmax = {limit} 以下是稳定的：{lr} 是略低于它的一个整数值学习率。</translation>
    </message>
    <message>
        <source>SGD with momentum μ = {mu} is stable below 2 (1 + μ) / λmax = {limit} on this data: {lr} is a round rate just under it.</source>
        <translation>在这组数据上，动量 μ = {mu} 的 SGD 在 2 (1 + μ) / λmax = {limit} 以下是稳定的：{lr} 是略低于它的一个整数值学习率。</translation>
    </message>
    <message>
        <source>Nesterov momentum μ = {mu} is stable below 2 (1 + μ) / ((1 + 2μ) λmax) = {limit} on this data: {lr} is a round rate just under it.</source>
        <translation>在这组数据上，μ = {mu} 的 Nesterov 动量在 2 (1 + μ) / ((1 + 2μ) λmax) = {limit} 以下是稳定的：{lr} 是略低于它的一个整数值学习率。</translation>
    </message>
    <message>
        <source>{name}&apos;s steps shrink as its sum of squared gradients grows; with a steady gradient they add up to 2 lr √steps: at lr = {lr} over {steps} steps that is {covered}, {times}× the farthest coefficient&apos;s distance to the optimum ({distance}).</source>
        <translation>{name} 的步长随梯度平方和的增大而缩小；梯度稳定时，各步加起来约为 2 lr √步数：lr = {lr}、{steps} 步时为 {covered}，是离最优解最远的系数与最优解之间距离（{distance}）的 {times} 倍。</translation>
    </message>
    <message>
        <source>{name}&apos;s steps are of the order of lr whatever the gradient&apos;s scale, so lr × steps should be a few times the farthest coefficient&apos;s distance to the optimum ({distance}): at lr = {lr}, {lr} × {steps} = {covered}, {times}× that distance.</source>
        <translation>{name} 每一步的大小与 lr 同一量级，与梯度的尺度无关，所以 lr × 步数应当是离最优解最远的系数与最优解之间距离（{distance}）的几倍：lr = {lr} 时，{lr} × {steps} = {covered}，是这个距离的 {times} 倍。</translation>
    </message>
    <message>
        <source>just under its stable limit {limit}</source>
        <translation>略低于其稳定上限 {limit}</translation>
    </message>
    <message>
        <source>2 lr √steps = {covered}, {times}× the distance {distance}</source>
        <translation>2 lr √步数 = {covered}，是距离 {distance} 的 {times} 倍</translation>
    </message>
    <message>
        <source>lr × steps = {covered}, {times}× the distance {distance}</source>
        <translation>lr × 步数 = {covered}，是距离 {distance} 的 {times} 倍</translation>
    </message>
    <message>
        <source>lr = {lr} is {factor:.2g}× below the rate suggested here.</source>
        <translation>lr = {lr} 比这里建议的学习率小 {factor:.2g} 倍。</translation>
    </message>
    <message>
        <source>lr = {lr} is {factor:.2g}× above the rate suggested here.</source>
        <translation>lr = {lr} 比这里建议的学习率大 {factor:.2g} 倍。</translation>
    </message>
    <message>
        <source>Use lr = {lr}</source>
        <translation>使用 lr = {lr}</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>GradLab — watch gradient descent fit a polynomial</source>
        <translation>GradLab —— 观察梯度下降如何拟合多项式</translation>
    </message>
    <message>
        <source>Experiment</source>
        <translation>实验</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation>运行(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>Preparing the run: the first PyTorch run of a session loads PyTorch, which takes a few seconds…</source>
        <translation>正在准备运行：本次会话第一次使用 PyTorch 时需要加载 PyTorch，这需要几秒钟…</translation>
    </message>
    <message>
        <source>Finished: all steps done.</source>
        <translation>已完成：所有步数都已完成。</translation>
    </message>
    <message>
        <source>Use lr = {lr}</source>
        <translation>使用 lr = {lr}</translation>
    </message>
</context>
<context>
    <name>MethodLines</name>
    <message>
        <source>Backpropagation written out layer by layer in NumPy, then parameter −= lr × gradient.</source>
        <translation>在 NumPy 中逐层写出反向传播，然后 参数 −= lr × 梯度。</translation>
    </message>
    <message>
        <source>Weight tensors for each layer: loss.backward() computes every gradient.</source>
        <translation>每一层都有自己的权重张量：loss.backward() 计算所有梯度。</translation>
    </message>
    <message>
        <source>An nn.Sequential of nn.Linear layers and activations, a loss module and torch.optim: optimizer.step() does the update.</source>
        <translation>由 nn.Linear 层和激活函数组成的 nn.Sequential、一个损失模块和 torch.optim：由 optimizer.step() 更新参数。</translation>
    </message>
    <message>
        <source>Custom torch.autograd.Functions for each layer and activation: loss.backward() calls the backwards written by hand.</source>
        <translation>每一层和每个激活函数都是自定义的 torch.autograd.Function：loss.backward() 调用手写的反向传播。</translation>
    </message>
    <message>
        <source>The chain rule written out by hand in NumPy, then coefficient −= lr × gradient.</source>
        <translation>在 NumPy 中手写链式法则，然后 系数 −= lr × 梯度。</translation>
    </message>
    <message>
        <source>The same loop on torch tensors: loss.backward() computes the gradients for you.</source>
        <translation>在 torch 张量上执行同样的循环：loss.backward() 会替你计算梯度。</translation>
    </message>
    <message>
        <source>An nn.Linear model, a loss module and torch.optim: optimizer.step() does the update.</source>
        <translation>一个 nn.Linear 模型、一个损失模块和 torch.optim：由 optimizer.step() 更新参数。</translation>
    </message>
    <message>
        <source>Listing 2&apos;s loop around a custom torch.autograd.Function: loss.backward() calls a backward you write by hand.</source>
        <translation>代码 2 的循环，模型是一个自定义的 torch.autograd.Function：loss.backward() 会调用你手写的 backward。</translation>
    </message>
</context>
<context>
    <name>NumberEdit</name>
    <message>
        <source>{label} is empty; type a number such as 0.5 or 1e-6</source>
        <translation>{label}为空；请输入一个数，例如 0.5 或 1e-6</translation>
    </message>
    <message>
        <source>{label} must be a number such as 0.5 or 1e-6, got &apos;{text}&apos;</source>
        <translation>{label}必须是一个数，例如 0.5 或 1e-6，而输入的是“{text}”</translation>
    </message>
    <message>
        <source>{label} must be a whole number such as 2000, got &apos;{text}&apos;</source>
        <translation>{label}必须是整数，例如 2000，而输入的是“{text}”</translation>
    </message>
</context>
<context>
    <name>ParameterPanel</name>
    <message>
        <source>Hidden layers</source>
        <translation>隐藏层数</translation>
    </message>
    <message>
        <source>How many hidden layers between x and the output (1 to 3).</source>
        <translation>x 与输出之间有几个隐藏层（1 到 3）。</translation>
    </message>
    <message>
        <source>Units per layer</source>
        <translation>每层单元数</translation>
    </message>
    <message>
        <source>How many hidden units each hidden layer has (1 to 64).</source>
        <translation>每个隐藏层有多少个隐藏单元（1 到 64）。</translation>
    </message>
    <message>
        <source>Activation</source>
        <translation>激活函数</translation>
    </message>
    <message>
        <source>The hidden units&apos; function: tanh and sigmoid bend smoothly, ReLU makes kinks, GELU (tanh form) is a smooth ReLU.</source>
        <translation>隐藏单元的函数：tanh 和 sigmoid 平滑弯曲，ReLU 产生折点，GELU（tanh 形式）是平滑的 ReLU。</translation>
    </message>
    <message>
        <source>1 · Data</source>
        <translation>1 · 数据</translation>
    </message>
    <message>
        <source>sin, or an expression in x</source>
        <translation>sin，或关于 x 的表达式</translation>
    </message>
    <message>
        <source>Target y =</source>
        <translation>目标 y =</translation>
    </message>
    <message>
        <source>The curve to learn: pick one (sin is the chapter&apos;s) or type an expression in x such as x**3 - 2*x.</source>
        <translation>要学习的曲线：从列表中选择一个（书中用的是 sin），或输入关于 x 的表达式，例如 x**3 - 2*x。</translation>
    </message>
    <message>
        <source>The x interval the points are spread over; type pi for π (the chapter uses -pi to pi).</source>
        <translation>数据点分布的 x 区间；输入 pi 表示 π（书中用的是 -pi 到 pi）。</translation>
    </message>
    <message>
        <source>x from</source>
        <translation>x 从</translation>
    </message>
    <message>
        <source>x min</source>
        <translation>x 最小值</translation>
    </message>
    <message>
        <source>x to</source>
        <translation>x 到</translation>
    </message>
    <message>
        <source>x max</source>
        <translation>x 最大值</translation>
    </message>
    <message>
        <source>Points</source>
        <translation>点数</translation>
    </message>
    <message>
        <source>How many evenly spaced x values to train on (the chapter uses 2000).</source>
        <translation>用多少个均匀分布的 x 值来训练（书中用 2000 个）。</translation>
    </message>
    <message>
        <source>Noise</source>
        <translation>噪声</translation>
    </message>
    <message>
        <source>Standard deviation of random noise added to each y; 0 means exact values.</source>
        <translation>加到每个 y 上的随机噪声的标准差；0 表示精确值。</translation>
    </message>
    <message>
        <source>Validation share</source>
        <translation>验证比例</translation>
    </message>
    <message>
        <source>Fraction of the points held back to check the fit on data it never trained on (0 to 0.9).</source>
        <translation>留出的数据点比例，用来在从未训练过的数据上检验拟合效果（0 到 0.9）。</translation>
    </message>
    <message>
        <source>validation fraction</source>
        <translation>验证比例</translation>
    </message>
    <message>
        <source>Plot beyond data</source>
        <translation>绘图超出数据</translation>
    </message>
    <message>
        <source>How far the fit plot reaches past each end of the data, as a share of its width (0 to 2): 0.5 draws -2π to 2π for data from -π to π, to see how the model extrapolates.</source>
        <translation>拟合图在数据两端各向外延伸多远，以数据宽度的比例表示（0 到 2）：数据为 -π 到 π 时，0.5 表示绘制 -2π 到 2π，用来观察模型如何外推。</translation>
    </message>
    <message>
        <source>plot margin</source>
        <translation>绘图超出数据的范围</translation>
    </message>
    <message>
        <source>2 · Model</source>
        <translation>2 · 模型</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>The chapter&apos;s polynomial, or a small neural network: hidden layers of units act(w·x + b) and a linear output unit (starts like torch&apos;s nn.Linear).</source>
        <translation>本章的多项式，或一个小型神经网络：若干隐藏层，每个单元为 act(w·x + b)，再加一个线性输出单元（初始值与 torch 的 nn.Linear 相同）。</translation>
    </message>
    <message>
        <source>polynomial</source>
        <translation>多项式</translation>
    </message>
    <message>
        <source>neural network (MLP)</source>
        <translation>神经网络（MLP）</translation>
    </message>
    <message>
        <source>Degree</source>
        <translation>阶数</translation>
    </message>
    <message>
        <source>The highest power of x in the polynomial: 3 gives the chapter&apos;s cubic a + b·x + c·x² + d·x³.</source>
        <translation>多项式中 x 的最高次幂：3 就是书中的三阶函数 a + b·x + c·x² + d·x³。</translation>
    </message>
    <message>
        <source>Basis</source>
        <translation>基函数</translation>
    </message>
    <message>
        <source>Raw powers of x (the chapter&apos;s) or Legendre polynomials, which train with a far larger learning rate.</source>
        <translation>x 的幂（书中的做法）或勒让德多项式，后者可以用大得多的学习率训练。</translation>
    </message>
    <message>
        <source>powers of x</source>
        <translation>x 的幂</translation>
    </message>
    <message>
        <source>Legendre</source>
        <translation>勒让德多项式</translation>
    </message>
    <message>
        <source>Start from</source>
        <translation>初始值</translation>
    </message>
    <message>
        <source>Where the parameters start. Random, from the seed: for the polynomial uniform in [0, 1) like the chapter; for a network torch&apos;s nn.Linear start (uniform within ±1/√inputs of each layer). Or all zero, or values you type.</source>
        <translation>参数从哪里开始。随机，由随机种子决定：多项式在 [0, 1) 内均匀取值，与本章相同；神经网络使用 torch 的 nn.Linear 初始化（每层在 ±1/√输入数 之内均匀取值）。也可以全部为零，或使用你输入的值。</translation>
    </message>
    <message>
        <source>random (seeded)</source>
        <translation>随机（由随机种子决定）</translation>
    </message>
    <message>
        <source>zeros</source>
        <translation>全为 0</translation>
    </message>
    <message>
        <source>my values</source>
        <translation>自定义值</translation>
    </message>
    <message>
        <source>Start values</source>
        <translation>初始系数</translation>
    </message>
    <message>
        <source>The starting coefficients a, b, c, ... separated by commas, one per term.</source>
        <translation>初始系数 a, b, c, ……，用逗号分隔，每一项一个。</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <source>The random seed: the same seed gives the same start, noise and split, so a run can be repeated.</source>
        <translation>随机种子：相同的种子会得到相同的初始值、噪声和数据划分，因此运行可以重现。</translation>
    </message>
    <message>
        <source>Precision</source>
        <translation>精度</translation>
    </message>
    <message>
        <source>Number precision: float64 (about 16 digits) or float32 (what neural networks usually use).</source>
        <translation>数值精度：float64（约 16 位有效数字）或 float32（神经网络通常使用的精度）。</translation>
    </message>
    <message>
        <source>3 · Method</source>
        <translation>3 · 方法</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>方法</translation>
    </message>
    <message>
        <source>How the gradients are computed and applied: the chapter&apos;s three listings, or listing 2 with a backward written by hand.</source>
        <translation>梯度如何计算和应用：对应书中的三段代码，或者代码 2 加上手写的反向传播。</translation>
    </message>
    <message>
        <source>NumPy, gradients by hand</source>
        <translation>NumPy，手写梯度</translation>
    </message>
    <message>
        <source>PyTorch autograd</source>
        <translation>PyTorch 自动求导（autograd）</translation>
    </message>
    <message>
        <source>PyTorch nn + optimizer</source>
        <translation>PyTorch nn + 优化器</translation>
    </message>
    <message>
        <source>PyTorch Function, own backward</source>
        <translation>PyTorch Function，自己写 backward</translation>
    </message>
    <message>
        <source>Break the backward: flip ∂loss/∂b</source>
        <translation>弄坏反向传播：翻转 ∂loss/∂b</translation>
    </message>
    <message>
        <source>A deliberate bug for a lesson: the hand-written backward returns −∂loss/∂b instead of ∂loss/∂b. gradcheck and the four-way check catch it.</source>
        <translation>为课程故意设置的错误：手写的 backward 返回 −∂loss/∂b 而不是 ∂loss/∂b。gradcheck 和四方对照都能发现它。</translation>
    </message>
    <message>
        <source>4 · Loss</source>
        <translation>4 · 损失</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>How a wrong prediction is scored: squared error (the chapter&apos;s), absolute error (L1), or Huber (squared near 0, L1 far away).</source>
        <translation>错误的预测如何计分：平方误差（书中的做法）、绝对误差（L1），或 Huber（接近 0 时为平方误差，远离时为 L1）。</translation>
    </message>
    <message>
        <source>squared error</source>
        <translation>平方误差</translation>
    </message>
    <message>
        <source>L1 (absolute)</source>
        <translation>L1（绝对误差）</translation>
    </message>
    <message>
        <source>Huber</source>
        <translation>Huber 损失</translation>
    </message>
    <message>
        <source>Reduction</source>
        <translation>归约方式</translation>
    </message>
    <message>
        <source>Add up the errors of all points (sum, the first listings) or average them (mean, nn.MSELoss&apos;s default).</source>
        <translation>把所有点的误差加起来（求和，前两段代码的做法）或取平均（取均值，nn.MSELoss 的默认方式）。</translation>
    </message>
    <message>
        <source>sum</source>
        <translation>求和</translation>
    </message>
    <message>
        <source>mean</source>
        <translation>取均值</translation>
    </message>
    <message>
        <source>Huber δ</source>
        <translation>Huber δ</translation>
    </message>
    <message>
        <source>Where the Huber loss switches from squared to absolute error.</source>
        <translation>Huber 损失从平方误差切换为绝对误差的位置。</translation>
    </message>
    <message>
        <source>Huber delta</source>
        <translation>Huber 损失的 δ</translation>
    </message>
    <message>
        <source>5 · Optimizer</source>
        <translation>5 · 优化器</translation>
    </message>
    <message>
        <source>Optimizer</source>
        <translation>优化器</translation>
    </message>
    <message>
        <source>The torch.optim algorithm that turns gradients into updates (the chapter&apos;s third listing uses RMSprop).</source>
        <translation>把梯度变成参数更新的 torch.optim 算法（书中第三段代码使用 RMSprop）。</translation>
    </message>
    <message>
        <source>Momentum</source>
        <translation>动量</translation>
    </message>
    <message>
        <source>Keeps a share of the previous update, so steps build up speed along a steady direction (0 = none).</source>
        <translation>保留上一次更新的一部分，使步子在稳定的方向上逐渐加速（0 = 不使用）。</translation>
    </message>
    <message>
        <source>Weight decay</source>
        <translation>权重衰减</translation>
    </message>
    <message>
        <source>Pulls every coefficient slightly towards 0 at each step (0 = none).</source>
        <translation>每一步都把每个系数稍微拉向 0（0 = 不使用）。</translation>
    </message>
    <message>
        <source>Alpha</source>
        <translation>Alpha</translation>
    </message>
    <message>
        <source>How slowly RMSprop&apos;s running average of squared gradients forgets (close to 1 = long memory).</source>
        <translation>RMSprop 的梯度平方滑动平均遗忘得有多慢（接近 1 = 记忆长）。</translation>
    </message>
    <message>
        <source>Beta 1</source>
        <translation>Beta 1</translation>
    </message>
    <message>
        <source>Adam&apos;s memory for the average gradient (its momentum), usually 0.9.</source>
        <translation>Adam 对平均梯度（即其动量）的记忆，通常为 0.9。</translation>
    </message>
    <message>
        <source>Beta 2</source>
        <translation>Beta 2</translation>
    </message>
    <message>
        <source>Adam&apos;s memory for the average squared gradient, usually 0.999.</source>
        <translation>Adam 对平均梯度平方的记忆，通常为 0.999。</translation>
    </message>
    <message>
        <source>Epsilon</source>
        <translation>Epsilon</translation>
    </message>
    <message>
        <source>A tiny number added so the update never divides by zero.</source>
        <translation>加上的一个极小的数，使更新时永远不会除以零。</translation>
    </message>
    <message>
        <source>Nesterov momentum</source>
        <translation>Nesterov 动量</translation>
    </message>
    <message>
        <source>Nesterov momentum looks ahead before computing the gradient; it needs momentum above 0.</source>
        <translation>Nesterov 动量在计算梯度之前先向前看一步；它需要动量大于 0。</translation>
    </message>
    <message>
        <source>6 · Training</source>
        <translation>6 · 训练</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <source>How far each step moves the coefficients against the gradient; scientific notation works (1e-6 is the chapter&apos;s).</source>
        <translation>每一步让系数沿梯度反方向移动多远；可以使用科学计数法（书中用的是 1e-6）。</translation>
    </message>
    <message>
        <source>Steps</source>
        <translation>步数</translation>
    </message>
    <message>
        <source>How many training steps (epochs) to run; 2e5 means 200000.</source>
        <translation>要运行多少个训练步（轮次）；2e5 表示 200000。</translation>
    </message>
    <message>
        <source>Batch size</source>
        <translation>批大小</translation>
    </message>
    <message>
        <source>Points per step: full batch uses them all (the chapter&apos;s); fewer gives stochastic gradient descent.</source>
        <translation>每一步使用的点数：全批次使用全部数据点（书中的做法）；更少则是随机梯度下降。</translation>
    </message>
    <message>
        <source>full batch</source>
        <translation>全批次</translation>
    </message>
    <message>
        <source>target: {message}</source>
        <translation>目标：{message}</translation>
    </message>
    <message>
        <source>start value</source>
        <translation>初始值</translation>
    </message>
</context>
<context>
    <name>PhaseView</name>
    <message>
        <source>On the fit plot: red dots are this step&apos;s predictions ŷ, blue circles the labels y, dashed lines the errors ŷ − y.</source>
        <translation>拟合图上：红点是本步的预测值 ŷ，蓝圈是标签值 y，虚线是误差 ŷ − y。</translation>
    </message>
    <message>
        <source>Optimizer state (what torch.optim keeps)</source>
        <translation>优化器状态（torch.optim 保存的内容）</translation>
    </message>
    <message>
        <source>Between two steps</source>
        <translation>两步之间</translation>
    </message>
    <message>
        <source>Press Step phase (. or Shift+→) to run one phase of the next step: forward, loss, backward, update, zero the gradients.</source>
        <translation>按“单步（阶段）”（. 或 Shift+→）执行下一步中的一个阶段：前向传播、计算损失、反向传播、更新参数、梯度置零。</translation>
    </message>
    <message>
        <source>Step {step} · phase {index} of {count}: {name}</source>
        <translation>第 {step} 步 · 第 {index}/{count} 阶段：{name}</translation>
    </message>
    <message>
        <source>coef.</source>
        <translation>系数</translation>
    </message>
    <message>
        <source>tensor</source>
        <translation>张量</translation>
    </message>
    <message>
        <source>After step {step}. </source>
        <translation>第 {step} 步之后。</translation>
    </message>
    <message>
        <source>One block per tensor: its length ‖·‖ (the root of its entries&apos; squares, summed), then its first {count} entries. </source>
        <translation>每个张量一组：先是它的长度 ‖·‖（各元素平方和的平方根），再是它的前 {count} 个元素。</translation>
    </message>
    <message>
        <source>predict ŷ</source>
        <translation>预测 ŷ</translation>
    </message>
    <message>
        <source>1 loss</source>
        <translation>1 损失</translation>
    </message>
    <message>
        <source>2 differentiate</source>
        <translation>2 求偏导</translation>
    </message>
    <message>
        <source>3 gradients</source>
        <translation>3 梯度</translation>
    </message>
    <message>
        <source>4 update</source>
        <translation>4 更新参数</translation>
    </message>
    <message>
        <source>5 zero grads</source>
        <translation>5 梯度置零</translation>
    </message>
    <message>
        <source>6 loop again</source>
        <translation>6 再次循环</translation>
    </message>
    <message>
        <source>Before the chapter&apos;s step 1: the model predicts ŷ for the points.</source>
        <translation>在书中第 1 步之前：模型为这些点计算预测值 ŷ。</translation>
    </message>
    <message>
        <source>The chapter&apos;s step 1: compute the loss from prediction and label.</source>
        <translation>书中第 1 步：根据预测值和标签值计算损失。</translation>
    </message>
    <message>
        <source>Steps 2–3: differentiate the loss with respect to each parameter (backwards) and compute each parameter&apos;s gradient.</source>
        <translation>第 2–3 步：损失函数对各个参数反向求偏导，计算每个参数的梯度。</translation>
    </message>
    <message>
        <source>Step 4: update the parameters.</source>
        <translation>第 4 步：更新参数。</translation>
    </message>
    <message>
        <source>Step 5: set the gradients to zero; step 6 loops back to the start.</source>
        <translation>第 5 步：梯度置零；第 6 步回到开头再次循环。</translation>
    </message>
    <message>
        <source>Computed by hand: the chain rule written out in NumPy</source>
        <translation>手工计算：在 NumPy 中写出链式法则</translation>
    </message>
    <message>
        <source>Computed by loss.backward(): autograd applies the chain rule</source>
        <translation>由 loss.backward() 计算：autograd 自动应用链式法则</translation>
    </message>
    <message>
        <source>Computed by our Function&apos;s backward: loss.backward() finds ∂loss/∂ŷ, then calls the chain rule written by hand</source>
        <translation>由我们的 Function 的 backward 计算：loss.backward() 先求出 ∂loss/∂ŷ，再调用手写的链式法则</translation>
    </message>
    <message>
        <source>Computed by our Function&apos;s backward, with the lesson&apos;s bug: ∂loss/∂b has the wrong sign</source>
        <translation>由我们的 Function 的 backward 计算，带有课程设置的错误：∂loss/∂b 的符号是错的</translation>
    </message>
    <message>
        <source>nothing to clear: the gradients are recomputed from scratch each step</source>
        <translation>无需清除：每一步都会从头重新计算梯度</translation>
    </message>
    <message>
        <source>.grad = None: the gradients of {letters} are cleared, or the next backward() would add to them</source>
        <translation>.grad = None：清除 {letters} 的梯度，否则下一次 backward() 会把新梯度累加上去</translation>
    </message>
    <message>
        <source>optimizer.zero_grad(): every parameter&apos;s .grad ({letters}) set to None</source>
        <translation>optimizer.zero_grad()：每个参数的 .grad（{letters}）都设为 None</translation>
    </message>
    <message>
        <source>forward pass</source>
        <translation>前向传播</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>backward (gradients)</source>
        <translation>反向传播（梯度）</translation>
    </message>
    <message>
        <source>update</source>
        <translation>更新参数</translation>
    </message>
    <message>
        <source>zero the gradients</source>
        <translation>梯度置零</translation>
    </message>
    <message>
        <source>for all {n} points</source>
        <translation>针对全部 {n} 个点</translation>
    </message>
    <message>
        <source>for this mini-batch of {n} points</source>
        <translation>针对这个包含 {n} 个点的小批次</translation>
    </message>
    <message>
        <source>ŷ (prediction)</source>
        <translation>ŷ（预测值）</translation>
    </message>
    <message>
        <source>y (label)</source>
        <translation>y（标签值）</translation>
    </message>
    <message>
        <source>The fit plot marks these points: ŷ in red, the labels y in blue.</source>
        <translation>拟合图中标出了这些点：预测值 ŷ 为红色，标签值 y 为蓝色。</translation>
    </message>
    <message>
        <source>{kind} loss, {reduction} over {n} points.</source>
        <translation>{kind} 损失，{reduction}，共 {n} 个点。</translation>
    </message>
    <message>
        <source>coefficient</source>
        <translation>系数</translation>
    </message>
    <message>
        <source>by the chain rule</source>
        <translation>由链式法则得到</translation>
    </message>
    <message>
        <source>grad_y_pred = ∂loss/∂ŷ for each point: {values}, …</source>
        <translation>每个点的 grad_y_pred = ∂loss/∂ŷ：{values}, …</translation>
    </message>
    <message>
        <source>autograd derives these same expressions by itself.</source>
        <translation>autograd 会自己推导出同样的表达式。</translation>
    </message>
    <message>
        <source>before</source>
        <translation>之前</translation>
    </message>
    <message>
        <source>after</source>
        <translation>之后</translation>
    </message>
    <message>
        <source>optimizer.step() applied its own rule: the change is −lr × u, with u from the optimizer&apos;s state (see below).</source>
        <translation>optimizer.step() 使用了它自己的规则：变化量为 −lr × u，u 由优化器的状态算出（见下方）。</translation>
    </message>
    <message>
        <source>change = −lr × {u}</source>
        <translation>变化量 = −lr × {u}</translation>
    </message>
    <message>
        <source>Plain gradient descent keeps no state: each coefficient moves by −lr × g.</source>
        <translation>普通梯度下降不保存状态：每个系数移动 −lr × g。</translation>
    </message>
    <message>
        <source>SGD with momentum adds each gradient to a buffer b that decays by μ = {mu} per step and moves by −lr × b, so gradients of the same sign add up.</source>
        <translation>带动量的 SGD 把每个梯度累加到缓冲 b 中（b 每步按 μ = {mu} 衰减），并移动 −lr × b，所以同号的梯度会叠加起来。</translation>
    </message>
    <message>
        <source>Nesterov momentum keeps a buffer b that decays by μ = {mu} per step and moves by −lr × (g + μ·b): the gradient plus a look ahead along b.</source>
        <translation>Nesterov 动量保存一个每步按 μ = {mu} 衰减的缓冲 b，并移动 −lr × (g + μ·b)：梯度再加上沿 b 方向的前瞻。</translation>
    </message>
    <message>
        <source>RMSprop divides each gradient by √v + ε, the root of its running mean square, so a step&apos;s size follows the gradient relative to its recent sizes, not its raw size.</source>
        <translation>RMSprop 把每个梯度除以 √v + ε（梯度滑动均方的平方根），所以步长取决于梯度相对于其近期大小的比例，而不是梯度本身的大小。</translation>
    </message>
    <message>
        <source>RMSprop with momentum adds g / (√v + ε) to a buffer b that decays by μ = {mu} per step, and moves by −lr × b.</source>
        <translation>带动量的 RMSprop 把 g / (√v + ε) 累加到每步按 μ = {mu} 衰减的缓冲 b 中，并移动 −lr × b。</translation>
    </message>
    <message>
        <source>Adam divides m̂ = m / (1 − β₁ᵗ), the bias-corrected running mean of the gradient, by √v̂ + ε, where v̂ = v / (1 − β₂ᵗ) is the bias-corrected running mean square (t = {t}).</source>
        <translation>Adam 用梯度的偏差修正滑动平均 m̂ = m / (1 − β₁ᵗ) 除以 √v̂ + ε，其中 v̂ = v / (1 − β₂ᵗ) 是偏差修正后的滑动均方（t = {t}）。</translation>
    </message>
    <message>
        <source>AdamW divides m̂ = m / (1 − β₁ᵗ), the bias-corrected running mean of the gradient, by √v̂ + ε, where v̂ = v / (1 − β₂ᵗ) (t = {t}), and also shrinks θ by lr · λ · θ (λ = {decay}).</source>
        <translation>AdamW 用梯度的偏差修正滑动平均 m̂ = m / (1 − β₁ᵗ) 除以 √v̂ + ε，其中 v̂ = v / (1 − β₂ᵗ)（t = {t}），另外还把 θ 缩小 lr · λ · θ（λ = {decay}，权重衰减）。</translation>
    </message>
    <message>
        <source>Adagrad divides each gradient by √s + ε, the root of the sum s of all its squares so far; s only grows, so the same gradient moves a coefficient less and less.</source>
        <translation>Adagrad 把每个梯度除以 √s + ε，s 是到目前为止所有梯度平方之和；s 只增不减，所以同样大小的梯度让系数移动得越来越少。</translation>
    </message>
    <message>
        <source>Here u = {formula} = {u}, so the change −lr × u is {change} (lr = {lr}).</source>
        <translation>这里 u = {formula} = {u}，所以变化量 −lr × u 为 {change}（lr = {lr}）。</translation>
    </message>
    <message>
        <source>every .grad is None now.</source>
        <translation>现在每个 .grad 都是 None。</translation>
    </message>
    <message>
        <source>(NumPy keeps no gradients between steps.)</source>
        <translation>（NumPy 在两步之间不保留梯度。）</translation>
    </message>
    <message>
        <source>Step {step} is complete.</source>
        <translation>第 {step} 步已完成。</translation>
    </message>
    <message>
        <source>This value is not finite: the step ends here and the run has diverged.</source>
        <translation>这个值不是有限数：这一步到此结束，运行已发散。</translation>
    </message>
</context>
<context>
    <name>PlotGrid</name>
    <message>
        <source>Show:</source>
        <translation>显示：</translation>
    </message>
    <message>
        <source>the norm of each weight and bias tensor</source>
        <translation>每个权重和偏置张量的范数</translation>
    </message>
    <message>
        <source>the first entries of {name}</source>
        <translation>{name} 的前几个元素</translation>
    </message>
</context>
<context>
    <name>PrecisionPage</name>
    <message>
        <source>method</source>
        <translation>方法</translation>
    </message>
    <message>
        <source>PyTorch autograd (listing 2)</source>
        <translation>PyTorch 自动求导（代码 2）</translation>
    </message>
    <message>
        <source>NumPy, gradients by hand (listing 1)</source>
        <translation>NumPy 手写梯度（代码 1）</translation>
    </message>
    <message>
        <source>PyTorch nn + optimizer (listing 3)</source>
        <translation>PyTorch nn + 优化器（代码 3）</translation>
    </message>
    <message>
        <source>PyTorch Function, own backward</source>
        <translation>PyTorch Function，自己写 backward</translation>
    </message>
    <message>
        <source>The method run twice from the same start, once in float32 and once in float64; changing it runs the comparison again</source>
        <translation>同一种方法从同一个起点运行两次，一次用 float32，一次用 float64；更换方法会重新比较</translation>
    </message>
    <message>
        <source>float32 against float64, step by step</source>
        <translation>float32 与 float64 逐步对比</translation>
    </message>
    <message>
        <source>step</source>
        <translation>步</translation>
    </message>
    <message>
        <source>difference (log)</source>
        <translation>差异（对数）</translation>
    </message>
    <message>
        <source>difference</source>
        <translation>差异</translation>
    </message>
    <message>
        <source>loss (relative)</source>
        <translation>损失（相对差）</translation>
    </message>
    <message>
        <source>coefficients (largest)</source>
        <translation>系数（最大差）</translation>
    </message>
    <message>
        <source>No steps were compared.</source>
        <translation>没有比较任何步。</translation>
    </message>
    <message>
        <source>The runs diverged; lower the learning rate to compare them.</source>
        <translation>运行发散了；请降低学习率后再比较。</translation>
    </message>
    <message>
        <source>float32 (single precision) keeps about {d32} significant digits (machine epsilon {e32:.3g}), float64 (double precision) about {d64} ({e64:.3g}); torch computes in float32 unless told otherwise, as the chapter&apos;s listing 2 does. Same method, same start: after step {first} the losses differ by {l1:.3g} (relative {r1:.2g}) and the coefficients by {c1:.2g}, because the data and the coefficients are rounded to float32 before anything is computed. After step {n} the losses differ by {ln:.3g} (relative {rn:.2g}) and the coefficients by {cn:.2g}.</source>
        <translation>float32（单精度）约保留 {d32} 位有效数字（机器精度 {e32:.3g}），float64（双精度）约 {d64} 位（{e64:.3g}）；torch 默认用 float32 计算，本章的代码 2 就是如此。同一种方法、同一个起点：第 {first} 步后两者的损失相差 {l1:.3g}（相对差 {r1:.2g}），系数相差 {c1:.2g}，因为数据和系数在计算之前就已被舍入为 float32。第 {n} 步后损失相差 {ln:.3g}（相对差 {rn:.2g}），系数相差 {cn:.2g}。</translation>
    </message>
    <message>
        <source>The coefficients&apos; difference grew {ratio:.3g}-fold: each step starts from the previous step&apos;s rounded result, so the rounding errors are carried along and add up.</source>
        <translation>系数的差增大到了 {ratio:.3g} 倍：每一步都从上一步舍入后的结果出发，舍入误差被一路带下去并不断累积。</translation>
    </message>
    <message>
        <source>Here the difference did not grow: each step&apos;s rounding errors partly cancel the earlier ones, and both runs head for the same optimum.</source>
        <translation>这里差没有增大：每一步的舍入误差部分抵消了之前的误差，两次运行都趋向同一个最优解。</translation>
    </message>
    <message>
        <source>The order of summation matters as well: at the float32 run&apos;s final coefficients, its {terms} float32 loss terms added one by one give {seq:.9g}, added pairwise (as NumPy and torch add) {pair:.9g}, a difference of {order:.2g}; added exactly, {exact:.9g}.</source>
        <translation>求和的顺序也有影响：在 float32 运行最终的系数处，它的 {terms} 个 float32 损失项逐个相加得 {seq:.9g}，两两分组相加（NumPy 和 torch 的做法）得 {pair:.9g}，相差 {order:.2g}；精确相加则是 {exact:.9g}。</translation>
    </message>
</context>
<context>
    <name>ReadoutBar</name>
    <message>
        <source>{seconds} s</source>
        <translation>{seconds} 秒</translation>
    </message>
    <message>
        <source>The polynomial as it is right now, in powers of x</source>
        <translation>当前的多项式，按 x 的幂展开</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>步数</translation>
    </message>
    <message>
        <source>Training steps done so far</source>
        <translation>目前已完成的训练步数</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>The loss at the latest step (before its update, as the chapter prints it)</source>
        <translation>最近一步的损失（在该步更新参数之前计算，与书中打印的一致）</translation>
    </message>
    <message>
        <source>Above optimum</source>
        <translation>高出最优值</translation>
    </message>
    <message>
        <source>Loss minus the smallest loss possible for this data and model</source>
        <translation>损失减去这组数据和模型可能达到的最小损失</translation>
    </message>
    <message>
        <source>Coefficient distance</source>
        <translation>系数距离</translation>
    </message>
    <message>
        <source>How far the coefficients are from the optimal ones (length of the difference)</source>
        <translation>系数与最优系数相差多远（差向量的长度）</translation>
    </message>
    <message>
        <source>Speed</source>
        <translation>速度</translation>
    </message>
    <message>
        <source>Training steps per second</source>
        <translation>每秒训练步数</translation>
    </message>
    <message>
        <source>Elapsed</source>
        <translation>已用时间</translation>
    </message>
    <message>
        <source>Time spent training (pauses not counted)</source>
        <translation>训练所用的时间（不计暂停）</translation>
    </message>
    <message>
        <source>of {total}</source>
        <translation>共 {total}</translation>
    </message>
    <message>
        <source>{percent:.1f}% of the steps done</source>
        <translation>已完成 {percent:.1f}% 的步数</translation>
    </message>
    <message>
        <source>{rate} steps/s</source>
        <translation>{rate} 步/秒</translation>
    </message>
</context>
<context>
    <name>RecentFiles</name>
    <message>
        <source>Open &amp;Recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <source>Removed from Open Recent because they no longer exist: {names}</source>
        <translation>以下文件已不存在，已从“最近打开”中移除：{names}</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>Clear the list</source>
        <translation>清空列表</translation>
    </message>
    <message>
        <source>{name} no longer exists; it was removed from Open Recent.</source>
        <translation>{name} 已不存在，已从“最近打开”中移除。</translation>
    </message>
    <message>
        <source>an unexpected error ({kind})</source>
        <translation>意外错误（{kind}）</translation>
    </message>
</context>
<context>
    <name>RecoveryBar</name>
    <message>
        <source>GradLab closed unexpectedly. Restore the autosaved session?</source>
        <translation>GradLab 上次意外关闭。要恢复自动保存的会话吗？</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>恢复</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>丢弃</translation>
    </message>
</context>
<context>
    <name>RegressionPage</name>
    <message>
        <source>Predictions ŷ</source>
        <translation>预测值 ŷ</translation>
    </message>
    <message>
        <source>Targets y</source>
        <translation>目标 y</translation>
    </message>
    <message>
        <source>Numbers separated by commas or spaces, e.g. 1, 2, 3</source>
        <translation>用逗号或空格分隔的数，例如 1, 2, 3</translation>
    </message>
    <message>
        <source>Huber&apos;s δ</source>
        <translation>Huber 的 δ</translation>
    </message>
    <message>
        <source>Vary prediction</source>
        <translation>改变的预测值</translation>
    </message>
    <message>
        <source>Plots show</source>
        <translation>图中显示</translation>
    </message>
    <message>
        <source>sum</source>
        <translation>求和</translation>
    </message>
    <message>
        <source>mean</source>
        <translation>取均值</translation>
    </message>
    <message>
        <source>Predictions</source>
        <translation>预测值</translation>
    </message>
    <message>
        <source>Targets</source>
        <translation>目标</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>by the formula</source>
        <translation>按公式</translation>
    </message>
    <message>
        <source>torch
(float32)</source>
        <translation>torch
(float32)</translation>
    </message>
    <message>
        <source>slope ∂/∂ŷ{i}
formula, torch</source>
        <translation>斜率 ∂/∂ŷ{i}
公式, torch</translation>
    </message>
    <message>
        <source>torch is being loaded; its numbers follow.</source>
        <translation>正在加载 torch；它的数值随后显示。</translation>
    </message>
    <message>
        <source>squared error</source>
        <translation>平方误差</translation>
    </message>
    <message>
        <source>Huber</source>
        <translation>Huber 损失</translation>
    </message>
    <message>
        <source>Loss ({reduction}) as ŷ{n} moves; click to move it</source>
        <translation>ŷ{n} 变化时的损失（{reduction}）；点击可移动它</translation>
    </message>
    <message>
        <source>ŷ{n} (dashed: its target y{n})</source>
        <translation>ŷ{n}（虚线：它的目标 y{n}）</translation>
    </message>
    <message>
        <source>Its slope ∂loss/∂ŷ{n}: what the gradient is made of</source>
        <translation>它的斜率 ∂loss/∂ŷ{n}：梯度就由它组成</translation>
    </message>
    <message>
        <source>slope</source>
        <translation>斜率</translation>
    </message>
    <message>
        <source>At ŷ{n} = {p} (target y{n} = {y}) the slopes are: L1 {l1}, squared error {squared}, Huber {huber}. L1&apos;s slope is ±{unit} wherever ŷ{n} ≠ y{n}: its size never changes, however far off the prediction is. Squared error&apos;s slope is {two}·(ŷ{n} − y{n}): twice as far off, twice as steep, so the gradient grows with the error. Huber is half the squared error within δ = {delta} of the target and L1-like (slope ±{band}) beyond it.</source>
        <translation>在 ŷ{n} = {p}（目标 y{n} = {y}）处的斜率：L1 为 {l1}，平方误差为 {squared}，Huber 为 {huber}。只要 ŷ{n} ≠ y{n}，L1 的斜率就是 ±{unit}：无论预测偏离多远，它的大小都不变。平方误差的斜率是 {two}·(ŷ{n} − y{n})：偏离加倍，坡度也加倍，所以梯度随误差增大。Huber 在目标的 δ = {delta} 范围内是平方误差的一半，超出后像 L1（斜率 ±{band}）。</translation>
    </message>
    <message>
        <source>With mean, every slope is divided by the {count} points.</source>
        <translation>取均值时，每个斜率都除以点数 {count}。</translation>
    </message>
</context>
<context>
    <name>ResultsView</name>
    <message>
        <source>Results appear when training is paused or finished.</source>
        <translation>训练暂停或完成后会显示结果。</translation>
    </message>
    <message>
        <source>All images</source>
        <translation>所有图像</translation>
    </message>
    <message>
        <source>Mistakes only</source>
        <translation>只看错误</translation>
    </message>
    <message>
        <source>First layer&apos;s filters (conv1: 32 kernels of 5×5)</source>
        <translation>第一层的卷积核（conv1：32 个 5×5 卷积核）</translation>
    </message>
    <message>
        <source>Feature maps of one image</source>
        <translation>一张图像的特征图</translation>
    </message>
    <message>
        <source>Image</source>
        <translation>图像</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>层</translation>
    </message>
    <message>
        <source>No results yet.</source>
        <translation>还没有结果。</translation>
    </message>
    <message>
        <source>Validation accuracy {acc:.1%} on {n} images after {epochs} epoch(s) ({steps} batches). Click a cell of the confusion matrix to see its images; click an image to see its feature maps.</source>
        <translation>{epochs} 个轮次（{steps} 个批次）后，在 {n} 张图像上的验证准确率为 {acc:.1%}。点击混淆矩阵的单元格查看对应的图像；点击图像查看它的特征图。</translation>
    </message>
    <message>
        <source>No validation images (the chapter&apos;s demo fits one image): its result is the falling loss. The filters and feature maps are below.</source>
        <translation>没有验证图像（书中的演示只拟合一张图像）：它的结果就是不断下降的损失。卷积核和特征图显示在下方。</translation>
    </message>
    <message>
        <source>True {true}, predicted {pred}: {n} image(s)</source>
        <translation>真实 {true}，预测 {pred}：{n} 张图像</translation>
    </message>
    <message>
        <source> (showing the first {m})</source>
        <translation>（显示前 {m} 张）</translation>
    </message>
    <message>
        <source>Mistakes: {n} image(s); each shows the prediction and, in red, the truth</source>
        <translation>错误：{n} 张图像；每张显示预测值，并用红色显示真实值</translation>
    </message>
    <message>
        <source>Validation images: prediction under each, mistakes framed red ({n})</source>
        <translation>验证图像：每张下方是预测值，错误的用红框标出（{n}）</translation>
    </message>
    <message>
        <source>No images here.</source>
        <translation>这里没有图像。</translation>
    </message>
    <message>
        <source>the input</source>
        <translation>输入</translation>
    </message>
    <message>
        <source>Image {i} after {layer}: {c} feature maps of {s}×{s}. Bright: the filter found its pattern there.</source>
        <translation>图像 {i} 经过 {layer} 后：{c} 个 {s}×{s} 的特征图。亮处表示卷积核在那里找到了它的模式。</translation>
    </message>
</context>
<context>
    <name>RunBar</name>
    <message>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>Start training, or resume a paused run</source>
        <translation>开始训练，或继续已暂停的运行</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Pause after the current batch</source>
        <translation>在当前批次完成后暂停</translation>
    </message>
    <message>
        <source>Step one batch</source>
        <translation>单步（一个批次）</translation>
    </message>
    <message>
        <source>Train exactly one more batch, then pause</source>
        <translation>再训练恰好一个批次，然后暂停</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>End training here; the model and results stay</source>
        <translation>在此结束训练；模型和结果会保留</translation>
    </message>
    <message>
        <source>Reset</source>
        <translation>重置</translation>
    </message>
    <message>
        <source>Throw this run away and unlock the settings</source>
        <translation>丢弃这次运行并解锁设置</translation>
    </message>
    <message>
        <source>Save weights…</source>
        <translation>保存权重…</translation>
    </message>
    <message>
        <source>Save the model&apos;s weights (state_dict)</source>
        <translation>保存模型的权重（state_dict）</translation>
    </message>
    <message>
        <source>Load weights…</source>
        <translation>加载权重…</translation>
    </message>
    <message>
        <source>Load saved weights into this model</source>
        <translation>把保存的权重加载到这个模型</translation>
    </message>
    <message>
        <source>Export script…</source>
        <translation>导出脚本…</translation>
    </message>
    <message>
        <source>Write this pipeline as a script</source>
        <translation>把这个流程写成脚本</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <source>Preparing…</source>
        <translation>准备中…</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>训练中</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>Diverged</source>
        <translation>已发散</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Finished: {n} epoch(s)</source>
        <translation>已完成：{n} 个轮次</translation>
    </message>
    <message>
        <source>Loading data: %p%</source>
        <translation>正在加载数据：%p%</translation>
    </message>
    <message>
        <source>Data loaded: press Start to train</source>
        <translation>数据已加载：点击“开始”进行训练</translation>
    </message>
    <message>
        <source>Preparing the model, loss and optimizer…</source>
        <translation>正在准备模型、损失函数和优化器…</translation>
    </message>
    <message>
        <source>Validating after epoch {e}: %p%</source>
        <translation>第 {e} 个轮次后验证中：%p%</translation>
    </message>
    <message>
        <source>Epoch {e}/{n} · batch {b}/{m}</source>
        <translation>轮次 {e}/{n} · 批次 {b}/{m}</translation>
    </message>
    <message>
        <source>{t} left</source>
        <translation>剩余 {t}</translation>
    </message>
    <message>
        <source>{n:,.0f} images/s</source>
        <translation>{n:,.0f} 张图像/秒</translation>
    </message>
</context>
<context>
    <name>RunControls</name>
    <message>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>Start training, or resume a paused run (F5)</source>
        <translation>开始训练，或继续已暂停的运行（F5）</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Pause the run; press again to resume (Space)</source>
        <translation>暂停运行；再按一次继续（空格）</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>单步</translation>
    </message>
    <message>
        <source>Do exactly one training step, then pause (→)</source>
        <translation>恰好训练一步，然后暂停（→）</translation>
    </message>
    <message>
        <source>Step ×</source>
        <translation>单步 ×</translation>
    </message>
    <message>
        <source>Do the number of steps in the box, then pause</source>
        <translation>执行框中的步数，然后暂停</translation>
    </message>
    <message>
        <source>How many steps “Step ×N” does</source>
        <translation>“单步 ×N”执行多少步</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>End this run; its plots stay until the next start</source>
        <translation>结束这次运行；图表会保留到下一次开始</translation>
    </message>
    <message>
        <source>Reset</source>
        <translation>重置</translation>
    </message>
    <message>
        <source>Back to step 0 with the current settings; clears the plots (R)</source>
        <translation>用当前设置回到第 0 步；清空图表（R）</translation>
    </message>
    <message>
        <source> Speed </source>
        <translation> 速度 </translation>
    </message>
    <message>
        <source>as fast as possible</source>
        <translation>尽可能快</translation>
    </message>
    <message>
        <source>1 step/s</source>
        <translation>1 步/秒</translation>
    </message>
    <message>
        <source>{n} steps/s</source>
        <translation>{n} 步/秒</translation>
    </message>
    <message>
        <source>How fast training runs: 1 step/s to watch each update, up to as fast as the computer can</source>
        <translation>训练运行的速度：从每秒 1 步（便于观察每次更新）到计算机所能达到的最快速度</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <source>Preparing…</source>
        <translation>准备中…</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>运行中</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>Diverged</source>
        <translation>已发散</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
</context>
<context>
    <name>RunHistoryView</name>
    <message>
        <source>Finished and stopped runs are kept here. Tick a run to show it as a faded curve in the loss and fit plots.</source>
        <translation>已完成和已停止的运行保存在这里。勾选一次运行，即可在损失图和拟合图中以淡色曲线显示它。</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Clear all</source>
        <translation>全部清除</translation>
    </message>
    <message>
        <source>{label}: {status} after {steps} steps, final loss {loss}</source>
        <translation>{label}：{steps} 步后{status}，最终损失 {loss}</translation>
    </message>
    <message>
        <source>Runs kept: {count} · their history: {size} MB</source>
        <translation>保存的运行：{count} 次 · 其历史占用：{size} MB</translation>
    </message>
</context>
<context>
    <name>RunWords</name>
    <message>
        <source>{state}, {steps} steps</source>
        <translation>{state}，{steps} 步</translation>
    </message>
    <message>
        <source>NumPy by hand</source>
        <translation>NumPy 手写</translation>
    </message>
    <message>
        <source>PyTorch autograd</source>
        <translation>PyTorch 自动求导</translation>
    </message>
    <message>
        <source>PyTorch Function</source>
        <translation>PyTorch Function</translation>
    </message>
    <message>
        <source>finished</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>diverged</source>
        <translation>已发散</translation>
    </message>
    <message>
        <source>squared</source>
        <translation>平方误差</translation>
    </message>
    <message>
        <source>degree {n}</source>
        <translation>{n} 阶</translation>
    </message>
    <message>
        <source>powers of x</source>
        <translation>x 的幂</translation>
    </message>
    <message>
        <source>Legendre</source>
        <translation>勒让德</translation>
    </message>
    <message>
        <source>sum</source>
        <translation>求和</translation>
    </message>
    <message>
        <source>mean</source>
        <translation>平均</translation>
    </message>
    <message>
        <source>Nesterov</source>
        <translation>Nesterov</translation>
    </message>
    <message>
        <source>no Nesterov</source>
        <translation>无 Nesterov</translation>
    </message>
    <message>
        <source>target {y}</source>
        <translation>目标 {y}</translation>
    </message>
    <message>
        <source>validation {p}</source>
        <translation>验证 {p}</translation>
    </message>
    <message>
        <source>plot ±{p} beyond the data</source>
        <translation>绘图超出数据 ±{p}</translation>
    </message>
    <message>
        <source>{n} points</source>
        <translation>{n} 个点</translation>
    </message>
    <message>
        <source>start {how}</source>
        <translation>初始值 {how}</translation>
    </message>
    <message>
        <source>own start values</source>
        <translation>自定初始值</translation>
    </message>
    <message>
        <source>seed {n}</source>
        <translation>随机种子 {n}</translation>
    </message>
    <message>
        <source>batch {n}</source>
        <translation>批大小 {n}</translation>
    </message>
    <message>
        <source>full batch</source>
        <translation>全批次</translation>
    </message>
    <message>
        <source>{n} steps</source>
        <translation>{n} 步</translation>
    </message>
    <message>
        <source>sign of b flipped</source>
        <translation>b 的符号已翻转</translation>
    </message>
    <message>
        <source>backward fixed</source>
        <translation>backward 已修正</translation>
    </message>
</context>
<context>
    <name>SaveLessonDialog</name>
    <message>
        <source>Save as lesson</source>
        <translation>另存为课程</translation>
    </message>
    <message>
        <source>The lesson keeps the current settings. Students see the title, the explanation and the questions (one per line) in their language.</source>
        <translation>课程会保存当前的设置。学生会用自己的语言看到标题、讲解和问题（每行一个问题）。</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <source>Explanation</source>
        <translation>讲解</translation>
    </message>
    <message>
        <source>Questions</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>Students may not change</source>
        <translation>学生不能修改</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>数据</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>方法</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>Optimizer</source>
        <translation>优化器</translation>
    </message>
    <message>
        <source>Learning rate, steps, batch</source>
        <translation>学习率、步数、批次</translation>
    </message>
</context>
<context>
    <name>SelfTest</name>
    <message>
        <source>self-test aborted: {error}: {message}</source>
        <translation>自检中止：{error}：{message}</translation>
    </message>
    <message>
        <source>ok</source>
        <translation>通过</translation>
    </message>
    <message>
        <source>FAILED</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>GradLab self-test (PySide6 {pyside}, Qt {qt}, platform {platform})</source>
        <translation>GradLab 自检（PySide6 {pyside}，Qt {qt}，平台 {platform}）</translation>
    </message>
    <message>
        <source>All {n} checks passed.</source>
        <translation>全部 {n} 项检查通过。</translation>
    </message>
    <message>
        <source>{failed} of {n} checks FAILED.</source>
        <translation>{n} 项检查中有 {failed} 项失败。</translation>
    </message>
    <message>
        <source>WARNING</source>
        <translation>警告</translation>
    </message>
    <message>
        <source>All {n} checks passed; {missed} missed a speed goal (WARNING above).</source>
        <translation>全部 {n} 项检查通过；其中 {missed} 项未达到速度目标（见上面的“警告”）。</translation>
    </message>
    <message>
        <source>no QThread warnings from Qt</source>
        <translation>Qt 没有发出 QThread 警告</translation>
    </message>
    <message>
        <source>Qt warned: {message}</source>
        <translation>Qt 警告：{message}</translation>
    </message>
    <message>
        <source>window shown {seconds:.2f} s after process start (goal &lt;= 0.5 s)</source>
        <translation>窗口在进程启动后 {seconds:.2f} 秒显示（目标 &lt;= 0.5 秒）</translation>
    </message>
    <message>
        <source>window shown</source>
        <translation>窗口已显示</translation>
    </message>
    <message>
        <source>GUI timer lateness p95 {ms:.1f} ms while training (goal &lt;= 20 ms)</source>
        <translation>训练时界面定时器延迟 p95 为 {ms:.1f} 毫秒（目标 &lt;= 20 毫秒）</translation>
    </message>
    <message>
        <source>GUI timer lateness: no measurement</source>
        <translation>界面定时器延迟：没有测量数据</translation>
    </message>
    <message>
        <source>all controls found</source>
        <translation>所有控件都已找到</translation>
    </message>
    <message>
        <source>controls missing: {names}</source>
        <translation>缺少控件：{names}</translation>
    </message>
    <message>
        <source>{method}: selected in methodCombo</source>
        <translation>{method}：已在 methodCombo 中选中</translation>
    </message>
    <message>
        <source>{method}: Start is enabled and clicked</source>
        <translation>{method}：“开始”可用并已点击</translation>
    </message>
    <message>
        <source>{method}: training started (step label moved)</source>
        <translation>{method}：训练已开始（步数标签在变化）</translation>
    </message>
    <message>
        <source>{method}: {rate:,.0f} steps/s through the window</source>
        <translation>{method}：在窗口中训练 {rate:,.0f} 步/秒</translation>
    </message>
    <message>
        <source>{method}: Pause stops the step count</source>
        <translation>{method}：“暂停”让步数停止增加</translation>
    </message>
    <message>
        <source>{method}: still {steps} steps 0.3 s after Pause</source>
        <translation>{method}：暂停 0.3 秒后仍为 {steps} 步</translation>
    </message>
    <message>
        <source>{method}: Step advances exactly one ({before} -&gt; {after})</source>
        <translation>{method}：“单步”恰好前进一步（{before} -&gt; {after}）</translation>
    </message>
    <message>
        <source>{method}: Resume continues ({steps} steps)</source>
        <translation>{method}：“继续”后训练继续进行（{steps} 步）</translation>
    </message>
    <message>
        <source>{method}: Stop and Reset bring the step count back to 0</source>
        <translation>{method}：“停止”和“重置”让步数回到 0</translation>
    </message>
    <message>
        <source>first PyTorch step {seconds:.2f} s after Start, {open:.1f} s after the window was shown (goal &lt;= 1 s)</source>
        <translation>PyTorch 第一步在点击“开始”后 {seconds:.2f} 秒完成，此时窗口已显示 {open:.1f} 秒（目标 &lt;= 1 秒）</translation>
    </message>
    <message>
        <source>{method}: the window trains at {ratio:.2f}x the headless speed ({headless:,.0f} steps/s; goal &gt;= 0.8x)</source>
        <translation>{method}：窗口中的训练速度是无界面速度的 {ratio:.2f} 倍（无界面 {headless:,.0f} 步/秒；目标 &gt;= 0.8 倍）</translation>
    </message>
    <message>
        <source>closing the window ended the training thread ({ms:.0f} ms)</source>
        <translation>关闭窗口后训练线程已结束（{ms:.0f} 毫秒）</translation>
    </message>
    <message>
        <source>closing the window left the training thread running after 1 s</source>
        <translation>关闭窗口 1 秒后训练线程仍在运行</translation>
    </message>
</context>
<context>
    <name>SessionFiles</name>
    <message>
        <source>&amp;Save session</source>
        <translation>保存会话(&amp;S)</translation>
    </message>
    <message>
        <source>Save the settings and every run</source>
        <translation>保存设置和每一次运行</translation>
    </message>
    <message>
        <source>Save session &amp;as…</source>
        <translation>会话另存为(&amp;A)…</translation>
    </message>
    <message>
        <source>Save to a new file</source>
        <translation>保存到一个新文件</translation>
    </message>
    <message>
        <source>&amp;Open session…</source>
        <translation>打开会话(&amp;O)…</translation>
    </message>
    <message>
        <source>Open a saved session</source>
        <translation>打开已保存的会话</translation>
    </message>
    <message>
        <source>Save session</source>
        <translation>保存会话</translation>
    </message>
    <message>
        <source>Session saved to {path}</source>
        <translation>会话已保存到 {path}</translation>
    </message>
    <message>
        <source>The session was not saved: {error}</source>
        <translation>会话未能保存：{error}</translation>
    </message>
    <message>
        <source>Open session</source>
        <translation>打开会话</translation>
    </message>
    <message>
        <source>The session was not opened: {error}</source>
        <translation>会话未能打开：{error}</translation>
    </message>
    <message>
        <source>The session replaces the current run and settings. Open it?</source>
        <translation>打开会话会替换当前的运行和设置。确定打开吗？</translation>
    </message>
    <message>
        <source>Opened {path}</source>
        <translation>已打开 {path}</translation>
    </message>
    <message>
        <source>GradLab sessions (*{suffix})</source>
        <translation>GradLab 会话 (*{suffix})</translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <source>Tab and Shift+Tab move between the controls; Alt and a menu&apos;s underlined letter open that menu. The shortcuts below never fire while you type in a field.</source>
        <translation>Tab 和 Shift+Tab 在控件之间移动；按 Alt 加菜单中带下划线的字母可打开该菜单。在输入框中输入时，下面的快捷键不会触发。</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>按键</translation>
    </message>
</context>
<context>
    <name>StabilityInfo</name>
    <message>
        <source>Raw powers 1, x, x², … differ hugely in size on this range, so the loss is a long narrow valley (condition number {pc:.3g}): plain gradient descent must keep lr below {plr:.3g} for the steep side and then crawls along the flat one, whereas Legendre features are nearly orthogonal (condition number {lc:.3g}), so lr up to {llr:.3g} is stable and every direction converges at a similar pace.</source>
        <translation>在这个区间上，原始的幂 1, x, x², … 大小相差悬殊，所以损失曲面是一条又长又窄的山谷（条件数 {pc:.3g}）：普通梯度下降必须让 lr 低于 {plr:.3g} 以适应陡峭的一侧，然后在平坦的方向上缓慢爬行；而勒让德特征几乎正交（条件数 {lc:.3g}），所以 lr 最高到 {llr:.3g} 都是稳定的，各个方向的收敛速度也差不多。</translation>
    </message>
    <message>
        <source>lr {lr:.3g}: above it!</source>
        <translation>学习率 {lr:.3g}：超过了它！</translation>
    </message>
    <message>
        <source>λmax is the largest eigenvalue of the squared loss&apos;s Hessian, the steepest curvature of the loss.</source>
        <translation>λmax 是平方损失的黑塞矩阵的最大特征值，即损失最陡方向的曲率。</translation>
    </message>
    <message>
        <source>stable below {limit:.3g}</source>
        <translation>低于 {limit:.3g} 时稳定</translation>
    </message>
    <message>
        <source>2 / λmax: above it, plain gradient descent overshoots further with every step.</source>
        <translation>2 / λmax：超过它，普通梯度下降每一步都会越冲越远。</translation>
    </message>
    <message>
        <source>with momentum {m:g}: stable below {limit:.3g}</source>
        <translation>动量 {m:g}：低于 {limit:.3g} 时稳定</translation>
    </message>
    <message>
        <source>Nesterov momentum β is stable while lr × λmax &lt; 2(1+β)/(1+2β), here {limit:.3g}; plain gradient descent would need lr &lt; 2/λmax = {plain:.3g}.</source>
        <translation>Nesterov 动量 β 在 lr × λmax &lt; 2(1+β)/(1+2β) 时稳定，这里即 {limit:.3g}；普通梯度下降则需要 lr &lt; 2/λmax = {plain:.3g}。</translation>
    </message>
    <message>
        <source>Momentum β (heavy ball) is stable while lr × λmax &lt; 2(1+β), here {limit:.3g}; plain gradient descent would need lr &lt; 2/λmax = {plain:.3g}.</source>
        <translation>动量 β（重球法）在 lr × λmax &lt; 2(1+β) 时稳定，这里即 {limit:.3g}；普通梯度下降则需要 lr &lt; 2/λmax = {plain:.3g}。</translation>
    </message>
    <message>
        <source>{name}: no 2/λmax limit (steps scaled per coefficient)</source>
        <translation>{name}：没有 2/λmax 上限（每个系数的步长各自缩放）</translation>
    </message>
    <message>
        <source>{name} divides each coefficient&apos;s step by a running size of that coefficient&apos;s own gradients, so the step&apos;s size is set by lr, not by the curvature: the limit 2/λmax = {plain:.3g} of plain gradient descent does not apply. Too large an lr still makes the coefficients jump around.</source>
        <translation>{name} 把每个系数的步长除以该系数自身梯度的滑动大小，所以步长由 lr 决定，而不是由曲率决定：普通梯度下降的上限 2/λmax = {plain:.3g} 不适用。学习率过大时系数仍会来回跳动。</translation>
    </message>
    <message>
        <source>{name}: 2/λmax does not apply</source>
        <translation>{name}：2/λmax 不适用</translation>
    </message>
    <message>
        <source>no fixed limit for this loss or mini-batches</source>
        <translation>此损失或小批次没有固定上限</translation>
    </message>
    <message>
        <source>The limit 2/λmax = {plain:.3g} holds for full-batch gradient descent on the squared loss only.</source>
        <translation>上限 2/λmax = {plain:.3g} 只适用于平方损失上的全批次梯度下降。</translation>
    </message>
    <message>
        <source>condition number {cond:.3g}</source>
        <translation>条件数 {cond:.3g}</translation>
    </message>
    <message>
        <source>lr {lr:.3g}</source>
        <translation>学习率 {lr:.3g}</translation>
    </message>
</context>
<context>
    <name>StageBox</name>
    <message>
        <source>waiting</source>
        <translation>等待中</translation>
    </message>
    <message>
        <source>next</source>
        <translation>下一步</translation>
    </message>
    <message>
        <source>running</source>
        <translation>进行中</translation>
    </message>
    <message>
        <source>done</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>no images</source>
        <translation>没有图像</translation>
    </message>
</context>
<context>
    <name>TrainingPlots</name>
    <message>
        <source>Loss per batch</source>
        <translation>每个批次的损失</translation>
    </message>
    <message>
        <source>batch</source>
        <translation>批次</translation>
    </message>
    <message>
        <source>loss (log)</source>
        <translation>损失（对数）</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>Accuracy per batch</source>
        <translation>每个批次的准确率</translation>
    </message>
    <message>
        <source>accuracy</source>
        <translation>准确率</translation>
    </message>
    <message>
        <source>training loss (batch)</source>
        <translation>训练损失（批次）</translation>
    </message>
    <message>
        <source>training loss (epoch mean)</source>
        <translation>训练损失（轮次均值）</translation>
    </message>
    <message>
        <source>validation loss</source>
        <translation>验证损失</translation>
    </message>
    <message>
        <source>training accuracy (last {n} batches)</source>
        <translation>训练准确率（最近 {n} 个批次）</translation>
    </message>
    <message>
        <source>validation accuracy</source>
        <translation>验证准确率</translation>
    </message>
</context>
<context>
    <name>TrainingWorker</name>
    <message>
        <source>Could not prepare the training: {error}</source>
        <translation>无法准备训练：{error}</translation>
    </message>
    <message>
        <source>Training stopped because of an error: {error}</source>
        <translation>训练因出错而停止：{error}</translation>
    </message>
    <message>
        <source>Could not apply the change: {error}</source>
        <translation>无法应用更改：{error}</translation>
    </message>
</context>
<context>
    <name>UnitsPlot</name>
    <message>
        <source>Hidden units at x = −b/w</source>
        <translation>隐藏单元位于 x = −b/w</translation>
    </message>
    <message>
        <source>slope w</source>
        <translation>斜率 w</translation>
    </message>
    <message>
        <source>data</source>
        <translation>数据</translation>
    </message>
    <message>
        <source>positive</source>
        <translation>输出权重为正</translation>
    </message>
    <message>
        <source>negative output weight</source>
        <translation>为负</translation>
    </message>
    <message>
        <source>size: |output weight|</source>
        <translation>大小：|输出权重|</translation>
    </message>
    <message>
        <source>size: ‖its weights in layer 2‖</source>
        <translation>大小：‖它在第 2 层的权重‖</translation>
    </message>
</context>
<context>
    <name>ViewScale</name>
    <message>
        <source>Zoom &amp;in</source>
        <translation>放大(&amp;I)</translation>
    </message>
    <message>
        <source>Larger text, lines and plots (Ctrl+=)</source>
        <translation>放大文字、线条和图表（Ctrl+=）</translation>
    </message>
    <message>
        <source>Zoom &amp;out</source>
        <translation>缩小(&amp;O)</translation>
    </message>
    <message>
        <source>Smaller text, lines and plots (Ctrl+-)</source>
        <translation>缩小文字、线条和图表（Ctrl+-）</translation>
    </message>
    <message>
        <source>&amp;Reset zoom</source>
        <translation>重置缩放(&amp;R)</translation>
    </message>
    <message>
        <source>Back to 100 % (Ctrl+0)</source>
        <translation>恢复到 100 %（Ctrl+0）</translation>
    </message>
    <message>
        <source>&amp;Presenter mode</source>
        <translation>演示模式(&amp;P)</translation>
    </message>
    <message>
        <source>Full screen with large plots and numbers, for a projector; Esc leaves it</source>
        <translation>全屏显示大图表和大数字，适合投影仪；按 Esc 退出</translation>
    </message>
    <message>
        <source>Leave presenter mode</source>
        <translation>退出演示模式</translation>
    </message>
    <message>
        <source>Show or hide the experiment&apos;s settings</source>
        <translation>显示或隐藏实验设置</translation>
    </message>
    <message>
        <source>Zoom: {percent} %</source>
        <translation>缩放：{percent} %</translation>
    </message>
</context>
<context>
    <name>WarmupIndicator</name>
    <message>
        <source>Waiting for PyTorch: preparing its optimizers…</source>
        <translation>正在等待 PyTorch：准备优化器…</translation>
    </message>
    <message>
        <source>Waiting for PyTorch to load (the first run of a session)…</source>
        <translation>正在等待 PyTorch 加载（本次会话的第一次运行）…</translation>
    </message>
</context>
</TS>
