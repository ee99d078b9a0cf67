import Harness
print("bench")
