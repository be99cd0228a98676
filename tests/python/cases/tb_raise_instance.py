err = ValueError("stored")
def g():
    raise err
try:
    g()
except ValueError:
    pass
raise err
