using EvoCode.Evaluators.Contract;

[assembly: AssemblyFixture(typeof(EvoCode.Evaluators.Tests.Runners.CandidateRunnerFixture))]

namespace EvoCode.Evaluators.Tests.Runners;

/// <summary>
/// The one place that chooses the runner the sandboxed tests use. Today: the test-only in-process runner.
/// When the sandbox lands, construct its runner here and every test in this project runs against it.
/// </summary>
public sealed class CandidateRunnerFixture
{
    public ICandidateRunner Runner { get; } = new InProcessCandidateRunner();
}
