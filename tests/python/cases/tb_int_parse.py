values = "3.5"
n = int(values)
