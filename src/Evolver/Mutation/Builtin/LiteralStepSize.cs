namespace EvoCode.Evolver.Mutation.Builtin;

/// <summary>
/// The relative step of a run's literal nudges, adapted by Rechenberg's 1/5th success rule: each evaluated nudge
/// that beats its parent widens the step by exp(0.8 / 4), each that does not narrows it by exp(−0.2 / 4), so the
/// step settles where about one nudge in five improves. Starts at 10 % (the old fixed step). Thread-safe.
/// </summary>
public sealed class LiteralStepSize(double scale = LiteralStepSize.Initial)
{
    /// <summary>The starting relative step.</summary>
    public const double Initial = 0.1;

    /// <summary>The step never shrinks below this (a nudge must still change the literal's text).</summary>
    public const double Smallest = 1e-7;

    /// <summary>The step never grows beyond this (100 % of the literal).</summary>
    public const double Largest = 1;

    private const double Damping = 4;

    private readonly Lock _gate = new();
    private double _scale = scale;

    /// <summary>The current relative step.</summary>
    public double Scale
    {
        get
        {
            lock (_gate)
            {
                return _scale;
            }
        }
    }

    /// <summary>One evaluated nudge: whether its child beat its parent.</summary>
    public void Update(bool improved)
    {
        lock (_gate)
        {
            _scale = Math.Clamp(_scale * Math.Exp(((improved ? 1.0 : 0.0) - 0.2) / Damping), Smallest, Largest);
        }
    }
}
