namespace EvoCode.Api.Series;

/// <summary>
/// Thins a run's series to what a chart a few hundred pixels wide can show, keeping what matters: each bucket's
/// highest and lowest point of a scatter, the last step of a step curve in each bucket (so the final best is exact).
/// </summary>
public static class SeriesDownsampling
{
    /// <summary>Indexes of the points to keep from a scatter of <paramref name="count"/> points: per bucket the extremes.</summary>
    public static List<int> Extremes(int count, int maxPoints, Func<int, double> value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (count <= maxPoints)
        {
            return [.. Enumerable.Range(0, count)];
        }

        var kept = new List<int>();

        var bucket = (int)Math.Ceiling(count / Math.Max(1.0, maxPoints / 2.0));
        for (var start = 0; start < count; start += bucket)
        {
            int low = start, high = start;
            for (var i = start + 1; i < Math.Min(count, start + bucket); i++)
            {
                if (value(i) < value(low))
                {
                    low = i;
                }

                if (value(i) > value(high))
                {
                    high = i;
                }
            }

            kept.Add(Math.Min(low, high));
            if (low != high)
            {
                kept.Add(Math.Max(low, high));
            }
        }

        return kept;
    }

    /// <summary>Indexes to keep from a step curve: the last point of each bucket (positions by <paramref name="position"/>, increasing).</summary>
    public static List<int> Steps(int count, int maxPoints, Func<int, double> position)
    {
        ArgumentNullException.ThrowIfNull(position);
        if (count <= maxPoints)
        {
            return [.. Enumerable.Range(0, count)];
        }

        var kept = new List<int>();

        var from = position(0);
        var width = Math.Max(double.Epsilon, (position(count - 1) - from) / maxPoints);
        kept.Add(0);
        var lastBucket = 0L;
        for (var i = 1; i < count; i++)
        {
            var bucket = (long)((position(i) - from) / width);
            if (bucket != lastBucket || i == count - 1)
            {
                if (kept[^1] != i - 1)
                {
                    kept.Add(i - 1);
                }

                lastBucket = bucket;
            }
        }

        if (kept[^1] != count - 1)
        {
            kept.Add(count - 1);
        }

        return kept;
    }
}
