using System.Security.Cryptography;
using System.Text;
using JusticeTracker.Cases;

namespace JusticeTracker.FollowUps;

/// <summary>
/// The follow-up rules' settings (section "FollowUps"), for the whole deployment and, where the law
/// differs, per country: <c>FollowUps:Countries:KE:AppealWindowDays</c>.
/// </summary>
public sealed class FollowUpOptions
{
    public int NoActivityDays { get; set; } = 90;

    public int AwardNotPaidDays { get; set; } = 180;

    /// <summary>Days after a verdict within which an appeal must be filed, where no country says otherwise.</summary>
    public int AppealWindowDays { get; set; } = 30;

    /// <summary>How many days before the appeal window closes the reminder comes.</summary>
    public int AppealReminderDays { get; set; } = 7;

    public int BarrierOpenDays { get; set; } = 180;

    /// <summary>
    /// Days a lawyer has to act on a follow-up that marks a period run out (no news, unpaid award,
    /// barrier open) before it counts as overdue. Deadline follow-ups are due on the deadline itself.
    /// </summary>
    public int ResponseDays { get; set; } = 14;

    /// <summary>Months before a limitation date that reminders come.</summary>
    public List<int> LimitationReminderMonths { get; set; } = [6, 3, 1];

    public Dictionary<string, CountryFollowUps> Countries { get; set; } = [];

    /// <summary>The settings that apply to a case in a country.</summary>
    public FollowUpOptions For(string country)
    {
        if (!Countries.TryGetValue(country, out var local))
        {
            return this;
        }

        return new FollowUpOptions
        {
            NoActivityDays = local.NoActivityDays ?? NoActivityDays,
            AwardNotPaidDays = local.AwardNotPaidDays ?? AwardNotPaidDays,
            AppealWindowDays = local.AppealWindowDays ?? AppealWindowDays,
            AppealReminderDays = AppealReminderDays,
            BarrierOpenDays = local.BarrierOpenDays ?? BarrierOpenDays,
            ResponseDays = ResponseDays,
            LimitationReminderMonths = LimitationReminderMonths,
        };
    }
}

/// <summary>A country's own periods, where its law or practice differs from the deployment's.</summary>
public sealed class CountryFollowUps
{
    public int? NoActivityDays { get; set; }

    public int? AwardNotPaidDays { get; set; }

    public int? AppealWindowDays { get; set; }

    public int? BarrierOpenDays { get; set; }
}

/// <summary>A follow-up a rule plans: raised on the case when <see cref="RaiseAt"/> comes.</summary>
public sealed record PlannedFollowUp(string Key, FollowUpRule Rule, Track? Track, DateOnly DueOn, Guid? About, DateTimeOffset RaiseAt);

/// <summary>
/// The rules, as a pure function of the case: what follow-ups its current state calls for and when.
/// Everything is planned from the entries that stand, so a new entry, a correction or a retraction
/// moves or cancels a reminder simply by changing the plan.
/// </summary>
public static class FollowUpRules
{
    /// <summary>An appeal window that closed this long ago is history, not a reminder.</summary>
    private const int AppealWindowForgottenAfterDays = 30;

    public static IReadOnlyList<PlannedFollowUp> Plan(Case @case, IReadOnlyList<CaseEntry> standing, FollowUpOptions deployment)
    {
        if (@case.Status == CaseStatus.Closed)
        {
            return [];
        }

        var options = deployment.For(@case.Country);
        var open = @case.Tracks.Where(t => t.Status == TrackStatus.Open).Select(t => t.Track).ToHashSet();
        var plan = new List<PlannedFollowUp>();

        // A track with no entry for N days. The key carries the day of the last entry, so new
        // activity makes a new key: the old follow-up resolves itself and a new one is planned.
        foreach (var track in open)
        {
            var last = standing.Where(e => e.Track == track).Select(e => e.Entry.RecordedAt).DefaultIfEmpty(@case.OpenedAt).Max();
            var due = last.AddDays(options.NoActivityDays);
            plan.Add(new($"no-activity:{track}:{last.UtcDateTime:yyyyMMdd}", FollowUpRule.NoActivity, track, Day(due).AddDays(options.ResponseDays), null, due));
        }

        if (open.Contains(Track.Compensation))
        {
            var payments = standing.OfType<CompensationPaid>().ToList();
            foreach (var award in standing.OfType<CompensationAwarded>().Where(a => !payments.Any(p => p.Entry.Occurred.Date >= a.Entry.Occurred.Date)))
            {
                var due = Start(award.Entry.Occurred.Date.AddDays(options.AwardNotPaidDays));
                plan.Add(new($"award-not-paid:{award.Entry.EntryId}", FollowUpRule.AwardNotPaid, Track.Compensation, Day(due).AddDays(options.ResponseDays), award.Entry.EntryId, due));
            }
        }

        if (open.Contains(Track.CriminalJustice))
        {
            var appeals = standing.Where(e => e is AppealFiled or AppealDecided).ToList();
            foreach (var verdict in standing.OfType<VerdictDelivered>().Where(v => !appeals.Any(a => a.Entry.Occurred.Date >= v.Entry.Occurred.Date)))
            {
                var closes = verdict.Entry.Occurred.Date.AddDays(options.AppealWindowDays);
                if (closes.DayNumber >= DateOnly.FromDateTime(verdict.Entry.RecordedAt.UtcDateTime).DayNumber - AppealWindowForgottenAfterDays)
                {
                    var remind = closes.AddDays(-Math.Min(options.AppealReminderDays, options.AppealWindowDays / 2));
                    plan.Add(new($"appeal-window:{verdict.Entry.EntryId}", FollowUpRule.AppealWindow, Track.CriminalJustice, closes, verdict.Entry.EntryId, Start(remind)));
                }
            }
        }

        // The latest standing limitation date of each open track; its reminders come 6, 3 and 1
        // months before. Only the latest reminder already due is raised: entering a date two months
        // ahead raises one reminder, not three.
        foreach (var limit in standing.OfType<LimitationDateRecorded>().Where(l => open.Contains(l.LimitedTrack)).GroupBy(l => l.LimitedTrack).Select(g => g.Last()))
        {
            var reminders = options.LimitationReminderMonths.Distinct().OrderByDescending(m => m)
                .Select(months => (months, at: Start(limit.Expires.AddMonths(-months))))
                .ToList();
            var recorded = limit.Entry.RecordedAt;
            var lastPassed = reminders.Where(r => r.at <= recorded).Select(r => (int?)r.months).LastOrDefault();
            foreach (var (months, at) in reminders.Where(r => r.at > recorded || r.months == lastPassed))
            {
                plan.Add(new($"limitation:{limit.Entry.EntryId}:{months}", FollowUpRule.LimitationDate, limit.LimitedTrack, limit.Expires, limit.Entry.EntryId, at));
            }
        }

        foreach (var barrier in @case.OpenBarriers.Where(b => open.Contains(b.BlockedTrack)))
        {
            var due = Start(barrier.Encountered.Date.AddDays(options.BarrierOpenDays));
            plan.Add(new($"barrier-open:{barrier.Id}", FollowUpRule.BarrierOpen, barrier.BlockedTrack, Day(due).AddDays(options.ResponseDays), barrier.Id, due));
        }

        return plan;
    }

    /// <summary>
    /// What a check at <paramref name="now"/> records on the case: the planned follow-ups that are
    /// due and not raised yet, and the resolution of raised ones the plan no longer calls for.
    /// Also when the next planned follow-up comes, for the next check.
    /// </summary>
    public static (IReadOnlyList<IFollowUpEvent> Events, DateTimeOffset? Next) Check(Case @case, IReadOnlyList<CaseEntry> standing, FollowUpOptions options, DateTimeOffset now)
    {
        var plan = Plan(@case, standing, options);
        var raised = @case.FollowUps.ToDictionary(f => f.Key);
        var events = new List<IFollowUpEvent>();
        foreach (var due in plan.Where(p => p.RaiseAt <= now && !raised.ContainsKey(p.Key)))
        {
            events.Add(new FollowUpRaised(IdOf(@case.Id, due.Key), due.Key, due.Rule, due.Track, due.DueOn, due.About, now));
        }

        var planned = plan.Select(p => p.Key).ToHashSet();
        foreach (var gone in @case.FollowUps.Where(f => !f.IsResolved && !planned.Contains(f.Key)))
        {
            events.Add(new FollowUpResolved(gone.Id, null, null, now));
        }

        var next = plan.Where(p => p.RaiseAt > now && !raised.ContainsKey(p.Key)).Select(p => (DateTimeOffset?)p.RaiseAt).Min();
        return (events, next);
    }

    /// <summary>The same follow-up id for the same case and key, on every node and every delivery.</summary>
    public static Guid IdOf(Guid caseId, string key) =>
        new(SHA256.HashData(Encoding.UTF8.GetBytes($"{caseId:N}/{key}"))[..16]);

    private static DateTimeOffset Start(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    private static DateOnly Day(DateTimeOffset moment) => DateOnly.FromDateTime(moment.UtcDateTime);
}
