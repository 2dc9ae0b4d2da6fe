using System.Runtime.InteropServices;
using Microsoft.CodeAnalysis;

namespace EvoCode.Sandbox.Worker.Compilation;

/// <summary>
/// The metadata references candidates compile against, built once per worker and reused: Roslyn caches
/// decoded metadata inside these objects, which is most of what makes warm compiles fast.
/// </summary>
internal sealed class ReferenceSet
{
    private ReferenceSet(IReadOnlyList<MetadataReference> references, string origin)
    {
        References = references;
        Origin = origin;
        Identity = IdentityOf(references);
    }

    public IReadOnlyList<MetadataReference> References { get; }

    /// <summary>
    /// Hex SHA-256 of what decides a compile's verdict besides the source: this worker build (compiler, options
    /// and policy) and each reference file (path, size, time). The pool keys kept compilations by it.
    /// </summary>
    public string Identity { get; }

    /// <summary>Where the framework references came from (reference pack or runtime directory).</summary>
    public string Origin { get; }

    /// <summary>
    /// Prefers the SDK's reference pack (stable, small, independent of the runtime patch); falls back to the
    /// runtime's own assemblies where only a runtime is installed. Microsoft.CSharp is left out so that
    /// <c>dynamic</c> cannot bind.
    /// </summary>
    public static ReferenceSet Load()
    {
        var runtimeDirectory = RuntimeEnvironment.GetRuntimeDirectory();
        var dotnetRoot = Path.GetFullPath(Path.Combine(runtimeDirectory, "..", "..", ".."));
        var framework = FindReferencePack(dotnetRoot);
        string origin;
        IEnumerable<string> files;
        if (framework is not null)
        {
            origin = framework;
            files = Directory.EnumerateFiles(framework, "*.dll");
        }
        else
        {
            origin = runtimeDirectory;
            files = Directory.EnumerateFiles(runtimeDirectory, "*.dll")
                .Where(f => Path.GetFileName(f) is var n && (n.StartsWith("System.", StringComparison.Ordinal) || n is "mscorlib.dll" or "netstandard.dll"))
                .Where(IsManaged);
        }

        var references = files
            .Where(f => !Path.GetFileName(f).StartsWith("Microsoft.", StringComparison.Ordinal))
            .Select(f => (MetadataReference)MetadataReference.CreateFromFile(f))
            .ToList();

        // The harness context type candidates may take as a parameter.
        references.Add(MetadataReference.CreateFromFile(typeof(EvoCode.Evaluators.Contract.HarnessContext).Assembly.Location));
        return new ReferenceSet(references, origin);
    }

    private static string IdentityOf(IReadOnlyList<MetadataReference> references)
    {
        var text = new System.Text.StringBuilder(typeof(ReferenceSet).Assembly.ManifestModule.ModuleVersionId.ToString());
        foreach (var path in references.OfType<PortableExecutableReference>().Select(r => r.FilePath).Order(StringComparer.Ordinal))
        {
            var file = new FileInfo(path!);
            text.Append('|').Append(path).Append(':').Append(file.Length).Append(':').Append(file.LastWriteTimeUtc.Ticks);
        }

        return Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text.ToString())));
    }

    private static string? FindReferencePack(string dotnetRoot)
    {
        var packs = Path.Combine(dotnetRoot, "packs", "Microsoft.NETCore.App.Ref");
        if (!Directory.Exists(packs))
        {
            return null;
        }

        var major = Environment.Version.Major;
        return Directory.EnumerateDirectories(packs)
            .Select(d => (Dir: d, Version: Version.TryParse(Path.GetFileName(d).Split('-')[0], out var v) ? v : null))
            .Where(x => x.Version is not null && x.Version.Major == major)
            .OrderByDescending(x => x.Version)
            .Select(x => Path.Combine(x.Dir, "ref", $"net{major}.0"))
            .FirstOrDefault(Directory.Exists);
    }

    private static bool IsManaged(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            using var pe = new System.Reflection.PortableExecutable.PEReader(stream);
            return pe.HasMetadata;
        }
        catch (BadImageFormatException)
        {
            return false;
        }
    }
}
