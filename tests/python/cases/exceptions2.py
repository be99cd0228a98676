class MyErr(Exception):
    pass
class Sub(MyErr):
    def __init__(self, code, msg="default"):
        super().__init__(code, msg)
        self.code = code
    def __str__(self):
        return f"Sub[{self.code}]"
try:
    raise Sub(3)
except MyErr as e:
    print(type(e).__name__, e, repr(e), e.args, e.code, isinstance(e, Exception))
for exc in [ValueError("v"), KeyError("k"), KeyError(), IndexError(1, 2), Exception(), Exception("a", 1), TypeError(None), ZeroDivisionError("z"), StopIteration(5), AssertionError()]:
    print(repr(exc), "|", str(exc), "|", exc.args)
def f(n):
    try:
        if n == 0: raise ValueError("zero")
        if n == 1: return "one"
        if n == 2: [][1]
        return "other"
    except ValueError as e:
        return "caught " + str(e)
    except (IndexError, KeyError) as e:
        return "lookup " + type(e).__name__
    else:
        return "else"
    finally:
        print("finally", n)
for n in range(4): print(f(n))
def g():
    for i in range(3):
        try:
            if i == 1: continue
            if i == 2: break
        finally:
            print("fin", i)
    return i
print(g())
def h():
    try:
        return 1
    finally:
        print("h finally")
print(h())
def k():
    try:
        raise KeyError("x")
    except KeyError:
        try:
            raise ValueError("inner")
        except ValueError as e2:
            print("inner", e2, type(e2.__context__).__name__)
        print("outer handler continues")
k()
try:
    try:
        1 / 0
    except ZeroDivisionError as e:
        raise RuntimeError("wrapped") from e
except RuntimeError as e:
    print(e, type(e.__cause__).__name__, e.__cause__)
try:
    raise
except RuntimeError as e:
    print("reraise:", e)
def bare():
    try:
        int("x")
    except:
        print("bare caught")
        raise
try:
    bare()
except ValueError as e:
    print("outer:", e)
try:
    assert 1 == 2, "msg " + str(3)
except AssertionError as e:
    print("assert:", e, e.args)
try:
    assert False
except AssertionError as e:
    print("assert2:", repr(e))
e = None
try:
    raise Exception
except Exception as exc:
    e = exc
print(repr(e))
try:
    x = undefined_name
except NameError as ne:
    print(ne, ne.args)
try:
    [].pop()
except IndexError as ie:
    print(ie)
try:
    {}.pop("k")
except KeyError as ke:
    print(ke, repr(ke))
try:
    "a" + 1
except TypeError as te:
    print(te)
try:
    None.foo
except AttributeError as ae:
    print(ae)
try:
    int("12a")
except ValueError as ve:
    print(ve)
try:
    next(iter([]))
except StopIteration as si:
    print("stop", repr(si))
class Ctx:
    def __init__(self, name, swallow=False): self.name = name; self.swallow = swallow
    def __enter__(self):
        print("enter", self.name); return self
    def __exit__(self, et, ev, tb):
        print("exit", self.name, et.__name__ if et else None, ev)
        return self.swallow
with Ctx("a") as c1, Ctx("b") as c2:
    print("body", c1.name, c2.name)
with Ctx("s", True):
    raise ValueError("swallowed")
print("after swallow")
try:
    with Ctx("n"):
        raise KeyError("propagates")
except KeyError as e:
    print("got", e)
def ret_in_with():
    with Ctx("r"):
        return "from with"
print(ret_in_with())
print(issubclass(KeyError, LookupError), issubclass(ZeroDivisionError, ArithmeticError), issubclass(RecursionError, RuntimeError), issubclass(ModuleNotFoundError, ImportError), issubclass(NotImplementedError, RuntimeError), issubclass(Exception, BaseException))
try:
    raise NotImplementedError
except RuntimeError as e:
    print("NIE", repr(e))
def raiser(cls): raise cls("from func")
for cls in (ValueError, TypeError, OSError if False else KeyError):
    try:
        raiser(cls)
    except (ValueError, TypeError) as e:
        print("tuple caught", type(e).__name__)
    except Exception as e:
        print("generic", repr(e))
try:
    raise ValueError("x") from None
except ValueError as e:
    print(e.__cause__, e.__suppress_context__)
class CustomInit(Exception):
    def __init__(self):
        super().__init__("fixed message")
try:
    raise CustomInit()
except CustomInit as e:
    print(e, e.args)
print(str(KeyError("a b")), str(KeyError(1)), str(KeyError("a", "b")))
