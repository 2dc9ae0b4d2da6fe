using EvoCode.Sandbox.Configuration;

namespace EvoCode.Sandbox.Tests;

/// <summary>Settings of the pools tests start for themselves.</summary>
internal static class PoolOptions
{
    /// <summary>
    /// Far from the default 61000 that other checkouts' test runs on this machine use; each pool still takes its
    /// own locked block from here, so pools started by these tests never share a uid either.
    /// </summary>
    public const int UserIdBase = 300_000;

    public static SandboxOptions Full(int workers)
    {
        var options = SandboxFixture.FullIsolationOptions();
        options.Workers = workers;
        options.SandboxUserIdBase = UserIdBase;
        return options;
    }
}
