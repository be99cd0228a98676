# step(closure) for LBFGS (and SGD, which calls it once)
import torch
import torch.optim as optim

x = torch.tensor([1.5, -0.5], requires_grad=True)
opt = optim.LBFGS([x], lr=1, max_iter=20)
calls = []
def closure():
    opt.zero_grad()
    loss = ((x - torch.tensor([1.0, 2.0])) ** 2).sum() + (x[0] * x[1]) ** 2
    loss.backward()
    calls.append(loss.item())
    return loss
for i in range(3):
    loss = opt.step(closure)
    print(i, round(loss.item(), 4), [round(v, 4) for v in x.tolist()])
print(len(calls) > 3)
p = torch.tensor([2.0], requires_grad=True)
sgd = optim.SGD([p], lr=0.1)
def c2():
    sgd.zero_grad()
    l = (p ** 2).sum()
    l.backward()
    return l
print(sgd.step(c2), p)
