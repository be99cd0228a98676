class Layer:
    def __init__(self, n_in, n_out):
        self.weights = [[0.0] * n_in for _ in range(n_out)]
        self.check(n_in)

    def check(self, n):
        if n <= 0:
            raise ValueError(f"n_in must be positive, got {n}")

layers = [Layer(2, 3), Layer(0, 1)]
