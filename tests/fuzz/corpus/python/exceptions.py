def risky(x):
    if x == 0:
        raise ValueError("zero!")
    return 10 / x

for v in [2, 0, "a"]:
    try:
        print(risky(v))
    except ValueError as e:
        print("ValueError:", e, e.args, repr(e), type(e).__name__)
    except TypeError as e:
        print("TypeError:", e)
    else:
        print("no error")
    finally:
        print("finally", v)

try:
    {}["missing"]
except KeyError as e:
    print("KeyError", e, repr(e), e.args)
try:
    [][1]
except IndexError as e:
    print(e)
except Exception:
    print("not here")
try:
    1 / 0
except (ValueError, ZeroDivisionError) as e:
    print("caught", type(e).__name__, e)
try:
    undefined_thing
except NameError as e:
    print(e)
try:
    int("x")
except ValueError as e:
    print(e)
try:
    None.foo
except AttributeError as e:
    print(e)
try:
    raise RuntimeError
except RuntimeError as e:
    print(repr(e), str(e) == "")

class MyError(Exception):
    def __init__(self, code):
        super().__init__(f"code {code}")
        self.code = code

try:
    raise MyError(42)
except MyError as e:
    print(e, e.code, e.args, isinstance(e, Exception))

def nested():
    try:
        try:
            raise KeyError("inner")
        finally:
            print("inner finally")
    except KeyError as e:
        print("outer caught", e)
        return "returned"
    finally:
        print("outer finally")
print(nested())

def loop_with_finally():
    for i in range(3):
        try:
            if i == 1:
                continue
            if i == 2:
                break
            print("body", i)
        finally:
            print("cleanup", i)
    return "done"
print(loop_with_finally())

try:
    try:
        1 / 0
    except ZeroDivisionError as e:
        raise ValueError("converted") from e
except ValueError as e:
    print(e, type(e.__cause__).__name__, e.__context__ is e.__cause__)

try:
    try:
        raise TypeError("first")
    except TypeError:
        raise KeyError("second")
except KeyError as e:
    print(repr(e), repr(e.__context__))

def reraiser():
    try:
        raise ValueError("again")
    except ValueError:
        raise
try:
    reraiser()
except ValueError as e:
    print("reraised", e)

try:
    assert 1 == 2, "math is broken"
except AssertionError as e:
    print("assert:", e)
try:
    assert False
except AssertionError as e:
    print("assert2:", repr(e))

e = None
try:
    raise Exception("x", 1)
except Exception as exc:
    e = exc
print(e, e.args, str(e))
try:
    raise StopIteration(5)
except StopIteration as s:
    print(s.value, s)
print(issubclass(ZeroDivisionError, ArithmeticError), issubclass(KeyError, LookupError), issubclass(RecursionError, RuntimeError))
