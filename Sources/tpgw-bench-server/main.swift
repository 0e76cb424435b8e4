print("tpgw-bench-server: not implemented yet")
