using System.Diagnostics;
using EvoCode.Evolver.Search;

namespace EvoCode.Bench.Evolver;

/// <summary>Parent selection and elite insertion on islands of 10,000 and 100,000 elites.</summary>
internal static class SelectionBenchmark
{
    public static void Run()
    {
        Console.WriteLine("| elites | insert (new cell) | replace (better elite) | power-law | weighted | uniform | hill-climb | inspirations (3) |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        // The first size warms the JIT and is not printed.
        foreach (var size in new[] { 1_000, 10_000, 100_000 })
        {
            var random = new RunRandom(1);
            var island = new IslandArchive(0);
            var insert = Time(size, i => island.Place(new Elite(Guid.NewGuid(), 0, $"c{i}", random.NextDouble(), $"h{i}", 1)));
            var replace = Time(size, i => island.Place(new Elite(Guid.NewGuid(), 0, $"c{random.Next(size)}", 1 + random.NextDouble(), $"r{i}", 2)));
            for (var i = 0; i < size; i++)
            {
                island.CountChild(island.Elites[random.Next(island.Count)].Id);
            }

            const int draws = 200_000;
            string Select(ParentSelection strategy)
            {
                var selector = new ParentSelector(strategy, exploitRatio: 1.0);
                return Time(draws, _ => selector.SelectParent(island, random));
            }

            var inspirations = new ParentSelector(ParentSelection.PowerLaw, 0.7);
            var parent = island.Best;
            var inspire = Time(draws / 10, _ => inspirations.SelectInspirations(island, parent, 3, random));
            if (size == 1_000)
            {
                continue;
            }

            Console.WriteLine($"| {size:N0} | {insert} | {replace} | {Select(ParentSelection.PowerLaw)} | {Select(ParentSelection.Weighted)} | {Select(ParentSelection.Uniform)} | {Select(ParentSelection.HillClimb)} | {inspire} |");
        }
    }

    private static string Time(int count, Action<int> action)
    {
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            action(i);
        }

        return $"{watch.Elapsed.TotalNanoseconds / count / 1000.0:F2} µs";
    }
}
