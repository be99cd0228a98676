epoch = 5
print("epoch " + epoch)
