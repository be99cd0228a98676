# torch.optim.lr_scheduler: the scheduled lr reaches param_groups and the optimizer's steps
import torch
import torch.optim as optim
from torch.optim.lr_scheduler import StepLR, ExponentialLR

w = torch.tensor([1.0, -1.0], requires_grad=True)
opt = optim.SGD([w], lr=0.1)
sched = StepLR(opt, step_size=2, gamma=0.5)
print(sched.get_last_lr(), sched.last_epoch, opt.param_groups[0]['initial_lr'])
for epoch in range(5):
    opt.zero_grad(set_to_none=True)
    (w ** 2).sum().backward()
    opt.step()
    sched.step()
    print(epoch, sched.get_last_lr(), opt.param_groups[0]['lr'], [round(v, 5) for v in w.tolist()])
p = torch.tensor([2.0], requires_grad=True)
opt2 = optim.Adam([p], lr=0.5)
ex = torch.optim.lr_scheduler.ExponentialLR(opt2, gamma=0.9)
for _ in range(3):
    opt2.zero_grad(set_to_none=True)
    (p * p).sum().backward()
    opt2.step()
    ex.step()
print([round(x, 6) for x in ex.get_last_lr()], round(p.item(), 5), ex.base_lrs)
try:
    StepLR(opt)
except TypeError as e:
    print('TypeError:', e)
