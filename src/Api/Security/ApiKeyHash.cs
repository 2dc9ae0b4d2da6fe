using System.Security.Cryptography;
using System.Text;

namespace EvoCode.Api.Security;

/// <summary>How a key is stored: the lower-case hex SHA-256 of its UTF-8 bytes (the same as <c>printf %s KEY | sha256sum</c>).</summary>
internal static class ApiKeyHash
{
    public static string Compute(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>Compares the key's hash with every configured hash in constant time, so timing says nothing about a near miss.</summary>
    public static bool Matches(string key, IEnumerable<byte[]> hashes)
    {
        var given = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        var found = false;
        foreach (var hash in hashes)
        {
            found |= CryptographicOperations.FixedTimeEquals(given, hash);
        }

        return found;
    }
}
