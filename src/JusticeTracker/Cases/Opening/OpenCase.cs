using JusticeTracker.Access;
using JusticeTracker.Access.Directory;
using JusticeTracker.Audit;
using Marten;
using Wolverine.Http;

namespace JusticeTracker.Cases.Opening;

/// <summary>
/// Opens a case. <see cref="CommandId"/> becomes the case id, so a form submitted twice opens
/// one case. A member lawyer always opens it for their own organisation.
/// </summary>
public sealed record OpenCase(
    Guid CommandId,
    string Country,
    string? OrganisationId,
    FuzzyDate ExploitationBegan,
    AgeBand AgeBand,
    Sex Sex,
    IReadOnlyList<ExploitationForm> Forms,
    YesNoUnknown OnlineFacilitated,
    YesNoUnknown CrossBorder,
    YesNoUnknown ForeignOffender,
    YesNoUnknown Disability);

public sealed record CaseOpenedResponse(Guid CaseId, string Reference, long Version);

/// <summary>
/// Where the characters of a new case reference come from: a secure random source in the app,
/// and in tests a source that can be made to repeat a reference.
/// </summary>
public sealed class ReferenceSource(Func<int, int> next)
{
    public string Draw(string country, DateTimeOffset now) => OpenCaseEndpoint.NewReference(country, now, next);
}

public static class OpenCaseEndpoint
{
    /// <summary>The characters of a reference: digits and capitals, without I, L, O and U, which are misread.</summary>
    public const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    /// <summary>
    /// A reference such as KE-2026-4F7Q: meaningless outside the tracker, and never derived from
    /// the child. The app draws from a secure random source; the demo data from a seeded one, to
    /// be reproducible.
    /// </summary>
    public static string NewReference(string country, DateTimeOffset now, Func<int, int> next) =>
        $"{country}-{now.Year}-{string.Concat(Enumerable.Range(0, 4).Select(_ => Alphabet[next(Alphabet.Length)]))}";

    public static Decision Decide(OpenCase command, CurrentUser user, Organisation? organisation, string reference, DateTimeOffset now)
    {
        var problems = new Problems();
        if (user.IsLegalExpert)
        {
            problems.AddIf(organisation is not { Active: true }, "organisationId", "Choose an active member organisation.");
        }
        else
        {
            problems.AddIf(command.OrganisationId is not null && command.OrganisationId != user.OrganisationId, "organisationId", "You can open cases only for your own organisation.");
            problems.AddIf(organisation is not { Active: true }, "organisationId", "Your organisation is not active in the tracker. Ask an administrator.");
        }

        problems.AddIf(command.CommandId == Guid.Empty, "commandId", "Send a new unique id with each command.");
        var profile = ToProfile(command, organisation?.Id ?? "");
        ProfileRules.Check(profile, now, problems);
        if (problems.Any)
        {
            return Decision.Refuse(problems);
        }

        return Decision.Accept(new CaseOpened(command.CommandId, reference, profile, user.AsRecorder(), now));
    }

    private static CaseProfile ToProfile(OpenCase c, string organisationId) => new(
        c.Country?.Trim().ToUpperInvariant() ?? "",
        organisationId,
        c.ExploitationBegan is null ? null! : FuzzyDate.Of(c.ExploitationBegan.Date, c.ExploitationBegan.Precision),
        c.AgeBand,
        c.Sex,
        c.Forms ?? [],
        c.OnlineFacilitated,
        c.CrossBorder,
        c.ForeignOffender,
        c.Disability);

    /// <summary>
    /// Opens the case: the one place both the API and the page go through. The command id becomes
    /// the case id, so the same command again finds its case. A fresh reference can collide with
    /// an existing one (32^4 per country and year): the unique index refuses it, and the write path
    /// decides again, which draws again.
    /// </summary>
    public static Task<Result<Case>> ExecuteAsync(OpenCase command, HttpContext context, IDocumentSession session, TimeProvider clock, ReferenceSource references, CancellationToken ct) =>
        context.WriteAsync(
            session,
            new Write<Case>("OpenCase", AuditActions.CaseOpen, command.CommandId, CaseAccess.Admits(AuditActions.CaseOpen)) { Stream = StreamRule.New },
            async (_, user) =>
            {
                var organisationId = user.IsLegalExpert ? command.OrganisationId : user.OrganisationId;
                var organisation = organisationId is null ? null : await session.LoadAsync<Organisation>(organisationId, ct);
                var now = clock.GetUtcNow();
                var decision = Decide(command, user, organisation, await UnusedReferenceAsync(references, command.Country?.Trim().ToUpperInvariant() ?? "", now, session, ct), now);
                if (decision.Events is [CaseOpened opened, ..])
                {
                    context.CaseReference(opened.Reference);
                }

                return decision;
            },
            ct);

    /// <summary>The case the command opened, now or before.</summary>
    public static (Guid CaseId, string Reference) Opened(this Result<Case> result) =>
        result.State is { } existing ? (existing.Id, existing.Reference) : result.Events.OfType<CaseOpened>().Select(o => (o.CaseId, o.Reference)).Single();

    /// <summary>
    /// Draws a reference the audit log has never seen. An erased case leaves nothing but its audit
    /// lines, under its reference: were the reference given to a new case, those lines would read
    /// as the new case's. The cases that exist are guarded by the unique index.
    /// </summary>
    private static async Task<string> UnusedReferenceAsync(ReferenceSource references, string country, DateTimeOffset now, IQuerySession session, CancellationToken ct)
    {
        var reference = references.Draw(country, now);
        for (var attempt = 0; attempt < 4 && await InAuditLogAsync(reference); attempt++)
        {
            reference = references.Draw(country, now);
        }

        return reference;

        async Task<bool> InAuditLogAsync(string drawn) =>
            (await session.AdvancedSql.QueryAsync<bool>($"SELECT EXISTS (SELECT 1 FROM {AuditLog.Table} WHERE case_reference = ?)", ct, drawn)).Single();
    }

    [WolverinePost("/api/cases")]
    public static async Task<IResult> Post(OpenCase command, HttpContext context, IDocumentSession session, TimeProvider clock, ReferenceSource references, CancellationToken ct) =>
        (await ExecuteAsync(command, context, session, clock, references, ct)).ToHttp(context, "The case could not be opened.", r =>
        {
            var (caseId, reference) = r.Opened();
            var response = new CaseOpenedResponse(caseId, reference, r.Version);
            return r.Ending == Ending.Done ? Results.Created($"/api/cases/{caseId}", response) : Results.Ok(response);
        });
}
