class Config:
    def __init__(self):
        self.learning_rate = 0.01
cfg = Config()
print(cfg.learning_rat)
