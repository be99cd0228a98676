total = [x + yy for x in range(3)]
