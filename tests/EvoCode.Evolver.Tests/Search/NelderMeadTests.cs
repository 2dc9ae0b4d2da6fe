using EvoCode.Evolver.Search;

namespace EvoCode.Evolver.Tests.Search;

public sealed class NelderMeadTests
{
    private static double Sphere(double[] x) => Math.Pow(x[0] - 1, 2) + Math.Pow(x[1] + 2, 2);

    private static double Rosenbrock(double[] x) => (100 * Math.Pow(x[1] - (x[0] * x[0]), 2)) + Math.Pow(1 - x[0], 2);

    private static Func<double[], CancellationToken, Task<double?>> Counting(Func<double[], double> f, List<double[]> calls) =>
        (x, _) =>
        {
            calls.Add((double[])x.Clone());
            return Task.FromResult<double?>(f(x));
        };

    [Fact]
    public async Task Minimize_Sphere_ReachesTheMinimumWithinTheCap()
    {
        var calls = new List<double[]>();
        var result = await NelderMead.MinimizeAsync(Counting(Sphere, calls), [0, 0], Sphere([0, 0]), [0.5, 0.5], 300, TestContext.Current.CancellationToken);

        Assert.True(result.Value < 1e-8, $"value {result.Value}");
        Assert.Equal(1, result.Best[0], 3);
        Assert.Equal(-2, result.Best[1], 3);
        Assert.Equal(calls.Count, result.Evaluations);
        Assert.True(calls.Count <= 300);
        Assert.Equal(Sphere(result.Best), result.Value);
    }

    [Fact]
    public async Task Minimize_Rosenbrock_FindsTheValley()
    {
        var calls = new List<double[]>();
        var result = await NelderMead.MinimizeAsync(Counting(Rosenbrock, calls), [-1.2, 1], Rosenbrock([-1.2, 1]), [0.1, 0.1], 1000, TestContext.Current.CancellationToken);

        Assert.True(result.Value < 1e-6, $"value {result.Value} after {result.Evaluations}");
        Assert.Equal(1, result.Best[0], 2);
        Assert.Equal(1, result.Best[1], 2);
    }

    [Fact]
    public async Task Minimize_EvaluationCap_IsNeverExceededAndTheStartIsNotEvaluatedAgain()
    {
        var calls = new List<double[]>();
        var result = await NelderMead.MinimizeAsync(Counting(Rosenbrock, calls), [-1.2, 1, 0.5], 42, [0.1, 0.1, 0.1], 17, TestContext.Current.CancellationToken);

        Assert.Equal(17, calls.Count);
        Assert.Equal(17, result.Evaluations);
        Assert.DoesNotContain(calls, c => c.SequenceEqual([-1.2, 1, 0.5]));
        Assert.Equal(calls.Min(Rosenbrock), result.Value);
    }

    [Fact]
    public async Task Minimize_ObjectiveRefuses_StopsAtOnceWithTheBestSoFar()
    {
        var calls = 0;
        var result = await NelderMead.MinimizeAsync(
            (x, _) => Task.FromResult(++calls > 5 ? null : (double?)Sphere(x)),
            [0, 0],
            Sphere([0, 0]),
            [0.5, 0.5],
            100,
            TestContext.Current.CancellationToken);

        Assert.Equal(6, calls);
        Assert.Equal(5, result.Evaluations);
        Assert.True(result.Value < Sphere([0, 0]));
    }

    [Fact]
    public async Task Minimize_NothingBetterThanTheStart_ReturnsTheStart()
    {
        var result = await NelderMead.MinimizeAsync((x, _) => Task.FromResult<double?>(double.NaN), [3, 4], 7, [0.3, 0.4], 10, TestContext.Current.CancellationToken);

        Assert.Equal([3, 4], result.Best);
        Assert.Equal(7, result.Value);
        Assert.Equal(10, result.Evaluations);
    }

    [Fact]
    public async Task Minimize_FailuresCountAsWorst_TheSearchStillConverges()
    {
        // Half the plane "does not compile": the minimum (1, -2) sits 1 away from that border.
        var result = await NelderMead.MinimizeAsync(
            (x, _) => Task.FromResult<double?>(x[0] < 0 ? double.NaN : Sphere(x)),
            [2, 0],
            Sphere([2, 0]),
            [0.5, 0.5],
            400,
            TestContext.Current.CancellationToken);

        Assert.True(result.Value < 1e-6, $"value {result.Value}");
    }

    [Fact]
    public async Task Minimize_OneDimension_Converges()
    {
        var result = await NelderMead.MinimizeAsync((x, _) => Task.FromResult<double?>(Math.Pow(x[0] - 0.7, 2)), [0.3], 0.16, [0.03], 100, TestContext.Current.CancellationToken);

        Assert.Equal(0.7, result.Best[0], 5);
    }
}
