class A:
    def __init__(self):
        self.items = {}
    def get(self, k):
        return self.items[k]
    def __getitem__(self, k):
        return self.get(k)

def use(a):
    return [a[k] for k in ["x"]]

use(A())
