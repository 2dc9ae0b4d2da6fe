using System.ComponentModel.DataAnnotations;

namespace EvoCode.Api.Security;

/// <summary>
/// API keys, bound from the <c>ApiKeys</c> section. Only SHA-256 hashes are configured, so a leaked configuration
/// does not leak a key. With no hashes the API is open.
/// </summary>
internal sealed class ApiKeyOptions : IValidatableObject
{
    public const string SectionName = "ApiKeys";

    /// <summary>Lower-case hex SHA-256 hashes of the accepted keys (<c>dotnet EvoCode.Api.dll hash-key KEY</c>).</summary>
    public IList<string> Hashes { get; init; } = [];

    /// <summary>Whether read endpoints need a key too (write endpoints always do when keys are configured).</summary>
    public bool ProtectReads { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var hash in Hashes)
        {
            if (hash.Length != 64 || !hash.All(char.IsAsciiHexDigit))
            {
                // Never echo the value: someone may have pasted a key instead of its hash.
                yield return new ValidationResult("Every ApiKeys:Hashes entry must be a 64-character hex SHA-256 hash.", [nameof(Hashes)]);
            }
        }
    }
}
