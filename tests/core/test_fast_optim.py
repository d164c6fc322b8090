"""The whole-step paths' optimizer update (gradlab.core.methods.fast_optim) makes the numbers
of torch's own ``optimizer.step()`` bit for bit: every optimizer and option GradLab builds,
float32 and float64, parameters of many sizes; and it declines what it does not know."""

from __future__ import annotations

import pytest

from gradlab.core.config import OptimizerConfig
from gradlab.core.methods.fast_optim import foreach_update
from gradlab.core.methods.torch_optim import make_optimizer

torch = pytest.importorskip("torch")

SHAPES = ((16, 1), (16,), (1, 16), (1,), (7, 3), (33,))
SETTINGS = [
    ("sgd", {}),
    ("sgd", {"momentum": 0.9}),
    ("sgd", {"momentum": 0.8, "nesterov": True, "weight_decay": 0.01}),
    ("rmsprop", {}),
    ("rmsprop", {"momentum": 0.5, "weight_decay": 0.1, "alpha": 0.9}),
    ("adam", {}),
    ("adam", {"weight_decay": 0.05, "beta1": 0.8, "beta2": 0.99, "eps": 1e-6}),
    ("adamw", {"weight_decay": 0.05}),
    ("adagrad", {}),
    ("adagrad", {"weight_decay": 0.02}),
]


def _pair(
    name: str, options: dict[str, object], dtype: object
) -> tuple[list, list, object, object]:
    generator = torch.Generator().manual_seed(7)
    start = [torch.randn(shape, generator=generator, dtype=dtype) for shape in SHAPES]
    mine = [t.clone().requires_grad_() for t in start]
    theirs = [t.clone().requires_grad_() for t in start]
    settings = OptimizerConfig(name=name, **options)  # type: ignore[arg-type]
    return (
        mine,
        theirs,
        make_optimizer(name, mine, 1e-2, settings),
        make_optimizer(name, theirs, 1e-2, settings),
    )


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize(
    ("name", "options"), SETTINGS, ids=[f"{n}-{i}" for i, (n, _) in enumerate(SETTINGS)]
)
def test_the_foreach_update_is_torch_step_bit_for_bit(
    name: str, options: dict[str, object], dtype: str
) -> None:
    kind = getattr(torch, dtype)
    mine, theirs, mine_opt, their_opt = _pair(name, options, kind)
    generator = torch.Generator().manual_seed(3)
    update, used = None, 0
    for step in range(40):
        grads = [
            torch.randn(p.shape, generator=generator, dtype=kind) * 10 ** (step % 5 - 2)
            for p in mine
        ]
        for p, q, g in zip(mine, theirs, grads, strict=True):
            p.grad, q.grad = g.clone(), g.clone()
        if update is None:
            mine_opt.step()
            update = foreach_update(mine_opt)
        else:
            update([p.grad for p in mine])
            used += 1
        their_opt.step()
        for p, q in zip(mine, theirs, strict=True):
            assert torch.equal(p, q), (step, p - q)
    assert used >= 38  # the first step (or two) made the state; then the foreach update ran
    for p, q in zip(mine, theirs, strict=True):
        mine_state, their_state = mine_opt.state[p], their_opt.state[q]
        assert mine_state.keys() == their_state.keys()
        for key, value in mine_state.items():
            assert torch.equal(value, their_state[key]), key


def test_it_declines_what_it_does_not_know() -> None:
    p = torch.zeros(3, requires_grad=True)
    p.grad = torch.ones(3)
    assert foreach_update(torch.optim.Adam([p], amsgrad=True)) is None
    assert foreach_update(torch.optim.RMSprop([p], centered=True)) is None
    assert foreach_update(torch.optim.SGD([p], lr=0.1, maximize=True)) is None
    assert foreach_update(torch.optim.Adamax([p])) is None
    fresh = torch.optim.Adam([p], foreach=False)
    assert foreach_update(fresh) is None  # no state before its first step
    fresh.step()
    assert foreach_update(fresh) is not None
    momentum = torch.optim.SGD([p], lr=0.1, momentum=0.9, foreach=False)
    assert foreach_update(momentum) is None  # its buffers come with the first step
    assert foreach_update(torch.optim.SGD([p], lr=0.1, foreach=False)) is not None


def test_a_changed_hyperparameter_is_read_when_the_update_is_made() -> None:
    mine, theirs, mine_opt, their_opt = _pair("rmsprop", {}, torch.float64)
    for p, q in zip(mine, theirs, strict=True):
        p.grad = q.grad = torch.ones_like(p)
    mine_opt.step()
    their_opt.step()
    mine_opt.param_groups[0]["lr"] = their_opt.param_groups[0]["lr"] = 0.5
    update = foreach_update(mine_opt)
    assert update is not None
    update([p.grad for p in mine])
    their_opt.step()
    for p, q in zip(mine, theirs, strict=True):
        assert torch.equal(p, q)


def test_the_step_count_stays_torchs_where_float32_stops_counting() -> None:
    mine, theirs, mine_opt, their_opt = _pair("adam", {}, torch.float32)
    for p, q in zip(mine, theirs, strict=True):
        p.grad = q.grad = torch.full_like(p, 0.5)
    mine_opt.step()
    their_opt.step()
    for state in (*mine_opt.state.values(), *their_opt.state.values()):
        state["step"].fill_(2.0**24 - 2)  # 2**24 + 1 is not a float32: step_t += 1 sticks
    update = foreach_update(mine_opt)
    assert update is not None
    for _ in range(4):
        update([p.grad for p in mine])
        their_opt.step()
    for p, q in zip(mine, theirs, strict=True):
        assert torch.equal(p, q)
        assert torch.equal(mine_opt.state[p]["step"], their_opt.state[q]["step"])
