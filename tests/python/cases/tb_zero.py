def divide(a, b):
    return a / b

def run():
    return divide(1, 0)

print("start")
run()
