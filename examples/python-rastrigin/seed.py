import json
import math

# EVOLVE-BLOCK-START
def solve(dimensions):
    """Return a point that makes the Rastrigin function as small as possible."""
    start = 2.5
    return [start] * dimensions
# EVOLVE-BLOCK-END


if __name__ == "__main__":
    print(json.dumps(solve(5)))
