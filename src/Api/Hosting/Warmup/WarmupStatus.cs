namespace EvoCode.Api.Hosting.Warmup;

/// <summary>Where the server's warm-up is, for <c>/health/ready</c>.</summary>
internal sealed class WarmupStatus
{
    private readonly Lock _lock = new();

    public string State { get; private set; } = "pending";

    public string Description { get; private set; } = "The warm-up has not started.";

    public TimeSpan? Took { get; private set; }

    public void Step(string what) => Set("warming", $"Warming {what}; the server serves meanwhile.", null);

    public void Done(string description, TimeSpan took) => Set("done", description, took);

    public void Failed(string reason, TimeSpan took) => Set("failed", $"The warm-up failed ({reason}); the server serves, its first evaluations run cold.", took);

    private void Set(string state, string description, TimeSpan? took)
    {
        lock (_lock)
        {
            State = state;
            Description = description;
            Took = took;
        }
    }

    public (string State, string Description, TimeSpan? Took) Read()
    {
        lock (_lock)
        {
            return (State, Description, Took);
        }
    }
}
