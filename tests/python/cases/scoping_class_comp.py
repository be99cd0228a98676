class Broken:
    base = 3
    vals = [base * i for i in range(3)]
