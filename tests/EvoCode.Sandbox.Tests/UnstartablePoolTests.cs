using EvoCode.Evaluators.Contract;

namespace EvoCode.Sandbox.Tests;

/// <summary>A pool whose workers cannot start says why and fails requests within its bounded wait.</summary>
public sealed class UnstartablePoolTests
{
    [Fact]
    public async Task WorkerUnderAFolderTheJailCannotRead_RequestsFailAsUnavailableWithTheCauseAndNoWorkerIsCounted()
    {
        var ct = TestContext.Current.CancellationToken;

        // Like a build under /root: the folder is 0700 and the jail runs as an unprivileged uid.
        var locked = Directory.CreateTempSubdirectory("evocode-locked-");
        try
        {
            Jail.FileModes.Set(locked.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            var app = locked.CreateSubdirectory("app");
            var worker = Path.Combine(app.FullName, "EvoCode.Sandbox.Worker.dll");
            File.Copy(Path.Combine(AppContext.BaseDirectory, "EvoCode.Sandbox.Worker.dll"), worker);
            var options = PoolOptions.Full(1);
            options.WorkerPath = worker;
            options.WorkerWaitTimeout = TimeSpan.FromSeconds(3);
            await using var runner = await SandboxRunner.StartNewAsync(options, cancellationToken: ct);

            var run = await Assert.ThrowsAsync<SandboxUnavailableException>(() => runner.RunAsync(Programs.Invoke(Programs.Good, "[1]"), ct));
            var check = await Assert.ThrowsAsync<SandboxUnavailableException>(() => runner.CheckAsync(Programs.Good, ct));

            Assert.StartsWith("The sandbox could not start any worker within 3 s (Sandbox:WorkerWaitTimeout): ", run.Message, StringComparison.Ordinal);
            Assert.Contains("Permission denied", run.Message, StringComparison.Ordinal);
            Assert.Contains("Permission denied", check.Message, StringComparison.Ordinal);
            Assert.Contains("Permission denied", runner.StartFailure, StringComparison.Ordinal);
            Assert.Equal(0, runner.LiveWorkers);
            Assert.Equal(0, runner.IdleWorkers);
            Assert.Equal("full", runner.IsolationLevel);
        }
        finally
        {
            locked.Delete(recursive: true);
        }
    }
}
