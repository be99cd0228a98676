# backward, accumulation, grad_fn names and next_functions, leaves, retain_graph, gradient=
import torch

w = torch.tensor([1.0, 2.0], requires_grad=True)
b = torch.tensor(0.5, requires_grad=True)
x = torch.tensor([3.0, 4.0])
print(w.grad is None, w.is_leaf, x.requires_grad)
y = w * x + b
print(y, y.grad_fn, y.is_leaf, y.requires_grad)
print(y.grad_fn.name(), [type(f).__name__ if f is None else f.name() for f, _ in y.grad_fn.next_functions])
print(y.grad_fn.next_functions[0][1], y.grad_fn.next_functions[1][0].name())
loss = (y ** 2).mean()
print(loss)
loss.backward(retain_graph=True)
print(w.grad, b.grad)
loss.backward()
print(w.grad, b.grad)
w.grad.zero_()
b.grad = None
print(w.grad, b.grad)
z = w * 3
z.backward(gradient=torch.tensor([1.0, 0.5]))
print(w.grad)
acc = (w * 1).grad_fn.next_functions[0][0]
print(acc.name(), acc.variable is not None)
print((w.exp().log().sqrt().sin().cos().abs().neg()).grad_fn)
print(torch.exp(w), torch.log(w), w.sqrt(), torch.sin(w), w.tanh(), torch.sigmoid(w), w.relu())
u = w.detach()
print(u, u.requires_grad, u.is_leaf, w.data)
v = torch.tensor([2.0])
v.requires_grad_()
print(v, v.requires_grad)
(v * v).sum().backward()
print(v.grad)
v.retain_grad()
print((2 - w).detach(), 1 / w, w / 2, w ** 0.5, -w, +w, w @ x, w.pow(2), torch.pow(w, 3))
print(w.sum(), w.mean(), torch.sum(w), torch.mean(x), x.max(), x.min(), w.clamp(min=1.5))
m = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
print(m.sum(0), m.sum(dim=1), m.mean(1, keepdim=True), torch.matmul(m, m), m @ w)
