// Read-only views of grad_fn nodes (PyTorch's loss.grad_fn): name, id, next_functions, and an
// AccumulateGrad's variable. A view holds its node through an Embind handle (the node keeps its
// graph alive), freed by torch.tidy(), dispose(), or a FinalizationRegistry once unreachable.
import { GradlabError } from './errors.mjs';

export function makeGraphViews({ M, check, wrapMaybe, registry }) {
  const viewScopes = [];  // graph views made inside torch.tidy(): one list per open scope

  /** A read-only view of a grad_fn node: name, edges, and (for AccumulateGrad) its variable. */
  function nodeView(ptr) {
    if (M.hasError()) {
      ptr?.delete?.();
      check();
    }
    if (!ptr) return null;
    const name = M.nodeName(ptr);
    if (name === 'None') {
      ptr.delete();
      return null;
    }
    const standIn = M.nodeIsReleasedStandIn(ptr);
    let handle = ptr;
    let registered = false;
    const alive = () => {
      if (!handle) throw new GradlabError('RuntimeError', 'this graph node view was disposed');
      return handle;
    };
    const view = {
      _isGraphView: true,
      name,
      id: M.nodeId(ptr),
      /** [[node or null, input_nr], ...], like grad_fn.next_functions. */
      get nextFunctions() {
        const h = alive();
        if (standIn) {
          throw new GradlabError('RuntimeError', `the graph behind this ${name} was freed: backward() released it, and gradlab keeps the graphs of recent tensors only (README, Memory)`);
        }
        const out = [];
        const n = M.nodeNextCount(h);
        for (let i = 0; i < n; i++) out.push([nodeView(M.nodeNext(h, i)), M.nodeNextInput(h, i)]);
        return out;
      },
      get next_functions() { return this.nextFunctions; },
      get variable() { return name === 'AccumulateGrad' ? wrapMaybe(M.nodeVariable(alive())) : null; },
      dispose() {
        if (!handle) return;
        if (registered) registry.unregister(view);
        handle.delete();
        handle = null;
      },
      toString() { return `<${name} object>`; },
    };
    view._register = () => {
      if (handle && !registered) {
        registered = true;
        registry.register(view, handle, view);
      }
    };
    if (viewScopes.length) viewScopes[viewScopes.length - 1].push(view);
    else view._register();
    return view;
  }

  return { nodeView, viewScopes };
}
