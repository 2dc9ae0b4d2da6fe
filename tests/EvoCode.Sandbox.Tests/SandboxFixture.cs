using EvoCode.Sandbox.Configuration;

namespace EvoCode.Sandbox.Tests;

/// <summary>
/// One warm pool under the real bubblewrap jail for the whole test assembly. A fake LLM key is planted in
/// this (the server's) environment first, so tests can prove no candidate or command ever sees it.
/// </summary>
public sealed class SandboxFixture : IAsyncLifetime
{
    public const string FakeKeyName = "OPENAI_API_KEY";
    public const string FakeKeyValue = "sk-test-secret-5f1c0ffee";

    private SandboxRunner? _runner;

    public SandboxRunner Runner => _runner ?? throw new InvalidOperationException("The fixture has not started.");

    public static SandboxOptions FullIsolationOptions() => new()
    {
        Workers = 2,
        Isolation = SandboxIsolationMode.Bubblewrap,
        RequireFullIsolation = true,
    };

    public async ValueTask InitializeAsync()
    {
        Environment.SetEnvironmentVariable(FakeKeyName, FakeKeyValue);
        if (Jail.ProcessJail.Find("bwrap") is null)
        {
            throw new InvalidOperationException("These tests exercise the real jail: install bubblewrap (apt-get install bubblewrap).");
        }

        var options = FullIsolationOptions();
        options.SandboxUserIdBase = PoolOptions.UserIdBase;
        _runner = await SandboxRunner.StartNewAsync(options, cancellationToken: TestContext.Current.CancellationToken);
        await _runner.WaitUntilWarmAsync(TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_runner is not null)
        {
            await _runner.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class SandboxCollection : ICollectionFixture<SandboxFixture>
{
    public const string Name = "sandbox";
}
