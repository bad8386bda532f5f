using JusticeTracker.Cases;

namespace JusticeTracker.Quality;

/// <summary>What data quality looks for in a case. The codes are stable: they are in the CSV.</summary>
public enum QualityRule
{
    /// <summary>An open case with no entry recorded for a while.</summary>
    NoRecentEntry,

    /// <summary>A milestone dated before one that must come first (a sentence before its verdict).</summary>
    MilestonesOutOfOrder,

    /// <summary>A closed track with neither an outcome nor a reason for closing.</summary>
    TrackClosedWithoutReason,

    /// <summary>Compensation awarded with no claim recorded.</summary>
    AwardWithoutClaim,

    /// <summary>A limitation date passed while its track is still open.</summary>
    LimitationPassed,

    /// <summary>Profile facts the statistics break down by, left as Unknown.</summary>
    ProfileUnknown,
}

/// <summary>One thing to look at on a case; <see cref="Detail"/> names codes (stages, profile fields), never text.</summary>
public sealed record QualityFinding(QualityRule Rule, Track? Track = null, string? Detail = null);

/// <summary>Data-quality settings (section <c>DataQuality</c>).</summary>
public sealed class DataQualityOptions
{
    /// <summary>An open case with no entry recorded for this many days is listed.</summary>
    public int NoEntryDays { get; set; } = 180;
}

/// <summary>
/// The data-quality rules, as pure checks of a case's summary and the entries that stand on it.
/// They find what is probably missing or mistyped, not what is wrong in law: a lawyer reads each
/// finding on the case and corrects the record, or leaves it if it is right.
/// </summary>
public static class DataQuality
{
    /// <summary>
    /// Milestones that must come in this order whatever the legal system: charges before the trial,
    /// the trial before the verdict, the verdict before a sentence or an appeal, a claim before its
    /// decision and the decision before a payment. Other stages (a report and an investigation,
    /// services and care plans) happen in either order and are not compared.
    /// </summary>
    public static readonly IReadOnlyList<(Stage Before, Stage After)> Order =
    [
        (Stage.ChargesFiled, Stage.TrialOpened),
        (Stage.TrialOpened, Stage.Verdict),
        (Stage.Verdict, Stage.Sentenced),
        (Stage.Verdict, Stage.AppealFiled),
        (Stage.AppealFiled, Stage.AppealDecided),
        (Stage.SuspectIdentified, Stage.SuspectArrested),
        (Stage.ClaimFiled, Stage.ClaimDecided),
        (Stage.ClaimDecided, Stage.PaymentReceived),
    ];

    /// <summary>The stages that are a track's outcome: a closed track with one of them needs no other reason.</summary>
    private static readonly Dictionary<Track, Stage[]> Outcomes = new()
    {
        [Track.CriminalJustice] = [Stage.Verdict, Stage.ProsecutionDeclined],
        [Track.Recovery] = [Stage.ReintegrationOutcome],
        [Track.Compensation] = [Stage.ClaimDecided, Stage.EnforcementFailed],
    };

    public static IReadOnlyList<QualityFinding> Check(Case @case, IReadOnlyList<CaseEntry> standing, DateTimeOffset now, DataQualityOptions options)
    {
        var findings = new List<QualityFinding>();
        if (@case.Status == CaseStatus.Open && @case.LastActivityAt < now.AddDays(-options.NoEntryDays))
        {
            findings.Add(new(QualityRule.NoRecentEntry));
        }

        var byStage = standing
            .Select(e => (Entry: e, Stage: EntryKinds.Of(e.GetType()).Stage))
            .Where(e => e.Stage is not null)
            .ToLookup(e => e.Stage!.Value, e => e.Entry.Entry.Occurred);
        foreach (var (before, after) in Order)
        {
            // Out of order only when surely so: the later milestone's last possible day is before
            // the earlier one's first (a month and a day within it are not out of order).
            if (byStage[before].Any(b => byStage[after].Any(a => a.Latest < b.Earliest)))
            {
                findings.Add(new(QualityRule.MilestonesOutOfOrder, before.TrackOf(), $"{before}>{after}"));
            }
        }

        foreach (var track in @case.Tracks.Where(t => t.Status == TrackStatus.Closed).Select(t => t.Track))
        {
            var reasoned = standing.OfType<TrackClosed>().Any(c => c.ClosedTrack == track && c.Reason is not null);
            if (!reasoned && !Outcomes[track].Any(stage => byStage[stage].Any()))
            {
                findings.Add(new(QualityRule.TrackClosedWithoutReason, track));
            }
        }

        if (@case.Count(nameof(CompensationAwarded)) > 0 && @case.Count(nameof(CompensationClaimed)) == 0)
        {
            findings.Add(new(QualityRule.AwardWithoutClaim, Track.Compensation));
        }

        var today = DateOnly.FromDateTime(now.UtcDateTime);
        foreach (var limitation in standing.OfType<LimitationDateRecorded>().GroupBy(l => l.LimitedTrack).Select(g => g.MaxBy(l => l.Expires)!))
        {
            if (limitation.Expires < today && @case.StatusOf(limitation.LimitedTrack) != TrackStatus.Closed && @case.Status == CaseStatus.Open)
            {
                findings.Add(new(QualityRule.LimitationPassed, limitation.LimitedTrack));
            }
        }

        var unknown = new (string Field, YesNoUnknown Value)[]
        {
            (nameof(CaseProfile.OnlineFacilitated), @case.Profile.OnlineFacilitated),
            (nameof(CaseProfile.CrossBorder), @case.Profile.CrossBorder),
            (nameof(CaseProfile.ForeignOffender), @case.Profile.ForeignOffender),
            (nameof(CaseProfile.Disability), @case.Profile.Disability),
        }.Where(f => f.Value == YesNoUnknown.Unknown).Select(f => f.Field).ToList();
        if (unknown.Count > 0)
        {
            findings.Add(new(QualityRule.ProfileUnknown, null, string.Join(',', unknown)));
        }

        return findings;
    }
}
