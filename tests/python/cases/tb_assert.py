loss = 5.0
assert loss < 1.0, f"loss too high: {loss}"
