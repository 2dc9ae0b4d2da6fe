using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace EvoCode.Testing;

/// <summary>
/// A real PostgreSQL for integration tests. With <c>EVOCODE_TEST_POSTGRES</c> set (a connection string to a
/// server where the user may create databases) it uses that server; otherwise it creates a throwaway cluster
/// with the machine's initdb and pg_ctl in a temp folder on a free port, and removes it afterwards.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    public const string EnvironmentVariable = "EVOCODE_TEST_POSTGRES";

    private readonly string? _dataDirectory;
    private readonly string? _binDirectory;
    private readonly bool _runAsPostgresUser;
    private readonly IReadOnlyList<string> _startArguments;
    private int _databases;

    private PostgresServer(string adminConnectionString, string? dataDirectory, string? binDirectory, bool runAsPostgresUser, IReadOnlyList<string>? startArguments = null)
    {
        AdminConnectionString = adminConnectionString;
        _dataDirectory = dataDirectory;
        _binDirectory = binDirectory;
        _runAsPostgresUser = runAsPostgresUser;
        _startArguments = startArguments ?? [];
    }

    /// <summary>Connection string to the maintenance database.</summary>
    public string AdminConnectionString { get; }

    public static async Task<PostgresServer> StartAsync(CancellationToken cancellationToken = default)
    {
        var external = Environment.GetEnvironmentVariable(EnvironmentVariable);
        return string.IsNullOrWhiteSpace(external)
            ? await StartClusterAsync(cancellationToken)
            : new PostgresServer(external, null, null, false);
    }

    /// <summary>A throwaway cluster of this test's own, even when <c>EVOCODE_TEST_POSTGRES</c> names a server: for tests that stop it.</summary>
    public static async Task<PostgresServer> StartClusterAsync(CancellationToken cancellationToken = default)
    {
        var bin = FindBinaries() ?? throw new InvalidOperationException(
            "Integration tests need PostgreSQL: no initdb/pg_ctl found on PATH or under /usr/lib/postgresql/*/bin. " +
            "Install the server (Debian: apt-get install postgresql) or set " + EnvironmentVariable + " to a connection string.");

        var runAsPostgres = Environment.UserName == "root";
        var root = Directory.CreateTempSubdirectory("evocode-pg-").FullName;
        var data = Path.Combine(root, "data");
        var socket = Path.Combine(root, "socket");
        Directory.CreateDirectory(socket);
        if (runAsPostgres)
        {
            // initdb refuses to run as root; the cluster belongs to the postgres system user.
            await RunAsync("chown", ["-R", "postgres:postgres", root], cancellationToken);
        }

        var port = FreePort();
        var server = new PostgresServer(
            $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=true;Maximum Pool Size=50;Timeout=30",
            data, bin, runAsPostgres,
            ["-D", data, "-w", "-t", "60", "-l", Path.Combine(root, "server.log"), "-o",
             $"-p {port} -k {socket} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200",
             "start"]);
        await server.PgAsync("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"], cancellationToken);
        await server.PgAsync("pg_ctl", server._startArguments, cancellationToken);
        return server;
    }

    /// <summary>Stops the cluster (fast shutdown: clients are disconnected), keeping its data for <see cref="RestartAsync"/>.</summary>
    public Task StopAsync(CancellationToken cancellationToken = default) =>
        PgAsync("pg_ctl", ["-D", OwnCluster(), "-m", "fast", "-w", "stop"], cancellationToken);

    /// <summary>Starts a stopped cluster again, on the same port with the same data.</summary>
    public Task RestartAsync(CancellationToken cancellationToken = default)
    {
        OwnCluster();
        return PgAsync("pg_ctl", _startArguments, cancellationToken);
    }

    private string OwnCluster() =>
        _dataDirectory ?? throw new InvalidOperationException("An external server (" + EnvironmentVariable + ") cannot be stopped by the tests; use StartClusterAsync.");

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix, CancellationToken cancellationToken = default)
    {
        // PostgreSQL truncates identifiers at 63 bytes; keep the unique part whole.
        var name = $"{prefix[..Math.Min(prefix.Length, 20)]}_{Interlocked.Increment(ref _databases)}_{Guid.NewGuid():N}".ToLowerInvariant();
        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name }.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_dataDirectory is null)
        {
            return;
        }

        try
        {
            await PgAsync("pg_ctl", ["-D", _dataDirectory, "-m", "immediate", "-w", "stop"], CancellationToken.None);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(_dataDirectory)!, recursive: true);
        }
    }

    private Task PgAsync(string tool, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var path = Path.Combine(_binDirectory!, tool);
        return _runAsPostgresUser
            ? RunAsync("runuser", ["-u", "postgres", "--", path, .. arguments], cancellationToken)
            : RunAsync(path, arguments, cancellationToken);
    }

    private static async Task RunAsync(string fileName, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{fileName} {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{await stdout}\n{await stderr}");
        }
    }

    private static string? FindBinaries()
    {
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")));
        if (onPath is not null)
        {
            // Resolve links such as /usr/local/bin/initdb -> /usr/lib/postgresql/15/bin/initdb.
            var initdb = new FileInfo(Path.Combine(onPath, "initdb"));
            var target = initdb.LinkTarget is null ? initdb.FullName : Path.GetFullPath(initdb.LinkTarget, onPath);
            return Path.GetDirectoryName(target);
        }

        const string debian = "/usr/lib/postgresql";
        return Directory.Exists(debian)
            ? Directory.GetDirectories(debian)
                .Select(v => Path.Combine(v, "bin"))
                .Where(b => File.Exists(Path.Combine(b, "initdb")))
                .OrderByDescending(b => b, StringComparer.Ordinal)
                .FirstOrDefault()
            : null;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
