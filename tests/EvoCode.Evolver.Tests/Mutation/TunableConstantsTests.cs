using EvoCode.Evolver.Languages;
using EvoCode.Evolver.Mutation;

namespace EvoCode.Evolver.Tests.Mutation;

public sealed class TunableConstantsTests
{
    private const string CSharp = """
        public static class P
        {
            const double Outside = 9.5;
            // EVOLVE-BLOCK-START
            static double F(double x)
            {
                var s = "1.5 in a string"; // 2.5 in a comment
                return 0.3 * x - 1e-12 + 2 * 0.5f + 0x1F + 7;
            }
            // EVOLVE-BLOCK-END
        }
        """;

    private const string Python = """
        OUTSIDE = 9.5
        # EVOLVE-BLOCK-START
        def f(x):
            s = '1.5 in a string'  # 2.5 in a comment
            return 0.3 * x - 1e-12 + 2 * 0.5 + 7
        # EVOLVE-BLOCK-END
        """;

    [Fact]
    public void Lift_CSharp_TakesOnlyRealLiteralsInsideTheBlocks()
    {
        var constants = TunableConstants.Lift(CSharp, ProgramLanguages.CSharp);

        Assert.Equal([0.3, 1e-12, 0.5], constants.Values);
    }

    [Fact]
    public void Lift_Python_TakesOnlyRealLiteralsInsideTheBlocks()
    {
        var constants = TunableConstants.Lift(Python, ProgramLanguages.Python);

        Assert.Equal([0.3, 1e-12, 0.5], constants.Values);
    }

    [Fact]
    public void Write_ReplacesTheChosenConstantsKeepingSuffixesAndSigns()
    {
        var constants = TunableConstants.Lift(CSharp, ProgramLanguages.CSharp);

        var written = constants.Write([2, 0], [-0.25, 2]);

        Assert.Contains("return 2.0 * x - 1e-12 + 2 * (-0.25f) + 0x1F + 7;", written, StringComparison.Ordinal);
        Assert.Contains("const double Outside = 9.5;", written, StringComparison.Ordinal);
        // The minus is an operator before the literal: lifted again, the literal is 0.25.
        Assert.Equal([2, 1e-12, 0.25], TunableConstants.Lift(written, ProgramLanguages.CSharp).Values);
    }

    [Fact]
    public void Write_Python_RoundTripsTheValues()
    {
        var constants = TunableConstants.Lift(Python, ProgramLanguages.Python);

        var written = constants.Write([0, 1, 2], [0.123456789012345, 3e-9, 0.75]);

        Assert.Contains("return 0.123456789012 * x - 3E-09 + 2 * 0.75 + 7", written, StringComparison.Ordinal);
        Assert.Equal([0.123456789012, 3e-9, 0.75], TunableConstants.Lift(written, ProgramLanguages.Python).Values);
    }

    [Fact]
    public void Lift_NoEvolveBlock_HasNothing()
    {
        Assert.Equal(0, TunableConstants.Lift("double x = 0.5;", ProgramLanguages.CSharp).Count);
    }
}
