using System.Diagnostics;
using System.Globalization;

namespace EvoCode.Sandbox.Jail;

/// <summary>
/// Ends every task still owned by a sandbox user id before a worker or command starts under it. RLIMIT_NPROC
/// counts all tasks of the uid: a killed fork or thread bomb whose tasks are still exiting, or anything a
/// jailed process left behind, would otherwise make the next <c>setpriv</c> fail its exec with EAGAIN, so a
/// good program or a fresh worker would be blamed for the previous tenant of the slot.
/// </summary>
internal static class UserTasks
{
    private static readonly TimeSpan s_poll = TimeSpan.FromMilliseconds(20);

    /// <summary>How long the tasks of a uid may take to exit after SIGKILL before the slot is reported unusable.</summary>
    public static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Kills every process whose real or effective user id is <paramref name="userId"/> and waits until none is left.</summary>
    /// <exception cref="InvalidOperationException">Tasks of the uid were still there after <see cref="ExitTimeout"/>.</exception>
    public static async Task EndAllAsync(int userId, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var left = Owned(userId);
            if (left.Count == 0)
            {
                return;
            }

            if (clock.Elapsed > ExitTimeout)
            {
                throw new InvalidOperationException(
                    $"Sandbox user id {userId.ToString(CultureInfo.InvariantCulture)} still has {left.Count.ToString(CultureInfo.InvariantCulture)} processes {ExitTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s after they were killed (pids {string.Join(", ", left.Take(5))}); the slot is not reused until they exit.");
            }

            foreach (var pid in left)
            {
                Kill(pid);
            }

            await Task.Delay(s_poll, cancellationToken);
        }
    }

    /// <summary>Pids of the processes (thread-group leaders, which carry their threads) owned by <paramref name="userId"/>.</summary>
    public static List<int> Owned(int userId)
    {
        var owned = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                if (File.ReadLines(Path.Combine(directory, "status")).FirstOrDefault(l => l.StartsWith("Uid:", StringComparison.Ordinal)) is { } line
                    && line.Split('\t', StringSplitOptions.RemoveEmptyEntries) is [_, var real, var effective, ..]
                    && (Parse(real) == userId || Parse(effective) == userId))
                {
                    owned.Add(pid);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The process exited while being read.
            }
        }

        return owned;
    }

    private static int Parse(string id) => int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : -1;

    private static void Kill(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill();
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Gone already, or a zombie waiting for its parent: the next poll sees it leave.
        }
    }
}
