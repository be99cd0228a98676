# Chapter 5's thermometer fit, by hand, with plain floats (no torch): the same loop shape.
t_c = [0.5, 14.0, 15.0, 28.0, 11.0, 8.0, 3.0, -4.0, 6.0, 13.0, 21.0]
t_u = [35.7, 55.9, 58.2, 81.9, 56.3, 48.9, 33.9, 21.8, 48.4, 60.4, 68.4]
t_un = [0.1 * x for x in t_u]

def model(t_u, w, b):
    return [w * x + b for x in t_u]

def loss_fn(t_p, t_c):
    squared_diffs = [(p - c) ** 2 for p, c in zip(t_p, t_c)]
    return sum(squared_diffs) / len(squared_diffs)

def dloss_fn(t_p, t_c):
    return [2 * (p - c) / len(t_p) for p, c in zip(t_p, t_c)]

def grad_fn(t_u, t_c, t_p, w, b):
    dloss_dtp = dloss_fn(t_p, t_c)
    dloss_dw = sum(d * x for d, x in zip(dloss_dtp, t_u))
    dloss_db = sum(dloss_dtp)
    return [dloss_dw, dloss_db]

def training_loop(n_epochs, learning_rate, params, t_u, t_c, print_params=True):
    for epoch in range(1, n_epochs + 1):
        w, b = params
        t_p = model(t_u, w, b)
        loss = loss_fn(t_p, t_c)
        grad = grad_fn(t_u, t_c, t_p, w, b)
        params = [p - learning_rate * g for p, g in zip(params, grad)]
        if epoch % 500 == 0 or epoch <= 3:
            print('Epoch %d, Loss %f' % (epoch, float(loss)))
            if print_params:
                print('    Params:', params)
                print('    Grad:  ', grad)
    return params

params = training_loop(n_epochs=5000, learning_rate=1e-2, params=[1.0, 0.0], t_u=t_un, t_c=t_c)
print(params)
print(f"w = {params[0]:.4f}, b = {params[1]:.4f}")
print(round(params[0], 3), round(params[1], 2))
