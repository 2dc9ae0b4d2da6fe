using EvoCode.Evolver.Mutation;

namespace EvoCode.Evolver.Llm;

/// <summary>An operator's first messages, exactly as sent (and stored on the program).</summary>
/// <param name="System">The system message.</param>
/// <param name="User">The user message.</param>
internal sealed record RenderedPrompt(string System, string User)
{
    /// <summary>Both messages, as a program's stored prompt.</summary>
    public string Text => $"{System}\n{User}";
}

/// <summary>
/// Renders an operator's prompt: the fixed variables, then each section from its own template (an empty template
/// or a budget of 0 turns it off), then the system and operator templates.
/// </summary>
internal sealed class PromptRenderer(PromptLibrary library, PromptSettings settings)
{
    /// <summary>The prompt of operator <paramref name="operatorName"/>; <paramref name="showsSecondParent"/> when its template shows the second parent (crossover).</summary>
    public async Task<RenderedPrompt> RenderAsync(string operatorName, MutationRequest request, bool showsSecondParent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var variables = PromptVariables.For(request, settings);
        List<ParentProgram> shown = showsSecondParent && request.SecondParent is { } second ? [request.Parent, second] : [request.Parent];
        foreach (var (section, items) in PromptSections.Entries(request, settings, shown))
        {
            variables[section] = items.Length == 0 || library.IsOff(section)
                ? ""
                : await library.RenderAsync(section, new Dictionary<string, string>(variables, StringComparer.Ordinal) { ["items"] = items.TrimEnd() }, cancellationToken);
        }

        var system = await library.RenderAsync("system", variables, cancellationToken);
        var user = await library.RenderAsync(operatorName, variables, cancellationToken);
        return new RenderedPrompt(system, user);
    }
}
