def f():
    try:
        return 1
    finally:
        undefined_in_finally
f()
