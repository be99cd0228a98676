// Arguments of the JS API as PyTorch's Python argument parser takes them: integers (dims,
// indices, sizes) must be integers, never truncated, and a value of the wrong type gets the
// parser's TypeError, word for word. Every method converts all its arguments with these
// before it touches any tensor: the conversions run no user code (no valueOf, no getters
// on our side), so nothing can dispose a tensor between its check and its use.
//
// The messages follow PyTorch 2.x's torch/csrc/utils/invalid_arguments.cpp and
// python_arg_parser.cpp (2.x prints SymInt as "int", and a list argument as "list of [...]",
// where 1.13 printed "SymInt" and "list"); the overload lists (SIGNATURES) are those Debian's
// PyTorch 1.13 prints, in 2.x's type names.
import { GradlabError } from './errors.mjs';

/** Python's type name for a JS value: what PyTorch's messages print. */
export function pyType(x) {
  if (x === null || x === undefined) return 'NoneType';
  switch (typeof x) {
    case 'boolean': return 'bool';
    case 'number': return Number.isInteger(x) ? 'int' : 'float';
    case 'bigint': return 'int';
    case 'string': return 'str';
    case 'function': return 'function';
    default: break;
  }
  if (Array.isArray(x)) return 'list';
  if (x._isTensor === true) return 'Tensor';
  const proto = Object.getPrototypeOf(x);
  if (proto === Object.prototype || proto === null) return 'dict';
  return proto?.constructor?.name ?? 'object';
}

/** Whether x is a Python int (a JS integer or BigInt; not a bool, not a float). */
export const isInt = (x) => (typeof x === 'number' && Number.isInteger(x)) || typeof x === 'bigint';

const INT64_MIN = -(2 ** 63);
/** x (an int: isInt) as a number in int64's range, or PyTorch's overflow error. */
export function int64(x) {
  if (typeof x === 'bigint') {
    if (x < -(2n ** 63n) || x >= 2n ** 63n) throw new GradlabError('RuntimeError', 'Overflow when unpacking long');
    return Number(x);  // dims and indices beyond 2**53 lose nothing that matters: all are out of range
  }
  if (x < INT64_MIN || x >= 2 ** 63) throw new GradlabError('RuntimeError', 'Overflow when unpacking long');
  return x;
}

// The overloads PyTorch lists for the methods that take dims and indices (Tensor methods;
// torch.cat is a function).
export const SIGNATURES = {
  select: ['(int dim, int index)', '(name dim, int index)'],
  transpose: ['(int dim0, int dim1)', '(name dim0, name dim1)'],
  sum: ['(*, torch.dtype dtype)', '(tuple of ints dim, bool keepdim, *, torch.dtype dtype)', '(tuple of names dim, bool keepdim, *, torch.dtype dtype)'],
  softmax: ['(int dim, torch.dtype dtype)', '(name dim, *, torch.dtype dtype)'],
  squeeze: ['()', '(int dim)', '(name dim)'],
  max: ['()', '(Tensor other)', '(int dim, bool keepdim)', '(name dim, bool keepdim)'],
  unbind: ['(int dim)', '(name dim)'],
  cat: ['(tuple of Tensors tensors, int dim, *, Tensor out)', '(tuple of Tensors tensors, name dim, *, Tensor out)'],
  view: ['(torch.dtype dtype)', '(tuple of ints size)'],
};
SIGNATURES.mean = SIGNATURES.sum;
SIGNATURES.log_softmax = SIGNATURES.softmax;
SIGNATURES.min = SIGNATURES.max;

// invalid_arguments.cpp: an option's arguments as "type name" pairs (an empty "()" parses as
// one nameless argument, and "*" as one too: PyTorch counts them so, which decides below
// which options get a "didn't match" line).
function parseOption(option) {
  return option.slice(1, -1).split(', ').map((arg) => {
    const space = arg.lastIndexOf(' ');
    return { type: space < 0 ? '' : arg.slice(0, space), name: arg.slice(space + 1) };
  });
}
function matches(type, x) {
  const t = pyType(x);
  if (type === 'int') return t === 'int';
  if (type === 'float') return t === 'float' || t === 'int';
  return type === t;
}
function describe(x) {
  if (Array.isArray(x)) return `list of [${Array.from(x, pyType).join(', ')}]`;
  return pyType(x);
}

/**
 * PyTorch's TypeError for a call of `name` (one of SIGNATURES) whose arguments match no
 * overload: positional args, and keywords as an object (insertion order).
 */
export function invalidArguments(name, args, kwargs = {}) {
  const options = SIGNATURES[name];
  const keys = Object.keys(kwargs);
  const got = `(${[...args.map(pyType), ...keys.map((k) => `${k}=${pyType(kwargs[k])}`)].join(', ')}${args.length === 0 && keys.length ? ', ' : ''})`;
  let msg = `${name}() received an invalid combination of arguments - got ${got}, but expected one of:\n`;
  for (const option of options) {
    msg += ` * ${option}\n`;
    const params = parseOption(option);
    if (params.length !== args.length + keys.length) continue;
    const unmatched = keys.filter((k) => !params.slice(params.length - keys.length).some((p) => p.name === k));
    if (unmatched.length) {
      msg += `      didn't match because some of the keywords were incorrect: ${unmatched.join(', ')}\n`;
      continue;
    }
    const all = [...args, ...keys.map((k) => kwargs[k])];
    const marked = all.map((x, i) => {
      const label = (i >= args.length ? `${keys[i - args.length]}=` : '') + describe(x);
      return matches(params[i].type, x) ? label : `!${label}!`;
    });
    msg += `      didn't match because some of the arguments have invalid types: (${marked.join(', ')}${args.length === 0 ? ', ' : ''})\n`;
  }
  return new GradlabError('TypeError', msg);
}

/** PyTorch's TypeError for a function with one signature ("unsqueeze(): argument 'dim' ..."). */
export function wrongArgument(fn, arg, position, want, x) {
  const where = position ? ` (position ${position})` : '';
  return new GradlabError('TypeError', `${fn}(): argument '${arg}'${where} must be ${want}, not ${pyType(x)}`);
}

/**
 * A dim of a method listed in SIGNATURES: an int (overflow checked), or the parser's errors.
 * None binds to the Dimname overloads, where PyTorch says so.
 */
export function dimOf(name, x, args, kwargs) {
  if (isInt(x)) return int64(x);
  if (x === null && SIGNATURES[name].some((o) => o.includes('name dim'))) {
    throw new GradlabError('RuntimeError', 'Please look up dimensions by name, got: name = None.');
  }
  throw invalidArguments(name, args, kwargs);
}

/**
 * A size list (torch.zeros's size, reshape's shape) as int64 numbers, with PyTorch 2.x's
 * python_arg_parser messages: the list counts as a list of ints when its first element is
 * one (else "found element ... at pos 0", 0-based, as 2.x's check reports it); a later
 * element that is not an int, or any int out of int64's range, fails when the list is
 * unpacked ("at pos k", 1-based). position: the argument's position (0 for a keyword).
 */
export function sizesOf(fn, arg, x, position = 1) {
  const where = position ? ` (position ${position})` : '';
  if (!Array.isArray(x)) throw new GradlabError('TypeError', `${fn}(): argument '${arg}'${where} must be tuple of ints, not ${pyType(x)}`);
  if (x.length && !isInt(x[0])) {
    throw new GradlabError('TypeError', `${fn}(): argument '${arg}'${where} must be tuple of ints, but found element of type ${pyType(x[0])} at pos 0`);
  }
  const out = new Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    const inRange = typeof v === 'bigint' ? v >= -(2n ** 63n) && v < 2n ** 63n : isInt(v) && v >= INT64_MIN && v < 2 ** 63;
    if (!inRange) {
      throw new GradlabError('TypeError', `${fn}(): argument '${arg}' must be tuple of ints, but found element of type ${pyType(v)} at pos ${i + 1}`);
    }
    out[i] = Number(v);
  }
  return out;
}

/** A keyword that must be a bool (keepdim, retain_graph): Python's bool only. */
export const isBool = (x) => typeof x === 'boolean';

/** A float argument (alpha, lr, exponents): a number or a bool, as Python's float() takes. */
export const isNumber = (x) => typeof x === 'number' || typeof x === 'boolean';
