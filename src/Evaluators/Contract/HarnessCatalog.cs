using System.Collections.Frozen;
using EvoCode.Evaluators.Harnesses;

namespace EvoCode.Evaluators.Contract;

/// <summary>The harnesses the sandbox worker can run, by name.</summary>
public static class HarnessCatalog
{
    private static readonly FrozenDictionary<string, ICandidateHarness> s_harnesses = new ICandidateHarness[]
    {
        new InvokeHarness(),
        new RowsHarness(),
        new BinPackingHarness(),
        new ScriptHarness(),
    }.ToFrozenDictionary(h => h.Name, StringComparer.Ordinal);

    /// <summary>All harness names.</summary>
    public static IEnumerable<string> Names => s_harnesses.Keys;

    /// <summary>Finds a harness by name.</summary>
    public static bool TryGet(string name, out ICandidateHarness harness) =>
        s_harnesses.TryGetValue(name, out harness!);
}
