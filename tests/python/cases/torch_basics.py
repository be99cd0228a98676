# torch.tensor, attributes, printing, dtypes, Size
import torch

x = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
print(x)
print(x.shape, x.size(), x.size(0), x.size(-1), x.dim(), x.numel(), x.ndim, len(x))
print(x.dtype, torch.float32, torch.float64, torch.double, torch.float)
print(x.dtype == torch.float32, x.dtype is torch.float32, isinstance(x.shape, tuple))
d = torch.tensor([0.1, 0.25], dtype=torch.float64)
print(d, d.dtype)
print(torch.tensor(3.5), torch.tensor([]), torch.tensor([[0.5]]))
print(x.tolist(), torch.tensor(2.5).item(), torch.tensor([7.0]).item())
print(x.shape[0], x.shape[1], list(x.shape), torch.Size([2, 3]), torch.Size([2, 3]).numel())
print(repr(torch.tensor([1e-8, 1.0, 1e8])), str(torch.tensor([1.5, -2.25])))
print(float(torch.tensor(2.5)), int(torch.tensor(3.7)), bool(torch.tensor(0.0)), bool(torch.tensor([1.0])))
print(f"{torch.tensor(3.14159):.2f}", '%.3f' % torch.tensor(1.0 / 3).item())
print(torch.is_tensor(x), torch.is_tensor([1.0]), torch.numel(x))
for row in x:
    print(row)
print(torch.tensor([torch.tensor(1.5), torch.tensor(2.5)]))
print(x.t(), x.reshape(3, 2), x.reshape(-1), x.unsqueeze(0).shape, x.transpose(0, 1).shape)
print(x[1], x[-1][0])
