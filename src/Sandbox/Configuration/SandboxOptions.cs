using System.ComponentModel.DataAnnotations;

namespace EvoCode.Sandbox.Configuration;

/// <summary>Settings of the sandbox (configuration section <c>Sandbox</c>).</summary>
public sealed class SandboxOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Sandbox";

    /// <summary>Warm evaluation workers kept ready, the number of evaluations that run at once; by default one per core.</summary>
    [Range(1, 64)]
    public int Workers { get; set; } = Math.Clamp(Environment.ProcessorCount, 1, 64);

    /// <summary>
    /// Warm workers of the compile lane: compile-and-policy checks (the proposal screen, problem submission) run
    /// there and never wait behind an evaluation.
    /// </summary>
    [Range(1, 16)]
    public int CompileWorkers { get; set; } = 1;

    /// <summary>Compile verdicts (and emitted images) kept so a program is compiled once; 0 turns the cache off.</summary>
    [Range(0, 1_000_000)]
    public int CompileCacheEntries { get; set; } = 4096;

    /// <summary>Which jail to use.</summary>
    public SandboxIsolationMode Isolation { get; set; } = SandboxIsolationMode.Auto;

    /// <summary>Refuse to start unless bubblewrap isolation works.</summary>
    public bool RequireFullIsolation { get; set; }

    /// <summary>Path of <c>EvoCode.Sandbox.Worker.dll</c>; by default next to the entry assembly.</summary>
    public string? WorkerPath { get; set; }

    /// <summary>The <c>dotnet</c> host that starts the worker; by default the host running this process.</summary>
    public string? DotnetHostPath { get; set; }

    /// <summary>Path of <c>bwrap</c>; by default looked up in the usual places.</summary>
    public string? BubblewrapPath { get; set; }

    /// <summary>Time allowed for one compile (plus <see cref="Grace"/>).</summary>
    [Range(typeof(TimeSpan), "00:00:00.1", "00:05:00")]
    public TimeSpan CompileTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Largest accepted candidate source, in UTF-8 bytes.</summary>
    [Range(1024, 4 * 1024 * 1024)]
    public int MaxSourceBytes { get; set; } = 64 * 1024;

    /// <summary>Extra time after a limit before the pool kills the process tree.</summary>
    [Range(typeof(TimeSpan), "00:00:00.05", "00:00:30")]
    public TimeSpan Grace { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Upper bound on any requested wall-clock limit.</summary>
    [Range(typeof(TimeSpan), "00:00:00.1", "01:00:00")]
    public TimeSpan MaxWallTime { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Upper bound on any requested memory limit, in bytes.</summary>
    [Range(16L * 1024 * 1024, 64L * 1024 * 1024 * 1024)]
    public long MaxMemoryBytes { get; set; } = 2L * 1024 * 1024 * 1024;

    /// <summary>Upper bound on any requested output cap, in bytes.</summary>
    [Range(1024, 256 * 1024 * 1024)]
    public int MaxOutputBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>A worker is replaced after this many runs, so state a candidate left behind does not accumulate.</summary>
    [Range(1, 100_000)]
    public int MaxRunsPerWorker { get; set; } = 1000;

    /// <summary>
    /// Compile checks a new worker gets before it takes work, on the programs the sandbox compiled most recently
    /// (the server's examples at first), so a fresh or replacement worker does not restart the JIT curve on real work.
    /// </summary>
    [Range(0, 1000)]
    public int WarmupCompiles { get; set; } = 8;

    /// <summary>Time a new worker may take to start and warm up.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan WorkerStartTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>RLIMIT_NPROC per sandboxed user: tasks (threads) a worker or command may have. CoreCLR needs at least 8.</summary>
    [Range(16, 4096)]
    public int MaxProcesses { get; set; } = 64;

    /// <summary>RLIMIT_NOFILE.</summary>
    [Range(32, 65536)]
    public int MaxOpenFiles { get; set; } = 256;

    /// <summary>RLIMIT_FSIZE, in bytes (the worker runs with W^X off so a small value works).</summary>
    [Range(1024 * 1024, 1024L * 1024 * 1024)]
    public long MaxFileBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>Size of the jail's /tmp tmpfs, in bytes.</summary>
    [Range(1024 * 1024, 1024L * 1024 * 1024)]
    public long TmpfsBytes { get; set; } = 64 * 1024 * 1024;

    /// <summary>
    /// How long a request waits for a worker when none is alive before it fails with
    /// <see cref="SandboxUnavailableException"/>, once no start is in progress or a start has failed meanwhile; busy
    /// workers and starts on their way (bounded by <see cref="WorkerStartTimeout"/> and the warm-up) are waited for.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan WorkerWaitTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Compile and run limits are CPU time of the jailed worker; the wall clock ends a request only after this many
    /// times its limit (plus five seconds), so a loaded machine does not change a verdict but a program that stops
    /// using CPU without ending still ends.
    /// </summary>
    [Range(1.5, 1000)]
    public double WallClockBackstopFactor { get; set; } = 10;

    /// <summary>Cap on each text a candidate can produce (log, error message and stack, diagnostics, command stderr), in UTF-8 bytes; longer texts are cut with a marker.</summary>
    [Range(1024, 16 * 1024 * 1024)]
    public int MaxTextFieldBytes { get; set; } = 64 * 1024;

    /// <summary>
    /// Where this server's block of unprivileged user ids (for workers and commands, one per slot, when the server
    /// runs as root) is looked for: the first block of 2048 ids from here that no
    /// other process has locked.
    /// </summary>
    [Range(1000, 2_000_000_000)]
    public int SandboxUserIdBase { get; set; } = 61_000;
}
