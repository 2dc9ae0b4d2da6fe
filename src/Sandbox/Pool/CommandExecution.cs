using System.Diagnostics;
using System.Text;
using EvoCode.Evaluators.Contract;
using EvoCode.Sandbox.Configuration;
using EvoCode.Sandbox.Jail;

namespace EvoCode.Sandbox.Pool;

/// <summary>
/// Runs a user's command (an external evaluator such as <c>python3 score.py</c>) in a fresh folder holding
/// its files, under the pool's jail: the folder is bound read-write as the working directory, the system
/// read-only, no network. One command per slot at a time, each slot with its own user id.
/// </summary>
internal sealed class CommandExecution(SandboxOptions options, WorkerPool pool) : IDisposable
{
    /// <summary>Command slot n runs as the pool's base uid + this + n, apart from the workers' uids.</summary>
    public const int CommandSlotOffset = 1000;

    private readonly SemaphoreSlim _slots = new(options.Workers, options.Workers);
    private readonly Lock _lock = new();
    private readonly bool[] _busy = new bool[options.Workers];

    public async Task<CommandRun> RunAsync(CommandInvocation invocation, CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken);
        var slot = TakeSlot();
        string? folder = null;
        try
        {
            // Inside the try: a refused file must give its slot back, or each refusal would cost the pool a slot for good.
            folder = CreateFolder(invocation.Files);
            return await RunInAsync(invocation, slot, folder, cancellationToken);
        }
        finally
        {
            ReleaseSlot(slot);
            _slots.Release();
            if (folder is not null)
            {
                TryDelete(folder);
            }
        }
    }

    public void Dispose() => _slots.Dispose();

    private async Task<CommandRun> RunInAsync(CommandInvocation invocation, int slot, string folder, CancellationToken cancellationToken)
    {
        var wall = invocation.Limits.WallTime > options.MaxWallTime ? options.MaxWallTime : invocation.Limits.WallTime;
        var cap = Math.Clamp(invocation.Limits.MaxOutputBytes, 256, options.MaxOutputBytes);
        var jail = pool.Jail;
        var inJail = jail.Level == JailLevel.Full;
        var program = invocation.FileName;
        var environment = new Dictionary<string, string>
        {
            ["HOME"] = inJail ? ProcessJail.WorkTarget : folder,
            ["TMPDIR"] = "/tmp",
            ["PATH"] = "/usr/local/bin:/usr/bin:/bin",
            ["LANG"] = "C.UTF-8",
            ["PYTHONDONTWRITEBYTECODE"] = "1",
        };

        if (!program.Contains('/', StringComparison.Ordinal))
        {
            program = ProcessJail.Find(program) ?? program;
        }

        var limits = new JailLimits(
            options.MaxProcesses,
            options.MaxOpenFiles,
            options.MaxFileBytes,
            (long)Math.Ceiling(wall.TotalSeconds) + 1,
            Math.Clamp(invocation.Limits.MemoryBytes, 64L * 1024 * 1024, options.MaxMemoryBytes));
        var userId = jail.SwitchesUser ? pool.UserIdBase + CommandSlotOffset + slot : (int?)null;
        var spec = new JailSpec(program, invocation.Arguments, environment, null, null, folder, ProcessJail.WorkTarget,
            inJail ? ProcessJail.WorkTarget : folder, userId, limits);

        if (userId is { } id)
        {
            await UserTasks.EndAllAsync(id, cancellationToken);
        }

        var start = jail.CreateStartInfo(spec);
        var clock = Stopwatch.StartNew();
        using var process = await ProcessLauncher.StartAsync(start);
        process.StandardInput.Close();
        var stdout = new CappedReader(process.StandardOutput.BaseStream, cap);
        var stderr = new CappedReader(process.StandardError.BaseStream, cap);
        var exited = process.WaitForExitAsync(cancellationToken);
        var finished = await Task.WhenAny(exited, stdout.Overflow, stderr.Overflow, Task.Delay(wall + options.Grace, cancellationToken));
        RunOutcome outcome;
        if (finished == exited && exited.IsCompletedSuccessfully)
        {
            outcome = RunOutcome.Ok;
        }
        else
        {
            Kill(process);
            cancellationToken.ThrowIfCancellationRequested();
            outcome = finished == stdout.Overflow || finished == stderr.Overflow ? RunOutcome.OutputLimit : RunOutcome.TimeLimit;
        }

        using (var drain = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            try
            {
                await process.WaitForExitAsync(drain.Token);
                await Task.WhenAll(stdout.Completed, stderr.Completed).WaitAsync(drain.Token);
            }
            catch (OperationCanceledException)
            {
                // Report what was captured.
            }
        }

        if (outcome == RunOutcome.Ok && (stdout.Overflowed || stderr.Overflowed))
        {
            outcome = RunOutcome.OutputLimit;
        }

        int? exitCode = outcome == RunOutcome.Ok && process.HasExited ? process.ExitCode : null;
        // stdout is the evaluator's answer, bounded by the run's output cap; stderr is only shown, so it gets the text cap.
        return new CommandRun(outcome, exitCode, stdout.Text, Protocol.TextCap.Cut(stderr.Text, options.MaxTextFieldBytes)!, clock.Elapsed);
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Already gone.
        }
    }

    private int TakeSlot()
    {
        lock (_lock)
        {
            var slot = Array.IndexOf(_busy, false);
            _busy[slot] = true;
            return slot;
        }
    }

    private void ReleaseSlot(int slot)
    {
        lock (_lock)
        {
            _busy[slot] = false;
        }
    }

    private static string CreateFolder(IReadOnlyDictionary<string, string> files)
    {
        var folder = Path.Combine(Path.GetTempPath(), "evocode-command-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);

        // The jailed user is not the server's: it must be able to write here, and nobody else can find the random name.
        FileModes.Set(folder, FileModes.SharedDirectory);
        var root = Path.GetFullPath(folder) + Path.DirectorySeparatorChar;
        foreach (var (relative, content) in files)
        {
            var path = Path.GetFullPath(Path.Combine(folder, relative));
            if (Path.IsPathRooted(relative) || !path.StartsWith(root, StringComparison.Ordinal))
            {
                TryDelete(folder);
                throw new ArgumentException($"File '{relative}' would be written outside the command's folder.", nameof(files));
            }

            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, content, new UTF8Encoding(false));
            FileModes.Set(path, FileModes.SharedFile);
        }

        foreach (var directory in Directory.EnumerateDirectories(folder, "*", SearchOption.AllDirectories))
        {
            FileModes.Set(directory, FileModes.SharedDirectory);
        }

        return folder;
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A leftover temp folder is harmless.
        }
    }

    /// <summary>Reads a stream to its end, keeping at most <c>cap</c> bytes and signalling when more arrive.</summary>
    private sealed class CappedReader
    {
        private readonly MemoryStream _kept = new();
        private readonly TaskCompletionSource _overflow = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public CappedReader(Stream stream, int cap) => Completed = ReadAsync(stream, cap);

        public Task Completed { get; }

        public Task Overflow => _overflow.Task;

        public bool Overflowed => _overflow.Task.IsCompleted;

        public string Text => Encoding.UTF8.GetString(_kept.GetBuffer(), 0, (int)_kept.Length);

        private async Task ReadAsync(Stream stream, int cap)
        {
            var buffer = new byte[16 * 1024];
            try
            {
                int n;
                while ((n = await stream.ReadAsync(buffer)) > 0)
                {
                    var room = cap - (int)_kept.Length;
                    if (n > room)
                    {
                        _kept.Write(buffer, 0, Math.Max(0, room));
                        _overflow.TrySetResult();
                        return;
                    }

                    _kept.Write(buffer, 0, n);
                }
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                // The process was killed.
            }
        }
    }
}
