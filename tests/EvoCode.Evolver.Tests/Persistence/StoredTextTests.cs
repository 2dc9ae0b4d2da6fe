using EvoCode.Evolver.Domain;
using EvoCode.Evolver.Llm;
using EvoCode.Evolver.Persistence;
using EvoCode.Testing;
using Microsoft.EntityFrameworkCore;

namespace EvoCode.Evolver.Tests.Persistence;

/// <summary>Long texts (sources, prompts, replies) survive both stores whole: NUL, astral characters, U+FFFF; a lone surrogate becomes U+FFFD.</summary>
public sealed class StoredTextTests(StoreFixture stores)
{
    private const string Awkward = "before\0after \U0001F600 astral, \uFFFF noncharacter, \uFFFF0 escape-like, \0\0 two NULs, end\0";

    [Theory]
    [MemberData(nameof(StoreFixture.Providers), MemberType = typeof(StoreFixture))]
    public async Task ModelCallAndProgram_TextWithNulAstralAndNoncharacters_ReadBackExactly(StoreProvider provider)
    {
        var ct = TestContext.Current.CancellationToken;
        var store = await stores.CreateStoreAsync(provider, ct);
        Guid runId;
        Candidate program;
        await using (var db = store.CreateDbContext())
        {
            var (_, run) = await StoreSeed.ProblemAndRunAsync(db, ct);
            runId = run.Id;
            program = StoreSeed.Candidate(run.Id, 1, 1.0);
            program.Source = "class P { } // " + Awkward;
            program.Prompt = "prompt " + Awkward;
            program.Reply = "reply " + Awkward;
            program.Error = "error " + Awkward;
            db.Candidates.Add(program);
            await db.SaveChangesAsync(ct);
        }

        // The production writer of model calls.
        var log = new DbModelCallLog(store);
        await log.RecordAsync(
            new ModelCallRecord(runId, "m", "openai", "diff", 10, 5, 0.1m, TimeSpan.FromMilliseconds(3), "ok", "error " + Awkward, StoreSeed.Now)
            {
                Prompt = "prompt " + Awkward,
                Reply = "reply " + Awkward + " lone \ud800 high and \udc00 low",
                UsageEstimated = true,
            },
            ct);

        await using var check = store.CreateDbContext();
        var call = await check.ModelCalls.AsNoTracking().SingleAsync(c => c.RunId == runId, ct);
        var stored = await check.Candidates.AsNoTracking().SingleAsync(c => c.Id == program.Id, ct);
        Assert.Equal(("prompt " + Awkward, "reply " + Awkward + " lone \uFFFD high and \uFFFD low", "error " + Awkward, true), (call.Prompt, call.Reply, call.Error, call.UsageEstimated));
        Assert.Equal(("class P { } // " + Awkward, "prompt " + Awkward, "reply " + Awkward, "error " + Awkward), (stored.Source, stored.Prompt, stored.Reply, stored.Error));
    }

    [Fact]
    public void Encode_OrdinaryText_IsStoredAsItIs()
    {
        const string text = "public static int Run() => 42; // ünïcödé \U0001F600";

        Assert.Same(text, StoredText.Encode(text));
        Assert.Equal("a\uFFFF0b\uFFFF\uFFFF", StoredText.Encode("a\0b\uFFFF"));
        Assert.Equal("a\0b\uFFFF", StoredText.Decode("a\uFFFF0b\uFFFF\uFFFF"));
    }
}
