# no_grad / enable_grad / set_grad_enabled as context managers and decorators, in-place updates
import torch

w = torch.tensor([1.0, 2.0], requires_grad=True)
print(torch.is_grad_enabled())
with torch.no_grad():
    print(torch.is_grad_enabled())
    y = w * 2
    print(y, y.requires_grad, y.grad_fn)
    with torch.enable_grad():
        print(torch.is_grad_enabled(), (w * 2).grad_fn is not None)
    print(torch.is_grad_enabled())
print(torch.is_grad_enabled())
with torch.set_grad_enabled(False):
    print(torch.is_grad_enabled(), (w + 1).requires_grad)
print(torch.is_grad_enabled())
torch.set_grad_enabled(False)
print(torch.is_grad_enabled())
torch.set_grad_enabled(True)
print(torch.is_grad_enabled())

@torch.no_grad()
def update(p, lr):
    p -= lr * p
    return torch.is_grad_enabled()

print(update(w, 0.5), w, torch.is_grad_enabled())
try:
    with torch.no_grad():
        raise ValueError('inside')
except ValueError as e:
    print('caught', e, torch.is_grad_enabled())
p = w
with torch.no_grad():
    w -= 0.1 * torch.ones(2)
    w += 1
    w *= 2
    w /= 4
print(w, w is p, w.requires_grad, w.is_leaf)
with torch.no_grad():
    w.add_(1.0).mul_(2.0)
    w.sub_(torch.ones(2), alpha=2)
    w.div_(2)
print(w)
