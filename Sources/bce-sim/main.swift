print("bce-sim: not implemented yet")
