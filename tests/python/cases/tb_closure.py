def make_scaler(k):
    def scale(x):
        return x * k + offset
    return scale
s = make_scaler(2)
print(s(3))
