using System.Text.Json.Serialization;
using JusticeTracker.Access;
using JusticeTracker.Access.Directory;
using JusticeTracker.Audit;
using Marten;
using Wolverine.Http;

namespace JusticeTracker.Cases.Transferring;

/// <summary>Why a case moves to another member organisation.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TransferReason>))]
public enum TransferReason
{
    /// <summary>The child moved to where the other organisation works.</summary>
    ChildMoved,

    /// <summary>The proceedings moved, for example to the offender's country.</summary>
    ProceedingsMoved,

    /// <summary>The other organisation offers support this one cannot.</summary>
    SpecialisedSupport,

    Other,
}

/// <summary>
/// On what basis the child's case may be handed over. A category only: the consent itself, or the
/// order, stays in the sending organisation's own files and is never uploaded.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<ConsentBasis>))]
public enum ConsentBasis
{
    /// <summary>The child and a parent or guardian consented.</summary>
    ChildAndGuardian,

    /// <summary>The child consented, being old enough to do so alone under local law.</summary>
    Child,

    /// <summary>A parent or guardian consented.</summary>
    Guardian,

    /// <summary>A court or a competent authority ordered or authorised it.</summary>
    CourtOrAuthority,

    /// <summary>A legal duty to refer, without consent (child protection).</summary>
    LegalDuty,
}

/// <summary>How a transfer request ended.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TransferOutcome>))]
public enum TransferOutcome { Accepted, Declined, Withdrawn }

/// <summary>Every transfer event names the request it is about.</summary>
public interface ITransferEvent
{
    Guid TransferId { get; }
}

/// <summary>Asks another member organisation to take the case over. The case stays with the sender until it accepts.</summary>
public sealed record TransferRequested(
    Guid TransferId, string FromOrganisation, string ToOrganisation, string Country, TransferReason Reason, ConsentBasis Basis, Recorder By, DateTimeOffset At) : ITransferEvent;

/// <summary>
/// The receiving organisation took the case over (or a legal expert moved it directly). It names
/// the organisation and the country the case moves to, so that a fold of the entries alone (the
/// statistics) moves it too.
/// </summary>
public sealed record TransferAccepted(Guid TransferId, string FromOrganisation, string ToOrganisation, string Country, Recorder By, DateTimeOffset At) : ITransferEvent;

/// <summary>The receiving organisation declined: the case stays where it is.</summary>
public sealed record TransferDeclined(Guid TransferId, Recorder By, DateTimeOffset At) : ITransferEvent;

/// <summary>The sender (or a legal expert) withdrew the request before it was answered.</summary>
public sealed record TransferWithdrawn(Guid TransferId, Recorder By, DateTimeOffset At) : ITransferEvent;

/// <summary>One request to move the case, and how it ended.</summary>
public sealed record CaseTransfer(
    Guid Id,
    string FromOrganisation,
    string ToOrganisation,
    string FromCountry,
    string Country,
    TransferReason Reason,
    ConsentBasis Basis,
    Recorder RequestedBy,
    DateTimeOffset RequestedAt,
    TransferOutcome? Outcome = null,
    Recorder? AnsweredBy = null,
    DateTimeOffset? AnsweredAt = null)
{
    [JsonIgnore]
    public bool IsPending => Outcome is null;
}

/// <summary>Asks to move a case to another member organisation.</summary>
/// <param name="CommandId">A new id per request; it becomes the transfer's id, so a retry asks once.</param>
/// <param name="ToOrganisation">The receiving member organisation.</param>
/// <param name="Country">Where the case will be pursued: by default the receiving organisation's country.</param>
/// <param name="Reason">Why it moves.</param>
/// <param name="Basis">The consent basis, as a category.</param>
/// <param name="Directly">For legal experts: move it now, without waiting for the receiver to accept.</param>
public sealed record RequestTransfer(Guid CommandId, string ToOrganisation, string? Country, TransferReason? Reason, ConsentBasis? Basis, bool Directly = false);

[JsonConverter(typeof(JsonStringEnumConverter<TransferAnswer>))]
public enum TransferAnswer { Accept, Decline, Withdraw }

/// <summary>An answer to a transfer request: the receiver accepts or declines it, the sender withdraws it.</summary>
public sealed record AnswerTransfer(TransferAnswer Answer);

/// <summary>Where a transfer stands after a command.</summary>
public sealed record TransferResponse(Guid CaseId, Guid TransferId, string? Outcome, string OrganisationId, long Version, bool AlreadyDone);

public static class TransferCaseEndpoint
{
    /// <summary>
    /// A request to move the case: refused when one is already waiting, when the receiver is the
    /// case's own organisation or not an active member, or without a reason and a consent basis.
    /// A legal expert's direct transfer is the request and its acceptance at once.
    /// </summary>
    public static Decision Decide(Case @case, RequestTransfer command, Organisation? receiver, CurrentUser user, DateTimeOffset now)
    {
        if (@case.Transfers.Any(t => t.Id == command.CommandId))
        {
            return Decision.Accept();
        }

        var country = (string.IsNullOrWhiteSpace(command.Country) ? receiver?.Country : command.Country)?.Trim().ToUpperInvariant();
        var problems = new Problems()
            .AddIf(command.CommandId == Guid.Empty, "commandId", "Send a new unique id with each request.")
            .AddIf(receiver is not { Active: true }, "toOrganisation", "Choose an active member organisation.")
            .AddIf(receiver is not null && receiver.Id == @case.OrganisationId, "toOrganisation", "The case is already with this organisation.")
            .AddIf(country is null || !IsoCodes.IsCountry(country), "country", "Choose the country where the case will be pursued.")
            .AddIf(command.Reason is null, "reason", "Choose why the case moves.")
            .AddIf(command.Basis is null, "basis", "Choose the basis on which the case may be handed over.")
            .AddIf(command.Directly && !user.IsLegalExpert, "directly", "Only the secretariat's legal experts can move a case without the receiver's acceptance.");
        if (problems.Any)
        {
            return Decision.Refuse(problems);
        }

        if (@case.PendingTransfer is not null)
        {
            return Decision.Conflict("toOrganisation", "A transfer of this case is already waiting for an answer. Withdraw it first.");
        }

        var by = user.AsRecorder();
        var requested = new TransferRequested(command.CommandId, @case.OrganisationId, receiver!.Id, country!, command.Reason!.Value, command.Basis!.Value, by, now);
        return command.Directly
            ? Decision.Accept(requested, new TransferAccepted(command.CommandId, @case.OrganisationId, receiver.Id, country!, by, now))
            : Decision.Accept(requested);
    }

    /// <summary>
    /// An answer to the waiting request. The receiver's members accept or decline; the sender's
    /// withdraw; a legal expert may do any. An answer already given is done again as nothing.
    /// </summary>
    public static Decision Decide(Case @case, Guid transferId, TransferAnswer answer, CurrentUser user, DateTimeOffset now)
    {
        var transfer = @case.Transfers.Find(t => t.Id == transferId);
        if (transfer is null)
        {
            return Decision.Missing("transferId", "There is no such transfer request on this case.");
        }

        var wanted = answer switch
        {
            TransferAnswer.Accept => TransferOutcome.Accepted,
            TransferAnswer.Decline => TransferOutcome.Declined,
            _ => TransferOutcome.Withdrawn,
        };
        if (transfer.Outcome == wanted)
        {
            return Decision.Accept();
        }

        if (!transfer.IsPending)
        {
            return Decision.Conflict("answer", "This transfer request was already answered.");
        }

        var receiving = user.IsMemberLawyer && user.OrganisationId == transfer.ToOrganisation;
        var sending = user.IsMemberLawyer && user.OrganisationId == transfer.FromOrganisation;
        var allowed = user.IsLegalExpert || (answer == TransferAnswer.Withdraw ? sending : receiving);
        if (!allowed)
        {
            return Decision.Refuse("answer", answer == TransferAnswer.Withdraw
                ? "Only the organisation that asked for the transfer can withdraw it."
                : "Only the receiving organisation can accept or decline the transfer.");
        }

        var by = user.AsRecorder();
        return Decision.Accept(wanted switch
        {
            TransferOutcome.Accepted => new TransferAccepted(transfer.Id, transfer.FromOrganisation, transfer.ToOrganisation, transfer.Country, by, now),
            TransferOutcome.Declined => new TransferDeclined(transfer.Id, by, now),
            _ => (object)new TransferWithdrawn(transfer.Id, by, now),
        });
    }

    /// <summary>
    /// The gate of a transfer command: who may see the case, and, for an answer, also a member of
    /// the organisation a request waits on, who may not see the case yet. Anyone else is told the
    /// case does not exist, and the audit log keeps that they were refused.
    /// </summary>
    public static bool Admit(HttpContext context, Case @case, string action, bool receiverToo)
    {
        var user = CurrentUser.From(context.User);
        if (receiverToo && !user.CanSee(@case) && user.IsMemberLawyer && @case.PendingTransfer?.ToOrganisation == user.OrganisationId)
        {
            context.CaseReference(@case.Reference);
            context.Action(action);
            return true;
        }

        return context.Admit(@case, action);
    }

    /// <summary>The one place the API and the pages ask for a transfer.</summary>
    public static Task<Result<Case>> ExecuteAsync(Guid caseId, RequestTransfer command, HttpContext context, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        context.WriteAsync(
            session,
            new Write<Case>("RequestTransfer", AuditActions.CaseTransferRequest, caseId, (http, @case) => Admit(http, @case, AuditActions.CaseTransferRequest, receiverToo: false))
            {
                CommandId = command.CommandId,
            },
            async (@case, user) =>
            {
                var receiver = string.IsNullOrWhiteSpace(command.ToOrganisation) ? null : await session.LoadAsync<Organisation>(command.ToOrganisation.Trim(), ct);
                var decision = Decide(@case!, command, receiver, user, clock.GetUtcNow());
                if (decision.Events is [TransferRequested requested, ..])
                {
                    context.Detail($"{requested.FromOrganisation} -> {requested.ToOrganisation} ({requested.Reason}, {requested.Basis}){(command.Directly ? ", directly" : "")}");
                }

                return decision;
            },
            ct);

    /// <summary>The one place the API and the pages answer a transfer request.</summary>
    public static Task<Result<Case>> ExecuteAsync(Guid caseId, Guid transferId, AnswerTransfer command, HttpContext context, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        context.WriteAsync(
            session,
            new Write<Case>("AnswerTransfer", AuditActions.CaseTransferAnswer, caseId, (http, @case) =>
            {
                var admitted = Admit(http, @case, AuditActions.CaseTransferAnswer, receiverToo: command.Answer != TransferAnswer.Withdraw);
                if (admitted && @case.Transfers.Find(t => t.Id == transferId) is { } transfer)
                {
                    http.Detail($"{command.Answer}: {transfer.FromOrganisation} -> {transfer.ToOrganisation}");
                }

                return admitted;
            }),
            (@case, user) => Decide(@case!, transferId, command.Answer, user, clock.GetUtcNow()),
            ct);

    /// <summary>The case as the request or the answer left it. (Not named After: Wolverine would take that for middleware of the endpoints here.)</summary>
    public static Case CaseAfterwards(this Result<Case> result) =>
        result.Events.OfType<ITransferEvent>().Aggregate(result.State!, (c, e) => c.WithTransfer(e));

    /// <summary>What the request or the answer left.</summary>
    public static TransferResponse Response(this Result<Case> result, Guid transferId)
    {
        var after = result.CaseAfterwards();
        var transfer = after.Transfers.Find(t => t.Id == transferId);
        return new TransferResponse(after.Id, transferId, transfer?.Outcome?.ToString(), after.OrganisationId, result.Version, result.Ending == Ending.Repeated);
    }

    [WolverinePost("/api/cases/{caseId}/transfers")]
    public static async Task<IResult> Post(Guid caseId, RequestTransfer command, HttpContext context, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        (await ExecuteAsync(caseId, command, context, session, clock, ct)).ToHttp(context, "The transfer could not be requested.", r =>
            Results.Ok(r.Response(command.CommandId)));

    [WolverinePost("/api/cases/{caseId}/transfers/{transferId}")]
    public static async Task<IResult> Answer(Guid caseId, Guid transferId, AnswerTransfer command, HttpContext context, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        (await ExecuteAsync(caseId, transferId, command, context, session, clock, ct)).ToHttp(context, "The transfer could not be answered.", r =>
            Results.Ok(r.Response(transferId)));
}

/// <summary>A transfer waiting for an answer, as the lists show it: the reference and who asks, never the case's content.</summary>
public sealed record WaitingTransfer(Guid CaseId, string Reference, CaseTransfer Transfer);

public static class TransferQueries
{
    /// <summary>
    /// The requests waiting on the user's organisation (incoming) and those it sent (outgoing); a
    /// legal expert sees every waiting request as outgoing.
    /// </summary>
    public static async Task<(IReadOnlyList<WaitingTransfer> Incoming, IReadOnlyList<WaitingTransfer> Outgoing)> WaitingAsync(IQuerySession session, CurrentUser user, CancellationToken ct)
    {
        static List<WaitingTransfer> Of(IEnumerable<Case> cases) =>
            [.. cases.Where(c => c.PendingTransfer is not null).Select(c => new WaitingTransfer(c.Id, c.Reference, c.PendingTransfer!)).OrderBy(w => w.Transfer.RequestedAt)];

        if (user.IsLegalExpert)
        {
            return ([], Of(await session.Query<Case>().Where(c => c.TransferTo != null).Take(500).ToListAsync(ct)));
        }

        if (!user.IsMemberLawyer)
        {
            return ([], []);
        }

        var organisation = user.OrganisationId!;
        var incoming = await session.Query<Case>().Where(c => c.TransferTo == organisation).Take(500).ToListAsync(ct);
        var outgoing = await session.Query<Case>().Where(c => c.OrganisationId == organisation && c.TransferTo != null).Take(500).ToListAsync(ct);
        return (Of(incoming), Of(outgoing));
    }
}
