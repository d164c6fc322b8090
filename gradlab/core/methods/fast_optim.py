"""``optimizer.step()`` for the whole-step paths: torch.optim's own per-parameter update, one
``torch._foreach_*`` call per line for all the parameters at once.

torch.optim on the CPU runs its plain loop (``_single_tensor_adam`` and the like): for each
parameter a handful of tensor calls, plus the step's own machinery (hooks, grad mode, state
look-ups). With 2 to 8 small parameter tensors that machinery and the per-call overhead cost
more than the arithmetic. The functions here make the same calls in the same order on the same
tensors (the optimizer's state, updated in place), each once for the list of parameters; on
the CPU a ``_foreach_`` call runs the per-tensor operation on each tensor in turn, so the numbers
are the optimizer's bit for bit (tests/core/test_fast_optim.py checks every optimizer and
option GradLab uses). An optimizer, option or state this module does not know gives None: the
caller then calls ``optimizer.step()`` itself.
"""

from __future__ import annotations

from collections.abc import Callable

import torch

# takes this step's gradients (one per parameter, torch's order) and updates like step()
Update = Callable[[list[torch.Tensor]], None]

_OFF = ("foreach", "fused", "maximize", "differentiable", "capturable", "amsgrad", "centered")


def foreach_update(optimizer: torch.optim.Optimizer) -> Update | None:
    """The update ``optimizer.step()`` would make next, given the gradients, with the
    hyperparameters it has now; None when it is not one of these optimizers with these options,
    or its state is not made yet (before its first step)."""
    if len(optimizer.param_groups) != 1:
        return None
    group = optimizer.param_groups[0]
    if any(group.get(flag) for flag in _OFF) or isinstance(group["lr"], torch.Tensor):
        return None
    values = [p.detach() for p in group["params"]]  # the parameters, outside autograd
    if any(v.is_complex() or v.is_sparse for v in values):
        return None
    states = [optimizer.state.get(p, {}) for p in group["params"]]
    kind = type(optimizer)
    if kind is torch.optim.SGD:
        return _sgd(group, values, states)
    steps = _steps(states)
    if steps is None:
        return None
    if kind is torch.optim.RMSprop:
        return _rmsprop(group, values, states, steps)
    if kind in (torch.optim.Adam, torch.optim.AdamW):
        decoupled = kind is torch.optim.AdamW or bool(group.get("decoupled_weight_decay"))
        return _adam(group, values, states, steps, decoupled)
    if kind is torch.optim.Adagrad:
        return _adagrad(group, values, states, steps)
    return None


class _StepCount:
    """The optimizers' step counters (one 0-dim tensor per parameter, ``step_t += 1`` every
    step) and their value as ``step_t.item()`` reads it, kept in Python."""

    def __init__(self, tensors: list[torch.Tensor]) -> None:
        self.tensors = tensors
        self.value = tensors[0].item()
        # below this every whole number is exact in the counter's dtype, so value + 1 is too
        self._exact = 2.0 / torch.finfo(tensors[0].dtype).eps

    def advance(self) -> float:
        torch._foreach_add_(self.tensors, 1)  # step_t += 1
        if self.value < self._exact:
            self.value += 1.0
        else:
            self.value = self.tensors[0].item()
        return self.value


def _steps(states: list[dict[str, object]]) -> _StepCount | None:
    """The counters when every parameter has one, all equal, as 0-dim float tensors."""
    tensors = [state.get("step") for state in states]
    if not all(isinstance(t, torch.Tensor) and t.dim() == 0 for t in tensors):
        return None
    counters: list[torch.Tensor] = tensors  # type: ignore[assignment]
    if not counters[0].is_floating_point() or len({t.item() for t in counters}) != 1:
        return None
    return _StepCount(counters)


def _buffers(states: list[dict[str, object]], key: str) -> list[torch.Tensor] | None:
    found = [state.get(key) for state in states]
    if all(isinstance(t, torch.Tensor) for t in found):
        return found  # type: ignore[return-value]
    return None


def _with_decay(
    grads: list[torch.Tensor], values: list[torch.Tensor], decay: float
) -> list[torch.Tensor]:
    """grad = grad.add(param, alpha=weight_decay), for every parameter (none when λ = 0)."""
    if decay != 0:
        return list(torch._foreach_add(grads, values, alpha=decay))
    return grads


def _sgd(
    group: dict[str, object], values: list[torch.Tensor], states: list[dict[str, object]]
) -> Update | None:
    """_single_tensor_sgd: decay; b.mul_(μ).add_(g, alpha=1 − dampening); Nesterov or not;
    θ.add_(g or b, alpha=−lr)."""
    lr, decay = float(group["lr"]), float(group["weight_decay"])  # type: ignore[arg-type]
    momentum, dampening = float(group["momentum"]), float(group["dampening"])  # type: ignore[arg-type]
    nesterov = bool(group["nesterov"])
    buffers = _buffers(states, "momentum_buffer") if momentum != 0 else []
    if buffers is None:
        return None  # the first step with momentum makes the buffers: torch's own step()

    def update(grads: list[torch.Tensor]) -> None:
        grads = _with_decay(grads, values, decay)
        if momentum != 0:
            torch._foreach_mul_(buffers, momentum)
            torch._foreach_add_(buffers, grads, alpha=1 - dampening)
            if nesterov:
                grads = list(torch._foreach_add(grads, buffers, alpha=momentum))
            else:
                grads = buffers
        torch._foreach_add_(values, grads, alpha=-lr)

    return update


def _rmsprop(
    group: dict[str, object],
    values: list[torch.Tensor],
    states: list[dict[str, object]],
    steps: _StepCount,
) -> Update | None:
    """_single_tensor_rmsprop (not centered): v.mul_(α).addcmul_(g, g, value=1 − α);
    avg = v.sqrt().add_(ε); then b.mul_(μ).addcdiv_(g, avg), θ.add_(b, alpha=−lr), or
    θ.addcdiv_(g, avg, value=−lr)."""
    lr, decay = float(group["lr"]), float(group["weight_decay"])  # type: ignore[arg-type]
    alpha, eps = float(group["alpha"]), float(group["eps"])  # type: ignore[arg-type]
    momentum = float(group["momentum"])  # type: ignore[arg-type]
    square_avgs = _buffers(states, "square_avg")
    buffers = _buffers(states, "momentum_buffer") if momentum > 0 else []
    if square_avgs is None or buffers is None:
        return None

    def update(grads: list[torch.Tensor]) -> None:
        steps.advance()
        grads = _with_decay(grads, values, decay)
        torch._foreach_mul_(square_avgs, alpha)
        torch._foreach_addcmul_(square_avgs, grads, grads, 1 - alpha)
        avgs = torch._foreach_sqrt(square_avgs)
        torch._foreach_add_(avgs, eps)
        if momentum > 0:
            torch._foreach_mul_(buffers, momentum)
            torch._foreach_addcdiv_(buffers, grads, avgs)
            torch._foreach_add_(values, buffers, alpha=-lr)
        else:
            torch._foreach_addcdiv_(values, grads, avgs, -lr)

    return update


def _adam(
    group: dict[str, object],
    values: list[torch.Tensor],
    states: list[dict[str, object]],
    steps: _StepCount,
    decoupled: bool,
) -> Update | None:
    """_single_tensor_adam (not amsgrad): decay (AdamW: θ.mul_(1 − lr·λ)); m.lerp_(g, 1 − β₁);
    v.mul_(β₂).addcmul_(g, g, value=1 − β₂); denom = (v.sqrt() / √(1 − β₂ᵗ)).add_(ε);
    θ.addcdiv_(m, denom, value=−lr / (1 − β₁ᵗ))."""
    lr, decay, eps = (float(group[k]) for k in ("lr", "weight_decay", "eps"))  # type: ignore[arg-type]
    beta1, beta2 = (float(b) for b in group["betas"])  # type: ignore[attr-defined]
    exp_avgs, exp_avg_sqs = _buffers(states, "exp_avg"), _buffers(states, "exp_avg_sq")
    if exp_avgs is None or exp_avg_sqs is None:
        return None

    def update(grads: list[torch.Tensor]) -> None:
        step = steps.advance()
        if decoupled and decay != 0:
            torch._foreach_mul_(values, 1 - lr * decay)
        elif not decoupled:
            grads = _with_decay(grads, values, decay)
        torch._foreach_lerp_(exp_avgs, grads, 1 - beta1)
        torch._foreach_mul_(exp_avg_sqs, beta2)
        torch._foreach_addcmul_(exp_avg_sqs, grads, grads, 1 - beta2)
        step_size = lr / (1 - beta1**step)
        bias_correction2_sqrt = (1 - beta2**step) ** 0.5
        denoms = torch._foreach_sqrt(exp_avg_sqs)
        torch._foreach_div_(denoms, bias_correction2_sqrt)
        torch._foreach_add_(denoms, eps)
        torch._foreach_addcdiv_(values, exp_avgs, denoms, -step_size)

    return update


def _adagrad(
    group: dict[str, object],
    values: list[torch.Tensor],
    states: list[dict[str, object]],
    steps: _StepCount,
) -> Update | None:
    """_single_tensor_adagrad: clr = lr / (1 + (t − 1)·lr_decay); s.addcmul_(g, g, value=1);
    std = s.sqrt().add_(ε); θ.addcdiv_(g, std, value=−clr)."""
    lr, decay, eps = (float(group[k]) for k in ("lr", "weight_decay", "eps"))  # type: ignore[arg-type]
    lr_decay = float(group["lr_decay"])  # type: ignore[arg-type]
    sums = _buffers(states, "sum")
    if sums is None:
        return None

    def update(grads: list[torch.Tensor]) -> None:
        step = steps.advance()
        grads = _with_decay(grads, values, decay)
        clr = lr / (1 + (step - 1) * lr_decay)
        torch._foreach_addcmul_(sums, grads, grads, 1)
        stds = torch._foreach_sqrt(sums)
        torch._foreach_add_(stds, eps)
        torch._foreach_addcdiv_(values, grads, stds, -clr)

    return update
