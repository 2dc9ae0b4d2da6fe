using EvoCode.Evaluators.Contract;

namespace EvoCode.Sandbox.Tests;

/// <summary>The OS jail itself, probed with commands (the same jail the workers run in).</summary>
[Collection(SandboxCollection.Name)]
public sealed class JailTests(SandboxFixture fixture)
{
    private static readonly RunLimits Limits = new(TimeSpan.FromSeconds(2), 256L * 1024 * 1024, 64 * 1024);

    private Task<CommandRun> Shell(string script, IReadOnlyDictionary<string, string>? files = null, RunLimits? limits = null) =>
        fixture.Runner.RunCommandAsync(
            new CommandInvocation("/bin/sh", ["-c", script], files ?? new Dictionary<string, string>(), limits ?? Limits),
            TestContext.Current.CancellationToken);

    [Fact]
    public async Task RunCommandAsync_PlantedApiKey_IsInvisibleInEnvironmentAndProc()
    {
        Assert.Equal(SandboxFixture.FakeKeyValue, Environment.GetEnvironmentVariable(SandboxFixture.FakeKeyName));

        var run = await Shell("env; cat /proc/*/environ 2>/dev/null | tr '\\0' '\\n'; ls /proc | grep -c '^[0-9]'");

        Assert.Equal(RunOutcome.Ok, run.Outcome);
        Assert.DoesNotContain(SandboxFixture.FakeKeyValue, run.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain(SandboxFixture.FakeKeyName, run.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("HOME=/work", run.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunCommandAsync_OwnPidNamespace_SeesOnlyItsOwnProcesses()
    {
        var run = await Shell("ls /proc | grep '^[0-9]' | wc -l");

        Assert.Equal(RunOutcome.Ok, run.Outcome);
        Assert.True(int.Parse(run.StandardOutput.Trim(), System.Globalization.CultureInfo.InvariantCulture) <= 5, run.StandardOutput);
    }

    [Fact]
    public async Task RunCommandAsync_HostPasswdAndHomes_AreNotVisible()
    {
        var run = await Shell("cat /etc/passwd; ls /root /home /work/.. 2>&1; ls /etc");

        Assert.Equal(RunOutcome.Ok, run.Outcome);
        Assert.DoesNotContain("root:x:0:0", run.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("sandbox:x:65534", run.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("shadow", run.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunCommandAsync_Identity_IsUnprivilegedUser()
    {
        var run = await Shell("id -u; grep CapEff /proc/self/status");

        Assert.Equal(RunOutcome.Ok, run.Outcome);
        Assert.StartsWith("65534", run.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("0000000000000000", run.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunCommandAsync_Network_HasOnlyLoopback()
    {
        var run = await Shell("tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' '");

        Assert.Equal(RunOutcome.Ok, run.Outcome);
        Assert.Equal("lo", run.StandardOutput.Trim());
    }

    [Fact]
    public async Task RunCommandAsync_Filesystem_IsReadOnlyExceptWorkAndTmp()
    {
        var run = await Shell("echo x > /usr/pwned; echo usr=$?; echo x > /tmp/ok; echo tmp=$?; echo data > out.txt; echo work=$?; cat input.txt",
            new Dictionary<string, string> { ["input.txt"] = "given" });

        Assert.Equal(RunOutcome.Ok, run.Outcome);
        Assert.DoesNotContain("usr=0", run.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("tmp=0", run.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("work=0", run.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("given", run.StandardOutput, StringComparison.Ordinal);
        Assert.False(File.Exists("/usr/pwned"));
    }

    [Fact]
    public async Task RunCommandAsync_ExitCode_IsReportedAsOk()
    {
        var run = await Shell("echo out; echo err >&2; exit 3");

        Assert.Equal(RunOutcome.Ok, run.Outcome);
        Assert.Equal(3, run.ExitCode);
        Assert.Equal("out\n", run.StandardOutput);
        Assert.Equal("err\n", run.StandardError);
    }

    [Fact]
    public async Task RunCommandAsync_EndlessLoop_IsKilledAtWallLimit()
    {
        var run = await Shell("while :; do :; done", limits: Limits with { WallTime = TimeSpan.FromSeconds(1) });

        Assert.Equal(RunOutcome.TimeLimit, run.Outcome);
        Assert.Null(run.ExitCode);
    }

    [Fact]
    public async Task RunCommandAsync_OutputFlood_IsCutAtCap()
    {
        var run = await Shell("yes flood");

        Assert.Equal(RunOutcome.OutputLimit, run.Outcome);
        Assert.True(run.StandardOutput.Length <= Limits.MaxOutputBytes);
    }

    [Fact]
    public async Task RunCommandAsync_ForkBomb_IsContained()
    {
        // The shell then spins without forking: with the process limit full of the bomb's children, a `sleep` could fail
        // to start and end the script early, so the run would not reliably reach its wall-time limit.
        var run = await Shell("bomb() { bomb | bomb & }; bomb; while :; do :; done", limits: Limits with { WallTime = TimeSpan.FromSeconds(1) });

        Assert.True(run.Outcome == RunOutcome.TimeLimit, $"{run.Outcome}, exit code {run.ExitCode}, stderr: {run.StandardError}");
        var after = await Shell("echo alive");
        Assert.Equal("alive\n", after.StandardOutput);
    }

    [Fact]
    public async Task RunCommandAsync_SlotUserAlreadyAtProcessLimit_EndsTheLeftoversAndRuns()
    {
        // What a killed bomb's still-exiting tasks look like to the next command: its uid over RLIMIT_NPROC, which
        // would make setpriv's exec fail with EAGAIN and the command "exit" 126 in a few milliseconds.
        var options = SandboxFixture.FullIsolationOptions();
        var userIds = Enumerable.Range(0, options.Workers).Select(slot => fixture.Runner.Pool.UserIdBase + Pool.CommandExecution.CommandSlotOffset + slot).ToList();
        // An earlier test's command may still be exiting under these uids; start from none so the counts below are exact.
        foreach (var uid in userIds)
        {
            await Jail.UserTasks.EndAllAsync(uid, TestContext.Current.CancellationToken);
        }

        var planted = userIds.SelectMany(uid => Enumerable.Range(0, options.MaxProcesses + 1).Select(_ => Plant(uid))).ToList();
        try
        {
            // A planted setpriv counts under its uid only once it has changed to it.
            var settled = DateTime.UtcNow.AddSeconds(10);
            while (userIds.Any(uid => Jail.UserTasks.Owned(uid).Count < options.MaxProcesses + 1) && DateTime.UtcNow < settled)
            {
                await Task.Delay(20, TestContext.Current.CancellationToken);
            }

            Assert.All(userIds, uid => Assert.Equal(options.MaxProcesses + 1, Jail.UserTasks.Owned(uid).Count));

            var run = await Shell("echo alive");

            Assert.True(run.Outcome == RunOutcome.Ok && run.ExitCode == 0, $"{run.Outcome}, exit code {run.ExitCode}, stderr: {run.StandardError}");
            Assert.Equal("alive\n", run.StandardOutput);
            // The collection runs one command at a time, so the command took the first slot and ended its leftovers.
            Assert.All(planted.Take(options.MaxProcesses + 1), p => Assert.True(p.HasExited));
        }
        finally
        {
            foreach (var process in planted)
            {
                if (!process.HasExited)
                {
                    process.Kill();
                }

                process.Dispose();
            }
        }
    }

    private static System.Diagnostics.Process Plant(int userId)
    {
        var id = userId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return System.Diagnostics.Process.Start("setpriv", ["--reuid", id, "--regid", id, "--clear-groups", "--", "sleep", "120"]);
    }

    [Fact]
    public async Task RunCommandAsync_FileOutsideFolder_IsRefusedAndGivesItsSlotBack()
    {
        // More refusals than the pool has command slots: a slot kept by a refusal would leave the last command waiting forever.
        for (var i = 0; i <= SandboxFixture.FullIsolationOptions().Workers; i++)
        {
            await Assert.ThrowsAsync<ArgumentException>(() => Shell("true", new Dictionary<string, string> { ["../escape.txt"] = "x" }));
        }

        var after = await Shell("echo alive").WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        Assert.Equal("alive\n", after.StandardOutput);
    }
}
