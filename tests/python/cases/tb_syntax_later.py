print("this line is never run")
x = [1, 2, 3
y = 4
