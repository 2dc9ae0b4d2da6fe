using System.Text.RegularExpressions;
using EvoCode.Evolver.Domain;
using EvoCode.Evolver.Mutation;
using EvoCode.Evolver.Persistence;
using Microsoft.EntityFrameworkCore;

namespace EvoCode.Evolver.Engine;

/// <summary>
/// What was already tried around a parent, for its prompt: the parent and its ancestors, its recent children,
/// each with its change note, score against its own parent and outcome; and the recent failures grouped by
/// cause with the changes that caused them. Reads projections only.
/// </summary>
internal static partial class AttemptHistory
{
    /// <summary>Recent children of the parent shown at most (the prompt's budget may show fewer).</summary>
    public const int Children = 6;

    /// <summary>Ancestors of the parent shown at most.</summary>
    public const int Ancestors = 4;

    /// <summary>Change notes shown per failure cause.</summary>
    public const int ChangesPerCause = 3;

    private sealed record Row(Guid Id, Guid? ParentId, string Operator, string? ChangeNote, double? Score, string? Error, long Sequence);

    /// <summary>The parent, its ancestors and its recent evaluated children, newest first.</summary>
    public static async Task<IReadOnlyList<PriorAttempt>> ReadAsync(EvoCodeDbContext db, Guid runId, Guid parentId, CancellationToken cancellationToken)
    {
        // One row more than shown, for the oldest ancestor's score delta.
        var chain = new List<Row>();
        for (Guid? id = parentId; id is { } next && chain.Count < Ancestors + 2;)
        {
            var row = await db.Candidates.AsNoTracking().Where(c => c.Id == next)
                .Select(c => new Row(c.Id, c.ParentId, c.Operator, c.ChangeNote, c.Score, c.Error, c.Sequence))
                .SingleOrDefaultAsync(cancellationToken);
            if (row is null)
            {
                break;
            }

            chain.Add(row);
            id = row.ParentId;
        }

        var children = await db.Candidates.AsNoTracking()
            .Where(c => c.RunId == runId && c.ParentId == parentId && c.State == CandidateState.Evaluated)
            .OrderByDescending(c => c.Sequence)
            .Take(Children)
            .Select(c => new Row(c.Id, c.ParentId, c.Operator, c.ChangeNote, c.Score, c.Error, c.Sequence))
            .ToListAsync(cancellationToken);
        var parentScore = chain.Count > 0 ? chain[0].Score : null;
        var attempts = children.Select(c => (c.Sequence, Attempt: new PriorAttempt("child", c.Operator, c.ChangeNote, c.Score, parentScore, c.Error))).ToList();
        for (var i = 0; i < chain.Count && i <= Ancestors; i++)
        {
            var own = chain[i];
            attempts.Add((own.Sequence, new PriorAttempt(i == 0 ? "self" : "ancestor", own.Operator, own.ChangeNote, own.Score, i + 1 < chain.Count ? chain[i + 1].Score : null, own.Error)));
        }

        return [.. attempts.OrderByDescending(a => a.Sequence).Select(a => a.Attempt)];
    }

    /// <summary>Failures (newest first) grouped by the first line of their error, numbers aside, newest cause first.</summary>
    public static IReadOnlyList<FailureGroup> Group(IEnumerable<(string? Why, string? ChangeNote, Guid? ParentId)> failures, Guid parentId)
    {
        ArgumentNullException.ThrowIfNull(failures);
        var groups = new List<(string Key, string Cause, int Count, int FromParent, List<string> Changes)>();
        foreach (var (why, note, parent) in failures)
        {
            var cause = FirstLine(why) ?? "failed without an error text";
            var key = Digits().Replace(cause, "#");
            var index = groups.FindIndex(g => g.Key == key);
            if (index < 0)
            {
                groups.Add((key, cause, 0, 0, []));
                index = groups.Count - 1;
            }

            var group = groups[index];
            if (note is { Length: > 0 } && group.Changes.Count < ChangesPerCause && !group.Changes.Contains(note))
            {
                group.Changes.Add(note);
            }

            groups[index] = group with { Count = group.Count + 1, FromParent = group.FromParent + (parent == parentId ? 1 : 0) };
        }

        return [.. groups.Select(g => new FailureGroup(g.Cause, g.Count, g.FromParent, g.Changes))];
    }

    private static string? FirstLine(string? text) =>
        text?.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0);

    [GeneratedRegex(@"\d+(\.\d+)?", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex Digits();
}
