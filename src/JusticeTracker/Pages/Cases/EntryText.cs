using System.Globalization;
using JusticeTracker.Cases;
using Microsoft.Extensions.Localization;

namespace JusticeTracker.Pages.Cases;

/// <summary>How an entry, a date or an amount reads on a page, in the reader's language.</summary>
public static class EntryText
{
    public static string Describe(this IStringLocalizer l, CaseEntry entry)
    {
        var kind = l[EntryKinds.Of(entry.GetType()).TextKey];
        var detail = entry switch
        {
            ReportedToAuthorities e => l.Label(e.Channel),
            JoinedProceedings e => l.Label(e.Role),
            ProsecutionDeclined e => l.Label(e.Reason),
            TestimonyGiven e => string.Join(", ", e.Measures.Select(m => l.Label(m).ToString())),
            ChildHeard e => string.Join(", ", e.Measures.Select(m => l.Label(m).ToString()).Prepend(l["{0}, {1} interview(s)", l.Label(e.Setting), e.Interviews].ToString())),
            ServiceReferred e => l.Label(e.Service),
            ServiceRefused e => l.Label(e.Service),
            ServiceUnavailable e => l.Label(e.Service),
            ReparationOrdered e => l.Label(e.Reparation),
            ProceedingLinked e => $"{e.Proceeding} ({l.Label(e.Link)})",
            ProceedingLeadTaken e => l["{0}: this case now counts it", e.Proceeding],
            PleaEntered e => l.Label(e.Plea),
            VerdictDelivered { ConvictedOf: { } offence } e => $"{l.Label(e.Outcome)}, {l.Label(offence)}",
            VerdictDelivered e => l.Label(e.Outcome),
            SentenceImposed e => string.Join(", ", new[] { e.Type is { } t ? l.Label(t).ToString() : null, e.Length is { } n ? l.Label(n).ToString() : null }.OfType<string>()),
            AppealFiled { By: { } by } => l.Label(by),
            AppealDecided e => l.Label(e.Outcome),
            ServiceStarted e => l.Label(e.Service),
            ServiceEnded e => l.Label(e.Service),
            ReintegrationOutcomeRecorded e => l.Label(e.Outcome),
            CompensationClaimed { Claimed: { } claimed } e => $"{l.Label(e.Route)}, {l["claimed {0}", Amount(claimed)]}",
            CompensationClaimed e => l.Label(e.Route),
            CompensationAwarded e => Amount(e.Amount),
            CompensationRejected e => l.Label(e.Reason),
            CompensationPaid e => Amount(e.Amount),
            EnforcementFailed e => l.Label(e.Reason),
            BarrierRecorded e => $"{l.Label(e.Category)} ({l.Label(e.Severity)})",
            RightAssessed e => $"{l.Label(e.Right)}: {l.Label(e.Respect)}",
            LimitationDateRecorded e => e.Expires.ShowDay(),
            TrackClosed { Reason: { } reason } e => $"{l.Label(e.ClosedTrack)}: {l.Label(reason)}",
            TrackClosed e => l.Label(e.ClosedTrack),
            TrackReopened e => l.Label(e.ReopenedTrack),
            _ => "",
        };
        var text = detail.Length == 0 ? kind : $"{kind}: {detail}";

        // Recorded as a step of the country's pathway: its own words first, the common step after.
        if (JusticeTracker.Cases.Pathways.Pathways.Named(entry.Entry?.LocalStage) is { } local)
        {
            text = $"{local.Name} ({text})";
        }

        // The steps against a suspect are each offender's: the pseudonym goes first.
        return entry is IOffenderEntry o ? $"{l["Offender {0}", o.Offender]} · {text}" : text;
    }

    /// <summary>A date only as precise as it is known: "12 Mar 2025", "March 2025" or "2025".</summary>
    public static string Show(this FuzzyDate date) => date.Precision switch
    {
        DatePrecision.Year => date.Date.Year.ToString(CultureInfo.CurrentCulture),
        DatePrecision.Month => date.Date.ToString("MMMM yyyy", CultureInfo.CurrentCulture),
        _ => date.Date.ToString("d MMM yyyy", CultureInfo.CurrentCulture),
    };

    public static string Show(this DateTimeOffset moment) => moment.UtcDateTime.ToString("d MMM yyyy HH:mm 'UTC'", CultureInfo.CurrentCulture);

    public static string Amount(Money money) =>
        $"{money.Amount.ToString(money.Amount == decimal.Truncate(money.Amount) ? "N0" : "N2", CultureInfo.CurrentCulture)} {money.Currency}";
}
