# PyTorch's errors from the engine and the bindings, caught and printed
import torch

w = torch.tensor([1.0, 2.0], requires_grad=True)
def show(f):
    try:
        f()
    except Exception as e:
        print(type(e).__name__ + ':', e)

show(lambda: w.add_(1.0))
show(lambda: w.zero_())
def aug():
    global w
    w -= 1
show(aug)
show(lambda: (w * 2).backward())
show(lambda: torch.tensor([1.0]).sum().backward())
loss = (w * w).sum()
loss.backward()
show(lambda: loss.backward())
show(lambda: torch.ones(2, 3) @ torch.ones(2, 3))
show(lambda: torch.tensor([[1.0, 2.0], [3.0]]))
show(lambda: torch.tensor(['a']))
show(lambda: float(torch.ones(2)))
show(lambda: bool(torch.ones(2)))
show(lambda: len(torch.tensor(1.0)))
show(lambda: w + 'a')
show(lambda: None + torch.ones(1))
show(lambda: (w * 2).requires_grad_(False))
show(lambda: torch.ones(2) + torch.ones(3))
show(lambda: w.size(2))
print(w, w.grad)
