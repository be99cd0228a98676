def level3(x):
    return x["key"]

def level2(x):
    return level3(x) * 2

def level1():
    data = {"other": 1}
    return level2(data)

result = level1()
