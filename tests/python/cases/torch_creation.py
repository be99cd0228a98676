# zeros/ones/full/*_like, requires_grad and dtype keywords, seeded random numbers
import torch

print(torch.zeros(2, 3), torch.zeros((2,)), torch.ones([3]), torch.zeros(2, dtype=torch.float64))
print(torch.full((2, 2), 1.5), torch.full((3,), -2.0, requires_grad=True))
w = torch.ones(2, requires_grad=True)
print(w, w.requires_grad, w.is_leaf, w.grad_fn)
print(torch.zeros_like(w), torch.ones_like(w), torch.full_like(w, 7.0))
print(torch.zeros_like(w, dtype=torch.float64))
torch.manual_seed(0)
print(torch.rand(3))
torch.manual_seed(42)
print(torch.randn(2, 3))
print(torch.rand(2, dtype=torch.float64))
torch.manual_seed(0)
a = torch.randn(20)
print(a.sum().item() == a.sum().item(), a.shape)
print(torch.tensor(1.0, requires_grad=True), torch.tensor([1.0, 2.0], dtype=torch.double, requires_grad=True))
