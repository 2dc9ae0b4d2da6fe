using EvoCode.Evaluators.Contract;
using EvoCode.Sandbox;
using EvoCode.Sandbox.Configuration;

[assembly: AssemblyFixture(typeof(EvoCode.Evaluators.Tests.Runners.CandidateRunnerFixture))]

namespace EvoCode.Evaluators.Tests.Runners;

/// <summary>
/// The runner every sandboxed evaluator test uses: the real sandbox, jailed workers and all, so what these tests
/// prove (scoring from raw output, no reward hacking) holds for the path the server takes.
/// </summary>
public sealed class CandidateRunnerFixture : IAsyncLifetime
{
    private SandboxRunner? _runner;

    public ICandidateRunner Runner => _runner ?? throw new InvalidOperationException("The sandbox has not started.");

    public async ValueTask InitializeAsync()
    {
        _runner = await SandboxRunner.StartNewAsync(new SandboxOptions { Workers = 2 }, cancellationToken: TestContext.Current.CancellationToken);
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
