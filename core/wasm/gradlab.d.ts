// Type declarations for gradlab's JavaScript API (core/wasm/gradlab.mjs and friends).

export type DType = 'float32' | 'float64';
export type NestedNumbers = number | boolean | NestedNumbers[] | Float32Array | Float64Array;
export type Shape = number[];
/** A Python int: a JS integer (2.0 counts; 2.5 is a float and a TypeError) or a BigInt. */
export type Int = number | bigint;
/** Sizes as PyTorch takes them (zeros, reshape): ints, within int64. */
export type Sizes = Int[];

/** An engine error, named after PyTorch's Python exception type ('RuntimeError', 'ValueError', ...). */
export class GradlabError extends Error {
  constructor(type: string, message: string);
  /** PyTorch's exception type; also in `name`. */
  readonly pythonType: string;
}

export interface LoadOptions {
  /** Use the build with the .wasm embedded in its JS glue (one file, no second fetch). */
  singleFile?: boolean;
  /** Where the glue finds dist/gradlab_wasm_split.wasm (browsers with a custom layout). */
  locateFile?: (path: string, prefix: string) => string;
}

/** Loads the WebAssembly engine (once per realm and variant) and returns the `torch` namespace. */
export function load(options?: LoadOptions): Promise<Torch>;

export interface TensorOptions {
  dtype?: DType;
  requiresGrad?: boolean;
  requires_grad?: boolean;
}

export interface BackwardOptions {
  retainGraph?: boolean;
  retain_graph?: boolean;
}

export interface AlphaOption {
  alpha?: number;
}

export interface DimOptions {
  dim?: Int;
  keepdim?: boolean;
}

/** A view of a grad_fn node of the autograd graph. */
export interface GraphNode {
  /** PyTorch's class name: 'MeanBackward0', 'AccumulateGrad', ... */
  readonly name: string;
  /** Stable while the node lives: the same node reached twice has the same id. */
  readonly id: number;
  /** grad_fn.next_functions: [node or null, input_nr] for each input. */
  readonly nextFunctions: Array<[GraphNode | null, number]>;
  readonly next_functions: Array<[GraphNode | null, number]>;
  /** The leaf tensor of an AccumulateGrad node; null otherwise. */
  readonly variable: Tensor | null;
  dispose(): void;
  toString(): string;
}

/** max(dim) / min(dim): values and indices, also as a pair. */
export type ValuesIndices = [Tensor, number[]] & { values: Tensor; indices: number[] };

export type Operand = Tensor | number;
export type ClassTarget = number[] | number[][] | Tensor;

export class Tensor {
  private constructor();
  readonly shape: Shape;
  readonly dtype: DType;
  requiresGrad: boolean;
  readonly requires_grad: boolean;
  readonly isLeaf: boolean;
  readonly is_leaf: boolean;
  /** null before the first backward() that reaches this leaf. */
  grad: Tensor | null;
  readonly gradFn: GraphNode | null;
  readonly grad_fn: GraphNode | null;
  readonly version: number;
  readonly ndim: number;
  readonly isDisposed: boolean;
  readonly T: Tensor;

  /**
   * Frees the engine memory now; optional: the engine keeps the newest tensors and moves
   * older ones into JavaScript memory, where they are collected (README, "Memory").
   */
  dispose(): void;
  numel(): number;
  dim(): number;
  size(): Shape;
  size(dim: number): number;
  item(): number;
  /** A copy of the values, flat. */
  data(): Float32Array | Float64Array;
  /** Nested arrays, like tolist(). */
  toArray(): any;
  tolist(): any;
  /** PyTorch's repr: tensor([  5.3671, -17.3012], requires_grad=True) */
  toString(): string;
  requiresGrad_(on?: boolean): this;
  requires_grad_(on?: boolean): this;
  backward(gradient?: Tensor | null, options?: BackwardOptions): void;
  detach(): Tensor;
  clone(): Tensor;
  to(dtype: DType | { dtype: DType }): Tensor;
  double(): Tensor;
  float(): Tensor;

  add(other: Operand, options?: AlphaOption): Tensor;
  sub(other: Operand, options?: AlphaOption): Tensor;
  mul(other: Operand): Tensor;
  div(other: Operand): Tensor;
  rsub(other: Operand): Tensor;
  rdiv(other: Operand): Tensor;
  pow(exponent: Operand): Tensor;
  /** base ** this */
  rpow(base: number): Tensor;
  // <gen:tensor-methods> (from op_table.def: node .ci/gen_ops.mjs)
  neg(): Tensor;
  exp(): Tensor;
  log(): Tensor;
  sqrt(): Tensor;
  abs(): Tensor;
  sin(): Tensor;
  cos(): Tensor;
  atan(): Tensor;
  tanh(): Tensor;
  sigmoid(): Tensor;
  relu(): Tensor;
  // </gen:tensor-methods>
  clamp(min?: number | null, max?: number | null): Tensor;
  clamp(bounds: { min?: number | null; max?: number | null }): Tensor;
  clip(min?: number | null, max?: number | null): Tensor;
  maximum(other: Tensor): Tensor;

  softmax(dim: number | { dim: number }): Tensor;
  logSoftmax(dim: number | { dim: number }): Tensor;
  log_softmax(dim: number | { dim: number }): Tensor;

  matmul(other: Tensor): Tensor;
  mm(other: Tensor): Tensor;
  mv(other: Tensor): Tensor;
  dot(other: Tensor): Tensor;

  sum(): Tensor;
  sum(dim: number, keepdim?: boolean): Tensor;
  sum(options: DimOptions): Tensor;
  mean(): Tensor;
  mean(dim: number, keepdim?: boolean): Tensor;
  mean(options: DimOptions): Tensor;
  max(): Tensor;
  max(dim: number, keepdim?: boolean): ValuesIndices;
  max(other: Tensor): Tensor;
  min(): Tensor;
  min(dim: number, keepdim?: boolean): ValuesIndices;
  min(other: Tensor): Tensor;

  transpose(dim0: number, dim1: number): Tensor;
  t(): Tensor;
  reshape(shape: Sizes): Tensor;
  reshape(...shape: Int[]): Tensor;
  view(shape: Sizes): Tensor;
  view(...shape: Int[]): Tensor;
  flatten(): Tensor;
  unsqueeze(dim: Int): Tensor;
  squeeze(dim: Int): Tensor;

  select(dim: Int, index: Int): Tensor;
  index(i: Int): Tensor;
  unbind(dim?: Int): Tensor[];
  [Symbol.iterator](): Iterator<Tensor>;

  add_(other: Operand, options?: AlphaOption): this;
  sub_(other: Operand, options?: AlphaOption): this;
  mul_(other: Operand): this;
  div_(other: Operand): this;
  copy_(other: Tensor): this;
  zero_(): this;
}

export type Reduction = 'mean' | 'sum' | 'none';
export interface ReductionOptions {
  /** Only 'mean' (PyTorch's default) is computed. */
  reduction?: Reduction;
}

export interface Functional {
  mse_loss(input: Tensor, target: Tensor, options?: ReductionOptions): Tensor;
  mseLoss(input: Tensor, target: Tensor, options?: ReductionOptions): Tensor;
  l1_loss(input: Tensor, target: Tensor, options?: ReductionOptions): Tensor;
  l1Loss(input: Tensor, target: Tensor, options?: ReductionOptions): Tensor;
  huber_loss(input: Tensor, target: Tensor, options?: ReductionOptions & { delta?: number }): Tensor;
  huberLoss(input: Tensor, target: Tensor, options?: ReductionOptions & { delta?: number }): Tensor;
  binary_cross_entropy(input: Tensor, target: Tensor, options?: ReductionOptions): Tensor;
  binaryCrossEntropy(input: Tensor, target: Tensor, options?: ReductionOptions): Tensor;
  binary_cross_entropy_with_logits(input: Tensor, target: Tensor, options?: ReductionOptions): Tensor;
  binaryCrossEntropyWithLogits(input: Tensor, target: Tensor, options?: ReductionOptions): Tensor;
  /** target: class indices, or class probabilities shaped like input. */
  cross_entropy(input: Tensor, target: ClassTarget, options?: ReductionOptions): Tensor;
  crossEntropy(input: Tensor, target: ClassTarget, options?: ReductionOptions): Tensor;
  nll_loss(input: Tensor, target: ClassTarget, options?: ReductionOptions): Tensor;
  nllLoss(input: Tensor, target: ClassTarget, options?: ReductionOptions): Tensor;
  // <gen:functional> (from op_table.def: node .ci/gen_ops.mjs)
  tanh(x: Tensor): Tensor;
  sigmoid(x: Tensor): Tensor;
  relu(x: Tensor): Tensor;
  silu(x: Tensor): Tensor;
  // </gen:functional>
  gelu(x: Tensor, options?: { approximate?: 'none' | 'tanh' }): Tensor;
  elu(x: Tensor, options?: { alpha?: number }): Tensor;
  leaky_relu(x: Tensor, negativeSlope?: number | { negativeSlope?: number; negative_slope?: number }): Tensor;
  leakyRelu(x: Tensor, negativeSlope?: number | { negativeSlope?: number; negative_slope?: number }): Tensor;
  softplus(x: Tensor, options?: { beta?: number; threshold?: number }): Tensor;
  softmax(x: Tensor, dim: number | { dim: number }): Tensor;
  log_softmax(x: Tensor, dim: number | { dim: number }): Tensor;
  logSoftmax(x: Tensor, dim: number | { dim: number }): Tensor;
  linear(x: Tensor, weight: Tensor, bias?: Tensor | null): Tensor;
  embedding(input: ClassTarget, weight: Tensor, options?: { sparse?: boolean }): Tensor;
}

/** An optimizer option: None, bool, number, string or a tuple. */
export type OptionValue = null | boolean | number | string | Array<number | null>;
export type OptimizerOptions = Record<string, OptionValue | undefined> & {
  lr?: number;
  momentum?: number;
  weightDecay?: number;
  weight_decay?: number;
  betas?: [number, number] | number[];
  eps?: number;
  nesterov?: boolean;
  maximize?: boolean;
  amsgrad?: boolean;
};
export type ParamGroupSpec = { params: Tensor | Iterable<Tensor> } & OptimizerOptions;
export type Params = Tensor | Iterable<Tensor> | ParamGroupSpec[];

/** A live param group: setting group.lr changes the optimizer. */
export type ParamGroup = { params: Tensor[]; lr: number } & Record<string, any>;

export interface ZeroGradOptions {
  setToNone?: boolean;
  set_to_none?: boolean;
}

export class Optimizer {
  protected constructor(name: string, params: Params, options?: OptimizerOptions);
  readonly name: string;
  zeroGrad(options?: ZeroGradOptions): void;
  zero_grad(options?: ZeroGradOptions): void;
  /** closure (required by LBFGS) re-evaluates the loss and returns it. */
  step(): null;
  step(closure: () => Tensor): Tensor | null;
  readonly paramGroups: ParamGroup[];
  readonly param_groups: ParamGroup[];
  /** optimizer.state[p]: step, momentum_buffer, exp_avg, ... */
  state(param: Tensor): Record<string, number | Tensor>;
}

export interface OptimizerClass {
  new (params: Params, options?: OptimizerOptions): Optimizer;
  readonly defaults: Record<string, OptionValue>;
}

export type SchedulerOptions = Record<string, OptionValue | undefined>;

export class LRScheduler {
  protected constructor(name: string, optimizer: Optimizer, options?: SchedulerOptions);
  readonly name: string;
  readonly optimizer: Optimizer;
  /** One epoch on; ReduceLROnPlateau takes the metric. */
  step(metric?: number | Tensor): void;
  getLastLr(): number[];
  get_last_lr(): number[];
  readonly lastEpoch: number;
  readonly last_epoch: number;
  readonly baseLrs: number[];
  readonly base_lrs: number[];
}

export interface SchedulerClass {
  new (optimizer: Optimizer, options?: SchedulerOptions): LRScheduler;
  readonly defaults: Record<string, OptionValue>;
  readonly required: string[];
}

export type OptimizerName =
  | 'ASGD' | 'Adadelta' | 'Adafactor' | 'Adagrad' | 'Adam' | 'AdamW' | 'Adamax' | 'LBFGS' | 'Muon'
  | 'NAdam' | 'RAdam' | 'RMSprop' | 'Rprop' | 'SGD' | 'SparseAdam';
export type SchedulerName =
  | 'StepLR' | 'MultiStepLR' | 'ExponentialLR' | 'CosineAnnealingLR' | 'LinearLR' | 'ConstantLR'
  | 'PolynomialLR' | 'OneCycleLR' | 'CosineAnnealingWarmRestarts' | 'CyclicLR' | 'ReduceLROnPlateau';

export type LrSchedulerNamespace = { LRScheduler: typeof LRScheduler } & { [K in SchedulerName]: SchedulerClass };
export type OptimNamespace = { Optimizer: typeof Optimizer; lr_scheduler: LrSchedulerNamespace; lrScheduler: LrSchedulerNamespace }
  & { [K in OptimizerName]: OptimizerClass };

export interface RunPythonOptions {
  /** The name tracebacks give the script (default "<string>"). */
  filename?: string;
  onPrint?: (text: string) => void;
  signal?: AbortSignal;
  timeoutMs?: number;
}
export interface RunPythonResult {
  stdout: string;
  stderr: string;
  /** The uncaught exception (its traceback is in stderr), or null. */
  error: { type: string; message: string; exitCode: number } | null;
  /** Not recorded yet: always empty. */
  events: unknown[];
}

export interface Torch {
  tensor(data: NestedNumbers | Tensor, options?: TensorOptions): Tensor;
  Tensor: typeof Tensor;
  isTensor(x: unknown): x is Tensor;
  is_tensor(x: unknown): x is Tensor;
  zeros(shape: Sizes, options?: TensorOptions): Tensor;
  ones(shape: Sizes, options?: TensorOptions): Tensor;
  full(shape: Sizes, value: number, options?: TensorOptions): Tensor;
  noGrad<T>(fn: () => T): T;
  no_grad<T>(fn: () => T): T;
  enableGrad<T>(fn: () => T): T;
  enable_grad<T>(fn: () => T): T;
  isGradEnabled(): boolean;
  is_grad_enabled(): boolean;
  setGradEnabled(on: boolean): void;
  /** Runs fn and frees every tensor it created except those it returns. */
  tidy<T>(fn: () => T): T;
  /**
   * Runs a Python script (PyTorch code) on the engine and resolves to what python3 prints.
   * The script runs to its end in one call: onPrint gets its standard output after it ends;
   * the signal is checked before it starts; timeoutMs stops it as Ctrl-C would. events is
   * empty for now.
   */
  runPython(source: string, options?: RunPythonOptions): Promise<RunPythonResult>;
  optim: OptimNamespace;
  nn: { functional: Functional };
  GradlabError: typeof GradlabError;

  add(a: Operand, b: Operand, options?: AlphaOption): Tensor;
  sub(a: Operand, b: Operand, options?: AlphaOption): Tensor;
  mul(a: Operand, b: Operand): Tensor;
  div(a: Operand, b: Operand): Tensor;
  pow(base: Operand, exponent: Operand): Tensor;
  maximum(a: Tensor, b: Tensor): Tensor;
  /** bias + m1 @ m2 */
  addmm(bias: Tensor, m1: Tensor, m2: Tensor): Tensor;
  stack(tensors: Iterable<Tensor>, dim?: number | { dim: number }): Tensor;
  cat(tensors: Iterable<Tensor>, dim?: number | { dim: number }): Tensor;
  /** torch.embedding(weight, input), argument order as in PyTorch. */
  embedding(weight: Tensor, input: ClassTarget, options?: { sparse?: boolean }): Tensor;
  softmax(x: Tensor, dim: number | { dim: number }): Tensor;
  log_softmax(x: Tensor, dim: number | { dim: number }): Tensor;
  logSoftmax(x: Tensor, dim: number | { dim: number }): Tensor;

  // <gen:torch> (from op_table.def: node .ci/gen_ops.mjs)
  neg(x: Tensor): Tensor;
  exp(x: Tensor): Tensor;
  log(x: Tensor): Tensor;
  sqrt(x: Tensor): Tensor;
  abs(x: Tensor): Tensor;
  sin(x: Tensor): Tensor;
  cos(x: Tensor): Tensor;
  atan(x: Tensor): Tensor;
  tanh(x: Tensor): Tensor;
  sigmoid(x: Tensor): Tensor;
  relu(x: Tensor): Tensor;
  // </gen:torch>
  clamp(x: Tensor, min?: number | null, max?: number | null): Tensor;
  clip(x: Tensor, min?: number | null, max?: number | null): Tensor;
  matmul(a: Tensor, b: Tensor): Tensor;
  mm(a: Tensor, b: Tensor): Tensor;
  mv(a: Tensor, b: Tensor): Tensor;
  dot(a: Tensor, b: Tensor): Tensor;
  sum(x: Tensor, dim?: number | DimOptions, keepdim?: boolean): Tensor;
  mean(x: Tensor, dim?: number | DimOptions, keepdim?: boolean): Tensor;
  max(x: Tensor): Tensor;
  max(x: Tensor, dim: number, keepdim?: boolean): ValuesIndices;
  min(x: Tensor): Tensor;
  min(x: Tensor, dim: number, keepdim?: boolean): ValuesIndices;
  transpose(x: Tensor, dim0: number, dim1: number): Tensor;
  t(x: Tensor): Tensor;
  reshape(x: Tensor, shape: Sizes): Tensor;
  unsqueeze(x: Tensor, dim: number): Tensor;
  squeeze(x: Tensor, dim: number): Tensor;
  select(x: Tensor, dim: number, index: number): Tensor;
  unbind(x: Tensor, dim?: number): Tensor[];
  detach(x: Tensor): Tensor;
  clone(x: Tensor): Tensor;
  flatten(x: Tensor): Tensor;

  /** The engine's WebAssembly memory in bytes (grows, never shrinks). */
  heapBytes(): number;
  /** Bytes allocated in the engine's heap right now. */
  heapUsedBytes(): number;
  /** Where tensors are: how many the engine holds, how many were moved out and back. */
  memoryStats(): MemoryStats;
}

export interface MemoryStats {
  /** Tensors moved out of the WebAssembly heap into JavaScript memory, and brought back, so far. */
  spilled: number;
  revived: number;
  heldScans: number;
  /** The newest tensors, kept in the engine (up to 2,048, or 16 MB). */
  young: number;
  youngBytes: number;
  /** Older tensors the engine still needs (a graph before backward, an optimizer's). */
  held: number;
  /** Tensors the engine holds for the JS side. */
  slots: number;
}
