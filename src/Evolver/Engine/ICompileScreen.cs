using EvoCode.Evaluators.Contract;

namespace EvoCode.Evolver.Engine;

/// <summary>
/// A cheap compile and policy check before an evaluation is spent. Optional: without one, programs that do not
/// compile are stored with their CompileError outcome by the evaluation itself.
/// </summary>
public interface ICompileScreen
{
    /// <summary>Errors that stop the program; empty when it compiles and passes the policy.</summary>
    Task<IReadOnlyList<SourceDiagnostic>> CheckAsync(string source, CancellationToken cancellationToken);
}
