using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using System.Runtime.Loader;
using System.Text;
using EvoCode.Evaluators.Contract;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace EvoCode.Evaluators.Tests.Runners;

/// <summary>
/// TEST ONLY. Compiles a candidate with Roslyn and calls its harness in this process; runs commands with a
/// plain Process and no jail. It has none of the sandbox's isolation and must never be used outside tests.
/// It stands in for the real sandbox runner until that lands (switch in <see cref="CandidateRunnerFixture"/>).
/// </summary>
internal sealed class InProcessCandidateRunner : ICandidateRunner
{
    private static readonly Lazy<MetadataReference[]> s_references = new(() =>
    [
        .. ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p) is var f && (f.StartsWith("System.", StringComparison.Ordinal) || f is "netstandard.dll" or "mscorlib.dll"))
            .Select(p => MetadataReference.CreateFromFile(p)),
        MetadataReference.CreateFromFile(typeof(HarnessContext).Assembly.Location),
    ]);

    private static readonly ConcurrentDictionary<string, byte[]> s_compiled = new(StringComparer.Ordinal);

    public Task<CandidateRun> RunAsync(CandidateInvocation invocation, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        if (!TryCompile(invocation.Source, out var image, out var diagnostics))
        {
            return Task.FromResult(CandidateRun.Failed(RunOutcome.CompileError, "The program does not compile.", stopwatch.Elapsed, diagnostics));
        }

        if (!HarnessCatalog.TryGet(invocation.Harness, out var harness))
        {
            return Task.FromResult(CandidateRun.Failed(RunOutcome.RuntimeError, $"No harness '{invocation.Harness}'.", stopwatch.Elapsed));
        }

        var log = new StringWriter();
        string? output = null;
        Exception? failure = null;
        var context = new AssemblyLoadContext("candidate", isCollectible: true);
        var thread = new Thread(
            () =>
            {
                try
                {
                    var assembly = context.LoadFromStream(new MemoryStream(image));
                    output = harness.Run(assembly, invocation.Parameters, new HarnessContext(new Random(invocation.Seed), log));
                }
                catch (Exception e)
                {
                    failure = e is TargetInvocationException { InnerException: { } inner } ? inner : e;
                }
            },
            16 * 1024 * 1024)
        { IsBackground = true };
        thread.Start();
        var finished = thread.Join(invocation.Limits.WallTime);
        var elapsed = stopwatch.Elapsed;
        if (!finished)
        {
            return Task.FromResult(CandidateRun.Failed(RunOutcome.TimeLimit, $"Ran past {invocation.Limits.WallTime.TotalSeconds} s.", elapsed));
        }

        context.Unload();
        var logText = log.ToString();
        if (failure is not null)
        {
            return Task.FromResult(new CandidateRun(RunOutcome.RuntimeError, null, logText, [], $"{failure.GetType().Name}: {failure.Message}", elapsed));
        }

        if (output is not null && Encoding.UTF8.GetByteCount(output) + Encoding.UTF8.GetByteCount(logText) > invocation.Limits.MaxOutputBytes)
        {
            return Task.FromResult(CandidateRun.Failed(RunOutcome.OutputLimit, $"More than {invocation.Limits.MaxOutputBytes} bytes of output.", elapsed));
        }

        return Task.FromResult(new CandidateRun(RunOutcome.Ok, output, logText, [], null, elapsed));
    }

    public async Task<CommandRun> RunCommandAsync(CommandInvocation invocation, CancellationToken cancellationToken)
    {
        var folder = Directory.CreateTempSubdirectory("evocode-eval-test-");
        try
        {
            foreach (var (name, content) in invocation.Files)
            {
                var path = Path.Combine(folder.FullName, name);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                await File.WriteAllTextAsync(path, content, cancellationToken);
            }

            var start = new ProcessStartInfo(invocation.FileName)
            {
                WorkingDirectory = folder.FullName,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in invocation.Arguments)
            {
                start.ArgumentList.Add(argument);
            }

            var stopwatch = Stopwatch.StartNew();
            using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {invocation.FileName}.");
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(invocation.Limits.WallTime);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                process.Kill(entireProcessTree: true);
                return new CommandRun(RunOutcome.TimeLimit, null, "", "", stopwatch.Elapsed);
            }

            return new CommandRun(RunOutcome.Ok, process.ExitCode, Cap(await stdout, invocation.Limits.MaxOutputBytes), Cap(await stderr, invocation.Limits.MaxOutputBytes), stopwatch.Elapsed);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static string Cap(string text, int max) => text.Length > max ? text[..max] : text;

    private static bool TryCompile(string source, out byte[] image, out IReadOnlyList<SourceDiagnostic> diagnostics)
    {
        diagnostics = [];
        if (s_compiled.TryGetValue(source, out image!))
        {
            return true;
        }

        var tree = CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest, DocumentationMode.None, SourceCodeKind.Regular));
        var compilation = CSharpCompilation.Create(
            "candidate-" + Guid.NewGuid().ToString("N"),
            [tree],
            s_references.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release, allowUnsafe: false, nullableContextOptions: NullableContextOptions.Enable));
        using var stream = new MemoryStream();
        var emitted = compilation.Emit(stream);
        if (!emitted.Success)
        {
            diagnostics =
            [
                .. emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d =>
                {
                    var span = d.Location.GetMappedLineSpan();
                    return new SourceDiagnostic(d.Id, d.GetMessage(), span.IsValid ? span.StartLinePosition.Line + 1 : 0, span.IsValid ? span.StartLinePosition.Character + 1 : 0);
                }),
            ];
            return false;
        }

        image = stream.ToArray();
        s_compiled[source] = image;
        return true;
    }
}
