using System.Text.RegularExpressions;

namespace EvoCode.FakeLlm;

/// <summary>
/// A model with a fixed, reproducible mix of answers, for benchmarks that measure what a search gets for its
/// money (bench/Evolver "scripted"): good diffs (a plausible edit of the program in the prompt), bad diffs (the
/// same edit with its new literal replaced by an identifier, so the child fails), garbage (no edit at all) and
/// slow answers (slower than the model's timeout). Which kind answers call n depends only on n and the seed.
/// Every answer reports the mix's output tokens and, as input, the mix's fixed count, or, when
/// <c>inputTokens</c> is given, its count of the request answered: a real model bills what it reads,
/// so a bench that compares prompt sizes passes the project's tokenizer here (the fake does not reference the
/// engine). Set it with <c>fake.Responder = new ScriptedModel(mix).Answer</c>.
/// </summary>
public sealed partial class ScriptedModel(ScriptedMix mix, int seed = 1, Func<FakeRequest, int>? inputTokens = null)
{
    private int _good;
    private int _bad;
    private int _garbage;
    private int _slow;

    /// <summary>How many answers of each kind were sent.</summary>
    public (int Good, int Bad, int Garbage, int Slow) Sent => (Volatile.Read(ref _good), Volatile.Read(ref _bad), Volatile.Read(ref _garbage), Volatile.Read(ref _slow));

    /// <summary>The answer to request number <paramref name="sequence"/>.</summary>
    public FakeStep Answer(FakeRequest request, int sequence)
    {
        ArgumentNullException.ThrowIfNull(request);
        var input = inputTokens?.Invoke(request) ?? mix.InputTokens;
        var draw = new Random(HashCode.Combine(seed, sequence)).NextDouble() * mix.Total;
        if ((draw -= mix.Good) < 0)
        {
            Interlocked.Increment(ref _good);
            return FakeStep.Reply(PlausibleReply.For(request, sequence).Text!, input, mix.OutputTokens);
        }

        if ((draw -= mix.Bad) < 0)
        {
            Interlocked.Increment(ref _bad);
            var diff = PlausibleReply.For(request, sequence).Text!;
            var split = diff.IndexOf("=======", StringComparison.Ordinal);
            var broken = split < 0 ? diff : diff[..split] + Number().Replace(diff[split..], "broken_value", 1);
            return FakeStep.Reply(broken, input, mix.OutputTokens);
        }

        if ((draw -= mix.Garbage) < 0)
        {
            Interlocked.Increment(ref _garbage);
            return FakeStep.Reply("I would change a few things, but I am not sure which. Perhaps try something else?", input, mix.OutputTokens);
        }

        Interlocked.Increment(ref _slow);
        return FakeStep.Slow(mix.SlowDelay, "too late", input, mix.OutputTokens);
    }

    [GeneratedRegex(@"(?<![A-Za-z_0-9.])-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?")]
    private static partial Regex Number();
}

/// <summary>The weights of a <see cref="ScriptedModel"/>'s answers, the delay of its slow ones, and the usage every answer reports (the input unless the model counts its requests).</summary>
public sealed record ScriptedMix(double Good, double Bad, double Garbage, double Slow, TimeSpan SlowDelay, int InputTokens = 1200, int OutputTokens = 150)
{
    public double Total => Good + Bad + Garbage + Slow;
}
