using Microsoft.Extensions.AI;
using Microsoft.ML.Tokenizers;

namespace EvoCode.Evolver.Llm;

/// <summary>
/// Counts tokens with a real BPE tokenizer (o200k_base, Microsoft.ML.Tokenizers), for the ledger's worst-case
/// reservations and for replies whose provider reported no usage. Other models tokenize differently, so a
/// reservation adds <see cref="ReserveMargin"/> on top of the count.
/// </summary>
public static class TokenCounter
{
    /// <summary>Tokens a chat format adds per message (role and separators), as OpenAI documents for its models.</summary>
    public const int PerMessage = 4;

    /// <summary>Factor on counted prompt tokens when reserving, so a model whose tokenizer splits finer still fits its reservation.</summary>
    public const double ReserveMargin = 1.25;

    private static readonly Lazy<Tokenizer> s_tokenizer = new(() => TiktokenTokenizer.CreateForEncoding("o200k_base"), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Tokens of one text.</summary>
    public static int Count(string? text) => string.IsNullOrEmpty(text) ? 0 : s_tokenizer.Value.CountTokens(text);

    /// <summary>Tokens of a conversation as a provider bills it: every message's text plus its framing.</summary>
    public static int CountPrompt(IReadOnlyList<ChatMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var total = 3;
        foreach (var message in messages)
        {
            total += PerMessage + Count(message.Text);
        }

        return total;
    }

    /// <summary>The prompt tokens to reserve for a conversation counted at <paramref name="counted"/> tokens.</summary>
    public static int Reserve(int counted) => checked((int)Math.Ceiling(counted * ReserveMargin));
}
