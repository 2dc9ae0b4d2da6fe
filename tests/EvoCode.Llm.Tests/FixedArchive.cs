using EvoCode.Evolver.Llm;
using EvoCode.Evolver.Mutation;

namespace EvoCode.Llm.Tests;

/// <summary>
/// One fixed archive for prompt tests: a parent with its history, a second parent that is also an inspiration
/// and a top program, a migrant copy of the parent among the top programs, failures that share a cause, and a
/// grid with empty cells next to the parent. The target (2.635) hides in the task, feedback, notes and errors.
/// </summary>
internal static class FixedArchive
{
    public const string Task = "Pack 26 circles in the unit square to maximise the sum of radii (best known 2.635).";

    public static ParentProgram Parent { get; } = new(
        Id(1),
        Code("    var r = 0.08;\n    return Grid(5, 5, r);"),
        1.3,
        new Dictionary<string, double> { ["overlap"] = 0 },
        "[layout] 25 circles on a grid, one left over; short of 2.635",
        ChangeNote: "five_by_five: place 25 circles on a 5x5 grid");

    public static ParentProgram Second { get; } = new(
        Id(2),
        Code("    var r = 0.09;\n    return Ring(26, r);"),
        1.21,
        new Dictionary<string, double> { ["overlap"] = 0 },
        "[layout] B leaves the centre empty",
        ChangeNote: "ring: put every circle on one ring");

    public static ParentProgram CornerFirst { get; } = new(Id(3), Code("    return Corners(0.11);"), 1.12, new Dictionary<string, double> { ["overlap"] = 0 }, ChangeNote: "corners: fill the corners first");

    public static ParentProgram Spiral { get; } = new(
        Id(4),
        Code(string.Join('\n', Enumerable.Range(0, 26).Select(i => $"    // spiral step {i}: angle {i * 0.7:0.0}, distance {0.02 * i:0.00}\n    Add(Spiral({i}));")) + "\n    return Placed();"),
        1.05,
        new Dictionary<string, double> { ["overlap"] = 0 },
        ChangeNote: "spiral: place circles along a spiral");

    public static ParentProgram Hexagonal { get; } = new(Id(5), Code("    return Hex(6, 0.085);"), 1.41, new Dictionary<string, double> { ["overlap"] = 0 }, "[layout] hexagonal rows", ChangeNote: "hex_rows: offset every other row");

    public static ParentProgram Failed { get; } = new(
        Id(6),
        Code("    var r = 0.08;\n    return Grow(Grid(5, 5, r), 1.1);"),
        null,
        new Dictionary<string, double>(),
        "[validation] circle 9 crosses the left edge",
        "Circle 9 has a negative radius",
        ChangeNote: "grow_radii: scale every radius by 1.1 to reach 2.635");

    public static MutationRequest Request(string operatorName) => new()
    {
        TaskDescription = Task,
        Parent = operatorName == FixOperator.OperatorName ? Failed : Parent,
        SecondParent = Second,
        Inspirations = [Second with { Origin = "another cell of this island" }, Spiral with { Origin = "from island 1" }, CornerFirst with { Origin = "another cell of this island" }],
        TopPrograms = [Hexagonal, Second, CornerFirst, Parent with { Id = Id(7) }],
        History =
        [
            new PriorAttempt("child", "diff", "grow_radii: scale every radius by 1.1 to reach 2.635", null, 1.3, "Circle 9 has a negative radius"),
            new PriorAttempt("child", "rewrite", "hex_rows: offset every other row", 1.41, 1.3, null),
            new PriorAttempt("child", "diff", "smaller_r: shrink r to 0.075", 1.22, 1.3, null),
            new PriorAttempt("self", "rewrite", "five_by_five: place 25 circles on a 5x5 grid", 1.3, 1.05, null),
            new PriorAttempt("ancestor", "diff", "spiral: place circles along a spiral", 1.05, 0.9, null),
            new PriorAttempt("ancestor", "seed", null, 0.9, null, null),
        ],
        Failures =
        [
            new FailureGroup("Circle 9 has a negative radius", 3, 2, ["grow_radii: scale every radius by 1.1 to reach 2.635", "diff: 1 line changed (+1 -1), first: `r = -0.08;`"]),
            new FailureGroup("CS0103: The name 'Hexx' does not exist in the current context", 1, 0, ["hex_typo: call Hexx"]),
        ],
        Archive = new ArchivePlace(
            [new DimensionBin("complexity", 2, 8, 2.828, 4, true), new DimensionBin("code_length", 3, 8, 724.2, 1389, true)],
            5,
            64,
            [new DimensionBin("complexity", 3, 8, 4, 5.657, true), new DimensionBin("code_length", 2, 8, 377.5, 724.2, true)]),
        MetaSummary = "Grids beat rings so far; the best known 2.635 needs uneven radii.",
        EntryPoint = "public static double[] Pack()",
        Random = new Random(7),
        RunId = TestModels.RunId,
        Generation = 4,
    };

    private static Guid Id(int n) => Guid.Parse($"00000000-0000-0000-0000-{n:000000000000}");

    private static string Code(string body) => $"public static class Packing\n{{\n  // EVOLVE-BLOCK-START\n  public static double[] Pack()\n  {{\n{body}\n  }}\n  // EVOLVE-BLOCK-END\n}}\n";
}
