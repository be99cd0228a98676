x = "abc"
x.uper()
