using System.Globalization;

namespace EvoCode.Evolver.Llm;

/// <summary>
/// The one account of a run's model spending. Every model call (mutation, fix, meta-memory, any later role)
/// reserves its worst case here before it is sent (prompt tokens with a margin plus the call's output limit,
/// priced) and settles with the usage the provider reported, or an estimate, afterwards. A reservation that does
/// not fit in what is left of <c>maxTokens</c> or <c>maxCost</c> is refused, so no number of calls in flight can
/// spend past the budget. Thread-safe.
/// </summary>
public sealed class ModelLedger
{
    private readonly Lock _gate = new();
    private readonly long? _maxTokens;
    private readonly decimal? _maxCost;
    private ModelSpending _spent;
    private long _reservedTokens;
    private decimal _reservedCost;
    private string? _refusal;

    /// <summary>A ledger with the run's budgets, starting from what the run spent before (on resume).</summary>
    public ModelLedger(long? maxTokens, decimal? maxCost, ModelSpending? spentBefore = null)
    {
        _maxTokens = maxTokens;
        _maxCost = maxCost;
        _spent = spentBefore ?? new ModelSpending(0, 0, 0m, 0, 0);
    }

    /// <summary>A ledger without budgets: it still counts every call.</summary>
    public static ModelLedger Unlimited() => new(null, null);

    /// <summary>What settled calls spent so far.</summary>
    public ModelSpending Spent
    {
        get
        {
            lock (_gate)
            {
                return _spent;
            }
        }
    }

    /// <summary>Why the ledger refused a call (the budget is used up), or <c>null</c>.</summary>
    public string? Exhausted
    {
        get
        {
            lock (_gate)
            {
                return _refusal;
            }
        }
    }

    /// <summary>Reserves a call's worst case, or returns <c>null</c> (and remembers why) when it does not fit.</summary>
    public ModelReservation? TryReserve(string model, int promptTokens, int maxOutputTokens, ModelPricing pricing)
    {
        ArgumentNullException.ThrowIfNull(pricing);
        var inputTokens = TokenCounter.Reserve(promptTokens);
        var tokens = (long)inputTokens + maxOutputTokens;
        var cost = pricing.CostOf(inputTokens, maxOutputTokens);
        lock (_gate)
        {
            if (_refusal is not null)
            {
                return null;
            }

            if (_maxTokens is { } maxTokens && _spent.Tokens + _reservedTokens + tokens > maxTokens)
            {
                _refusal = string.Create(CultureInfo.InvariantCulture, $"Reached the token budget ({maxTokens}): {_spent.Tokens} spent, {_reservedTokens} reserved, the next call of {model} may take {tokens}.");
                return null;
            }

            if (_maxCost is { } maxCost)
            {
                if (cost is null)
                {
                    _refusal = $"Model {model} has no prices, so a call cannot be kept within the cost budget ({maxCost.ToString(CultureInfo.InvariantCulture)}).";
                    return null;
                }

                if (_spent.Cost + _reservedCost + cost.Value > maxCost)
                {
                    _refusal = string.Create(CultureInfo.InvariantCulture, $"Reached the cost budget ({maxCost}): ${_spent.Cost} spent, ${_reservedCost} reserved, the next call of {model} may cost ${cost.Value}.");
                    return null;
                }
            }

            _reservedTokens += tokens;
            _reservedCost += cost ?? 0m;
            return new ModelReservation(tokens, cost ?? 0m);
        }
    }

    /// <summary>Releases a reservation and books what the call actually used.</summary>
    public void Settle(ModelReservation reservation, int inputTokens, int outputTokens, decimal? cost, bool estimated)
    {
        ArgumentNullException.ThrowIfNull(reservation);
        lock (_gate)
        {
            _reservedTokens -= reservation.Tokens;
            _reservedCost -= reservation.Cost;
            _spent = new ModelSpending(
                _spent.InputTokens + inputTokens,
                _spent.OutputTokens + outputTokens,
                _spent.Cost + (cost ?? 0m),
                _spent.Calls + 1,
                _spent.EstimatedCalls + (estimated ? 1 : 0));
        }
    }
}

/// <summary>A call's worst case, held until the call settles.</summary>
public sealed record ModelReservation(long Tokens, decimal Cost);

/// <summary>What a run's model calls spent: tokens, dollars, calls, and how many of them had their usage estimated.</summary>
public sealed record ModelSpending(long InputTokens, long OutputTokens, decimal Cost, long Calls, long EstimatedCalls)
{
    /// <summary>Input plus output tokens.</summary>
    public long Tokens => InputTokens + OutputTokens;
}
