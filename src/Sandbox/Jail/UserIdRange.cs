using System.Globalization;

namespace EvoCode.Sandbox.Jail;

/// <summary>
/// A block of host user ids held by this process alone: an exclusive lock on one file per block (flock,
/// released by the kernel when the process dies), so several servers and worker hosts on one machine never
/// share a uid and never count each other's tasks against RLIMIT_NPROC. Workers use <c>Base + slot</c>, the
/// start-up probe <c>Base + 999</c>, commands <c>Base + 1000 + slot</c>.
/// </summary>
internal sealed class UserIdRange : IDisposable
{
    /// <summary>User ids per block; covers the largest slot count of workers and commands.</summary>
    public const int BlockSize = 2048;

    /// <summary>Blocks tried from the configured base before giving up.</summary>
    public const int MaxBlocks = 64;

    private readonly FileStream? _lock;

    private UserIdRange(int first, FileStream? held)
    {
        Base = first;
        _lock = held;
    }

    /// <summary>The first user id of the block.</summary>
    public int Base { get; }

    /// <summary>Where the lock files live: /run/lock when writable (root), else /tmp; never the server's TMPDIR, which another server may not share.</summary>
    public static string LockDirectory { get; } = Directory.Exists("/run/lock") && Access("/run/lock") ? "/run/lock" : "/tmp";

    /// <summary>Takes the first free block at or after <paramref name="configuredBase"/>.</summary>
    /// <exception cref="InvalidOperationException">Every block is held by another process.</exception>
    public static UserIdRange Acquire(int configuredBase)
    {
        for (var block = 0; block < MaxBlocks; block++)
        {
            var first = configuredBase + (block * BlockSize);
            var path = Path.Combine(LockDirectory, $"evocode-sandbox-uids-{first.ToString(CultureInfo.InvariantCulture)}.lock");
            try
            {
                // On Unix, FileShare.None takes flock(LOCK_EX | LOCK_NB) on the file; a held lock throws here.
                var held = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                return new UserIdRange(first, held);
            }
            catch (IOException)
            {
                // Held by another server: try the next block.
            }
        }

        throw new InvalidOperationException(
            $"Sandbox: all {MaxBlocks} user id blocks from {configuredBase} are held by other processes (lock files {LockDirectory}/evocode-sandbox-uids-*.lock). Set Sandbox:SandboxUserIdBase to a free range.");
    }

    /// <summary>A range that needs no lock (the server cannot switch users, so no uid is used).</summary>
    public static UserIdRange Unlocked(int configuredBase) => new(configuredBase, null);

    public void Dispose() => _lock?.Dispose();

    private static bool Access(string directory)
    {
        try
        {
            var probe = Path.Combine(directory, $".evocode-probe-{Environment.ProcessId}");
            File.WriteAllText(probe, string.Empty);
            File.Delete(probe);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
