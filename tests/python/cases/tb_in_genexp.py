values = [1, 2, 0, 4]
print(sum(1 / v for v in values))
