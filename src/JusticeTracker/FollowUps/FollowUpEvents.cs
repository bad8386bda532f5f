using System.Text.Json.Serialization;
using JusticeTracker.Cases;

namespace JusticeTracker.FollowUps;

/// <summary>What a follow-up is about. Codes are stored; labels are translated.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FollowUpRule>))]
public enum FollowUpRule
{
    /// <summary>A track with no entry for N days.</summary>
    NoActivity,

    /// <summary>Compensation awarded and not paid after N days.</summary>
    AwardNotPaid,

    /// <summary>A verdict with no appeal filed or decided as the country's appeal window closes.</summary>
    AppealWindow,

    /// <summary>A limitation date approaching: reminders 6, 3 and 1 months before.</summary>
    LimitationDate,

    /// <summary>A barrier open for more than N days.</summary>
    BarrierOpen,
}

[JsonConverter(typeof(JsonStringEnumConverter<FollowUpStatus>))]
public enum FollowUpStatus { Open, Acknowledged, Snoozed, Resolved }

/// <summary>Every follow-up event names the follow-up it is about.</summary>
public interface IFollowUpEvent
{
    Guid FollowUpId { get; }
}

/// <summary>
/// A follow-up raised on the case by a rule, when due. Its id comes from the case and the rule's key,
/// so raising it twice (two deliveries of one reminder, two nodes) finds it already there.
/// </summary>
/// <param name="FollowUpId">The follow-up's id, derived from the case and the key.</param>
/// <param name="Key">What it is about, e.g. <c>appeal:{verdict entry id}</c>: one follow-up per key.</param>
/// <param name="DueOn">The day something must be done by (the limitation date, the end of the appeal window), or the day the rule's period ran out.</param>
/// <param name="Rule">The rule that raised it.</param>
/// <param name="Track">The track it concerns, if any.</param>
/// <param name="About">The entry it concerns (the verdict, the award, the barrier, the limitation date), if any.</param>
/// <param name="RaisedAt">When the rule raised it.</param>
public sealed record FollowUpRaised(Guid FollowUpId, string Key, FollowUpRule Rule, Track? Track, DateOnly DueOn, Guid? About, DateTimeOffset RaisedAt) : IFollowUpEvent;

/// <summary>Someone has seen the follow-up and is on it.</summary>
public sealed record FollowUpAcknowledged(Guid FollowUpId, Recorder By, DateTimeOffset At) : IFollowUpEvent;

/// <summary>Put aside until a day, with a reason (checked for personal data like every note).</summary>
public sealed record FollowUpSnoozed(Guid FollowUpId, DateOnly Until, string Reason, Recorder By, DateTimeOffset At) : IFollowUpEvent;

/// <summary>Done. With no one named, the rule resolved it itself because the case moved on (a payment, an appeal, new activity).</summary>
public sealed record FollowUpResolved(Guid FollowUpId, string? Note, Recorder? By, DateTimeOffset At) : IFollowUpEvent;

/// <summary>A follow-up as the case holds it.</summary>
public sealed record FollowUp(
    Guid Id,
    string Key,
    FollowUpRule Rule,
    Track? Track,
    DateOnly DueOn,
    Guid? About,
    DateTimeOffset RaisedAt,
    FollowUpStatus Status = FollowUpStatus.Open,
    DateOnly? SnoozedUntil = null,
    string? Note = null,
    Recorder? LastBy = null,
    DateTimeOffset? ResolvedAt = null,
    long? NotePosition = null)
{
    public bool IsResolved => Status == FollowUpStatus.Resolved;

    /// <summary>Waiting for someone: not resolved, and not snoozed past the day.</summary>
    public bool IsDue(DateOnly today) => !IsResolved && !(Status == FollowUpStatus.Snoozed && SnoozedUntil > today);

    public bool IsOverdue(DateOnly today) => IsDue(today) && DueOn < today;

    /// <summary>The follow-up after <paramref name="e"/>, the event at stream version <paramref name="position"/>.</summary>
    /// <remarks>
    /// The note remembers which event it came from, so that a legal expert's redaction of that
    /// event's text also takes it out of the follow-up, and a redaction of an older one does not.
    /// </remarks>
    public FollowUp Apply(IFollowUpEvent e, long position) => e switch
    {
        FollowUpAcknowledged a => this with { Status = FollowUpStatus.Acknowledged, SnoozedUntil = null, LastBy = a.By },
        FollowUpSnoozed s => this with { Status = FollowUpStatus.Snoozed, SnoozedUntil = s.Until, Note = Text(s.Reason), NotePosition = position, LastBy = s.By },
        FollowUpResolved r => this with { Status = FollowUpStatus.Resolved, Note = r.Note, NotePosition = position, LastBy = r.By, ResolvedAt = r.At },
        _ => this,
    };

    // A redacted snooze reason is stored empty: the event's contract keeps it a string.
    private static string? Text(string reason) => reason.Length == 0 ? null : reason;
}
