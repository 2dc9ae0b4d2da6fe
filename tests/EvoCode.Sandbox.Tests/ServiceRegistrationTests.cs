using EvoCode.Evaluators.Contract;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace EvoCode.Sandbox.Tests;

public sealed class ServiceRegistrationTests
{
    private static IHost Build(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddLogging();
        builder.Services.AddEvoCodeSandbox(builder.Configuration);
        return builder.Build();
    }

    [Fact]
    public async Task AddEvoCodeSandbox_HostStarts_RunnerCompilerAndStatusAreOneWarmSandbox()
    {
        var ct = TestContext.Current.CancellationToken;
        using var host = Build(new() { ["Sandbox:Workers"] = "1", ["Sandbox:RequireFullIsolation"] = "true", ["Sandbox:SandboxUserIdBase"] = "72000" });
        await host.StartAsync(ct);
        try
        {
            var runner = host.Services.GetRequiredService<ICandidateRunner>();
            var compiler = host.Services.GetRequiredService<ICandidateCompiler>();
            var status = host.Services.GetRequiredService<ISandboxStatus>();

            var check = await compiler.CheckAsync(Programs.Good, ct);
            var refused = await compiler.CheckAsync(Programs.Body("""return System.IO.File.Exists("/etc/passwd");"""), ct);
            var run = await runner.RunAsync(Programs.Invoke(Programs.Good, "[1]"), ct);

            Assert.Same(runner, compiler);
            Assert.Equal("full", status.IsolationLevel);
            Assert.Equal(1, status.Workers);
            Assert.True(check.IsOk);
            Assert.Equal(RunOutcome.PolicyViolation, refused.Outcome);
            var diagnostic = Assert.Single(refused.Diagnostics);
            Assert.Equal("policy/FileSystem", diagnostic.Id);
            Assert.Equal(11, diagnostic.Line);
            Assert.True(diagnostic.Column > 0);
            Assert.Equal(RunOutcome.Ok, run.Outcome);
        }
        finally
        {
            await host.StopAsync(ct);
        }
    }

    [Fact]
    public async Task AddEvoCodeSandbox_InvalidWorkerCount_FailsOnStart()
    {
        using var host = Build(new() { ["Sandbox:Workers"] = "0" });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("Workers", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddEvoCodeSandbox_RequireFullIsolationWithForcedFallback_FailsOnStart()
    {
        using var host = Build(new() { ["Sandbox:RequireFullIsolation"] = "true", ["Sandbox:Isolation"] = "Fallback" });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("RequireFullIsolation", error.Message, StringComparison.Ordinal);
    }
}
