def parse(s):
    return int(s)
print(list(map(parse, ["1", "2", "x"])))
