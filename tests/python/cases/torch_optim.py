# torch.optim: constructors with the table's defaults and checks, step, zero_grad, param_groups
import torch
import torch.optim as optim
from torch import optim as optim2

print(optim is optim2, torch.optim is optim)
w = torch.tensor([1.0, -2.0], requires_grad=True)
for name in ['SGD', 'Adam', 'AdamW', 'RMSprop', 'Adagrad', 'Adadelta', 'Adamax', 'RAdam', 'ASGD', 'Rprop']:
    p = torch.tensor([1.0, -2.0], requires_grad=True)
    opt = getattr(optim, name)([p], lr=0.1)
    for _ in range(3):
        opt.zero_grad(set_to_none=True)
        loss = ((p - torch.tensor([0.5, 0.5])) ** 2).sum()
        loss.backward()
        opt.step()
    print(name, p, opt.param_groups[0]['lr'])
opt = optim.SGD([w], lr=0.01, momentum=0.9)
print(opt.param_groups[0]['momentum'], opt.param_groups[0]['nesterov'], len(opt.param_groups[0]['params']))
print(opt.param_groups[0]['params'][0] is w)
for bad in [dict(lr=-1.0), dict(lr=0.1, momentum=-0.5), dict(lr=0.1, weight_decay=-1.0), dict(lr=0.1, nesterov=True)]:
    try:
        optim.SGD([w], **bad)
    except ValueError as e:
        print('ValueError:', e)
try:
    optim.Adam([w], lr=0.1, betas=(0.9, 1.5))
except ValueError as e:
    print('ValueError:', e)
try:
    optim.SGD([], lr=0.1)
except ValueError as e:
    print('ValueError:', e)
try:
    optim.SGD(w, lr=0.1)
except TypeError as e:
    print('TypeError:', e)
try:
    optim.SGD([w], lr=0.1, bogus=1)
except TypeError as e:
    print('TypeError:', e)
w.grad = torch.tensor([1.0, 1.0])
opt = optim.SGD([w], lr=0.5)
opt.step()
print(w)
opt.param_groups[0]['lr'] = 0.25
opt.step()
print(w)
opt.zero_grad(set_to_none=False)
print(w.grad)
opt.zero_grad(set_to_none=True)
print(w.grad)
g = optim.SGD([w], lr=0.1).param_groups[0]
opt = optim.SGD([w], lr=0.1)
opt.param_groups[0]['note'] = ['anything', object]
opt.step()
print(w, sorted(k for k in opt.param_groups[0] if k not in ('foreach', 'differentiable', 'fused', 'maximize')))
