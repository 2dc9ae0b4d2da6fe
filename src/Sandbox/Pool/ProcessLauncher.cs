using System.Collections.Concurrent;
using System.Diagnostics;

namespace EvoCode.Sandbox.Pool;

/// <summary>
/// Starts every jailed process from one dedicated thread that lives as long as this process.
/// bubblewrap's <c>--die-with-parent</c> is <c>PR_SET_PDEATHSIG</c>, which fires when the <em>thread</em> that
/// forked the child exits, not the process: a child forked from a thread-pool thread dies when that thread
/// retires after being idle (20 s by default), killing an idle warm worker for no reason.
/// </summary>
internal static class ProcessLauncher
{
    private static readonly BlockingCollection<(ProcessStartInfo Start, TaskCompletionSource<Process> Done)> s_requests = [];

    static ProcessLauncher()
    {
        var thread = new Thread(Loop) { IsBackground = true, Name = "sandbox-launcher" };
        thread.Start();
    }

    /// <summary>Starts <paramref name="start"/> on the launcher thread.</summary>
    public static Task<Process> StartAsync(ProcessStartInfo start)
    {
        var done = new TaskCompletionSource<Process>(TaskCreationOptions.RunContinuationsAsynchronously);
        s_requests.Add((start, done));
        return done.Task;
    }

    private static void Loop()
    {
        foreach (var (start, done) in s_requests.GetConsumingEnumerable())
        {
            try
            {
                done.SetResult(Process.Start(start) ?? throw new InvalidOperationException($"'{start.FileName}' did not start."));
            }
#pragma warning disable CA1031 // The failure belongs to the caller; the launcher thread must live on.
            catch (Exception e)
#pragma warning restore CA1031
            {
                done.SetException(e);
            }
        }
    }
}
