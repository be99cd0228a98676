x = [1, 2]
y = x[10]   # out of range
