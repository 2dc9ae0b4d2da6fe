using System.Reflection;
using System.Text.Json;

namespace EvoCode.Evaluators.Contract;

/// <summary>
/// Trusted code that runs inside the sandbox worker, next to the candidate: it calls the candidate's
/// entry point and returns the raw output as JSON. It never scores; scoring happens outside the
/// candidate's process, so a candidate can never report its own score.
/// </summary>
public interface ICandidateHarness
{
    /// <summary>The name an invocation uses to pick this harness.</summary>
    string Name { get; }

    /// <summary>Calls the candidate and returns its raw output as a JSON document.</summary>
    /// <param name="candidate">The compiled, policy-checked candidate assembly.</param>
    /// <param name="parameters">The invocation's harness parameters.</param>
    /// <param name="context">Seeded randomness and a capped output channel.</param>
    string Run(Assembly candidate, JsonElement parameters, HarnessContext context);
}
