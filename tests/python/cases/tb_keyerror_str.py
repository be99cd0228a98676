weights = {"w": 1.0, "b": 0.0}
print(weights["bias"])
