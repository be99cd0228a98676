class TrainingError(Exception):
    pass

def step(i):
    if i == 3:
        raise TrainingError(f"diverged at step {i}")

for i in range(5):
    step(i)
