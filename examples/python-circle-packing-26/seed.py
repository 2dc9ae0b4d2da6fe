import json
import math

# EVOLVE-BLOCK-START
# The ring layout OpenEvolve and ShinkaEvolve start from (the C# circle-packing-26 seed, line for line): one
# circle in the centre, 8 on a ring of radius 0.3 and 16 on a ring of radius 0.7, clipped into [0.01, 0.99];
# any further circles start at the origin. Radii are grown to the walls and shrunk pairwise until nothing overlaps.
def construct(n):
    centers = [[0.0, 0.0] for _ in range(n)]
    centers[0] = [0.5, 0.5]
    for i in range(min(8, n - 1)):
        angle = 2 * math.pi * i / 8
        centers[i + 1] = [0.5 + 0.3 * math.cos(angle), 0.5 + 0.3 * math.sin(angle)]
    for i in range(min(16, n - 9)):
        angle = 2 * math.pi * i / 16
        centers[i + 9] = [0.5 + 0.7 * math.cos(angle), 0.5 + 0.7 * math.sin(angle)]
    for c in centers:
        c[0] = min(max(c[0], 0.01), 0.99)
        c[1] = min(max(c[1], 0.01), 0.99)
    radii = max_radii(centers)
    return [[centers[i][0], centers[i][1], radii[i]] for i in range(n)]


def max_radii(centers):
    n = len(centers)
    radii = [min(x, y, 1 - x, 1 - y) for x, y in centers]
    for i in range(n):
        for j in range(i + 1, n):
            dx = centers[i][0] - centers[j][0]
            dy = centers[i][1] - centers[j][1]
            distance = math.sqrt(dx * dx + dy * dy)
            if radii[i] + radii[j] > distance:
                # Scaling by exactly d / (r_i + r_j) can leave an overlap of ~1e-17 after rounding, which the
                # exact (tolerance 0) check rejects, so shrink a hair more.
                scale = distance / (radii[i] + radii[j]) * (1 - 1e-12)
                radii[i] *= scale
                radii[j] *= scale
    return radii
# EVOLVE-BLOCK-END


if __name__ == "__main__":
    print(json.dumps({"rows": construct(26)}))
