using Microsoft.Extensions.Options;

namespace EvoCode.Evolver.Llm;

/// <summary>Checks the model list on start, so a typo fails the server at boot rather than a run at its first call.</summary>
internal sealed class LanguageModelOptionsValidator(Func<string, string?> environment) : IValidateOptions<LanguageModelOptions>
{
    public LanguageModelOptionsValidator()
        : this(Environment.GetEnvironmentVariable)
    {
    }

    public ValidateOptionsResult Validate(string? name, LanguageModelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Models.Count; i++)
        {
            var m = options.Models[i];
            var where = $"LanguageModels:Models:{i} ({m.Name})";
            if (string.IsNullOrWhiteSpace(m.Name))
            {
                errors.Add($"{where}: Name is required.");
            }
            else if (!names.Add(m.Name))
            {
                errors.Add($"{where}: the name is used twice.");
            }

            if (!ModelProvider.All.Contains(m.Provider, StringComparer.Ordinal))
            {
                errors.Add($"{where}: Provider must be one of {string.Join(", ", ModelProvider.All)}.");
            }

            if (m.Endpoint is null || !m.Endpoint.IsAbsoluteUri)
            {
                errors.Add($"{where}: Endpoint must be an absolute URL.");
            }

            if (string.IsNullOrWhiteSpace(m.Model))
            {
                errors.Add($"{where}: Model (the deployment name for azure) is required.");
            }

            if (m.ApiKeyVariable is { Length: > 0 } variable && string.IsNullOrEmpty(environment(variable)))
            {
                errors.Add($"{where}: the environment variable {variable} named by ApiKeyVariable is not set.");
            }
            else if (m.Provider == ModelProvider.Azure && string.IsNullOrEmpty(m.ApiKeyVariable))
            {
                errors.Add($"{where}: azure needs ApiKeyVariable.");
            }

            if (m.InputPricePerMillion < 0 || m.OutputPricePerMillion < 0)
            {
                errors.Add($"{where}: prices cannot be negative.");
            }

            if (m.MaxTokens <= 0 || m.Timeout <= TimeSpan.Zero || m.MaxConcurrency <= 0)
            {
                errors.Add($"{where}: MaxTokens, Timeout and MaxConcurrency must be positive.");
            }

            if (m.Temperature is < 0 or > 2)
            {
                errors.Add($"{where}: Temperature must lie in [0, 2].");
            }
        }

        var retry = options.Retry;
        if (retry.MaxAttempts < 1 || retry.BaseDelay < TimeSpan.Zero || retry.MaxDelay < retry.BaseDelay || retry.MaxRetryAfter < TimeSpan.Zero)
        {
            errors.Add("LanguageModels:Retry: MaxAttempts >= 1 and 0 <= BaseDelay <= MaxDelay are required.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
