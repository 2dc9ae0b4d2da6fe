using Microsoft.Extensions.Options;

namespace EvoCode.Sandbox.Configuration;

/// <summary>Checks what data annotations cannot: paths that must exist and settings that contradict each other.</summary>
internal sealed class SandboxOptionsValidator : IValidateOptions<SandboxOptions>
{
    public ValidateOptionsResult Validate(string? name, SandboxOptions options)
    {
        var failures = new List<string>();
        if (options.RequireFullIsolation && options.Isolation == SandboxIsolationMode.Fallback)
        {
            failures.Add("Sandbox:RequireFullIsolation cannot be combined with Sandbox:Isolation=Fallback.");
        }

        if (options.WorkerPath is { } worker && !File.Exists(worker))
        {
            failures.Add($"Sandbox:WorkerPath '{worker}' does not exist.");
        }

        if (options.DotnetHostPath is { } host && !File.Exists(host))
        {
            failures.Add($"Sandbox:DotnetHostPath '{host}' does not exist.");
        }

        if (options.BubblewrapPath is { } bwrap && !File.Exists(bwrap))
        {
            failures.Add($"Sandbox:BubblewrapPath '{bwrap}' does not exist.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
