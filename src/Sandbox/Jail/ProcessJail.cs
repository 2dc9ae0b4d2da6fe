using System.Diagnostics;
using System.Globalization;
using EvoCode.Sandbox.Configuration;

namespace EvoCode.Sandbox.Jail;

/// <summary>
/// Turns a <see cref="JailSpec"/> into a process start: bubblewrap when available (all namespaces,
/// read-only system binds, tmpfs /tmp, no network, uid 65534 inside, a dedicated host uid outside), else a
/// fallback made of unshare, setpriv and prlimit. .NET offers no pre-exec hook, so every restriction is
/// applied by a wrapper the child is exec'd through, and is inherited from there.
/// </summary>
internal sealed class ProcessJail
{
    public const string AppTarget = "/app";
    public const string WorkTarget = "/work";

    private static readonly string[] s_systemDirectories = ["/usr", "/bin", "/sbin", "/lib", "/lib64", "/lib32"];

    private readonly string? _bwrap;
    private readonly string? _prlimit;
    private readonly string? _setpriv;
    private readonly string? _unshare;
    private readonly string[] _unshareArguments;
    private readonly string _etcDirectory;
    private readonly string _dotnetRoot;
    private readonly long _tmpfsBytes;

    private ProcessJail(JailLevel level, string? bwrap, string? prlimit, string? setpriv, string? unshare, string[] unshareArguments, string etcDirectory, string dotnetRoot, long tmpfsBytes, List<string> measures, List<string> warnings)
    {
        Level = level;
        _bwrap = bwrap;
        _prlimit = prlimit;
        _setpriv = setpriv;
        _unshare = unshare;
        _unshareArguments = unshareArguments;
        _etcDirectory = etcDirectory;
        _dotnetRoot = dotnetRoot;
        _tmpfsBytes = tmpfsBytes;
        Measures = measures;
        Warnings = warnings;
    }

    public JailLevel Level { get; }

    public IReadOnlyList<string> Measures { get; }

    public IReadOnlyList<string> Warnings { get; }

    /// <summary>Whether processes run under dedicated user ids (the server runs as root and setpriv exists).</summary>
    public bool SwitchesUser => _setpriv is not null;

    /// <summary>Finds the tools, probes each layer with a trivial program, and settles on the strongest jail that works.</summary>
    /// <exception cref="InvalidOperationException">Full isolation is required and bubblewrap does not work.</exception>
    public static async Task<ProcessJail> CreateAsync(SandboxOptions options, string dotnetRoot, int userIdBase, CancellationToken cancellationToken)
    {
        var measures = new List<string>();
        var warnings = new List<string>();
        var etc = CreateEtc();
        var privileged = Environment.IsPrivilegedProcess;
        var prlimit = Find("prlimit");
        var setpriv = privileged ? Find("setpriv") : null;
        var probeUser = userIdBase + 999;
        var trueProgram = Find("true") ?? "/bin/true";

        if (prlimit is null)
        {
            warnings.Add("prlimit (util-linux) is missing: no rlimits on processes, files, file size or CPU time.");
        }

        if (!privileged)
        {
            warnings.Add("The server does not run as root: sandboxed processes keep the server's user id.");
        }
        else if (setpriv is null)
        {
            warnings.Add("setpriv (util-linux) is missing: sandboxed processes keep the server's user id.");
        }

        string? bwrap = null;
        if (options.Isolation != SandboxIsolationMode.Fallback)
        {
            bwrap = options.BubblewrapPath ?? Find("bwrap");
            if (bwrap is null)
            {
                warnings.Add("bubblewrap is not installed (apt-get install bubblewrap): using the fallback isolation.");
            }
            else
            {
                var candidate = new ProcessJail(JailLevel.Full, bwrap, prlimit, setpriv, null, [], etc, dotnetRoot, options.TmpfsBytes, measures, warnings);
                var (ok, detail) = await ProbeAsync(candidate, trueProgram, probeUser, cancellationToken);
                if (!ok)
                {
                    warnings.Add($"bubblewrap is installed but failed to start a jailed process ({detail}): using the fallback isolation.");
                    bwrap = null;
                }
            }
        }

        if (bwrap is null && (options.RequireFullIsolation || options.Isolation == SandboxIsolationMode.Bubblewrap))
        {
            Directory.Delete(etc, recursive: true);
            throw new InvalidOperationException(
                "The sandbox requires full isolation (Sandbox:RequireFullIsolation or Sandbox:Isolation=Bubblewrap) but bubblewrap is not usable: "
                + string.Join(" ", warnings) + " Install bubblewrap (apt-get install bubblewrap) or lift the requirement.");
        }

        if (bwrap is not null)
        {
            measures.Add("bubblewrap: user, pid, network, ipc, uts, cgroup and mount namespaces; no network");
            measures.Add("read-only system directories and worker folder; tmpfs /tmp; nothing else of the host filesystem");
            measures.Add("uid 65534 inside the jail; cleared environment; --die-with-parent, --new-session");
            AddCommonMeasures(measures, prlimit, setpriv, options, userIdBase);
            return new ProcessJail(JailLevel.Full, bwrap, prlimit, setpriv, null, [], etc, dotnetRoot, options.TmpfsBytes, measures, warnings);
        }

        // Fallback: namespaces through unshare where the kernel and our privileges allow.
        var unshare = Find("unshare");
        string[] unshareArguments = privileged
            ? ["--net", "--ipc", "--uts", "--pid", "--fork", "--kill-child", "--mount", "--mount-proc"]
            : ["--user", "--map-root-user", "--net", "--ipc", "--uts"];
        if (unshare is not null)
        {
            var candidate = new ProcessJail(JailLevel.Reduced, null, prlimit, setpriv, unshare, unshareArguments, etc, dotnetRoot, options.TmpfsBytes, measures, warnings);
            var (ok, detail) = await ProbeAsync(candidate, trueProgram, probeUser, cancellationToken);
            if (!ok)
            {
                warnings.Add($"unshare failed ({detail}): no network namespace; candidates rely on the API policy for network refusal.");
                unshare = null;
            }
        }
        else
        {
            warnings.Add("unshare (util-linux) is missing: no network namespace.");
        }

        if (unshare is not null)
        {
            measures.Add(privileged ? "unshare: network, ipc, uts, pid and mount namespaces; no network" : "unshare: user, network, ipc and uts namespaces; no network");
        }

        measures.Add("own process; cleared environment");
        AddCommonMeasures(measures, prlimit, setpriv, options, userIdBase);
        var level = unshare is not null || setpriv is not null ? JailLevel.Reduced : JailLevel.Minimal;
        warnings.Add($"Sandbox isolation is {level.ToString().ToLowerInvariant()}, not full: the host filesystem stays readable to candidates' processes except where the API policy refuses it.");
        return new ProcessJail(level, null, prlimit, setpriv, unshare, unshare is null ? [] : unshareArguments, etc, dotnetRoot, options.TmpfsBytes, measures, warnings);
    }

    private static void AddCommonMeasures(List<string> measures, string? prlimit, string? setpriv, SandboxOptions options, int userIdBase)
    {
        if (setpriv is not null)
        {
            measures.Add($"dedicated unprivileged host uid per slot from {userIdBase} (a block locked by this server)");
        }

        if (prlimit is not null)
        {
            measures.Add($"rlimits: nproc {options.MaxProcesses}, nofile {options.MaxOpenFiles}, fsize {options.MaxFileBytes}, core 0, cpu");
        }

        measures.Add("compile and run limits in CPU time, with a wall-clock backstop enforced by killing the process tree; managed heap capped per run; output capped");
    }

    /// <summary>Removes the jail's generated files (the one-line passwd and group).</summary>
    public void DeleteFiles()
    {
        try
        {
            Directory.Delete(_etcDirectory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A leftover in the temp folder is harmless.
        }
    }

    /// <summary>Builds the start info for <paramref name="spec"/>. Standard streams are redirected.</summary>
    public ProcessStartInfo CreateStartInfo(JailSpec spec)
    {
        var command = new List<string>();
        if (_prlimit is not null)
        {
            command.Add(_prlimit);
            if (_setpriv is not null && spec.UserId is not null)
            {
                // Counts the dedicated uid's tasks only; for a shared uid it would count the server's threads too.
                command.Add($"--nproc={spec.Limits.Processes}");
            }

            command.Add($"--nofile={spec.Limits.OpenFiles}");
            command.Add($"--fsize={spec.Limits.FileBytes}");
            command.Add("--core=0");
            command.Add($"--cpu={spec.Limits.CpuSeconds}");
            if (spec.Limits.AddressSpaceBytes is { } addressSpace)
            {
                command.Add($"--as={addressSpace}");
            }

            command.Add("--");
        }

        if (_bwrap is null && _unshare is not null)
        {
            command.Add(_unshare);
            command.AddRange(_unshareArguments);
            command.Add("--");
        }

        if (_setpriv is not null && spec.UserId is { } uid)
        {
            var id = uid.ToString(CultureInfo.InvariantCulture);
            command.AddRange([_setpriv, "--reuid", id, "--regid", id, "--clear-groups", "--"]);
        }

        string workingDirectory;
        if (_bwrap is not null)
        {
            command.Add(_bwrap);
            command.AddRange(BubblewrapArguments(spec));
            command.Add(Translate(spec.Program, spec));
            command.AddRange(spec.Arguments.Select(a => Translate(a, spec)));
            workingDirectory = "/";
        }
        else
        {
            command.Add(spec.Program);
            command.AddRange(spec.Arguments);
            workingDirectory = spec.WritableDirectory ?? spec.ReadOnlyDirectory ?? "/";
        }

        var start = new ProcessStartInfo(command[0])
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };

        foreach (var argument in command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        // Nothing of the server's environment (keys, connection strings) reaches a sandboxed process.
        start.Environment.Clear();
        if (_bwrap is null)
        {
            foreach (var (key, value) in spec.Environment)
            {
                start.Environment[key] = value;
            }
        }

        return start;
    }

    private List<string> BubblewrapArguments(JailSpec spec)
    {
        var args = new List<string>
        {
            "--unshare-all", "--unshare-user", "--disable-userns", "--die-with-parent", "--new-session",
            "--uid", "65534", "--gid", "65534", "--cap-drop", "ALL",
        };

        foreach (var directory in s_systemDirectories)
        {
            var info = new DirectoryInfo(directory);
            if (info.LinkTarget is { } target)
            {
                args.AddRange(["--symlink", target, directory]);
            }
            else if (info.Exists)
            {
                args.AddRange(["--ro-bind", directory, directory]);
            }
        }

        if (!s_systemDirectories.Any(d => _dotnetRoot.StartsWith(d + "/", StringComparison.Ordinal)))
        {
            args.AddRange(["--ro-bind", _dotnetRoot, _dotnetRoot]);
        }

        args.AddRange(["--ro-bind", Path.Combine(_etcDirectory, "passwd"), "/etc/passwd"]);
        args.AddRange(["--ro-bind", Path.Combine(_etcDirectory, "group"), "/etc/group"]);
        args.AddRange(["--proc", "/proc", "--dev", "/dev"]);
        args.AddRange(["--size", _tmpfsBytes.ToString(CultureInfo.InvariantCulture), "--tmpfs", "/tmp"]);
        if (spec.ReadOnlyDirectory is not null)
        {
            args.AddRange(["--ro-bind", spec.ReadOnlyDirectory, spec.ReadOnlyTarget ?? AppTarget]);
        }

        if (spec.WritableDirectory is not null)
        {
            args.AddRange(["--bind", spec.WritableDirectory, spec.WritableTarget ?? WorkTarget]);
        }

        args.Add("--clearenv");
        foreach (var (key, value) in spec.Environment)
        {
            args.AddRange(["--setenv", key, value]);
        }

        args.AddRange(["--chdir", spec.WorkingDirectory, "--"]);
        return args;
    }

    private static string Translate(string value, JailSpec spec)
    {
        foreach (var (host, target) in new[] { (spec.ReadOnlyDirectory, spec.ReadOnlyTarget ?? AppTarget), (spec.WritableDirectory, spec.WritableTarget ?? WorkTarget) })
        {
            if (host is not null && value.StartsWith(host.TrimEnd('/') + "/", StringComparison.Ordinal))
            {
                return target + value[host.TrimEnd('/').Length..];
            }
        }

        return value;
    }

    private static async Task<(bool Ok, string Detail)> ProbeAsync(ProcessJail jail, string program, int userId, CancellationToken cancellationToken)
    {
        var spec = new JailSpec(program, [], new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin" }, null, null, null, null, "/", userId,
            new JailLimits(64, 64, 1024 * 1024, 5, null));
        var start = jail.CreateStartInfo(spec);
        try
        {
            using var process = await Pool.ProcessLauncher.StartAsync(start);
            process.StandardInput.Close();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(15));
            var error = process.StandardError.ReadToEndAsync(timeout.Token);
            await process.WaitForExitAsync(timeout.Token);
            var text = (await error).Trim();
            return process.ExitCode == 0 ? (true, string.Empty) : (false, $"exit {process.ExitCode}: {text}");
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or OperationCanceledException or InvalidOperationException)
        {
            return (false, e.Message);
        }
    }

    private static string CreateEtc()
    {
        // A one-line passwd: some runtime paths (Environment.UserName) throw without an entry for the uid.
        var directory = Path.Combine(Path.GetTempPath(), $"evocode-sandbox-etc-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        FileModes.Set(directory, FileModes.PublicDirectory);
        File.WriteAllText(Path.Combine(directory, "passwd"), "sandbox:x:65534:65534:sandbox:/tmp:/usr/sbin/nologin\n");
        File.WriteAllText(Path.Combine(directory, "group"), "sandbox:x:65534:\n");
        foreach (var file in new[] { "passwd", "group" })
        {
            FileModes.Set(Path.Combine(directory, file), FileModes.PublicFile);
        }

        return directory;
    }

    /// <summary>Looks a tool up in the usual system directories (not in the server's PATH, which a user could control).</summary>
    internal static string? Find(string name) =>
        new[] { "/usr/bin", "/bin", "/usr/sbin", "/sbin", "/usr/local/bin" }.Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);
}
