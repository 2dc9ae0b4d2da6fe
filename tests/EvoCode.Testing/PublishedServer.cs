using System.Diagnostics;

namespace EvoCode.Testing;

/// <summary>
/// The server as it ships: <c>dotnet publish</c> of src/Api into a temp folder, once per test process (every
/// <see cref="ServerProcess"/> of the process starts this copy), removed when the process exits. It publishes
/// the build the tests already made (same configuration, <c>--no-build</c>), so it costs seconds, not a build.
/// </summary>
public static class PublishedServer
{
    private static readonly Lazy<Task<string>> s_folder = new(PublishAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The name of the server's entry assembly inside the folder.</summary>
    public const string EntryAssembly = "EvoCode.Api.dll";

    /// <summary>The publish folder, published on first use.</summary>
    public static Task<string> FolderAsync(CancellationToken cancellationToken) => s_folder.Value.WaitAsync(cancellationToken);

#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    private static async Task<string> PublishAsync()
    {
        var folder = Directory.CreateTempSubdirectory("evocode-published-").FullName;

        // Temp folders are created owner-only; the sandbox's workers run as other users and must read the server's folder.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }

        AppDomain.CurrentDomain.ProcessExit += (_, _) => TryDelete(folder);
        var project = Path.Combine(RepositoryRoot.Path, "src", "Api", "EvoCode.Api.csproj");
        var info = new ProcessStartInfo(DotnetHost.Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepositoryRoot.Path,
        };
        foreach (var argument in new[] { "publish", project, "-c", Configuration, "--no-build", "-o", folder, "-nologo", "-v", "q" })
        {
            info.ArgumentList.Add(argument);
        }

        // Test processes run side by side and ReadyToRun writes its images into src/Api/obj: one publish at a time.
        await using var publishing = await LockAsync(Path.Combine(RepositoryRoot.Path, "src", "Api", "obj", "publish.lock"));
        using var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start dotnet publish.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        // ReadyToRun compiles the whole publish set (about 1.5 min of CPU); on a machine shared at load 100 that took
        // over 10 minutes of wall time.
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(25));
        if (process.ExitCode != 0 || !File.Exists(Path.Combine(folder, EntryAssembly)))
        {
            throw new InvalidOperationException($"dotnet publish of the server failed ({process.ExitCode}):\n{await stdout}\n{await stderr}");
        }

        return folder;
    }

    /// <summary>An exclusive lock across processes (.NET takes an advisory lock for FileShare.None on Unix), waited for.</summary>
    private static async Task<FileStream> LockAsync(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var deadline = TimeProvider.System.GetUtcNow().AddMinutes(30);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (TimeProvider.System.GetUtcNow() < deadline)
            {
                await Task.Delay(500);
            }
        }
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A server still shutting down may hold a file; the temp folder is cleaned by the system later.
        }
        catch (UnauthorizedAccessException)
        {
            // As above.
        }
    }
}
