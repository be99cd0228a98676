print(float("3,5"))
