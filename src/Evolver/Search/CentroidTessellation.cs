namespace EvoCode.Evolver.Search;

/// <summary>
/// CVT-MAP-Elites' cells (Vassiliades et al. 2017): <c>k</c> centroids of a centroidal Voronoi tessellation of the
/// unit box, from Lloyd's k-means on uniform samples drawn from a fixed seed, so a run (and its resume) always has
/// the same cells. A program's cell is its nearest centroid; the number of cells no longer grows as bins^d.
/// </summary>
public sealed class CentroidTessellation
{
    private const int SamplesPerCentroid = 25;
    private const int LloydIterations = 12;

    private readonly double[][] _centroids;

    public CentroidTessellation(int cells, int dimensions, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(cells, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimensions, 1);
        var random = new RunRandom(seed);
        var samples = new double[cells * SamplesPerCentroid][];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = [.. Enumerable.Range(0, dimensions).Select(_ => random.NextDouble())];
        }

        _centroids = [.. samples.Take(cells).Select(s => (double[])s.Clone())];
        var sums = new double[cells][];
        var counts = new int[cells];
        for (var iteration = 0; iteration < LloydIterations; iteration++)
        {
            for (var c = 0; c < cells; c++)
            {
                sums[c] = new double[dimensions];
                counts[c] = 0;
            }

            foreach (var sample in samples)
            {
                var nearest = Nearest(sample);
                counts[nearest]++;
                for (var d = 0; d < dimensions; d++)
                {
                    sums[nearest][d] += sample[d];
                }
            }

            for (var c = 0; c < cells; c++)
            {
                if (counts[c] > 0)
                {
                    _centroids[c] = [.. sums[c].Select(v => v / counts[c])];
                }
            }
        }
    }

    public int Count => _centroids.Length;

    /// <summary>The index of the centroid nearest to <paramref name="point"/> (coordinates in [0, 1]).</summary>
    public int Nearest(IReadOnlyList<double> point)
    {
        ArgumentNullException.ThrowIfNull(point);
        var best = 0;
        var bestDistance = double.PositiveInfinity;
        for (var c = 0; c < _centroids.Length; c++)
        {
            var distance = 0.0;
            for (var d = 0; d < point.Count; d++)
            {
                var delta = _centroids[c][d] - point[d];
                distance += delta * delta;
            }

            if (distance < bestDistance)
            {
                (best, bestDistance) = (c, distance);
            }
        }

        return best;
    }
}
