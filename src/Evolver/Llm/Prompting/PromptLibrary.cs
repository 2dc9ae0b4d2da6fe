using System.Collections.Concurrent;
using Microsoft.SemanticKernel;

namespace EvoCode.Evolver.Llm;

/// <summary>
/// The prompt templates of a run: the embedded defaults, each replaceable by a problem's own template of the
/// same name. Templates use Semantic Kernel's syntax (<c>{{$variable}}</c>); values are inserted as they are,
/// never parsed as template text, so code with braces is safe.
/// </summary>
public sealed class PromptLibrary
{
    /// <summary>Template names: the operators' messages, then the prompt sections (<see cref="PromptSections.Names"/>).</summary>
    public static IReadOnlyList<string> Names { get; } = ["system", "diff", "rewrite", "crossover", "fix", "feedback", "meta", .. PromptSections.Names];

    private static readonly ConcurrentDictionary<string, string> s_defaults = new(StringComparer.Ordinal);
    private static readonly Kernel s_kernel = new();

    private readonly Dictionary<string, IPromptTemplate> _templates = new(StringComparer.Ordinal);
    private readonly HashSet<string> _off = new(StringComparer.Ordinal);

    /// <summary>Compiles the defaults with <paramref name="overrides"/> applied; an unknown name or a bad template fails here, before any call.</summary>
    public PromptLibrary(IReadOnlyDictionary<string, string>? overrides = null)
    {
        var factory = new KernelPromptTemplateFactory { AllowDangerouslySetContent = true };
        foreach (var (name, _) in overrides ?? new Dictionary<string, string>())
        {
            if (!Names.Contains(name, StringComparer.Ordinal))
            {
                throw new ArgumentException($"Unknown prompt template '{name}'; known: {string.Join(", ", Names)}.", nameof(overrides));
            }
        }

        foreach (var name in Names)
        {
            var text = overrides is not null && overrides.TryGetValue(name, out var custom) ? custom : Default(name);
            if (string.IsNullOrWhiteSpace(text))
            {
                _off.Add(name);
            }

            // The values are our own strings (code, evaluator text), not chat-role markup, so no HTML encoding.
            _templates[name] = factory.Create(new PromptTemplateConfig(text) { Name = name, AllowDangerouslySetContent = true });
        }
    }

    /// <summary>Whether the run turned that template off (an empty override).</summary>
    public bool IsOff(string name) => _off.Contains(name);

    /// <summary>The embedded default template of that name.</summary>
    public static string Default(string name) => s_defaults.GetOrAdd(name, static n =>
    {
        using var stream = typeof(PromptLibrary).Assembly.GetManifestResourceStream($"EvoCode.Evolver.Prompts.{n}.txt")
            ?? throw new ArgumentException($"No default prompt template named '{n}'.", nameof(name));
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    /// <summary>Renders template <paramref name="name"/> with <paramref name="variables"/>.</summary>
    public async Task<string> RenderAsync(string name, IReadOnlyDictionary<string, string> variables, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(variables);
        var arguments = new KernelArguments();
        foreach (var (key, value) in variables)
        {
            arguments[key] = value;
        }

        // Blank lines are left alone: collapsing them would also change the code shown, and SEARCH blocks copy it.
        var text = await _templates[name].RenderAsync(s_kernel, arguments, cancellationToken);
        return text.Trim() + "\n";
    }
}
