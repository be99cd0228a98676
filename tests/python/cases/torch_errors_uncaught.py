# an engine error not caught: Python's traceback, exit status 1
import torch

w = torch.tensor([1.0, 2.0], requires_grad=True)
print('before')
w.mul_(2.0)
print('not reached')
