def risky():
    raise KeyError("first")
try:
    risky()
except KeyError as e:
    msg = "handled " + e
