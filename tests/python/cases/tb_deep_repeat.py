def countdown(n):
    if n == 0:
        return 1 / 0
    return countdown(n - 1)
countdown(50)
