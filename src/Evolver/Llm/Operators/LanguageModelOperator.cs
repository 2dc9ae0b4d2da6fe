using System.Text;
using EvoCode.Evolver.Languages;
using EvoCode.Evolver.Mutation;
using Microsoft.Extensions.AI;

namespace EvoCode.Evolver.Llm;

/// <summary>
/// The common loop of the language-model operators: pick a model, render the prompt, call, parse and apply
/// the edit, compile-check, and send a bounded number of replies back to the model with the reason when
/// something does not work. It never throws for a bad reply; only cancellation escapes.
/// </summary>
public abstract class LanguageModelOperator : IMutationOperator
{
    private const string CompileFailed = "compile-failed";

    private readonly LanguageModelCatalog _catalog;
    private readonly ModelEnsemble _ensemble;
    private readonly PromptLibrary _prompts;
    private readonly LanguageModelRunSettings _settings;
    private readonly ICodeCheck? _check;
    private readonly ModelLedger _ledger;

    /// <summary>Builds the operator for one run; every call it makes goes through the run's <paramref name="ledger"/>.</summary>
    protected LanguageModelOperator(LanguageModelCatalog catalog, ModelEnsemble ensemble, PromptLibrary prompts, LanguageModelRunSettings settings, ModelLedger ledger, ICodeCheck? check)
    {
        _ledger = ledger ?? throw new ArgumentNullException(nameof(ledger));
        _catalog = catalog ?? throw new ArgumentNullException(nameof(catalog));
        _ensemble = ensemble ?? throw new ArgumentNullException(nameof(ensemble));
        _prompts = prompts ?? throw new ArgumentNullException(nameof(prompts));
        _settings = settings ?? throw new ArgumentNullException(nameof(settings));
        _check = check;
    }

    /// <inheritdoc />
    public abstract string Name { get; }

    /// <inheritdoc />
    public virtual bool NeedsSecondParent => false;

    /// <inheritdoc />
    public async Task<Proposal> ProposeAsync(MutationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (NeedsSecondParent && request.SecondParent is null)
        {
            return Proposal.Failed(Name, $"The {Name} operator needs a second parent.");
        }

        var model = _catalog[_ensemble.Pick(request.Random)];
        var prompt = await new PromptRenderer(_prompts, _settings.Prompts).RenderAsync(Name, request, NeedsSecondParent, cancellationToken);
        var messages = new List<ChatMessage> { new(ChatRole.System, prompt.System), new(ChatRole.User, prompt.User) };
        var proposal = new Proposal { Operator = Name, Model = model.Name, Prompt = prompt.Text, InputTokens = 0, OutputTokens = 0, Cost = 0m };
        var editRetries = _settings.EditRetries;
        var compileRetries = _settings.CompileRetries;
        var context = new ModelCallContext(request.RunId, Name, DeferFinalRecord: true) { Ledger = _ledger, ProposalId = request.ProposalId == Guid.Empty ? null : request.ProposalId };
        while (true)
        {
            var reply = await model.CompleteAsync(messages, context, cancellationToken);
            proposal = Add(proposal, reply);
            if (!reply.HasText)
            {
                return proposal with { Error = reply.Error };
            }

            proposal = proposal with { Reply = reply.Text };

            // The attempt's record waits for the verdict on its edit, but is stored whatever happens (cancellation included).
            var verdict = new Verdict(null, "cancelled", "The call was cancelled before the edit was checked.");
            try
            {
                verdict = await JudgeAsync(request, reply, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                verdict = new Verdict(null, "check-failed", $"Checking the edit failed: {ex.GetType().Name}: {ex.Message}");
                return proposal with { Error = $"{verdict.Outcome}: {verdict.Problem}" };
            }
            finally
            {
                await RecordAsync(model, reply, verdict.Source is null ? $"{verdict.Outcome}: {verdict.Problem}" : verdict.Outcome);
            }

            if (verdict.Source is not null)
            {
                return proposal with { Source = verdict.Source, ChangeNote = ChangeNotes.FromReply(reply.Text) };
            }

            var retriesLeft = verdict.Outcome == CompileFailed ? compileRetries-- > 0 : editRetries-- > 0;
            var problem = verdict.Problem!;
            if (!retriesLeft)
            {
                return proposal with { Error = $"{verdict.Outcome}: {problem}" };
            }

            messages.Add(new ChatMessage(ChatRole.Assistant, reply.Text));
            messages.Add(new ChatMessage(ChatRole.User, await _prompts.RenderAsync("feedback", new Dictionary<string, string>(StringComparer.Ordinal) { ["problem"] = problem }, cancellationToken)));
        }
    }

    /// <summary>Turns the reply into the child's source, or says why it cannot.</summary>
    protected abstract EditResult Edit(MutationRequest request, string reply);

    private async Task<Verdict> JudgeAsync(MutationRequest request, ModelReply reply, CancellationToken cancellationToken)
    {
        if (reply.Truncated)
        {
            return new Verdict(null, "truncated", "The reply was cut off at the output token limit. Answer with a shorter edit: fewer and smaller blocks, no long explanation.");
        }

        var edit = Edit(request, reply.Text!);
        if (!edit.Succeeded)
        {
            return new Verdict(null, "edit-failed", edit.Error);
        }

        // The run's screen knows the program's language; without one, the configured check is the C# compiler's.
        var check = request.Screen ?? (request.Language == ProgramLanguages.CSharp ? _check : null);
        var diagnostics = check is null ? [] : (await check.CheckAsync(edit.Source!, cancellationToken)).Where(d => d.Severity == "error").ToList();
        return diagnostics.Count == 0
            ? new Verdict(edit.Source, Describe("applied", edit.Notes), null)
            : new Verdict(null, CompileFailed, "The edited program does not pass the check:\n" + string.Join('\n', diagnostics.Take(_settings.MaxDiagnostics)));
    }

    private static async Task RecordAsync(LanguageModel model, ModelReply reply, string editOutcome)
    {
        if (reply.FinalRecord is { } record)
        {
            await model.RecordAsync(record with { EditOutcome = editOutcome }, CancellationToken.None);
        }
    }

    private sealed record Verdict(string? Source, string Outcome, string? Problem);

    private static string Describe(string outcome, IReadOnlyList<string> notes)
    {
        if (notes.Count == 0)
        {
            return outcome;
        }

        var text = new StringBuilder(outcome);
        foreach (var note in notes)
        {
            text.Append("; ").Append(note);
        }

        return text.ToString();
    }

    // Usage is known or estimated for every reply, so one reply never makes the whole proposal's usage unknown.
    private static Proposal Add(Proposal proposal, ModelReply reply) => proposal with
    {
        InputTokens = (proposal.InputTokens ?? 0) + (reply.InputTokens ?? 0),
        OutputTokens = (proposal.OutputTokens ?? 0) + (reply.OutputTokens ?? 0),
        Cost = proposal.Cost is null || reply.Cost is null ? null : proposal.Cost + reply.Cost,
    };
}
