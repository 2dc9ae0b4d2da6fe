namespace EvoCode.Evaluators.Scoring;

/// <summary>How geometric constraints are compared.</summary>
public enum ToleranceMode
{
    /// <summary>Tolerance 0 with AlphaEvolve V2's exact comparison forms. The default.</summary>
    Strict,

    /// <summary>Tolerance 1e-6, as OpenEvolve's and paper-era ShinkaEvolve's evaluators; only for comparing with them.</summary>
    OpenEvolve,
}

/// <summary>Names and values of <see cref="ToleranceMode"/>.</summary>
public static class ToleranceModes
{
    /// <summary>The parameter value for <see cref="ToleranceMode.Strict"/>.</summary>
    public const string StrictName = "strict";

    /// <summary>The parameter value for <see cref="ToleranceMode.OpenEvolve"/>.</summary>
    public const string OpenEvolveName = "openevolve-1e-6";

    /// <summary>All parameter values.</summary>
    public static IReadOnlyList<string> Names { get; } = [StrictName, OpenEvolveName];

    /// <summary>The numeric tolerance of a mode.</summary>
    public static double Tolerance(this ToleranceMode mode) => mode == ToleranceMode.OpenEvolve ? 1e-6 : 0.0;

    /// <summary>The parameter value of a mode.</summary>
    public static string Name(this ToleranceMode mode) => mode == ToleranceMode.OpenEvolve ? OpenEvolveName : StrictName;

    /// <summary>Parses a parameter value.</summary>
    public static ToleranceMode Parse(string name) => name == OpenEvolveName ? ToleranceMode.OpenEvolve : ToleranceMode.Strict;
}
