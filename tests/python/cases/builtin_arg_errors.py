import math
try:
    len()
    print('len()', 'OK')
except TypeError as e:
    print('len()', '|', e)
try:
    len(1,2)
    print('len(1,2)', 'OK')
except TypeError as e:
    print('len(1,2)', '|', e)
try:
    len(x=1)
    print('len(x=1)', 'OK')
except TypeError as e:
    print('len(x=1)', '|', e)
try:
    abs()
    print('abs()', 'OK')
except TypeError as e:
    print('abs()', '|', e)
try:
    repr()
    print('repr()', 'OK')
except TypeError as e:
    print('repr()', '|', e)
try:
    chr()
    print('chr()', 'OK')
except TypeError as e:
    print('chr()', '|', e)
try:
    ord(1,2)
    print('ord(1,2)', 'OK')
except TypeError as e:
    print('ord(1,2)', '|', e)
try:
    iter()
    print('iter()', 'OK')
except TypeError as e:
    print('iter()', '|', e)
try:
    next()
    print('next()', 'OK')
except TypeError as e:
    print('next()', '|', e)
try:
    hash()
    print('hash()', 'OK')
except TypeError as e:
    print('hash()', '|', e)
try:
    id()
    print('id()', 'OK')
except TypeError as e:
    print('id()', '|', e)
try:
    callable()
    print('callable()', 'OK')
except TypeError as e:
    print('callable()', '|', e)
try:
    hex()
    print('hex()', 'OK')
except TypeError as e:
    print('hex()', '|', e)
try:
    math.sqrt()
    print('math.sqrt()', 'OK')
except TypeError as e:
    print('math.sqrt()', '|', e)
try:
    math.sqrt(x=1)
    print('math.sqrt(x=1)', 'OK')
except TypeError as e:
    print('math.sqrt(x=1)', '|', e)
try:
    math.pow(1)
    print('math.pow(1)', 'OK')
except TypeError as e:
    print('math.pow(1)', '|', e)
try:
    math.log()
    print('math.log()', 'OK')
except TypeError as e:
    print('math.log()', '|', e)
try:
    math.isclose(1)
    print('math.isclose(1)', 'OK')
except TypeError as e:
    print('math.isclose(1)', '|', e)
try:
    math.floor()
    print('math.floor()', 'OK')
except TypeError as e:
    print('math.floor()', '|', e)
try:
    math.exp(1,2)
    print('math.exp(1,2)', 'OK')
except TypeError as e:
    print('math.exp(1,2)', '|', e)
try:
    divmod(1)
    print('divmod(1)', 'OK')
except TypeError as e:
    print('divmod(1)', '|', e)
try:
    isinstance(1)
    print('isinstance(1)', 'OK')
except TypeError as e:
    print('isinstance(1)', '|', e)
try:
    issubclass(1)
    print('issubclass(1)', 'OK')
except TypeError as e:
    print('issubclass(1)', '|', e)
try:
    getattr(1)
    print('getattr(1)', 'OK')
except TypeError as e:
    print('getattr(1)', '|', e)
try:
    setattr(1)
    print('setattr(1)', 'OK')
except TypeError as e:
    print('setattr(1)', '|', e)
try:
    hasattr(1)
    print('hasattr(1)', 'OK')
except TypeError as e:
    print('hasattr(1)', '|', e)
try:
    pow(1)
    print('pow(1)', 'OK')
except TypeError as e:
    print('pow(1)', '|', e)
try:
    round()
    print('round()', 'OK')
except TypeError as e:
    print('round()', '|', e)
try:
    round(1,2,3)
    print('round(1,2,3)', 'OK')
except TypeError as e:
    print('round(1,2,3)', '|', e)
try:
    round(x=1)
    print('round(x=1)', 'OK')
except TypeError as e:
    print('round(x=1)', '|', e)
try:
    int(1,2,3)
    print('int(1,2,3)', 'OK')
except TypeError as e:
    print('int(1,2,3)', '|', e)
try:
    float(1,2)
    print('float(1,2)', 'OK')
except TypeError as e:
    print('float(1,2)', '|', e)
try:
    str(1,2,3,4)
    print('str(1,2,3,4)', 'OK')
except TypeError as e:
    print('str(1,2,3,4)', '|', e)
try:
    bool(1,2)
    print('bool(1,2)', 'OK')
except TypeError as e:
    print('bool(1,2)', '|', e)
try:
    list(1,2)
    print('list(1,2)', 'OK')
except TypeError as e:
    print('list(1,2)', '|', e)
try:
    tuple(1,2)
    print('tuple(1,2)', 'OK')
except TypeError as e:
    print('tuple(1,2)', '|', e)
try:
    dict(1,2)
    print('dict(1,2)', 'OK')
except TypeError as e:
    print('dict(1,2)', '|', e)
try:
    set(1,2)
    print('set(1,2)', 'OK')
except TypeError as e:
    print('set(1,2)', '|', e)
try:
    range()
    print('range()', 'OK')
except TypeError as e:
    print('range()', '|', e)
try:
    range(1,2,3,4)
    print('range(1,2,3,4)', 'OK')
except TypeError as e:
    print('range(1,2,3,4)', '|', e)
try:
    sum()
    print('sum()', 'OK')
except TypeError as e:
    print('sum()', '|', e)
try:
    sum(1,2,3)
    print('sum(1,2,3)', 'OK')
except TypeError as e:
    print('sum(1,2,3)', '|', e)
try:
    min()
    print('min()', 'OK')
except TypeError as e:
    print('min()', '|', e)
try:
    max()
    print('max()', 'OK')
except TypeError as e:
    print('max()', '|', e)
try:
    sorted()
    print('sorted()', 'OK')
except TypeError as e:
    print('sorted()', '|', e)
try:
    sorted([], kee=1)
    print('sorted([], kee=1)', 'OK')
except TypeError as e:
    print('sorted([], kee=1)', '|', e)
try:
    print(sepp=1)
    print('print(sepp=1)', 'OK')
except TypeError as e:
    print('print(sepp=1)', '|', e)
try:
    enumerate()
    print('enumerate()', 'OK')
except TypeError as e:
    print('enumerate()', '|', e)
try:
    enumerate(1,2,3)
    print('enumerate(1,2,3)', 'OK')
except TypeError as e:
    print('enumerate(1,2,3)', '|', e)
try:
    zip(x=1)
    print('zip(x=1)', 'OK')
except TypeError as e:
    print('zip(x=1)', '|', e)
try:
    map(len)
    print('map(len)', 'OK')
except TypeError as e:
    print('map(len)', '|', e)
try:
    filter(None)
    print('filter(None)', 'OK')
except TypeError as e:
    print('filter(None)', '|', e)
try:
    reversed()
    print('reversed()', 'OK')
except TypeError as e:
    print('reversed()', '|', e)
try:
    any()
    print('any()', 'OK')
except TypeError as e:
    print('any()', '|', e)
try:
    all(1,2)
    print('all(1,2)', 'OK')
except TypeError as e:
    print('all(1,2)', '|', e)
try:
    [].append()
    print('[].append()', 'OK')
except TypeError as e:
    print('[].append()', '|', e)
try:
    [].append(1,2)
    print('[].append(1,2)', 'OK')
except TypeError as e:
    print('[].append(1,2)', '|', e)
try:
    [].insert(1)
    print('[].insert(1)', 'OK')
except TypeError as e:
    print('[].insert(1)', '|', e)
try:
    [].pop(1,2)
    print('[].pop(1,2)', 'OK')
except TypeError as e:
    print('[].pop(1,2)', '|', e)
try:
    [].index()
    print('[].index()', 'OK')
except TypeError as e:
    print('[].index()', '|', e)
try:
    [].count()
    print('[].count()', 'OK')
except TypeError as e:
    print('[].count()', '|', e)
try:
    [].extend()
    print('[].extend()', 'OK')
except TypeError as e:
    print('[].extend()', '|', e)
try:
    [].sort(1)
    print('[].sort(1)', 'OK')
except TypeError as e:
    print('[].sort(1)', '|', e)
try:
    [].remove()
    print('[].remove()', 'OK')
except TypeError as e:
    print('[].remove()', '|', e)
try:
    [].copy(1)
    print('[].copy(1)', 'OK')
except TypeError as e:
    print('[].copy(1)', '|', e)
try:
    {}.get()
    print('{}.get()', 'OK')
except TypeError as e:
    print('{}.get()', '|', e)
try:
    {}.pop()
    print('{}.pop()', 'OK')
except TypeError as e:
    print('{}.pop()', '|', e)
try:
    {}.setdefault()
    print('{}.setdefault()', 'OK')
except TypeError as e:
    print('{}.setdefault()', '|', e)
try:
    {}.update(1,2)
    print('{}.update(1,2)', 'OK')
except TypeError as e:
    print('{}.update(1,2)', '|', e)
try:
    {}.keys(1)
    print('{}.keys(1)', 'OK')
except TypeError as e:
    print('{}.keys(1)', '|', e)
try:
    {}.items(1)
    print('{}.items(1)', 'OK')
except TypeError as e:
    print('{}.items(1)', '|', e)
try:
    set().add()
    print('set().add()', 'OK')
except TypeError as e:
    print('set().add()', '|', e)
try:
    set().discard()
    print('set().discard()', 'OK')
except TypeError as e:
    print('set().discard()', '|', e)
try:
    ''.join()
    print("''.join()", 'OK')
except TypeError as e:
    print("''.join()", '|', e)
try:
    ''.split(1,2,3)
    print("''.split(1,2,3)", 'OK')
except TypeError as e:
    print("''.split(1,2,3)", '|', e)
try:
    ''.strip(1,2)
    print("''.strip(1,2)", 'OK')
except TypeError as e:
    print("''.strip(1,2)", '|', e)
try:
    ''.replace(1)
    print("''.replace(1)", 'OK')
except TypeError as e:
    print("''.replace(1)", '|', e)
try:
    ''.startswith()
    print("''.startswith()", 'OK')
except TypeError as e:
    print("''.startswith()", '|', e)
try:
    ''.find()
    print("''.find()", 'OK')
except TypeError as e:
    print("''.find()", '|', e)
try:
    ''.upper(1)
    print("''.upper(1)", 'OK')
except TypeError as e:
    print("''.upper(1)", '|', e)
try:
    ''.zfill()
    print("''.zfill()", 'OK')
except TypeError as e:
    print("''.zfill()", '|', e)
try:
    ''.center()
    print("''.center()", 'OK')
except TypeError as e:
    print("''.center()", '|', e)
try:
    ''.count()
    print("''.count()", 'OK')
except TypeError as e:
    print("''.count()", '|', e)
try:
    type()
    print('type()', 'OK')
except TypeError as e:
    print('type()', '|', e)
try:
    type(1,2)
    print('type(1,2)', 'OK')
except TypeError as e:
    print('type(1,2)', '|', e)
try:
    object(1)
    print('object(1)', 'OK')
except TypeError as e:
    print('object(1)', '|', e)
try:
    super(1,2,3)
    print('super(1,2,3)', 'OK')
except TypeError as e:
    print('super(1,2,3)', '|', e)
try:
    vars(1,2)
    print('vars(1,2)', 'OK')
except TypeError as e:
    print('vars(1,2)', '|', e)
try:
    dir(1,2)
    print('dir(1,2)', 'OK')
except TypeError as e:
    print('dir(1,2)', '|', e)
try:
    format()
    print('format()', 'OK')
except TypeError as e:
    print('format()', '|', e)
try:
    format(1,2,3)
    print('format(1,2,3)', 'OK')
except TypeError as e:
    print('format(1,2,3)', '|', e)
try:
    ascii()
    print('ascii()', 'OK')
except TypeError as e:
    print('ascii()', '|', e)
try:
    bin()
    print('bin()', 'OK')
except TypeError as e:
    print('bin()', '|', e)
try:
    [].insert(x=1)
    print('[].insert(x=1)', 'OK')
except TypeError as e:
    print('[].insert(x=1)', '|', e)
try:
    divmod(x=1)
    print('divmod(x=1)', 'OK')
except TypeError as e:
    print('divmod(x=1)', '|', e)
try:
    math.sqrt(x=1)
    print('math.sqrt(x=1)', 'OK')
except TypeError as e:
    print('math.sqrt(x=1)', '|', e)
try:
    [].pop(x=1)
    print('[].pop(x=1)', 'OK')
except TypeError as e:
    print('[].pop(x=1)', '|', e)
try:
    float(x=1)
    print('float(x=1)', 'OK')
except TypeError as e:
    print('float(x=1)', '|', e)
try:
    list(x=1)
    print('list(x=1)', 'OK')
except TypeError as e:
    print('list(x=1)', '|', e)
try:
    {}.get(x=1)
    print('{}.get(x=1)', 'OK')
except TypeError as e:
    print('{}.get(x=1)', '|', e)
try:
    [].copy(x=1)
    print('[].copy(x=1)', 'OK')
except TypeError as e:
    print('[].copy(x=1)', '|', e)
try:
    range(x=1)
    print('range(x=1)', 'OK')
except TypeError as e:
    print('range(x=1)', '|', e)
try:
    iter(x=1)
    print('iter(x=1)', 'OK')
except TypeError as e:
    print('iter(x=1)', '|', e)
try:
    round(1, ndigits=2, z=1)
    print('round(1, ndigits=2, z=1)', 'OK')
except TypeError as e:
    print('round(1, ndigits=2, z=1)', '|', e)
try:
    int(1, 2, base=3)
    print('int(1, 2, base=3)', 'OK')
except TypeError as e:
    print('int(1, 2, base=3)', '|', e)
try:
    "".split(1,2,sep=1)
    print('"".split(1,2,sep=1)', 'OK')
except TypeError as e:
    print('"".split(1,2,sep=1)', '|', e)
try:
    str(1, x=2)
    print('str(1, x=2)', 'OK')
except TypeError as e:
    print('str(1, x=2)', '|', e)
try:
    isinstance(1, int, x=1)
    print('isinstance(1, int, x=1)', 'OK')
except TypeError as e:
    print('isinstance(1, int, x=1)', '|', e)
try:
    sum([], start=1, x=1)
    print('sum([], start=1, x=1)', 'OK')
except TypeError as e:
    print('sum([], start=1, x=1)', '|', e)
try:
    math.isclose(1,2,3)
    print('math.isclose(1,2,3)', 'OK')
except TypeError as e:
    print('math.isclose(1,2,3)', '|', e)
try:
    math.isclose(1,2,z=3)
    print('math.isclose(1,2,z=3)', 'OK')
except TypeError as e:
    print('math.isclose(1,2,z=3)', '|', e)
try:
    math.isclose(1,2,a=3)
    print('math.isclose(1,2,a=3)', 'OK')
except TypeError as e:
    print('math.isclose(1,2,a=3)', '|', e)
try:
    round(1, number=2)
    print('round(1, number=2)', 'OK')
except TypeError as e:
    print('round(1, number=2)', '|', e)
