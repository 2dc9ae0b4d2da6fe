namespace EvoCode.Evaluators.Contract;

/// <summary>Something an evaluation produced besides numbers: feedback for the model, or a picture for people.</summary>
/// <param name="Name">Short name, such as "validation" or "packing".</param>
/// <param name="MediaType">text/plain, image/svg+xml or application/json.</param>
/// <param name="Content">The content as text.</param>
/// <param name="ForModel">Whether prompts may include it (size-bounded by the prompt builder).</param>
public sealed record Artifact(string Name, string MediaType, string Content, bool ForModel)
{
    /// <summary>Plain-text feedback meant for the model.</summary>
    public static Artifact Feedback(string name, string text) => new(name, "text/plain", text, ForModel: true);

    /// <summary>An SVG picture meant for people.</summary>
    public static Artifact Svg(string name, string svg) => new(name, "image/svg+xml", svg, ForModel: false);
}
