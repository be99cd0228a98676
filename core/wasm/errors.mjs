/** An engine error, named after PyTorch's Python exception type (RuntimeError, ...). */
export class GradlabError extends Error {
  constructor(type, message) {
    super(message);
    this.name = type;
    this.pythonType = type;
  }
}
