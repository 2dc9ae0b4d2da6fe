using System.Diagnostics;
using System.Text.RegularExpressions;

namespace EvoCode.Testing;

/// <summary>
/// The real server (API, engine and sandbox) as it ships: the <see cref="PublishedServer"/> started with
/// <c>dotnet EvoCode.Api.dll</c> and no arguments, in Production, from a working folder of the test's choosing,
/// on a free port. Its SQLite store goes to <c>data/</c> in that working folder unless the environment says
/// otherwise (the publish folder is shared by every server of the test process). Disposing kills the whole
/// process tree.
/// </summary>
public sealed partial class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _output;

    private ServerProcess(Process process, Uri address, List<string> output)
    {
        _process = process;
        Address = address;
        _output = output;
    }

    public Uri Address { get; }

    /// <summary>The server's process id.</summary>
    public int Id => _process.Id;

    /// <summary>Whether the server process has ended.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Everything the server wrote to stdout and stderr so far.</summary>
    public string Log
    {
        get
        {
            lock (_output)
            {
                return string.Join('\n', _output);
            }
        }
    }

    /// <summary>The last lines the server wrote, for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return string.Join('\n', _output.TakeLast(200));
            }
        }
    }

    public static async Task<ServerProcess> StartAsync(
        string workingDirectory,
        IReadOnlyDictionary<string, string?> environment,
        CancellationToken cancellationToken)
    {
        var published = await PublishedServer.FolderAsync(cancellationToken);
        var info = new ProcessStartInfo(DotnetHost.Path)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.ArgumentList.Add(Path.Combine(published, PublishedServer.EntryAssembly));

        // Configuration by environment only, as a container would give it.
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        info.Environment["Storage__DataDirectory"] = Path.Combine(workingDirectory, "data");

        // Jail uids of this server's own: servers of parallel tests (and of other checkouts on the machine) sharing
        // the default range would meet each other's RLIMIT_NPROC.
        info.Environment["Sandbox__SandboxUserIdBase"] = (100_000 + (Random.Shared.Next(0, 1_000_000) * 16)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var (key, value) in environment)
        {
            // A null value removes the variable, so the server's own default applies.
            if (value is null)
            {
                info.Environment.Remove(key);
            }
            else
            {
                info.Environment[key] = value;
            }
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start the server.");
        var output = new List<string>();
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnLine(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (output)
            {
                output.Add(line);
            }

            if (ListeningLine().Match(line) is { Success: true } match)
            {
                listening.TrySetResult(new Uri(match.Groups["url"].Value));
            }
        }

        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _ = process.WaitForExitAsync(cancellationToken).ContinueWith(
            _ =>
            {
                lock (output)
                {
                    listening.TrySetException(new InvalidOperationException("The server exited before listening:\n" + string.Join('\n', output)));
                }
            },
            TaskScheduler.Default);

        var address = await listening.Task.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
        return new ServerProcess(process, address, output);
    }

    /// <summary>
    /// Sends a signal to the server process alone, as <c>kill -SIGNAL</c> does: <c>STOP</c> freezes it the way a long
    /// GC pause or a frozen VM would (its sandbox workers finish what they run and wait), <c>CONT</c> lets it go on.
    /// </summary>
    public async Task SignalAsync(string signal, CancellationToken cancellationToken)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-" + signal, Id.ToString(System.Globalization.CultureInfo.InvariantCulture) } })
            ?? throw new InvalidOperationException("Could not start kill.");
        await kill.WaitForExitAsync(cancellationToken);
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -{signal} {Id} failed ({kill.ExitCode}).");
        }
    }

    /// <summary>A clean shutdown, as a container stop gives it: SIGTERM, then waits for the process to end.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await SignalAsync("TERM", cancellationToken);
        await _process.WaitForExitAsync(cancellationToken).WaitAsync(TimeSpan.FromMinutes(1), cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    [GeneratedRegex(@"Now listening on: (?<url>http://\S+)")]
    private static partial Regex ListeningLine();
}
