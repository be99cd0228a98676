class Broken:
    def __repr__(self):
        return "Broken(" + self.missing + ")"

items = [Broken()]
print(items)
