// One epoch of the training loop as Python, each line tagged with the phase it belongs to
// (forward, zero_grad, backward, step) so the view can highlight the one that just ran.
export function loopLines({ manual, zeroGrad, noGrad, epoch }) {
  const lines = [
    ['', `for epoch in range(1, n_epochs + 1):  # epoch ${epoch}`],
    ['forward', '    t_p = model(t_u, *params)'],
    ['forward', '    loss = loss_fn(t_p, t_c)'],
    ['zero_grad', zeroGrad ? (manual ? '    if params.grad is not None: params.grad.zero_()' : '    optimizer.zero_grad()') : '    # optimizer.zero_grad()   <- forgotten'],
    ['backward', '    loss.backward()'],
  ];
  if (!manual) lines.push(['step', '    optimizer.step()']);
  else if (noGrad) lines.push(['step', '    with torch.no_grad():'], ['step', '        params -= learning_rate * params.grad']);
  else lines.push(['step', '    params -= learning_rate * params.grad   # outside no_grad']);
  return lines;
}
