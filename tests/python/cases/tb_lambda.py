f = lambda x: x.missing
print(sorted([3, 1], key=f))
