result = print("hi")
result()
