using System.Diagnostics;
using EvoCode.Evaluators.Contract;
using EvoCode.Sandbox.Worker.Policy;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace EvoCode.Sandbox.Worker.Compilation;

/// <summary>
/// Source limits → parse (regular C#, pinned language version, no scripts) → syntax bans → bind →
/// semantic allowlist → emit to memory → metadata allowlist. Cancellation bounds the compile; the pool
/// kills the worker if the compiler ignores it.
/// </summary>
internal sealed class CandidateCompiler(ReferenceSet references)
{
    private const int MaxDiagnostics = 20;

    private static readonly CSharpParseOptions s_parseOptions = new(LanguageVersion.CSharp14, DocumentationMode.None, SourceCodeKind.Regular);

    private static readonly CSharpCompilationOptions s_compilationOptions = new(
        OutputKind.DynamicallyLinkedLibrary,
        optimizationLevel: OptimizationLevel.Release,
        allowUnsafe: false,
        concurrentBuild: false,
        deterministic: true,
        nullableContextOptions: NullableContextOptions.Disable,
        checkOverflow: false);

    private int _count;

    public CompileResult Compile(string source, int maxSourceBytes, CancellationToken cancellationToken)
    {
        if (SourceLimits.Check(source, maxSourceBytes) is { } limit)
        {
            return CompileResult.Refused(RunOutcome.CompileError, [limit]);
        }

        var tree = CSharpSyntaxTree.ParseText(Microsoft.CodeAnalysis.Text.SourceText.From(source, System.Text.Encoding.UTF8), s_parseOptions, path: "Candidate.cs", cancellationToken: cancellationToken);
        var root = tree.GetRoot(cancellationToken);
        var syntaxViolations = SyntaxPolicyCheck.Check(root);
        if (syntaxViolations.Count > 0)
        {
            return CompileResult.Refused(RunOutcome.PolicyViolation, Cap(syntaxViolations));
        }

        var parseErrors = tree.GetDiagnostics(cancellationToken).Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (parseErrors.Count > 0)
        {
            return CompileResult.Refused(RunOutcome.CompileError, Cap(parseErrors.Select(ToDiagnostic)));
        }

        var name = "Candidate" + Interlocked.Increment(ref _count);
        var compilation = CSharpCompilation.Create(name, [tree], references.References, s_compilationOptions);

        // Policy first: a model told that Console is refused learns more than one told about a missing using.
        var semanticViolations = SemanticPolicyCheck.Check(compilation, tree, cancellationToken);
        if (semanticViolations.Count > 0)
        {
            return CompileResult.Refused(RunOutcome.PolicyViolation, Cap(semanticViolations));
        }

        using var image = new MemoryStream();
        var emit = compilation.Emit(image, options: new Microsoft.CodeAnalysis.Emit.EmitOptions(debugInformationFormat: Microsoft.CodeAnalysis.Emit.DebugInformationFormat.Embedded), cancellationToken: cancellationToken);
        if (!emit.Success)
        {
            var errors = emit.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(ToDiagnostic);
            return CompileResult.Refused(RunOutcome.CompileError, Cap(errors));
        }

        var bytes = image.ToArray();
        var metadataViolations = MetadataPolicyCheck.Check(bytes);
        if (metadataViolations.Count > 0)
        {
            return CompileResult.Refused(RunOutcome.PolicyViolation, Cap(metadataViolations));
        }

        return new CompileResult(RunOutcome.Ok, bytes, []);
    }

    private static SourceDiagnostic ToDiagnostic(Diagnostic diagnostic)
    {
        var (line, column) = PolicyViolation.Position(diagnostic.Location);
        var severity = diagnostic.Severity == DiagnosticSeverity.Error ? "error" : "warning";
        return new SourceDiagnostic(diagnostic.Id, diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), line, column, severity);
    }

    private static List<SourceDiagnostic> Cap(IEnumerable<SourceDiagnostic> diagnostics)
    {
        var list = diagnostics.Take(MaxDiagnostics + 1).ToList();
        if (list.Count > MaxDiagnostics)
        {
            list[MaxDiagnostics] = new SourceDiagnostic("More", "Further diagnostics omitted.", 0, 0);
        }

        Debug.Assert(list.Count <= MaxDiagnostics + 1, "capped");
        return list;
    }
}
