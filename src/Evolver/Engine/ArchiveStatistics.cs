using EvoCode.Evolver.Search;

namespace EvoCode.Evolver.Engine;

/// <summary>
/// What an evaluated correct program does to its island's memory (elite, population, the island's last
/// improvement) and the run's cell counters (reachable and filled cells, shown by the dashboard). Under the run's lock.
/// </summary>
internal static class ArchiveStatistics
{
    /// <summary>Before the commit: the cell counters as they will be once this placement is mirrored.</summary>
    public static void Count(RunState state, int island, string? cellKey, bool becameElite)
    {
        var stats = state.Run.Statistics;
        stats.ReachableCells = (long)state.Grid.CellCount * state.Islands.Length;
        stats.FilledCells = state.Islands.Sum(i => i.Count) + (becameElite && state.Islands[island][cellKey!] is null ? 1 : 0);
    }

    /// <summary>After the commit: mirrors the placement, remembers the program in the island's population, and notes an improved island best.</summary>
    public static void Mirror(RunState state, Elite program, bool becameElite)
    {
        var island = state.Islands[program.Island];
        var best = island.Count > 0 ? island.Best.Score : double.NegativeInfinity;
        if (becameElite)
        {
            island.Place(program, state.Run.Evaluations);
        }

        island.Remember(program);
        if (program.Score > best)
        {
            island.BestImprovedAt = state.Run.Evaluations;
        }
    }
}
