using System.Runtime.InteropServices;
using EvoCode.Sandbox.Configuration;

namespace EvoCode.Sandbox.Pool;

/// <summary>Where the worker and the dotnet host are.</summary>
internal static class WorkerLocation
{
    public const string WorkerFileName = "EvoCode.Sandbox.Worker.dll";

    /// <summary>The configured path, else the worker next to the entry assembly (a ProjectReference to the worker puts it there).</summary>
    public static string WorkerPath(SandboxOptions options)
    {
        var path = Path.GetFullPath(options.WorkerPath ?? Path.Combine(AppContext.BaseDirectory, WorkerFileName));
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"The sandbox worker was not found at '{path}'. Reference src/Sandbox/Worker/EvoCode.Sandbox.Worker.csproj from the host project or set Sandbox:WorkerPath.", path);
    }

    /// <summary>
    /// The dotnet host and its root: the configured host, else this process's host when it runs under
    /// <c>dotnet</c>, else the host of the runtime this process uses (for apphost-started processes).
    /// </summary>
    public static (string Host, string Root) DotnetHost(SandboxOptions options)
    {
        var runtimeRoot = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        string host;
        if (options.DotnetHostPath is { } configured)
        {
            host = configured;
        }
        else if (Environment.ProcessPath is { } current && Path.GetFileNameWithoutExtension(current) == "dotnet")
        {
            host = current;
        }
        else
        {
            host = Path.Combine(runtimeRoot, "dotnet");
        }

        host = new FileInfo(host).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Path.GetFullPath(host);
        return File.Exists(host)
            ? (host, Path.GetDirectoryName(host)!)
            : throw new FileNotFoundException($"The dotnet host was not found at '{host}'. Set Sandbox:DotnetHostPath.", host);
    }
}
